package io.driftwatch.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps each live object as its compact JSON bytes instead of a graph of maps and lists: a
 * few times less heap per object, paid for with a parse when an object is read (once per diff, and for the old object
 * of an update). Still the full state, so informers behave exactly as with their default store.
 */
final class CompactItemStore implements ItemStore<GenericKubernetesResource> {

    private static final ObjectMapper TREE = new ObjectMapper();

    private final KubernetesSerialization serialization;
    private final Map<String, byte[]> items = new ConcurrentHashMap<>();

    CompactItemStore(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    @Override
    public String getKey(GenericKubernetesResource obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
        byte[] previous = items.put(key, serialization.asJson(obj).getBytes(StandardCharsets.UTF_8));
        return previous == null ? null : decode(previous);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        byte[] previous = items.remove(key);
        return previous == null ? null : decode(previous);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return items.values().stream().map(this::decode);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        byte[] bytes = items.get(key);
        return bytes == null ? null : decode(bytes);
    }

    /** The object as a JSON tree straight from its bytes (what the diff engine reads), or null. */
    ObjectNode json(String key) {
        byte[] bytes = items.get(key);
        if (bytes == null) {
            return null;
        }
        try {
            return (ObjectNode) TREE.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the stored " + key, e);
        }
    }

    /** Every object as a JSON tree (full resyncs). */
    Stream<ObjectNode> jsonValues() {
        return items.keySet().stream().map(this::json).filter(Objects::nonNull);
    }

    private GenericKubernetesResource decode(byte[] bytes) {
        return serialization.unmarshal(new String(bytes, StandardCharsets.UTF_8), GenericKubernetesResource.class);
    }
}
