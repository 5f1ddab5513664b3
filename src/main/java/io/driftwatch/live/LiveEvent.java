package io.driftwatch.live;

import io.driftwatch.diff.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** A live object was added, updated or deleted; {@code receivedNanos} starts the detection-latency clock. */
public record LiveEvent(ObjectKey key, Type type, long receivedNanos) {

    public enum Type { ADDED, UPDATED, DELETED }

    static LiveEvent of(ApiResource resource, GenericKubernetesResource obj, Type type) {
        String namespace = resource.namespaced() && obj.getMetadata().getNamespace() != null
                ? obj.getMetadata().getNamespace() : "";
        return new LiveEvent(new ObjectKey(resource.group(), resource.kind(), namespace, obj.getMetadata().getName()),
                type, System.nanoTime());
    }
}
