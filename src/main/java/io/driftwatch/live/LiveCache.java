package io.driftwatch.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ObjectKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live state, from informers for exactly the kinds asked for: the kinds desired state uses (and
 * HorizontalPodAutoscalers), which readiness waits for, and optional kinds (those apps had before, searched for extra
 * objects), which it does not: a kind the agent may not list is reported ({@link #unreadable}), not waited for. New
 * kinds start informers, kinds no longer asked for stop theirs. Thread-safe; {@link #ensureKinds} blocks on nothing
 * but starts informers, whose initial lists run on the client's threads.
 */
public final class LiveCache implements LiveView {

    private static final Logger LOG = LoggerFactory.getLogger(LiveCache.class);

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final Consumer<LiveEvent> listener;
    // reads (from the diff thread and from HTTP handlers on the event loop) never wait on a lock: a full resync reading
    // 50k objects must not hold up /readyz
    private final Map<String, KindInformer> byGroupKind = new ConcurrentHashMap<>();
    private volatile Set<String> optionalKinds = Set.of();
    // kept when a kind's informers stop, so a kind watched again counts on from where it was
    private final Map<String, WatchEventCounts> eventCounts = new ConcurrentHashMap<>();

    /**
     * @param namespaces namespaces to watch; empty watches all (namespaced kinds cluster-wide)
     * @param listener   called on the informers' threads for every add, update and delete
     */
    public LiveCache(KubernetesClient client, List<String> namespaces, Consumer<LiveEvent> listener) {
        this.client = client;
        this.namespaces = List.copyOf(namespaces);
        this.listener = listener;
    }

    /** Watches exactly these kinds, all required: starts informers for new ones, stops the rest. */
    public void ensureKinds(Set<ApiResource> wanted) {
        ensureKinds(wanted, Set.of());
    }

    /**
     * Watches exactly these kinds: starts informers for new ones, stops the rest. Readiness waits for the required
     * kinds only; an optional kind of the same group and kind as a required one is watched once, as required.
     */
    @Override
    public synchronized void ensureKinds(Set<ApiResource> required, Set<ApiResource> optional) {
        Map<String, ApiResource> want = new HashMap<>();
        optional.forEach(r -> want.put(groupKind(r.group(), r.kind()), r));
        Set<String> optionalOnly = new HashSet<>(want.keySet());
        required.forEach(r -> {
            want.put(groupKind(r.group(), r.kind()), r);
            optionalOnly.remove(groupKind(r.group(), r.kind()));
        });
        optionalKinds = Set.copyOf(optionalOnly);
        for (var it = byGroupKind.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            ApiResource wantedResource = want.get(entry.getKey());
            if (wantedResource == null
                    || !wantedResource.equals(entry.getValue().resource())) {
                LOG.info("stopping informer for {}", entry.getKey());
                entry.getValue().close();
                it.remove();
            }
        }
        want.forEach((gk, resource) -> byGroupKind.computeIfAbsent(gk, k -> {
            LOG.info("starting informer for {} ({})", k, resource.apiVersion());
            WatchEventCounts counts =
                    eventCounts.computeIfAbsent(k, x -> new WatchEventCounts(resource.group(), resource.kind()));
            KindInformer informer = new KindInformer(client, resource, namespaces, listener, counts);
            informer.start();
            return informer;
        }));
    }

    /** The live object as JSON with apiVersion and kind set, as the diff engine wants it. */
    @Override
    public Optional<ObjectNode> get(ObjectKey key) {
        KindInformer informer = byGroupKind.get(groupKind(key.group(), key.kind()));
        if (informer == null) {
            return Optional.empty();
        }
        return informer.get(key.namespace(), key.name());
    }

    /** True once the kind's informers have listed everything; before that, absence proves nothing. */
    @Override
    public boolean hasSynced(String group, String kind) {
        KindInformer informer = byGroupKind.get(groupKind(group, kind));
        return informer != null && informer.hasSynced();
    }

    /** True when every required kind's informer has synced. */
    @Override
    public boolean allSynced() {
        return byGroupKind.entrySet().stream()
                .filter(e -> !optionalKinds.contains(e.getKey()))
                .allMatch(e -> e.getValue().hasSynced());
    }

    /** Watched kinds that could not be listed yet, with the reason ("apps/Deployment: forbidden"), sorted. */
    @Override
    public List<String> unreadable() {
        return byGroupKind.entrySet().stream()
                .flatMap(e -> e.getValue().failure().map(f -> e.getKey() + ": " + f).stream())
                .sorted()
                .toList();
    }

    /** Every live object of the watched kinds (for full resyncs and extra detection). */
    @Override
    public Stream<ObjectNode> all() {
        return List.copyOf(byGroupKind.values()).stream().flatMap(KindInformer::stream);
    }

    /** Every live object of one kind (e.g. the HorizontalPodAutoscalers). */
    @Override
    public List<ObjectNode> ofKind(String group, String kind) {
        KindInformer informer = byGroupKind.get(groupKind(group, kind));
        if (informer == null) {
            return List.of();
        }
        return informer.list();
    }

    /** The kinds watched now, as "group/Kind". */
    @Override
    public Set<String> watchedKinds() {
        return Set.copyOf(byGroupKind.keySet());
    }

    /** Watched object counts by kind, for metrics. */
    @Override
    public Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new HashMap<>();
        byGroupKind.values().forEach(i -> sizes.merge(i.resource().kind(), i.size(), Integer::sum));
        return sizes;
    }

    /** Watch notifications delivered per kind, for every kind watched since start (stopped ones included). */
    @Override
    public Collection<WatchEventCounts> watchEvents() {
        return List.copyOf(eventCounts.values());
    }

    /** Kinds whose watch is currently not connected (for logs and readiness detail). */
    @Override
    public List<String> notWatching() {
        return byGroupKind.entrySet().stream()
                .filter(e -> !e.getValue().isWatching())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static String groupKind(String group, String kind) {
        return group + "/" + kind;
    }

    @Override
    public synchronized void close() {
        byGroupKind.values().forEach(KindInformer::close);
        byGroupKind.clear();
    }
}
