package io.driftwatch.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers for one kind (cluster-wide, or one per namespace when the scope lists namespaces), with the state
 * readiness and verdicts need: synced, watching, size. Errors are logged and the informer retries by itself; a watch
 * that drops or gets 410 Gone relists while the store keeps its items, so nothing looks deleted in between.
 */
final class KindInformer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KindInformer.class);

    private final ApiResource resource;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final List<CompactItemStore> stores = new ArrayList<>();
    private volatile Instant startedAt = Instant.MAX;
    private volatile String lastFailure;

    /**
     * Page size of the informers' (re)lists, as client-go's reflector uses. fabric8 decodes each list page and fills
     * the store on its HTTP client's event loop; one unpaged list of 30,000 objects held that loop for seconds (and
     * with it every other kind's watch). Pages of 500 keep each turn short.
     */
    static final long LIST_PAGE_SIZE = 500;

    KindInformer(
            KubernetesClient client,
            ApiResource resource,
            List<String> namespaces,
            Consumer<LiveEvent> listener,
            WatchEventCounts counts) {
        this.resource = resource;
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                .withGroup(resource.group())
                .withVersion(resource.version())
                .withKind(resource.kind())
                .withPlural(resource.plural())
                .withNamespaced(resource.namespaced())
                .build();
        var operation = client.genericKubernetesResources(context);
        ResourceEventHandler<GenericKubernetesResource> handler =
                new Handler(resource, listener, this::isChange, counts);
        if (!resource.namespaced() || namespaces.isEmpty()) {
            informers.add(operation.inAnyNamespace().withLimit(LIST_PAGE_SIZE).runnableInformer(0));
        } else {
            for (String ns : namespaces) {
                informers.add(
                        operation.inNamespace(ns).withLimit(LIST_PAGE_SIZE).runnableInformer(0));
            }
        }
        for (var informer : informers) {
            CompactItemStore store = new CompactItemStore(client.getKubernetesSerialization());
            stores.add(store);
            informer.itemStore(store);
            informer.removeNamespaceIndex(); // lookups are by key only
            informer.addEventHandler(handler);
            informer.exceptionHandler((isStarted, t) -> {
                LOG.warn(
                        "informer for {} failed ({}); retrying",
                        resource.apiVersion() + "/" + resource.kind(),
                        t.toString());
                lastFailure = describe(t);
                return true;
            });
        }
    }

    /** "forbidden", "HTTP 500", or the failure's type: the API server's answer, however deep it is wrapped. */
    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return k.getCode() == 403 ? "forbidden" : "HTTP " + k.getCode();
            }
        }
        return failure.getClass().getSimpleName();
    }

    ApiResource resource() {
        return resource;
    }

    void start() {
        startedAt = Instant.now();
        String kind = resource.apiVersion() + "/" + resource.kind();
        for (var informer : informers) {
            informer.start();
            // logs a stop whatever its cause: a kind no longer wanted, shutdown, or an error fabric8 gave up on
            informer.stopped().whenComplete((done, failure) -> {
                if (failure == null) {
                    LOG.info("informer for {} stopped", kind);
                } else {
                    LOG.warn("informer for {} stopped: {}", kind, failure.toString());
                }
            });
        }
    }

    /**
     * Whether an event is a change someone made rather than part of the initial list. fabric8 reports "synced" once
     * the list is stored but delivers its ADD notifications afterwards, so an ADD counts only for objects created
     * after the informer started.
     */
    private boolean isChange(GenericKubernetesResource obj, LiveEvent.Type type) {
        if (!hasSynced()) {
            return false;
        }
        if (type != LiveEvent.Type.ADDED) {
            return true;
        }
        try {
            String created = obj.getMetadata().getCreationTimestamp();
            return created != null && !Instant.parse(created).isBefore(startedAt.minusSeconds(1));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    boolean hasSynced() {
        return informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Why the kind has not been listed yet (e.g. "forbidden"), if a list or watch failed; empty once synced. */
    Optional<String> failure() {
        return hasSynced() ? Optional.empty() : Optional.ofNullable(lastFailure);
    }

    boolean isWatching() {
        return informers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    int size() {
        return stores.stream().mapToInt(CompactItemStore::size).sum();
    }

    /** The live object as JSON with apiVersion and kind set (list items lack them), or empty. */
    Optional<ObjectNode> get(String namespace, String name) {
        String key = resource.namespaced() ? namespace + "/" + name : name;
        for (CompactItemStore store : stores) {
            ObjectNode found = store.json(key);
            if (found != null) {
                return Optional.of(typed(found));
            }
        }
        return Optional.empty();
    }

    /** Every live object of this kind as JSON. */
    List<ObjectNode> list() {
        return stream().toList();
    }

    /** Every live object of this kind as JSON, decoded as the stream is consumed. */
    Stream<ObjectNode> stream() {
        return stores.stream().flatMap(CompactItemStore::jsonValues).map(this::typed);
    }

    private ObjectNode typed(ObjectNode json) {
        json.put("apiVersion", resource.apiVersion());
        json.put("kind", resource.kind());
        return json;
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::stop);
    }

    @FunctionalInterface
    private interface ChangeTest {
        boolean test(GenericKubernetesResource obj, LiveEvent.Type type);
    }

    /**
     * Turns informer callbacks into {@link LiveEvent}s, counting each in {@code counts}; resyncs that change nothing
     * are counted as unchanged and dropped. Events of the initial list are not changes someone made, so they carry no
     * detection-latency start.
     */
    private record Handler(
            ApiResource resource, Consumer<LiveEvent> listener, ChangeTest isChange, WatchEventCounts counts)
            implements ResourceEventHandler<GenericKubernetesResource> {

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            counts.count(LiveEvent.Type.ADDED);
            listener.accept(
                    LiveEvent.of(resource, obj, LiveEvent.Type.ADDED, isChange.test(obj, LiveEvent.Type.ADDED)));
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            if (oldObj != null
                    && Objects.equals(
                            oldObj.getMetadata().getResourceVersion(),
                            newObj.getMetadata().getResourceVersion())) {
                counts.countUnchanged();
                return;
            }
            counts.count(LiveEvent.Type.UPDATED);
            listener.accept(LiveEvent.of(
                    resource, newObj, LiveEvent.Type.UPDATED, isChange.test(newObj, LiveEvent.Type.UPDATED)));
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            counts.count(LiveEvent.Type.DELETED);
            listener.accept(
                    LiveEvent.of(resource, obj, LiveEvent.Type.DELETED, isChange.test(obj, LiveEvent.Type.DELETED)));
        }
    }
}
