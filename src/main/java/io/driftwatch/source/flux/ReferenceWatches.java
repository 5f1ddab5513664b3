package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the single objects apps' desired states were made from — a HelmRelease's {@code valuesFrom} ConfigMaps and
 * Secrets and its chart source (a HelmChart in any namespace, an OCIRepository) — each with its own informer selected
 * by {@code metadata.name} in its namespace, for as long as some app refers to it, and tells a listener which apps to
 * load again when one changes in what matters (a ConfigMap's or Secret's data, a chart source's artifact), appears, or
 * goes away. Read-only: list and watch of those objects. Listener calls come from the informers' threads.
 */
public final class ReferenceWatches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceWatches.class);

    /** A kind that can be referred to, and what in it, when it changes, changes the desired state. */
    private record Kind(ResourceDefinitionContext context, Function<JsonNode, String> key) {}

    private static final Function<JsonNode, String> DATA = object ->
            object.path("data").toString() + "|" + object.path("binaryData").toString();
    private static final Function<JsonNode, String> ARTIFACT =
            object -> object.path("status").path("artifact").path("revision").asText()
                    + "|"
                    + object.path("status").path("artifact").path("digest").asText();
    private static final Map<String, Kind> KINDS = Map.of(
            "ConfigMap", new Kind(context("", "v1", "ConfigMap", "configmaps"), DATA),
            "Secret", new Kind(context("", "v1", "Secret", "secrets"), DATA),
            "HelmChart", new Kind(context("source.toolkit.fluxcd.io", "v1", "HelmChart", "helmcharts"), ARTIFACT),
            "OCIRepository",
                    new Kind(context("source.toolkit.fluxcd.io", "v1", "OCIRepository", "ocirepositories"), ARTIFACT));

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }

    /** One watched object and the apps referring to it, with the resourceVersion each one's last load read. */
    private final class Watched implements ResourceEventHandler<GenericKubernetesResource> {
        final String reference;
        final Kind kind;
        final Map<String, String> seenByApp = new HashMap<>();
        SharedIndexInformer<GenericKubernetesResource> informer;

        Watched(String reference, Kind kind) {
            this.reference = reference;
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            // apps whose last load read another version of it (or did not find it) load again
            String version = obj.getMetadata().getResourceVersion();
            notify(seen -> !Objects.equals(version, seen));
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            if (oldObj == null || !Objects.equals(kind.key.apply(json(oldObj)), kind.key.apply(json(newObj)))) {
                notify(seen -> true);
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            notify(seen -> true);
        }

        private void notify(Predicate<String> seenVersion) {
            List<String> apps;
            synchronized (ReferenceWatches.this) {
                apps = seenByApp.entrySet().stream()
                        .filter(e -> seenVersion.test(e.getValue()))
                        .map(Map.Entry::getKey)
                        .toList();
            }
            apps.forEach(app -> listener.accept(app, reference));
        }
    }

    private final KubernetesClient client;
    private final BiConsumer<String, String> listener;
    private final Map<String, Watched> watched = new HashMap<>();
    private boolean closed;

    /** @param listener told (app, reference) for each app to load again because of a change of the reference */
    public ReferenceWatches(KubernetesClient client, BiConsumer<String, String> listener) {
        this.client = client;
        this.listener = listener;
    }

    /**
     * What {@code app}'s last load read ("Kind ns/name" → resourceVersion, "" when absent), replacing what it read
     * before: watches start for new references and stop for those no app refers to any more. Kinds not watched are
     * ignored.
     */
    public void follow(String app, Map<String, String> references) {
        List<SharedIndexInformer<GenericKubernetesResource>> toStart = new ArrayList<>();
        List<SharedIndexInformer<GenericKubernetesResource>> toStop = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Map.Entry<String, String> e : references.entrySet()) {
                Watched w = watched.get(e.getKey());
                if (w == null) {
                    w = watch(e.getKey());
                    if (w == null) {
                        continue;
                    }
                    watched.put(e.getKey(), w);
                    toStart.add(w.informer);
                }
                w.seenByApp.put(app, e.getValue());
            }
            Set<String> gone = new HashSet<>();
            watched.forEach((reference, w) -> {
                if (!references.containsKey(reference)) {
                    w.seenByApp.remove(app);
                    if (w.seenByApp.isEmpty()) {
                        gone.add(reference);
                    }
                }
            });
            gone.forEach(reference -> toStop.add(watched.remove(reference).informer));
        }
        toStop.forEach(SharedIndexInformer::stop);
        toStart.forEach(SharedIndexInformer::start);
    }

    /** {@code app} is no longer followed. */
    public void forget(String app) {
        follow(app, Map.of());
    }

    /** The references watched now (for tests and the status page). */
    public synchronized Set<String> watched() {
        return Set.copyOf(watched.keySet());
    }

    private Watched watch(String reference) {
        int space = reference.indexOf(' ');
        int slash = reference.indexOf('/');
        Kind kind = space > 0 ? KINDS.get(reference.substring(0, space)) : null;
        if (kind == null || slash < space) {
            return null;
        }
        String ns = reference.substring(space + 1, slash);
        String name = reference.substring(slash + 1);
        Watched w = new Watched(reference, kind);
        w.informer = client.genericKubernetesResources(kind.context())
                .inNamespace(ns)
                .withField("metadata.name", name)
                .runnableInformer(0);
        w.informer.addEventHandler(w);
        w.informer.exceptionHandler((isStarted, t) -> {
            LOG.warn("watching {} failed ({}); retrying", reference, t.toString());
            return true;
        });
        return w;
    }

    private JsonNode json(GenericKubernetesResource obj) {
        return client.getKubernetesSerialization().convertValue(obj, JsonNode.class);
    }

    @Override
    public void close() {
        List<SharedIndexInformer<GenericKubernetesResource>> all;
        synchronized (this) {
            closed = true;
            all = watched.values().stream().map(w -> w.informer).toList();
            watched.clear();
        }
        all.forEach(SharedIndexInformer::stop);
    }
}
