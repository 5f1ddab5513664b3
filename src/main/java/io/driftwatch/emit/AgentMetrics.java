package io.driftwatch.emit;

import io.driftwatch.BuildInfo;
import io.driftwatch.config.ConfigLoader;
import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.live.WatchEventCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Every metric the agent exports: names, help, labels and buckets live here and nowhere else. Labels are small closed
 * sets (drift {@code type} and {@code cause} among them: {@link DriftType#causes()}) except in
 * {@code driftwatch_drift_started_timestamp_seconds}, one series per open drift, capped.
 */
public final class AgentMetrics {

    /**
     * Label names Vert.x's Micrometer metrics strip from every meter of the registry they share with the agent: the
     * labels Vert.x leaves disabled by default (local, remote, path, ...). A cluster label cannot be called so.
     */
    public static final Set<String> VERTX_DROPPED_LABELS =
            EnumSet.complementOf(EnumSet.copyOf(new MicrometerMetricsOptions().getLabels())).stream()
                    .map(Label::toString)
                    .collect(Collectors.toUnmodifiableSet());

    public static final String DRIFTED_RESOURCES = "driftwatch.drifted.resources";
    public static final String DRIFT_EVENTS = "driftwatch.drift.events";
    public static final String DRIFT_DURATION = "driftwatch.drift.duration";
    public static final String DETECTION_LATENCY = "driftwatch.drift.detection.latency";
    public static final String DRIFT_STARTED = "driftwatch.drift.started.timestamp.seconds";
    public static final String DRIFT_SERIES_DROPPED = "driftwatch.drift.series.dropped";
    public static final String APP_DRIFTED = "driftwatch.app.drifted";
    public static final String DESIRED_RESOURCES = "driftwatch.desired.resources";
    public static final String WATCHED_OBJECTS = "driftwatch.watched.objects";
    public static final String WATCH_EVENTS = "driftwatch.watch.events";
    public static final String SOURCE_SYNC = "driftwatch.source.sync";
    public static final String SOURCE_LAST_SUCCESS = "driftwatch.source.last.success.timestamp.seconds";
    public static final String SOURCE_HEALTHY = "driftwatch.source.healthy";
    public static final String BUILD_INFO = "driftwatch.build.info";
    public static final String LEADER = "driftwatch.leader";
    public static final String KUBE_EVENTS = "driftwatch.kubernetes.events";
    public static final String CLUSTER_INFO = "driftwatch.cluster.info";
    public static final String HUB_OUTBOX_EVENTS = "driftwatch.hub.outbox.events";
    public static final String HUB_OUTBOX_BYTES = "driftwatch.hub.outbox.bytes";
    public static final String HUB_OUTBOX_DROPPED = "driftwatch.hub.outbox.dropped.events";
    public static final String HUB_PUSHES = "driftwatch.hub.pushes";
    public static final String HUB_LAST_SUCCESS = "driftwatch.hub.last.push.success.timestamp.seconds";

    /** Every result of {@link #kubernetesEvent}; created at 0 so that rates and alerts see the first failure. */
    private static final String[] KUBE_EVENT_RESULTS = {"sent", "rate_limited", "failed"};

    private static final Duration[] DURATION_BUCKETS = {
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ofHours(3),
        Duration.ofHours(6),
        Duration.ofHours(12),
        Duration.ofDays(1),
        Duration.ofDays(3),
        Duration.ofDays(7)
    };
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final MeterRegistry registry;
    private final int maxDriftSeries;
    private final boolean actorLabels;
    private final Timer detectionLatency;
    private final Counter seriesDropped;
    private final AtomicLong leader = new AtomicLong();
    private final AtomicLong hubLastSuccess = new AtomicLong();
    private final Map<Tags, AtomicLong> drifted = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> appDrifted = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> desired = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> watched = new ConcurrentHashMap<>();
    /** The kinds whose {@code driftwatch_watch_events_total} series are registered (by identity: one per kind). */
    private final Set<WatchEventCounts> watchEventKinds = ConcurrentHashMap.newKeySet();

    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> healthy = new ConcurrentHashMap<>();
    // the open drifts the gauges below reflect, and their counts per app: changed only by openDriftsChanged
    private final Map<ObjectKey, DriftRecord> exported = new HashMap<>();
    private final Map<String, Long> perAppOpen = new HashMap<>();
    private final Map<ObjectKey, Series> startedSeries = new HashMap<>();
    /** Open drifts without a per-drift series, in the order they opened (or changed labels). */
    private final Map<ObjectKey, DriftRecord> waitingForSeries = new LinkedHashMap<>();

    /** Without the per-drift series' {@code user} label. */
    public AgentMetrics(MeterRegistry registry, int maxDriftSeries) {
        this(registry, maxDriftSeries, false);
    }

    /**
     * @param actorLabels true: {@code driftwatch_drift_started_timestamp_seconds} carries {@code user}, the audit user
     *                    name of the drift's first attributed change ("" until one is known); false: no such label
     */
    public AgentMetrics(MeterRegistry registry, int maxDriftSeries, boolean actorLabels) {
        this.registry = registry;
        this.maxDriftSeries = maxDriftSeries;
        this.actorLabels = actorLabels;
        BuildInfo info = BuildInfo.current();
        Gauge.builder(BUILD_INFO, () -> 1)
                .description("driftwatch build: version and Java runtime")
                .tags("version", info.version(), "java_version", info.javaVersion())
                .register(registry);
        Gauge.builder(LEADER, leader, AtomicLong::get)
                .description("1 when this agent replica is the leader that diffs and emits")
                .register(registry);
        detectionLatency = Timer.builder(DETECTION_LATENCY)
                .description(
                        "Time from a live change (or new desired revision) reaching the agent to its drift verdict")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        seriesDropped = Counter.builder(DRIFT_SERIES_DROPPED)
                .description("Open drifts not exported as driftwatch_drift_started_timestamp_seconds because the "
                        + "per-drift series cap was reached")
                .register(registry);
        for (String result : KUBE_EVENT_RESULTS) {
            kubeEventCounter(result);
        }
    }

    /**
     * {@code driftwatch_cluster_info{cluster, <clusterLabels>} 1}: the cluster's labels (env, region, ...) to join on,
     * e.g. to page only for {@code env="prod"}. Label names are made Prometheus-safe.
     */
    public void clusterInfo(Map<String, String> clusterLabels) {
        Tags tags = Tags.empty();
        for (Map.Entry<String, String> e : new TreeMap<>(clusterLabels).entrySet()) {
            String name = ConfigLoader.metricLabelName(e.getKey());
            if (!name.equals("cluster") && !name.startsWith("__")) {
                tags = tags.and(name, e.getValue());
            }
        }
        Gauge.builder(CLUSTER_INFO, () -> 1)
                .description("The cluster's labels from the agent configuration")
                .tags(tags)
                .register(registry);
    }

    public void leader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
    }

    public void detectionLatency(long receivedNanos) {
        detectionLatency.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a lifecycle event and, on resolution, observes how long the drift lasted. */
    public void driftEvent(DriftEvent event, Instant now) {
        DriftRecord r = event.record();
        String app = nullToEmpty(r.drift().app());
        String type = r.drift().type().json();
        String cause = r.drift().cause().json();
        driftEventCounter(app, type, cause, event.type().label()).increment();
        if (event.type() == DriftEvent.Type.RESOLVED) {
            Timer.builder(DRIFT_DURATION)
                    .description("How long drifts lasted, observed when they resolve")
                    .tags("app", app, "type", type, "cause", cause)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .minimumExpectedValue(Duration.ofSeconds(1))
                    .maximumExpectedValue(Duration.ofDays(7))
                    .register(registry)
                    .record(r.age(now));
        }
    }

    /**
     * The open drifts are now exactly {@code open}: every open-drift gauge is brought in line with it (start,
     * leadership changes). Costs O(open drifts); after a batch of verdicts, {@link #openDriftsChanged} costs only
     * O(objects in the batch).
     */
    public synchronized void openDrifts(Collection<DriftRecord> open, Set<String> apps) {
        Map<ObjectKey, DriftRecord> now = new LinkedHashMap<>();
        open.forEach(r -> now.put(r.key(), r));
        Map<ObjectKey, DriftRecord> changed = new LinkedHashMap<>(now);
        exported.keySet().forEach(k -> changed.putIfAbsent(k, null));
        openDriftsChanged(changed, apps);
    }

    /**
     * Only the drifts of these objects may have changed since the last call; each key maps to its open drift now, or
     * to null when it has none. Called after every batch of verdicts with the batch's objects, so its cost does not
     * grow with the number of drifts open (thousands under mass drift), only with the batch.
     */
    public synchronized void openDriftsChanged(Map<ObjectKey, DriftRecord> changed, Set<String> apps) {
        Set<String> touchedApps = new HashSet<>();
        changed.forEach((key, now) -> {
            DriftRecord before = now == null ? exported.remove(key) : exported.put(key, now);
            if (before == now) {
                return;
            }
            if (before != null && now != null && sameCountLabels(before, now)) {
                seriesFor(key, now);
                return;
            }
            if (before != null) {
                drifted(before).decrementAndGet();
                String app = nullToEmpty(before.drift().app());
                perAppOpen.merge(app, -1L, (a, b) -> a + b == 0 ? null : a + b);
                touchedApps.add(app);
            }
            if (now != null) {
                drifted(now).incrementAndGet();
                String app = nullToEmpty(now.drift().app());
                perAppOpen.merge(app, 1L, Long::sum);
                touchedApps.add(app);
            }
            seriesFor(key, now);
        });
        for (String app : apps) {
            if (!appDrifted.containsKey(app)) {
                touchedApps.add(app);
            }
        }
        for (String app : touchedApps) {
            gauge(appDrifted, app, APP_DRIFTED, "1 when the app has at least one drifted resource", "app")
                    .set(perAppOpen.containsKey(app) ? 1 : 0);
        }
        fillSeries();
    }

    /** The {@code driftwatch_drifted_resources} gauge a drift counts in. */
    private AtomicLong drifted(DriftRecord r) {
        Tags tags = Tags.of(
                "namespace",
                r.key().namespace(),
                "kind",
                r.key().kind(),
                "app",
                nullToEmpty(r.drift().app()),
                "type",
                r.drift().type().json(),
                "cause",
                r.drift().cause().json());
        return gauge(drifted, tags, DRIFTED_RESOURCES, "Resources currently drifted from desired state");
    }

    /** Whether two drifts of one object count in the same {@code driftwatch_drifted_resources} series. */
    private static boolean sameCountLabels(DriftRecord then, DriftRecord now) {
        return nullToEmpty(then.drift().app()).equals(nullToEmpty(now.drift().app()))
                && then.drift().type() == now.drift().type()
                && then.drift().cause() == now.drift().cause();
    }

    /**
     * One series per open drift; a drift whose labels changed (its cause, manager or, with actor labels, its user once
     * a late audit batch names it, while it stays open) gets a new series in place of its old one. A drift without a
     * series (none yet, or the cap was reached) waits for one.
     */
    private void seriesFor(ObjectKey key, DriftRecord now) {
        Series existing = startedSeries.get(key);
        if (existing != null && now != null && sameLabels(existing.from(), now)) {
            return;
        }
        if (existing != null) {
            registry.remove(existing.gauge());
            startedSeries.remove(key);
        }
        if (now == null) {
            waitingForSeries.remove(key);
        } else {
            waitingForSeries.put(key, now);
        }
    }

    /**
     * Gives series to waiting drifts, oldest first, up to the cap; those left without one are counted in
     * {@code driftwatch_drift_series_dropped_total} (at every batch while they wait, so the counter keeps rising while
     * the cap is reached).
     */
    private void fillSeries() {
        for (var it = waitingForSeries.values().iterator(); it.hasNext() && startedSeries.size() < maxDriftSeries; ) {
            DriftRecord r = it.next();
            it.remove();
            double onset = r.onset().toEpochMilli() / 1000.0;
            Gauge g = Gauge.builder(DRIFT_STARTED, () -> onset)
                    .description("When each open drift started (one series per drift, capped)")
                    .tags(startedTags(r))
                    .register(registry);
            startedSeries.put(r.key(), new Series(g, r));
        }
        if (!waitingForSeries.isEmpty()) {
            seriesDropped.increment(waitingForSeries.size());
        }
    }

    /** A per-drift series and the open drift it was registered for (whose label values it carries). */
    private record Series(Gauge gauge, DriftRecord from) {}

    /**
     * Whether {@code now} would get the same labels as the series registered for {@code then} (same key): compared
     * field by field, not as {@link Tags}.
     */
    private boolean sameLabels(DriftRecord then, DriftRecord now) {
        if (then == now) {
            return true;
        }
        return sameCountLabels(then, now)
                && nullToEmpty(then.manager()).equals(nullToEmpty(now.manager()))
                && (!actorLabels || username(then).equals(username(now)));
    }

    private static String username(DriftRecord r) {
        Actor who = r.drift().firstActor();
        return who == null ? "" : who.username();
    }

    private Tags startedTags(DriftRecord r) {
        Tags tags = Tags.of(
                "namespace",
                r.key().namespace(),
                "kind",
                r.key().kind(),
                "name",
                r.key().name(),
                "app",
                nullToEmpty(r.drift().app()),
                "type",
                r.drift().type().json(),
                "cause",
                r.drift().cause().json(),
                "manager",
                nullToEmpty(r.manager()));
        if (!actorLabels) {
            return tags;
        }
        return tags.and("user", username(r));
    }

    public void desiredResources(String app, int count) {
        gauge(desired, app, DESIRED_RESOURCES, "Objects in the app's desired state", "app")
                .set(count);
    }

    public void watchedObjects(Map<String, Integer> byKind) {
        watched.forEach((kind, v) -> v.set(byKind.getOrDefault(kind, 0)));
        byKind.forEach(
                (kind, n) -> gauge(watched, kind, WATCHED_OBJECTS, "Live objects held by the agent's informers", "kind")
                        .set(n));
    }

    /**
     * {@code driftwatch_watch_events_total{group, kind, event}}: the watch notifications the informers delivered, as
     * Argo CD's {@code argocd_cluster_events_total}. {@code event} is {@code added}, {@code updated}, {@code deleted},
     * or {@code unchanged} (an update with the resourceVersion already held, dropped before diffing). The series read
     * the informers' own counters at scrape time; this only registers those of kinds not seen before, all four at once.
     */
    public void watchEvents(Collection<WatchEventCounts> kinds) {
        for (WatchEventCounts counts : kinds) {
            if (watchEventKinds.add(counts)) {
                watchEventCounter(counts, "added", WatchEventCounts::added);
                watchEventCounter(counts, "updated", WatchEventCounts::updated);
                watchEventCounter(counts, "deleted", WatchEventCounts::deleted);
                watchEventCounter(counts, "unchanged", WatchEventCounts::unchanged);
            }
        }
    }

    private void watchEventCounter(WatchEventCounts counts, String event, ToLongFunction<WatchEventCounts> value) {
        FunctionCounter.builder(WATCH_EVENTS, counts, c -> value.applyAsLong(c))
                .description("Watch notifications the agent's informers delivered, by kind and event")
                .tags("group", counts.group(), "kind", counts.kind(), "event", event)
                .register(registry);
    }

    /** A desired-state load finished: result is {@code success} or {@code error}. */
    public void sourceSync(String app, boolean success, Instant now) {
        Counter.builder(SOURCE_SYNC)
                .description("Desired-state loads by result")
                .tags("app", app, "result", success ? "success" : "error")
                .register(registry)
                .increment();
        gauge(healthy, app, SOURCE_HEALTHY, "1 when the app's last desired-state load succeeded", "app")
                .set(success ? 1 : 0);
        AtomicLong last = gauge(
                lastSuccess, app, SOURCE_LAST_SUCCESS, "When the app's desired state last loaded successfully", "app");
        if (success) {
            last.set(now.getEpochSecond());
        }
    }

    /** Creates every per-app series at its zero value, so rates and absent() work from the start. */
    public void knownApp(String app) {
        for (String result : new String[] {"success", "error"}) {
            Counter.builder(SOURCE_SYNC)
                    .description("Desired-state loads by result")
                    .tags("app", app, "result", result)
                    .register(registry);
        }
        for (DriftType type : DriftType.values()) {
            for (Cause cause : type.causes()) {
                for (DriftEvent.Type event : DriftEvent.Type.values()) {
                    driftEventCounter(app, type.json(), cause.json(), event.label());
                }
            }
        }
        gauge(appDrifted, app, APP_DRIFTED, "1 when the app has at least one drifted resource", "app");
        gauge(lastSuccess, app, SOURCE_LAST_SUCCESS, "When the app's desired state last loaded successfully", "app");
    }

    private Counter driftEventCounter(String app, String type, String cause, String event) {
        return Counter.builder(DRIFT_EVENTS)
                .description("Drift lifecycle events")
                .tags("app", app, "type", type, "cause", cause, "event", event)
                .register(registry);
    }

    /** A Kubernetes Event: {@code sent}, {@code rate_limited} or {@code failed}. */
    public void kubernetesEvent(String result) {
        kubeEventCounter(result).increment();
    }

    private Counter kubeEventCounter(String result) {
        return Counter.builder(KUBE_EVENTS)
                .description("Kubernetes Events about drifts, by result")
                .tags("result", result)
                .register(registry);
    }

    /** The hub outbox's size gauges, and every push series at 0 (called once when the hub is configured). */
    public void hubOutbox(Supplier<Number> events, Supplier<Number> bytes) {
        Gauge.builder(HUB_OUTBOX_EVENTS, events)
                .description("Drift events waiting for the hub's acknowledgement")
                .register(registry);
        Gauge.builder(HUB_OUTBOX_BYTES, bytes)
                .description("Size of the events waiting for the hub")
                .register(registry);
        hubDropped(0);
        Gauge.builder(HUB_LAST_SUCCESS, hubLastSuccess, AtomicLong::get)
                .description("When a push to the hub last succeeded")
                .register(registry);
        for (String kind : new String[] {"events", "snapshot", "heartbeat", "metrics"}) {
            for (String result : new String[] {"success", "rejected", "error"}) {
                hubPushCounter(kind, result);
            }
        }
    }

    /** A push to the hub: kind {@code events|snapshot|heartbeat|metrics}, result {@code success|rejected|error}. */
    public void hubPush(String kind, String result) {
        hubPushCounter(kind, result).increment();
    }

    /** History events dropped from the full outbox (or refused by the hub); the next snapshot carries the state. */
    public void hubDropped(long n) {
        Counter.builder(HUB_OUTBOX_DROPPED)
                .description("Drift events dropped before the hub stored them (outbox full, or refused)")
                .register(registry)
                .increment(n);
    }

    public void hubLastSuccess(Instant when) {
        hubLastSuccess.set(when.getEpochSecond());
    }

    private Counter hubPushCounter(String kind, String result) {
        return Counter.builder(HUB_PUSHES)
                .description("Pushes to the hub by kind and result")
                .tags("kind", kind, "result", result)
                .register(registry);
    }

    private AtomicLong gauge(Map<String, AtomicLong> map, String key, String name, String help, String label) {
        return map.computeIfAbsent(key, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get)
                    .description(help)
                    .tags(label, k)
                    .register(registry);
            return value;
        });
    }

    private AtomicLong gauge(Map<Tags, AtomicLong> map, Tags tags, String name, String help) {
        return map.computeIfAbsent(tags, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get)
                    .description(help)
                    .tags(k)
                    .register(registry);
            return value;
        });
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
