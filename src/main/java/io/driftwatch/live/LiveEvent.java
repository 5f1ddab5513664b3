package io.driftwatch.live;

import io.driftwatch.diff.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * A live object was added, updated or deleted; {@code receivedNanos} starts the detection-latency clock (0 for events
 * of an informer's initial list, which are not changes).
 */
public record LiveEvent(ObjectKey key, Type type, long receivedNanos) {

    public enum Type {
        ADDED,
        UPDATED,
        DELETED
    }

    static LiveEvent of(ApiResource resource, GenericKubernetesResource obj, Type type, boolean afterInitialList) {
        String namespace = resource.namespaced() && obj.getMetadata().getNamespace() != null
                ? obj.getMetadata().getNamespace()
                : "";
        return new LiveEvent(
                new ObjectKey(
                        resource.group(),
                        resource.kind(),
                        namespace,
                        obj.getMetadata().getName()),
                type,
                afterInitialList ? System.nanoTime() : 0);
    }
}
