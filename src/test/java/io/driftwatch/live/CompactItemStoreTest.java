package io.driftwatch.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.informers.impl.cache.ProcessorStore;
import io.fabric8.kubernetes.client.informers.impl.cache.SharedProcessor;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compact store against fabric8's own ({@link BasicItemStore}), driven through fabric8's real {@link CacheImpl},
 * {@link ProcessorStore} and {@link SharedProcessor} with the calls its {@code Reflector} makes: a (re)list is
 * {@code update(page)} per page then {@code syncList(keys)}, a watch event is {@code add}/{@code update}/{@code
 * delete}. The handler events must be the same, object for object, and the compact store may decode nothing but the
 * old object of a real update.
 */
class CompactItemStoreTest {

    /** Counts decodes: every one is an {@code unmarshal} of stored JSON. */
    private static final class CountingSerialization extends KubernetesSerialization {
        final AtomicInteger decodes = new AtomicInteger();

        @Override
        public <T> T unmarshal(String str, Class<T> type) {
            decodes.incrementAndGet();
            return super.unmarshal(str, type);
        }
    }

    private sealed interface Step permits ListStep, Watch {}

    /** A (re)list returning these objects, in pages of {@code pageSize}. */
    private record ListStep(int pageSize, List<GenericKubernetesResource> items) implements Step {}

    private record Watch(String action, GenericKubernetesResource obj) implements Step {}

    private static Step list(GenericKubernetesResource... items) {
        return new ListStep(500, List.of(items));
    }

    private static Step pagedList(GenericKubernetesResource... items) {
        return new ListStep(1, List.of(items));
    }

    private static Step added(GenericKubernetesResource obj) {
        return new Watch("ADDED", watchForm(obj));
    }

    private static Step modified(GenericKubernetesResource obj) {
        return new Watch("MODIFIED", watchForm(obj));
    }

    private static Step deleted(GenericKubernetesResource obj) {
        return new Watch("DELETED", watchForm(obj));
    }

    /** List items come without apiVersion and kind; watch events carry them. */
    private static GenericKubernetesResource watchForm(GenericKubernetesResource obj) {
        GenericKubernetesResource copy = copy(obj);
        copy.setApiVersion("v1");
        copy.setKind("ConfigMap");
        return copy;
    }

    private static GenericKubernetesResource copy(GenericKubernetesResource obj) {
        KubernetesSerialization s = new KubernetesSerialization();
        return s.unmarshal(s.asJson(obj), GenericKubernetesResource.class);
    }

