package io.driftwatch.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps each live object as its compact JSON bytes instead of a graph of maps and lists: a
 * few times less heap per object. Still the full state, so informers behave exactly as with their default store.
 *
 * <p>Nothing is decoded on fabric8's event loop for objects that did not change. fabric8 (7.8) calls {@link #put} for
 * every item of a (re)list and compares only the old and new resourceVersion: the stored bytes start with the
 * object's resourceVersion, so an unchanged object is recognised without decoding it. A relist then lists the whole
 * cache to find deleted keys, and the first sync queues an ADD per object: {@link #values}, {@link #get} and
 * {@link #remove} hand out {@link StoredResource}s that know their key and decode only when read, on the handler's
 * thread. Layout of the bytes: the resourceVersion's length as an int (-1 for none), its UTF-8 bytes, the JSON.
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
        return obj instanceof StoredResource stored ? stored.key() : Cache.metaNamespaceKeyFunc(obj);
    }

    /**
     * Stores the object; returns the previous one. When both have the same resourceVersion, fabric8 emits no event
     * and reads nothing of the old object but that version, so the new object stands in for it (same version, same
     * state) and nothing is decoded.
     */
    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
        byte[] next = encode(obj);
        byte[] previous = items.put(key, next);
        if (previous == null) {
            return null;
        }
        return sameVersion(previous, next) ? obj : new StoredResource(key, previous, this::decode);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        byte[] previous = items.remove(key);
        return previous == null ? null : new StoredResource(key, previous, this::decode);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return items.entrySet().stream().map(e -> new StoredResource(e.getKey(), e.getValue(), this::decode));
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        byte[] bytes = items.get(key);
        return bytes == null ? null : new StoredResource(key, bytes, this::decode);
    }

    /** The object as a JSON tree straight from its bytes (what the diff engine reads), or null. */
    ObjectNode json(String key) {
        byte[] bytes = items.get(key);
        if (bytes == null) {
            return null;
        }
        try {
            int start = jsonStart(bytes);
            return (ObjectNode) TREE.readTree(bytes, start, bytes.length - start);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the stored " + key, e);
        }
    }

    /** Every object as a JSON tree (full resyncs). */
    Stream<ObjectNode> jsonValues() {
        return items.keySet().stream().map(this::json).filter(Objects::nonNull);
    }

    private byte[] encode(GenericKubernetesResource obj) {
        String version = obj.getMetadata() == null ? null : obj.getMetadata().getResourceVersion();
        byte[] rv = version == null ? new byte[0] : version.getBytes(StandardCharsets.UTF_8);
        byte[] json = serialization.asJson(obj).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Integer.BYTES + rv.length + json.length)
                .putInt(version == null ? -1 : rv.length)
                .put(rv)
                .put(json)
                .array();
    }

    private static int versionLength(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getInt();
    }

    private static int jsonStart(byte[] bytes) {
        return Integer.BYTES + Math.max(0, versionLength(bytes));
    }

    /** Whether two encoded objects have the same resourceVersion (both none counts as the same, as in fabric8). */
    static boolean sameVersion(byte[] a, byte[] b) {
        int length = versionLength(a);
        if (length != versionLength(b)) {
            return false;
        }
        int end = Integer.BYTES + Math.max(0, length);
        return Arrays.equals(a, Integer.BYTES, end, b, Integer.BYTES, end);
    }

    private GenericKubernetesResource decode(byte[] bytes) {
        int start = jsonStart(bytes);
        return serialization.unmarshal(
                new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8),
                GenericKubernetesResource.class);
    }
}
