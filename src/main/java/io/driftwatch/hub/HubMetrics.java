package io.driftwatch.hub;

import io.driftwatch.BuildInfo;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.DriftType;
import io.driftwatch.hub.StoreModel.ClusterRow;
import io.driftwatch.hub.StoreModel.DriftSeries;
import io.driftwatch.hub.StoreModel.OpenCount;
import io.driftwatch.hub.StoreModel.Stats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every metric the hub exports — the fleet's single pane. Names, help, labels and buckets live here and nowhere else.
 * The fleet gauges are recomputed from the store ({@link #refresh}), so every hub replica exports the same values
 * (aggregate replicas with {@code max by (...)}).
 */
public final class HubMetrics {

    public static final String OPEN_DRIFTS = "driftwatch.hub.open.drifts";
    public static final String AGENT_LAST_SEEN = "driftwatch.hub.agent.last.seen.timestamp.seconds";
    public static final String AGENT_UP = "driftwatch.hub.agent.up";
    public static final String CLUSTER_INFO = "driftwatch.hub.cluster.info";
    public static final String OLDEST_OPEN_DRIFT_AGE = "driftwatch.hub.oldest.open.drift.age.seconds";
    public static final String INGEST_REQUESTS = "driftwatch.hub.ingest.requests";
    public static final String INGEST_EVENTS = "driftwatch.hub.ingest.events";
    public static final String INGEST_DURATION = "driftwatch.hub.ingest.duration";
    public static final String STORE_EVENTS = "driftwatch.hub.store.events";
    public static final String STORE_SIZE = "driftwatch.hub.store.size.bytes";
    public static final String PRUNED_EVENTS = "driftwatch.hub.pruned.events";
    public static final String SSE_CLIENTS = "driftwatch.hub.sse.clients";
    public static final String BUILD_INFO = "driftwatch.hub.build.info";
    public static final String CONSOLE_INFO = "driftwatch.hub.console.info";
    public static final String DRIFT_EVENTS = "driftwatch.hub.drift.events";
    public static final String TIME_TO_RESOLVE = "driftwatch.hub.drift.time.to.resolve";
    public static final String DRIFT_STARTED = "driftwatch.hub.drift.started.timestamp.seconds";
    public static final String DRIFT_SERIES_LIMIT = "driftwatch.hub.drift.series.limit";
    public static final String DRIFT_SERIES_OMITTED = "driftwatch.hub.drift.series.omitted";
    public static final String RELAY_SERIES = "driftwatch.hub.relay.series";
    public static final String RELAY_DROPPED = "driftwatch.hub.relay.dropped.series";

    public static final List<String> KINDS = List.of("events", "snapshot", "heartbeat", "metrics");
    public static final List<String> RESULTS =
            List.of("ok", "invalid", "too_large", "unauthorized", "forbidden", "error");
    /**
     * Drift events counted by {@link #driftEvents}; created at 0 for every configured cluster, drift type and each cause
     * that type can have ({@link DriftType#causes()}).
     */
    public static final List<String> DRIFT_EVENT_TYPES = List.of("opened", "updated", "resolved");
    /** Time to resolve: seconds (a revert by a controller) to days (a change nobody owned). */
    private static final Duration[] RESOLVE_BUCKETS = {
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(2),
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        Duration.ofMinutes(15),
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ofHours(3),
        Duration.ofHours(6),
        Duration.ofHours(12),
        Duration.ofDays(1),
        Duration.ofDays(2),
        Duration.ofDays(3),
        Duration.ofDays(7)
    };

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5)
    };

    private final MeterRegistry registry;
    private final List<String> infoLabels;
    private final MultiGauge openDrifts;
    private final MultiGauge lastSeen;
    private final MultiGauge up;
    private final MultiGauge info;
    private final MultiGauge oldestAge;
    private final AtomicLong storeEvents = new AtomicLong();
    private final AtomicLong storeSize = new AtomicLong();
    private final AtomicLong sseClients = new AtomicLong();
    private final Counter pruned;
    private final int maxDriftSeries;
    private final MultiGauge driftStarted;
    private final AtomicLong seriesOmitted = new AtomicLong();
    private final MultiGauge relaySeries;

    /**
     * @param clusters the configured clusters: their drift counters and time-to-resolve histograms start at 0
     * @param maxDriftSeries how many open drifts (the oldest first) {@link #refresh} exports as per-drift series
     */
    /**
     * {@code driftwatch_hub_console_info{url}}: the console's address as people reach it ({@code console.externalUrl}
     * + {@code /console/}), so that alert annotations can build console links from it.
     */
    void consoleUrl(String url) {
        Gauge.builder(CONSOLE_INFO, () -> 1)
                .description("The driftwatch console's URL (console.externalUrl), for links in alerts")
                .tags("url", url)
                .register(registry);
    }

    public HubMetrics(
            MeterRegistry registry, List<String> clusterInfoLabels, List<String> clusters, int maxDriftSeries) {
        this.registry = registry;
        this.infoLabels = List.copyOf(clusterInfoLabels);
        this.maxDriftSeries = maxDriftSeries;
        BuildInfo build = BuildInfo.current();
        Gauge.builder(BUILD_INFO, () -> 1)
                .description("driftwatch hub build: version and Java runtime")
                .tags("version", build.version(), "java_version", build.javaVersion())
                .register(registry);
        openDrifts = MultiGauge.builder(OPEN_DRIFTS)
                .description("Open drifts in the fleet by cluster, namespace, kind, app, type and cause")
                .register(registry);
        lastSeen = MultiGauge.builder(AGENT_LAST_SEEN)
                .description("When the cluster's agent last reached the hub (any push)")
                .register(registry);
        up = MultiGauge.builder(AGENT_UP)
                .description("1 when the cluster's agent reached the hub within agentDownAfter")
                .register(registry);
        info = MultiGauge.builder(CLUSTER_INFO)
                .description("Always 1; the cluster's labels as reported by its agent, to join on in dashboards and "
                        + "alert routing")
                .register(registry);
        oldestAge = MultiGauge.builder(OLDEST_OPEN_DRIFT_AGE)
                .description("Age of the cluster's oldest open drift (0 when none)")
                .register(registry);
        Gauge.builder(STORE_EVENTS, storeEvents, AtomicLong::get)
                .description("Events kept in history")
                .register(registry);
        Gauge.builder(STORE_SIZE, storeSize, AtomicLong::get)
                .description("Size of the hub's database")
                .register(registry);
        Gauge.builder(SSE_CLIENTS, sseClients, AtomicLong::get)
                .description("Connected event-stream clients")
                .register(registry);
        relaySeries = MultiGauge.builder(RELAY_SERIES)
                .description("Agent series the hub relays on /metrics/agents, by cluster")
                .register(registry);
        pruned = Counter.builder(PRUNED_EVENTS)
                .description("History events deleted by retention")
                .register(registry);
        for (String kind : KINDS) {
            for (String result : RESULTS) {
                requestCounter(kind, result);
            }
            timer(kind);
        }
        eventCounter("stored");
        eventCounter("duplicate");
        driftStarted = MultiGauge.builder(DRIFT_STARTED)
                .description("When each open drift of the fleet started (one series per drift, the oldest "
                        + "metrics.maxDriftSeries)")
                .register(registry);
        Gauge.builder(DRIFT_SERIES_LIMIT, () -> maxDriftSeries)
                .description("metrics.maxDriftSeries: the cap on driftwatch_hub_drift_started_timestamp_seconds")
                .register(registry);
        Gauge.builder(DRIFT_SERIES_OMITTED, seriesOmitted, AtomicLong::get)
                .description("Open drifts not exported as driftwatch_hub_drift_started_timestamp_seconds because "
                        + "the cap was reached (0 when every open drift has its series)")
                .register(registry);
        for (String cluster : clusters) {
            for (DriftType type : DriftType.values()) {
                for (Cause cause : type.causes()) {
                    for (String event : DRIFT_EVENT_TYPES) {
                        driftEventCounter(cluster, type.json(), cause.json(), event);
                    }
                }
            }
            timeToResolve(cluster);
        }
    }

    /**
     * Counts drift events newly stored for {@code cluster} (never duplicates) and observes, for each resolution, how
     * long the drift had been open (resolvedAt − onset).
     */
    public void driftEvents(String cluster, List<Protocol.Event> stored) {
        for (Protocol.Event e : stored) {
            driftEventCounter(cluster, e.drift().type(), e.drift().cause(), e.type())
                    .increment();
            if (e.resolvedAt() != null) {
                Duration open = Duration.between(e.drift().onset(), e.resolvedAt());
                timeToResolve(cluster).record(open.isNegative() ? Duration.ZERO : open);
            }
        }
    }

    /** One ingest request finished: {@code kind} ∈ {@link #KINDS}, {@code result} ∈ {@link #RESULTS}. */
    public void ingest(String kind, String result, long startNanos) {
        requestCounter(kind, result).increment();
        timer(kind).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public void events(int stored, int duplicates) {
        eventCounter("stored").increment(stored);
        eventCounter("duplicate").increment(duplicates);
    }

    public void pruned(long n) {
        pruned.increment(n);
    }

    /** The relayed series per cluster (clusters gone are removed). */
    public void relaySeries(Map<String, Integer> byCluster) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byCluster.forEach((cluster, n) -> rows.add(MultiGauge.Row.of(Tags.of("cluster", cluster), n)));
        relaySeries.register(rows, true);
    }

    /** A metrics push brought more series than the cluster's cap allowed; {@code n} were dropped. */
    public void relayDropped(String cluster, int n) {
        Counter.builder(RELAY_DROPPED)
                .description("Agent series dropped at the hub's per-cluster cap "
                        + "(metrics.relayMaxSeriesPerCluster), counted at every push")
                .tags("cluster", cluster)
                .register(registry)
                .increment(n);
    }

    public void sseClients(int n) {
        sseClients.set(n);
    }

    public int maxDriftSeries() {
        return maxDriftSeries;
    }

    /**
     * Recomputes the fleet gauges from one read of the store; clusters and series that went away are removed.
     * {@code series}: the oldest open drifts, at most {@link #maxDriftSeries()}.
     */
    public void refresh(
            List<ClusterRow> clusters,
            Map<String, Map<String, String>> labels,
            Stats stats,
            List<DriftSeries> series,
            long nowMs,
            long downAfterMs) {
        List<MultiGauge.Row<?>> open = new ArrayList<>();
        stats.open()
                .forEach(o -> open.add(MultiGauge.Row.of(
                        Tags.of(
                                "cluster",
                                o.cluster(),
                                "namespace",
                                o.namespace(),
                                "kind",
                                o.kind(),
                                "app",
                                o.app(),
                                "type",
                                o.type(),
                                "cause",
                                o.cause()),
                        o.count())));
        openDrifts.register(open, true);
        List<MultiGauge.Row<?>> seen = new ArrayList<>();
        List<MultiGauge.Row<?>> ups = new ArrayList<>();
        List<MultiGauge.Row<?>> infos = new ArrayList<>();
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        for (ClusterRow c : clusters) {
            Tags cluster = Tags.of("cluster", c.name());
            if (c.lastSeenMs() != null) {
                seen.add(MultiGauge.Row.of(cluster, c.lastSeenMs() / 1000.0));
            }
            boolean isUp = c.lastSeenMs() != null && nowMs - c.lastSeenMs() <= downAfterMs;
            ups.add(MultiGauge.Row.of(cluster, isUp ? 1 : 0));
            Tags infoTags = cluster;
            Map<String, String> l = labels.getOrDefault(c.name(), Map.of());
            for (String key : infoLabels) {
                infoTags = infoTags.and(key, l.getOrDefault(key, ""));
            }
            infos.add(MultiGauge.Row.of(infoTags, 1));
            Long oldest = stats.oldestOnsetMs().get(c.name());
            ages.add(MultiGauge.Row.of(cluster, oldest == null ? 0 : Math.max(0, nowMs - oldest) / 1000.0));
        }
        lastSeen.register(seen, true);
        up.register(ups, true);
        info.register(infos, true);
        oldestAge.register(ages, true);
        storeEvents.set(stats.events());
        storeSize.set(stats.sizeBytes());
        driftSeries(series, stats.open().stream().mapToLong(OpenCount::count).sum());
    }

    private void driftSeries(List<DriftSeries> series, long open) {
        // two drifts of one object (same labels, e.g. two API groups of a kind) share a series: the older onset wins
        Map<Tags, Double> rows = new LinkedHashMap<>();
        for (DriftSeries d : series.subList(0, Math.min(series.size(), maxDriftSeries))) {
            rows.putIfAbsent(
                    Tags.of(
                            "cluster",
                            d.cluster(),
                            "namespace",
                            d.namespace(),
                            "kind",
                            d.kind(),
                            "name",
                            d.name(),
                            "app",
                            d.app(),
                            "type",
                            d.type(),
                            "cause",
                            d.cause(),
                            "manager",
                            d.manager()),
                    d.onsetMs() / 1000.0);
        }
        List<MultiGauge.Row<?>> out = new ArrayList<>(rows.size());
        rows.forEach((tags, onset) -> out.add(MultiGauge.Row.of(tags, onset)));
        driftStarted.register(out, true);
        seriesOmitted.set(Math.max(0, open - maxDriftSeries));
    }

    private Counter requestCounter(String kind, String result) {
        return Counter.builder(INGEST_REQUESTS)
                .description("Ingest requests by kind and result")
                .tags("kind", kind, "result", result)
                .register(registry);
    }

    private Counter driftEventCounter(String cluster, String type, String cause, String event) {
        return Counter.builder(DRIFT_EVENTS)
                .description("Drift events received from the agents (duplicates not "
                        + "counted): opened, updated, resolved; by cluster, drift type and cause")
                .tags("cluster", cluster, "type", type, "cause", cause, "event", event)
                .register(registry);
    }

    private Timer timeToResolve(String cluster) {
        return Timer.builder(TIME_TO_RESOLVE)
                .description("How long drifts stayed open (resolvedAt - onset), observed when their resolution arrives")
                .tags("cluster", cluster)
                .serviceLevelObjectives(RESOLVE_BUCKETS)
                .minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofDays(7))
                .register(registry);
    }

    private Counter eventCounter(String result) {
        return Counter.builder(INGEST_EVENTS)
                .description("Drift events received: stored, or duplicate (re-sent, changed nothing)")
                .tags("result", result)
                .register(registry);
    }

    private Timer timer(String kind) {
        return Timer.builder(INGEST_DURATION)
                .description("Ingest request latency, request received to response")
                .tags("kind", kind)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }
}
