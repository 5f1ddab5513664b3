package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Filterable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches Flux Kustomizations (one informer for every namespace, or one per listed namespace, label-selected by the
 * API server) and tells a {@link Listener} about each one added, deleted, or changed in what decides its desired state
 * or health ({@link FluxStatus#reloadKey}): a status update that only records a reconciliation is not passed on.
 * Listener calls come from the informers' threads. Read-only: list and watch.
 */
public final class KustomizationWatch implements AutoCloseable {

    /** What happens to the watched Kustomizations. */
    public interface Listener {
        void added(String namespace, String name);

        void changed(String namespace, String name);

        void deleted(String namespace, String name);
    }

    private static final Logger LOG = LoggerFactory.getLogger(KustomizationWatch.class);
    private static final ResourceDefinitionContext KUSTOMIZATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("kustomize.toolkit.fluxcd.io")
            .withVersion("v1")
            .withKind("Kustomization")
            .withPlural("kustomizations")
            .withNamespaced(true)
            .build();

    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private volatile String lastFailure;

    /**
     * @param namespaces empty: every namespace
     * @param selector   a label selector (kubectl's syntax), empty for all
     */
    public KustomizationWatch(KubernetesClient client, List<String> namespaces, String selector, Listener listener) {
        var operation = client.genericKubernetesResources(KUSTOMIZATIONS);
        if (namespaces.isEmpty()) {
            informers.add(selected(operation.inAnyNamespace(), selector).runnableInformer(0));
        } else {
            for (String ns : namespaces) {
                informers.add(selected(operation.inNamespace(ns), selector).runnableInformer(0));
            }
        }
        Handler handler = new Handler(client, listener);
        for (var informer : informers) {
            informer.addEventHandler(handler);
            informer.exceptionHandler((isStarted, t) -> {
                lastFailure = t.toString();
                LOG.warn("watching Flux Kustomizations failed ({}); retrying", t.toString());
                return true;
            });
        }
    }

    private static <T extends Filterable<T>> T selected(T operation, String selector) {
        return selector.isBlank() ? operation : operation.withLabelSelector(selector);
    }

    public void start() {
        informers.forEach(SharedIndexInformer::start);
    }

    /** True once every informer has listed the Kustomizations. */
    public boolean listed() {
        return informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** The last list or watch failure, while not listed yet; null when none. */
    public String failure() {
        return listed() ? null : lastFailure;
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::stop);
    }

    private record Handler(KubernetesClient client, Listener listener)
            implements ResourceEventHandler<GenericKubernetesResource> {

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            listener.added(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            if (oldObj == null
                    || !Objects.equals(FluxStatus.reloadKey(json(oldObj)), FluxStatus.reloadKey(json(newObj)))) {
                listener.changed(
                        newObj.getMetadata().getNamespace(),
                        newObj.getMetadata().getName());
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            listener.deleted(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
        }

        private JsonNode json(GenericKubernetesResource obj) {
            return client.getKubernetesSerialization().convertValue(obj, JsonNode.class);
        }
    }
}
