package io.driftwatch.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.audit.Attributor;
import io.driftwatch.audit.AuditWrite;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.ListSchema;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.drift.DriftTracker;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.live.ApiResource;
import io.driftwatch.live.LiveEvent;
import io.driftwatch.live.LiveView;
import io.driftwatch.source.DesiredState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's continuously correct picture of drift. Live events re-diff only their object, a new desired revision
 * re-diffs only the objects whose desired content changed, and a periodic full resync re-diffs everything. All work
 * runs on one thread ("driftwatch-diff"); events for the same object that arrive while it is busy are coalesced.
 * Only the leader diffs: followers keep their informers warm and start with a full resync when they take over.
 * It reads the cluster through two small interfaces, {@link LiveView} and {@link ClusterSchema}, so unit tests drive
 * it with plain values on a direct executor.
 */
final class Reconciler {

    /** Where the reconciler's results go: built before it, so nothing is set on it afterwards. */
    @FunctionalInterface
    interface Sink {
        /** Drift events, on the diff thread in event order. */
        void accept(List<DriftEvent> events);

        /** An app gained a kind it never had (diff thread): the state file should be written. */
        default void kindsChanged() {}

        /** The onsets of drifts a predecessor had open, asked for when this replica starts leading (diff thread). */
        default Map<ObjectKey, Instant> predecessorOnsets() {
            return Map.of();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final String HPA_GROUP = "autoscaling";
    private static final String HPA_KIND = "HorizontalPodAutoscaler";

    private final ClusterSchema cluster;
    private final Executor diffThread;
    private final ScopeFilter scope;
    private final LiveView live;
    private final DriftTracker tracker;
    private final AgentMetrics metrics;
    private final DiffOptions options;
    private final Sink sink;
    private final Clock clock;
    private final DesiredIndex desired;
    private final Set<ObjectKey> seenLive = new HashSet<>();
    private final Set<ObjectKey> deferred = new HashSet<>();
    private volatile int deferredCount;
    private final Map<ObjectKey, Long> pending = new LinkedHashMap<>();
    private boolean drainScheduled;
    private volatile boolean leader;
    private final Set<String> indexedApps = ConcurrentHashMap.newKeySet();
    private volatile boolean initialDiffDone;
    private boolean startupHeapReleased; // diff thread only
    private final Published published;
    private volatile ApiDiscovery discovery;
    private volatile DiffEngine engine;
    private Set<String> schemaVersions = Set.of();
    private Set<ObjectKey> hpaTargets = Set.of();
    /** With audit on: attributes every verdict's changes to the writes that made them; null when audit is off. */
    private final Attributor attributor;

    /**
     * @param discovery what the cluster served at start-up
     * @param liveFor   the live view, given the listener it calls for every live change (informer threads)
     * @param published where open drifts and the apps' kinds are published for other threads; the kinds it holds
     *                  when given (the apps' kinds of an earlier run) are watched for extra objects from the start
     * @param sink      where drift events and changes of the apps' kinds go, and where a new leader learns its
     *                  predecessor's onsets
     * @param attributor audit attribution of every verdict's changes; null when audit is off
     */
    Reconciler(
            ClusterSchema cluster,
            ApiDiscovery discovery,
            Function<Consumer<LiveEvent>, LiveView> liveFor,
            Executor diffThread,
            DriftTracker tracker,
            AgentMetrics metrics,
            DiffOptions options,
            ScopeFilter scope,
            Published published,
            Sink sink,
            Attributor attributor,
            Clock clock) {
        this.cluster = cluster;
        this.attributor = attributor;
        this.diffThread = diffThread;
        this.scope = scope;
        this.published = published;
        this.tracker = tracker;
        this.metrics = metrics;
        this.options = options;
        this.discovery = discovery;
        this.sink = sink;
        this.clock = clock;
        this.desired = new DesiredIndex(published.kindsEverHad());
        this.engine = new DiffEngine(options, discovery, new BuiltinListSchema());
        // the view calls back only once asked to watch kinds (ensureKinds, from this class, on the diff thread)
        this.live = liveFor.apply(this::liveChanged);
    }

    /** The live view this reconciler reads and is fed by. */
    LiveView live() {
        return live;
    }

    /** Whether audit writes of an API group and resource (plural) can matter: a served kind in scope (any thread). */
    boolean watchesResource(String group, String resource) {
        return discovery.listable().stream()
                .anyMatch(r ->
                        r.group().equals(group) && r.plural().equals(resource) && scope.kindAllowed(group, r.kind()));
    }

    /**
     * Audit writes arrived (any thread): the open drifts they touch are re-diffed, so a late batch names its actors in
     * an {@code updated} event; nothing waits for audit.
     */
    void auditArrived(List<AuditWrite> writes) {
        diffThread.execute(() -> {
            if (!leader) {
                return;
            }
            for (DriftRecord r : tracker.openDrifts()) {
                ObjectKey k = r.key();
                String plural = discovery
                        .find(k.group(), k.kind())
                        .map(ApiResource::plural)
                        .orElse(null);
                boolean touched = writes.stream()
                        .map(AuditWrite::object)
                        .anyMatch(o -> o.group().equals(k.group())
                                && o.resource().equals(plural)
                                && o.namespace().equals(k.namespace())
                                && (o.name().equals(k.name()) || o.name().isEmpty()));
                if (touched) {
                    enqueue(k, 0);
                }
            }
        });
    }

    /** Called on informer threads for every live change. */
    void liveChanged(LiveEvent event) {
        if (!leader || !scope.allows(event.key())) {
            return;
        }
        if (event.key().kind().equals(HPA_KIND) && event.key().group().equals(HPA_GROUP)) {
            diffThread.execute(this::refreshHpaTargets);
        }
        enqueue(event.key(), event.receivedNanos());
    }

    /** A source loaded; indexes the new desired state and re-diffs what changed. */
    void desiredLoaded(DesiredState state, String targetNamespace) {
        diffThread.execute(() -> {
            Set<String> unknown = new TreeSet<>();
            DesiredState inScope = inScope(state);
            boolean pruneChanged = !desired.prunePolicy(state.app()).equals(state.prune());
            Set<ObjectKey> changed = desired.update(inScope, targetNamespace, discovery, unknown);
            if (!unknown.isEmpty()) {
                LOG.info("app {}: kinds not served by the cluster, rediscovering: {}", state.app(), unknown);
                discovery = cluster.discover();
                unknown.clear();
                changed.addAll(desired.update(inScope, targetNamespace, discovery, unknown));
                if (!unknown.isEmpty()) {
                    LOG.warn("app {}: left out objects of kinds the cluster does not serve: {}", state.app(), unknown);
                }
            }
            metrics.desiredResources(state.app(), desired.size(state.app()));
            watchDesiredKinds();
            refreshHpaTargets();
            if (leader) {
                changed.forEach(k -> enqueue(k, 0));
                if (pruneChanged) {
                    enqueueTracked(Set.of(state.app())); // its extras' verdicts: pending-sync or orphaned
                }
            }
            indexedApps.add(state.app());
        });
    }

    /** Desired objects of kinds the scope excludes are not compared (namespaces are filtered once resolved). */
    private DesiredState inScope(DesiredState state) {
        List<ObjectNode> kept = state.objects().stream()
                .filter(o -> {
                    String group = ObjectKey.groupOf(o.path("apiVersion").asText());
                    String namespace = o.path("metadata").path("namespace").asText("");
                    return scope.kindAllowed(group, o.path("kind").asText()) && scope.namespaceAllowed(namespace);
                })
                .toList();
        if (kept.size() < state.objects().size()) {
            LOG.info(
                    "app {}: {} desired objects are outside the configured scope and not compared",
                    state.app(),
                    state.objects().size() - kept.size());
        }
        return new DesiredState(
                state.app(), state.revision(), state.revisionTime(), kept, state.loadedAt(), state.prune());
    }

    /** Re-diffs everything desired, everything tracked live, and every open drift. */
    void fullResync() {
        diffThread.execute(() -> {
            if (!leader) {
                return;
            }
            desired.all().forEach(e -> enqueue(e.key(), 0));
            enqueueTracked(desired.apps());
            tracker.openDrifts().forEach(r -> enqueue(r.key(), 0));
        });
    }

    /** Enqueues every live object tracked as belonging to one of {@code apps} (on the diff thread). */
    private void enqueueTracked(Set<String> apps) {
        live.all().forEach(object -> {
            ObjectKey key = engine.keyOf(object);
            engine.trackedApp(key, object).filter(apps::contains).ifPresent(app -> enqueue(key, 0));
        });
    }

    /**
     * Retries objects whose kind had not synced yet, refreshes the watched-object counts and registers the watch-event
     * counters of newly watched kinds (every second).
     */
    void retryDeferred() {
        diffThread.execute(() -> {
            metrics.watchedObjects(live.sizes());
            metrics.watchEvents(live.watchEvents());
            if (deferred.isEmpty()) {
                return;
            }
            List<ObjectKey> retry = new ArrayList<>(deferred);
            deferred.clear();
            deferredCount = 0;
            retry.forEach(k -> enqueue(k, 0));
        });
    }

    /** The app an indexed app's live object is tracked as (any thread). */
    Optional<String> trackedApp(JsonNode object) {
        DiffEngine current = engine;
        try {
            return current.trackedApp(current.keyOf(object), object).filter(indexedApps::contains);
        } catch (ApiDiscovery.UnknownKindException e) {
            return Optional.empty(); // a kind served since the last discovery
        }
    }

    /** What the API server serves, as last discovered (any thread). */
    ApiDiscovery discovery() {
        return discovery;
    }

    /** Kinds found holding apps' objects (the stray sweep): watched from now on, like kinds the apps had. */
    void kindsFound(Map<String, Set<String>> kinds) {
        diffThread.execute(() -> {
            desired.rememberKinds(kinds);
            watchDesiredKinds();
        });
    }

    void leading(boolean isLeader) {
        leader = isLeader;
        metrics.leader(isLeader);
        if (isLeader) {
            LOG.info("leading: diffing and emitting");
            diffThread.execute(() -> tracker.remember(sink.predecessorOnsets()));
            fullResync();
        } else {
            diffThread.execute(() -> {
                tracker.clear();
                pending.clear();
                publish();
            });
        }
    }

    boolean isLeader() {
        return leader;
    }

    /** Apps whose desired state has been indexed (and their kinds' informers started) at least once. */
    Set<String> indexedApps() {
        return indexedApps;
    }

    /**
     * True once, as leader, every queued and deferred object has been diffed after the informers synced: the first
     * full picture exists. Latched, so steady churn later never makes it false again.
     */
    boolean initialDiffDone() {
        if (!initialDiffDone && leader && !indexedApps.isEmpty() && live.allSynced()) {
            boolean idle;
            synchronized (pending) {
                idle = pending.isEmpty() && !drainScheduled;
            }
            if (idle && deferredCount == 0) {
                initialDiffDone = true;
            }
        }
        return initialDiffDone;
    }

    List<DriftRecord> openDrifts() {
        return published.openDrifts();
    }

    private void enqueue(ObjectKey key, long receivedNanos) {
        synchronized (pending) {
            pending.merge(key, receivedNanos, (a, b) -> a == 0 ? b : b == 0 ? a : Math.min(a, b));
            if (drainScheduled) {
                return;
            }
            drainScheduled = true;
        }
        diffThread.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Map<ObjectKey, Long> batch;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    drainScheduled = false;
                    break;
                }
                batch = new LinkedHashMap<>(pending);
                pending.clear();
            }
            List<DriftEvent> events = new ArrayList<>();
            batch.forEach((key, received) -> {
                try {
                    events.addAll(process(key, received));
                } catch (RuntimeException e) {
                    LOG.error("diffing {} failed: {}", key, e.toString(), e);
                }
            });
            publish(batch.keySet());
            if (!events.isEmpty()) {
                sink.accept(events);
            }
        }
        if (initialDiffDone() && !startupHeapReleased) { // latch the first full picture as soon as the queue runs dry
            startupHeapReleased = true;
            releaseStartupHeap();
        }
    }

    /**
     * Once, after the first full diff: a full collection, so that the heap the initial lists and the first diff grew
     * into is given back. The serial collector shrinks the heap only at a full collection, which a steady agent seldom
     * has; with the shipped {@code -XX:MaxHeapFreeRatio=20 -XX:-ShrinkHeapInSteps} it shrinks at once to what is live
     * plus a quarter (at most 20 % free; docs/benchmarks.md, agent RSS). A pause of tens of milliseconds, once.
     */
    private static void releaseStartupHeap() {
        Runtime runtime = Runtime.getRuntime();
        long before = runtime.totalMemory();
        long started = System.nanoTime();
        System.gc();
        LOG.info(
                "first full diff done; heap after a full collection: {} MiB in use, {} -> {} MiB committed ({} ms)",
                (runtime.totalMemory() - runtime.freeMemory()) >> 20,
                before >> 20,
                runtime.totalMemory() >> 20,
                (System.nanoTime() - started) / 1_000_000);
    }

    private List<DriftEvent> process(ObjectKey key, long receivedNanos) {
        if (!leader) {
            return List.of();
        }
        Optional<DesiredIndex.Entry> want = desired.get(key).filter(e -> scope.allows(key));
        if (want.isPresent() && !live.hasSynced(key.group(), key.kind())) {
            deferred.add(key); // absence proves nothing before the first list
            deferredCount = deferred.size();
            return List.of();
        }
        Optional<ObjectNode> is = live.get(key);
        is.ifPresent(o -> seenLive.add(key));
        Optional<Drift> verdict;
        if (want.isPresent()) {
            verdict =
                    engine.diff(want.get().object(), is.orElse(null), seenLive.contains(key), hpaTargets.contains(key));
        } else {
            verdict = is.flatMap(o -> engine.diffUndesired(o, desired.prunePolicies()));
        }
        verdict = verdict.filter(d -> !d.admissionOnly() || options.countAdmissionAsDrift());
        Attributor audit = attributor;
        if (audit != null && verdict.isPresent()) {
            Optional<String> plural = discovery.find(key.group(), key.kind()).map(ApiResource::plural);
            if (plural.isPresent()) {
                verdict = Optional.of(audit.attribute(verdict.get(), is.orElse(null), plural.get()));
            }
        }
        List<DriftEvent> events =
                tracker.observe(key, verdict, is.map(JsonNode.class::cast).orElse(null), clock.instant());
        if (receivedNanos > 0) {
            metrics.detectionLatency(receivedNanos);
        }
        return events;
    }

    /** Publishes every open drift and brings the metrics in line with all of them (leadership changes). */
    private void publish() {
        published.openDrifts(tracker.openDrifts());
        metrics.openDrifts(published.openDrifts(), desired.apps());
    }

    /**
     * After a batch: publishes the open drifts (a copy of references) and updates the metrics of the batch's objects
     * only, whose drifts are the only ones a batch can change; the metrics' cost stays per object diffed, however many
     * drifts are open.
     */
    private void publish(Set<ObjectKey> batch) {
        published.openDrifts(tracker.openDrifts());
        Map<ObjectKey, DriftRecord> changed = new HashMap<>();
        for (ObjectKey key : batch) {
            changed.put(key, tracker.get(key).orElse(null));
        }
        metrics.openDriftsChanged(changed, desired.apps());
    }

    /**
     * Watches the kinds desired state has (readiness waits for them) and, to find what Git dropped, every other kind an
     * app has ever had (it does not): a kind no longer desired keeps its informer, and the kinds are persisted so a
     * restart keeps looking.
     */
    private void watchDesiredKinds() {
        Set<ApiResource> kinds = new HashSet<>();
        Set<String> versions = new TreeSet<>();
        for (List<String> avk : desired.kinds()) {
            try {
                kinds.add(discovery.require(avk.get(0), avk.get(1)));
                versions.add(avk.get(0));
            } catch (ApiDiscovery.UnknownKindException e) {
                LOG.warn("{}", e.getMessage());
            }
        }
        discovery.find(HPA_GROUP, HPA_KIND).ifPresent(kinds::add);
        Map<String, Set<String>> everHad = desired.kindsEverHad();
        Set<ApiResource> formerKinds = new HashSet<>();
        everHad.values().stream().flatMap(Set::stream).distinct().forEach(groupKind -> {
            int slash = groupKind.indexOf('/');
            String group = groupKind.substring(0, slash);
            String kind = groupKind.substring(slash + 1);
            if (scope.kindAllowed(group, kind)) {
                discovery.find(group, kind).ifPresent(formerKinds::add); // a CRD deleted since: nothing to find
            }
        });
        live.ensureKinds(kinds, formerKinds);
        if (!everHad.equals(published.kindsEverHad())) {
            published.kindsEverHad(everHad);
            sink.kindsChanged();
        }
        if (!versions.equals(schemaVersions)) {
            ListSchema schema = cluster.listSchema(versions);
            engine = new DiffEngine(options, discovery, schema);
            schemaVersions = versions;
        }
    }

    private void refreshHpaTargets() {
        Set<ObjectKey> targets = new HashSet<>();
        live.ofKind(HPA_GROUP, HPA_KIND).forEach(h -> engine.hpaTarget(h).ifPresent(targets::add));
        desired.all().stream()
                .filter(e -> e.key().kind().equals(HPA_KIND) && e.key().group().equals(HPA_GROUP))
                .forEach(e -> engine.hpaTarget(e.object().manifest()).ifPresent(targets::add));
        if (!targets.equals(hpaTargets)) {
            Set<ObjectKey> affected = new HashSet<>(targets);
            affected.addAll(hpaTargets);
            hpaTargets = targets;
            if (leader) {
                affected.forEach(k -> enqueue(k, 0));
            }
        }
    }
}