    private static GenericKubernetesResource cm(String namespace, String name, String rv, String value) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setMetadata(new ObjectMetaBuilder()
                .withNamespace(namespace)
                .withName(name)
                .withResourceVersion(rv)
                .withLabels(Map.of("app", "a"))
                .withCreationTimestamp("2026-12-04T20:00:00Z")
                .build());
        r.setAdditionalProperty("data", Map.of("k", value, "n", "1"));
        return r;
    }

    private static final GenericKubernetesResource A1 = cm("ns", "a", "1", "one");
    private static final GenericKubernetesResource A2 = cm("ns", "a", "5", "two");
    private static final GenericKubernetesResource A2_SAME_VERSION_OTHER_DATA = cm("ns", "a", "5", "other");
    private static final GenericKubernetesResource B1 = cm("ns", "b", "2", "one");
    private static final GenericKubernetesResource B2 = cm("ns", "b", "6", "two");
    private static final GenericKubernetesResource C1 = cm("other", "c", "3", "one");
    private static final GenericKubernetesResource CLUSTER = cm(null, "cluster-scoped", "4", "one");
    private static final GenericKubernetesResource NO_VERSION = cm("ns", "nv", null, "one");
    private static final GenericKubernetesResource EMPTY_VERSION = cm("ns", "nv", "", "one");
    private static final GenericKubernetesResource LONG_VERSION = cm("ns", "a", "1".repeat(300), "one");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("initial list", List.of(list(A1, B1, C1, CLUSTER))),
                Arguments.of("initial list in pages", List.of(pagedList(A1, B1, C1))),
                Arguments.of("empty list", List.of(list())),
                Arguments.of("relist, nothing changed", List.of(list(A1, B1, C1), list(A1, B1, C1))),
                Arguments.of("relist in pages, nothing changed", List.of(pagedList(A1, B1), pagedList(B1, A1))),
                Arguments.of("relist, one updated", List.of(list(A1, B1), list(A2, B1))),
                Arguments.of("relist, all updated", List.of(list(A1, B1), list(A2, B2))),
                Arguments.of("relist, one deleted", List.of(list(A1, B1, C1), list(A1, C1))),
                Arguments.of("relist, all deleted", List.of(list(A1, B1, CLUSTER), list())),
                Arguments.of("relist, one added", List.of(list(A1), list(A1, B1))),
                Arguments.of("relist, updated, deleted and added at once", List.of(list(A1, B1), list(A2, C1))),
                Arguments.of("relist, same version other content", List.of(list(A2), list(A2_SAME_VERSION_OTHER_DATA))),
                Arguments.of("relist, version went back", List.of(list(A2), list(A1))),
                Arguments.of("relist after the watch saw the same version", List.of(list(A1), modified(A2), list(A2))),
                Arguments.of("relist older than the watch", List.of(list(A1), modified(A2), list(A1))),
                Arguments.of("watch add, update, delete", List.of(list(A1), added(B1), modified(B2), deleted(A1))),
                Arguments.of("watch add of a known key", List.of(list(A1), added(A1), added(A2))),
                Arguments.of("watch delete of an unknown key", List.of(list(A1), deleted(B1))),
                Arguments.of("watch delete then relist", List.of(list(A1, B1), deleted(A1), list(B1))),
                Arguments.of("watch add then relist without it", List.of(list(A1), added(C1), list(A1))),
                Arguments.of("watch before the first list", List.of(added(A1), list(A1, B1))),
                Arguments.of("no resourceVersion, relisted", List.of(list(NO_VERSION), list(NO_VERSION))),
                Arguments.of("no resourceVersion then an empty one", List.of(list(NO_VERSION), list(EMPTY_VERSION))),
                Arguments.of("empty resourceVersion then none", List.of(list(EMPTY_VERSION), list(NO_VERSION))),
                Arguments.of("a long resourceVersion", List.of(list(LONG_VERSION), list(LONG_VERSION), list(A1))),
                Arguments.of(
                        "three relists",
                        List.of(list(A1, B1, C1), list(A2, B1, C1), modified(B2), list(A2, B2), list(A2, B2, C1))));
    }

    /** One informer pipeline as fabric8 builds it, with the given item store. */
    private static final class Pipeline {
        final List<String> events = new ArrayList<>();
        final List<GenericKubernetesResource[]> objects = new ArrayList<>();
        final ProcessorStore<GenericKubernetesResource> store;
        final CacheImpl<GenericKubernetesResource> cache = new CacheImpl<>();

        Pipeline(ItemStore<GenericKubernetesResource> items, boolean namespaceIndex) {
            cache.setItemStore(items);
            if (!namespaceIndex) {
                cache.removeIndexer(CacheImpl.NAMESPACE_INDEX); // what KindInformer does
            }
            SharedProcessor<GenericKubernetesResource> processor = new SharedProcessor<>();
            store = new ProcessorStore<>(cache, processor);
            // the handler only keeps the objects: reading them here would decode them
            processor.addProcessorListener(
                    new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(GenericKubernetesResource obj) {
                            record("add", obj);
                        }

                        @Override
                        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                            record("update", oldObj, newObj);
                        }

                        @Override
                        public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
                            record("delete" + (finalStateUnknown ? " (final state unknown)" : ""), obj);
                        }
                    },
                    0,
                    List::of);
        }

        private void record(String event, GenericKubernetesResource... objs) {
            events.add(event);
            objects.add(objs);
        }

        void run(Step step) {
            if (step instanceof ListStep l) {
                Set<String> keys = new LinkedHashSet<>();
                for (int from = 0; from < l.items().size(); from += l.pageSize()) {
                    List<GenericKubernetesResource> page =
                            l.items().subList(from, Math.min(l.items().size(), from + l.pageSize())).stream()
                                    .map(CompactItemStoreTest::copy)
                                    .toList();
                    page.forEach(i -> keys.add(store.getKey(i)));
                    store.update(page);
                }
                store.syncList(keys);
            } else if (step instanceof Watch w) {
                GenericKubernetesResource obj = copy(w.obj());
                switch (w.action()) {
                    case "ADDED" -> store.add(obj);
                    case "MODIFIED" -> store.update(obj);
                    default -> store.delete(obj);
                }
            }
        }

        /** The events with their objects as JSON, read after the run. */
        List<String> described() {
            KubernetesSerialization json = new KubernetesSerialization();
            List<String> out = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                StringBuilder line = new StringBuilder(events.get(i));
                for (GenericKubernetesResource o : objects.get(i)) {
                    line.append(' ').append(json.asJson(o));
                }
                out.add(line.toString());
            }
            return out;
        }

        List<String> contents() {
            KubernetesSerialization json = new KubernetesSerialization();
            return cache.list().stream().map(json::asJson).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eventsAndContentsAreFabric8sOwn(String name, List<Step> steps) {
        for (boolean namespaceIndex : new boolean[] {false, true}) {
            CountingSerialization serialization = new CountingSerialization();
            Pipeline fabric8s = new Pipeline(new BasicItemStore<>(Cache::metaNamespaceKeyFunc), namespaceIndex);
            Pipeline compact = new Pipeline(new CompactItemStore(serialization), namespaceIndex);

            steps.forEach(fabric8s::run);
            int decodesBefore = serialization.decodes.get();
            steps.forEach(compact::run);
            int decodes = serialization.decodes.get() - decodesBefore;

            if (!namespaceIndex) { // the store as the agent runs it: only a real update's old object is decoded
                long updates = compact.events.stream().filter("update"::equals).count();
                assertThat(decodes).as("decodes during the steps").isEqualTo((int) updates);
            }
            assertThat(compact.events).isEqualTo(fabric8s.events);
            assertThat(compact.described()).isEqualTo(fabric8s.described());
            for (int i = 0; i < compact.objects.size(); i++) {
                assertThat(compact.objects.get(i)).isEqualTo(fabric8s.objects.get(i));
            }
            assertThat(compact.contents()).isEqualTo(fabric8s.contents());
            assertThat(compact.cache.listKeys()).containsExactlyInAnyOrderElementsOf(fabric8s.cache.listKeys());
        }
    }

    @Test
    void aRelistOfUnchangedObjectsDecodesNothing() {
        CountingSerialization serialization = new CountingSerialization();
        Pipeline compact = new Pipeline(new CompactItemStore(serialization), false);
        List<GenericKubernetesResource> items = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            items.add(cm("ns-" + (i % 7), "cm-" + i, String.valueOf(1000 + i), "v" + i));
        }
        compact.run(new ListStep(500, items));
        compact.run(new ListStep(500, items)); // a relist after a dropped watch
        assertThat(serialization.decodes.get()).isZero();
        assertThat(compact.events).hasSize(2_000).containsOnly("add");
        assertThat(compact.objects)
                .allSatisfy(o -> assertThat(((StoredResource) o[0]).isDecoded()).isFalse());
        // read on the handler's side, they are the full objects
        assertThat(compact.objects.get(0)[0].getMetadata().getName()).startsWith("cm-");
        assertThat(serialization.decodes.get()).isEqualTo(1);
    }

    @Test
    void aStoredResourceIsTheDecodedObjectInEveryRespect() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        CompactItemStore store = new CompactItemStore(serialization);
        GenericKubernetesResource original = watchForm(A1);
        store.put("ns/a", original);
        GenericKubernetesResource stored = store.get("ns/a");

        assertThat(stored).isInstanceOf(StoredResource.class);
        assertThat(store.getKey(stored)).isEqualTo("ns/a");
        assertThat(stored).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(original).isEqualTo(stored);
        assertThat(serialization.asJson(stored)).isEqualTo(serialization.asJson(original));
        assertThat(stored.toString()).isEqualTo(original.toString());
        assertThat((String) stored.get("data", "k")).isEqualTo("one");
        assertThat(stored.edit().build()).isEqualTo(original);
        assertThat(store.json("ns/a").path("data").path("k").asText()).isEqualTo("one");
        assertThat(store.json("ns/a").path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(store.jsonValues()).hasSize(1);
        assertThat(store.remove("ns/a")).isEqualTo(original);
        assertThat(store.get("ns/a")).isNull();
        assertThat(store.json("ns/a")).isNull();
    }
}
