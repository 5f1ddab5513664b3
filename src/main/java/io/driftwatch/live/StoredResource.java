package io.driftwatch.live;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.function.Function;

/**
 * An object the {@link CompactItemStore} hands to fabric8, decoded from its compact bytes only when something reads
 * it. fabric8's relist reads every stored object's key ({@code ProcessorStore.syncList} lists the whole cache to find
 * the deleted ones) and the initial list's deferred ADDs are queued on fabric8's event loop; decoding there held that
 * loop for seconds at 50,000 objects. The key is known without decoding; everything else (metadata, fields, equality)
 * decodes once, on whichever thread reads it first — for events that is the informer's handler thread.
 */
final class StoredResource extends GenericKubernetesResource {

    private final transient String key;
    private final transient byte[] compact;
    private final transient Function<byte[], GenericKubernetesResource> decoder;
    private transient GenericKubernetesResource decoded;

    StoredResource(String key, byte[] compact, Function<byte[], GenericKubernetesResource> decoder) {
        this.key = key;
        this.compact = compact;
        this.decoder = decoder;
    }

    /** The store's key (namespace/name, or name), without decoding. */
    String key() {
        return key;
    }

    /** Whether the object has been decoded yet (tests). */
    synchronized boolean isDecoded() {
        return decoded != null;
    }

    private synchronized GenericKubernetesResource resource() {
        if (decoded == null) {
            decoded = decoder.apply(compact);
        }
        return decoded;
    }

    @Override
    public String getApiVersion() {
        return resource().getApiVersion();
    }

    @Override
    public void setApiVersion(String apiVersion) {
        resource().setApiVersion(apiVersion);
    }

    @Override
    public String getKind() {
        return resource().getKind();
    }

    @Override
    public void setKind(String kind) {
        resource().setKind(kind);
    }

    @Override
    public ObjectMeta getMetadata() {
        return resource().getMetadata();
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        resource().setMetadata(metadata);
    }

    @Override
    public Map<String, Object> getAdditionalProperties() {
        return resource().getAdditionalProperties();
    }

    @Override
    public void setAdditionalProperties(Map<String, Object> additionalProperties) {
        resource().setAdditionalProperties(additionalProperties);
    }

    @Override
    public void setAdditionalProperty(String name, Object value) {
        resource().setAdditionalProperty(name, value);
    }

    @Override
    public boolean equals(Object o) {
        return o == this
                || (o instanceof GenericKubernetesResource && resource().equals(o));
    }

    @Override
    public int hashCode() {
        return resource().hashCode();
    }

    @Override
    public String toString() {
        return resource().toString();
    }
}
