package io.driftwatch.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.ResourceScope;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.source.DesiredState;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every app's desired objects by identity, with namespaces filled in and, per object, when its desired content last
 * changed (the evidence for {@code pending-sync}). Confined to the agent's diff thread.
 */
final class DesiredIndex {

    private static final Logger LOG = LoggerFactory.getLogger(DesiredIndex.class);

    /** One desired object: what the engine compares, at which apiVersion, and its content's SHA-256. */
    record Entry(ObjectKey key, String apiVersion, DesiredObject object, String content) {
    }

    private final Map<String, Map<ObjectKey, Entry>> byApp = new LinkedHashMap<>();
    private final Map<ObjectKey, Entry> byKey = new HashMap<>();

    /**
     * Replaces one app's desired state. Objects of kinds the cluster does not serve are left out and named in
     * {@code unknownKinds} (their CRD may not be installed yet).
     *
     * @return the keys whose desired content changed: added, removed or different
     */
    Set<ObjectKey> update(DesiredState state, String targetNamespace, ResourceScope scope, Set<String> unknownKinds) {
        Map<ObjectKey, Entry> previous = byApp.getOrDefault(state.app(), Map.of());
        Map<ObjectKey, Entry> next = new LinkedHashMap<>();
        for (ObjectNode manifest : state.objects()) {
            // sources hand out their own copies (Git's render cache copies on the way out), so the index fills in
            // namespaces in place instead of holding a second copy of every manifest
            ObjectNode object = manifest;
            String apiVersion = object.path("apiVersion").asText();
            String kind = object.path("kind").asText();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            ObjectNode metadata = object.with("metadata");
            String namespace = "";
            boolean namespaced;
            try {
                namespaced = scope.isNamespaced(group, kind);
            } catch (ApiDiscovery.UnknownKindException e) {
                unknownKinds.add(apiVersion + "/" + kind);
                continue;
            }
            if (namespaced) {
                namespace = metadata.path("namespace").asText("");
                if (namespace.isEmpty()) {
                    namespace = targetNamespace;
                    metadata.put("namespace", namespace);
                }
            } else {
                metadata.remove("namespace");
            }
            ObjectKey key = new ObjectKey(group, kind, namespace, metadata.path("name").asText());
            String content = fingerprint(object);
            Entry before = previous.get(key);
            Instant changedAt = before != null && before.content().equals(content)
                    ? before.object().contentChangedAt() : state.revisionTime();
            next.put(key, new Entry(key, apiVersion, new DesiredObject(object, state.app(), changedAt), content));
        }
        Set<ObjectKey> changed = new HashSet<>();
        previous.forEach((key, entry) -> {
            Entry now = next.get(key);
            if (now == null || !now.content().equals(entry.content())) {
                changed.add(key);
            }
        });
        next.keySet().stream().filter(k -> !previous.containsKey(k)).forEach(changed::add);
        byApp.put(state.app(), next);
        rebuildByKey();
        return changed;
    }

    private void rebuildByKey() {
        byKey.clear();
        byApp.forEach((app, entries) -> entries.forEach((key, entry) -> {
            Entry other = byKey.putIfAbsent(key, entry);
            if (other != null && !other.object().app().equals(app)) {
                LOG.warn("{} is desired by apps {} and {}; comparing against {}", key, other.object().app(), app,
                        other.object().app());
            }
        }));
    }

    /** A SHA-256 of the manifest: enough to see that content changed, without keeping a second copy as text. */
    private static String fingerprint(ObjectNode object) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(object.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<Entry> get(ObjectKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    Collection<Entry> all() {
        return byKey.values();
    }

    Set<String> apps() {
        return byApp.keySet();
    }

    int size(String app) {
        return byApp.getOrDefault(app, Map.of()).size();
    }

    /** (apiVersion, kind) pairs in use, to start informers for. */
    Set<List<String>> kinds() {
        Set<List<String>> kinds = new HashSet<>();
        byKey.values().forEach(e -> kinds.add(List.of(e.apiVersion(), e.key().kind())));
        return kinds;
    }
}
