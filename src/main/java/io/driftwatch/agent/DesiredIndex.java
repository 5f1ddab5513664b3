package io.driftwatch.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.diff.ResourceScope;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.source.DesiredState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every app's desired objects by identity, with namespaces filled in and, per object, when its desired content last
 * changed (the evidence for {@code pending-sync}). Confined to the agent's diff thread.
 */
final class DesiredIndex {

    private static final Logger LOG = LoggerFactory.getLogger(DesiredIndex.class);

    /**
     * One desired object, kept as its compact JSON bytes (a Jackson tree costs several times more heap; at 50k objects
     * that is the difference that matters) and parsed when it is compared; {@code content} is the bytes' SHA-256.
     */
    record Entry(ObjectKey key, String apiVersion, String app, Instant contentChangedAt, byte[] json, String content) {

        /** The manifest as the engine compares it (a fresh tree each time: callers may keep parts of it). */
        DesiredObject object() {
            try {
                return new DesiredObject((ObjectNode) JSON.readTree(json), app, contentChangedAt);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read back the desired " + key, e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<ObjectKey, Entry>> byApp = new LinkedHashMap<>();
    private final Map<ObjectKey, Entry> byKey = new HashMap<>();
    /** Per app, whether its applier deletes what Git no longer has (the verdict on its extras). */
    private final Map<String, PrunePolicy> prune = new HashMap<>();

    private final Map<String, PrunePolicy> prunePolicies = Collections.unmodifiableMap(prune);
    /** Per app, every kind ("group/Kind") its desired state has ever had, as of this and earlier runs. */
    private final Map<String, Set<String>> kindsEverHad = new TreeMap<>();

    /** @param kindsHadBefore per app, kinds ("group/Kind") it had in an earlier run (the state file) */
    DesiredIndex(Map<String, Set<String>> kindsHadBefore) {
        rememberKinds(kindsHadBefore);
    }

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
            // sources hand out their own copies (Git's render cache copies on the way out): namespaces are filled in
            // in place, then the tree is kept only as bytes
            ObjectNode object = manifest;
            String apiVersion = object.path("apiVersion").asText();
            String kind = object.path("kind").asText();
            String group = ObjectKey.groupOf(apiVersion);
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
            ObjectKey key =
                    new ObjectKey(group, kind, namespace, metadata.path("name").asText());
            byte[] json = object.toString().getBytes(StandardCharsets.UTF_8);
            String content = fingerprint(json);
            Entry before = previous.get(key);
            Instant changedAt = before != null && before.content().equals(content)
                    ? before.contentChangedAt()
                    : state.revisionTime();
            next.put(key, new Entry(key, apiVersion, state.app(), changedAt, json, content));
        }
        Set<ObjectKey> changed = new HashSet<>();
        previous.forEach((key, entry) -> {
            Entry now = next.get(key);
            if (now == null || !now.content().equals(entry.content())) {
                changed.add(key);
            }
        });
        next.keySet().stream().filter(k -> !previous.containsKey(k)).forEach(changed::add);
        next.keySet()
                .forEach(k -> kindsEverHad
                        .computeIfAbsent(state.app(), a -> new TreeSet<>())
                        .add(groupKind(k.group(), k.kind())));
        byApp.put(state.app(), next);
        prune.put(state.app(), state.prune());
        rebuildByKey();
        return changed;
    }

    private void rebuildByKey() {
        byKey.clear();
        byApp.forEach((app, entries) -> entries.forEach((key, entry) -> {
            Entry other = byKey.putIfAbsent(key, entry);
            if (other != null && !other.app().equals(app)) {
                LOG.warn("{} is desired by apps {} and {}; comparing against {}", key, other.app(), app, other.app());
            }
        }));
    }

    /** A SHA-256 of the manifest: enough to see that content changed, without keeping a second copy as text. */
    private static String fingerprint(byte[] json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
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

    /** Every app with its prune policy (a live view): what the engine judges extras with. */
    Map<String, PrunePolicy> prunePolicies() {
        return prunePolicies;
    }

    /** The prune policy of {@code app}'s last desired state ({@link PrunePolicy#UNKNOWN} before one). */
    PrunePolicy prunePolicy(String app) {
        return prune.getOrDefault(app, PrunePolicy.UNKNOWN);
    }

    int size(String app) {
        return byApp.getOrDefault(app, Map.of()).size();
    }

    /** Adds kinds apps are known to have had (an earlier run; the stray sweep), as "group/Kind" per app. */
    void rememberKinds(Map<String, Set<String>> kinds) {
        kinds.forEach((app, groupKinds) ->
                kindsEverHad.computeIfAbsent(app, a -> new TreeSet<>()).addAll(groupKinds));
    }

    /** Per app, every kind ("group/Kind") it has ever had: a copy. */
    Map<String, Set<String>> kindsEverHad() {
        Map<String, Set<String>> copy = new TreeMap<>();
        kindsEverHad.forEach((app, kinds) -> copy.put(app, Set.copyOf(kinds)));
        return copy;
    }

    static String groupKind(String group, String kind) {
        return group + "/" + kind;
    }

    /** (apiVersion, kind) pairs in use, to start informers for. */
    Set<List<String>> kinds() {
        Set<List<String>> kinds = new HashSet<>();
        byKey.values().forEach(e -> kinds.add(List.of(e.apiVersion(), e.key().kind())));
        return kinds;
    }
}
