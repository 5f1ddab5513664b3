package io.driftwatch.hub;

import io.driftwatch.BuildInfo;
import io.driftwatch.hub.StoreModel.ClusterRow;
import io.driftwatch.hub.StoreModel.Stats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
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
    public static final String RELAY_SERIES = "driftwatch.hub.relay.series";
    public static final String RELAY_DROPPED = "driftwatch.hub.relay.dropped.series";

    public static final List<String> KINDS = List.of("events", "snapshot", "heartbeat", "metrics");
    public static final List<String> RESULTS = List.of("ok", "invalid", "too_large", "unauthorized", "forbidden",
            "error");
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5)};

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
    private final MultiGauge relaySeries;

    public HubMetrics(MeterRegistry registry, List<String> clusterInfoLabels) {
        this.registry = registry;
        this.infoLabels = List.copyOf(clusterInfoLabels);
        BuildInfo build = BuildInfo.current();
        Gauge.builder(BUILD_INFO, () -> 1).description("driftwatch hub build: version and Java runtime")
                .tags("version", build.version(), "java_version", build.javaVersion()).register(registry);
        openDrifts = MultiGauge.builder(OPEN_DRIFTS)
                .description("Open drifts in the fleet by cluster, namespace, kind, app and type").register(registry);
        lastSeen = MultiGauge.builder(AGENT_LAST_SEEN)
                .description("When the cluster's agent last reached the hub (any push)").register(registry);
        up = MultiGauge.builder(AGENT_UP)
                .description("1 when the cluster's agent reached the hub within agentDownAfter").register(registry);
        info = MultiGauge.builder(CLUSTER_INFO)
                .description("Always 1; the cluster's labels as reported by its agent, to join on in dashboards and "
                        + "alert routing").register(registry);
        oldestAge = MultiGauge.builder(OLDEST_OPEN_DRIFT_AGE)
                .description("Age of the cluster's oldest open drift (0 when none)").register(registry);
        Gauge.builder(STORE_EVENTS, storeEvents, AtomicLong::get).description("Events kept in history")
                .register(registry);
        Gauge.builder(STORE_SIZE, storeSize, AtomicLong::get).description("Size of the hub's database")
                .register(registry);
        Gauge.builder(SSE_CLIENTS, sseClients, AtomicLong::get).description("Connected event-stream clients")
                .register(registry);
        relaySeries = MultiGauge.builder(RELAY_SERIES)
                .description("Agent series the hub relays on /metrics/agents, by cluster").register(registry);
        pruned = Counter.builder(PRUNED_EVENTS).description("History events deleted by retention").register(registry);
        for (String kind : KINDS) {
            for (String result : RESULTS) {
                requestCounter(kind, result);
            }
            timer(kind);
        }
        eventCounter("stored");
        eventCounter("duplicate");
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
        Counter.builder(RELAY_DROPPED).description("Agent series dropped at the hub's per-cluster cap "
                + "(metrics.relayMaxSeriesPerCluster), counted at every push").tags("cluster", cluster)
                .register(registry).increment(n);
    }

    public void sseClients(int n) {
        sseClients.set(n);
    }

    /** Recomputes the fleet gauges from one read of the store; clusters and series that went away are removed. */
    public void refresh(List<ClusterRow> clusters, Map<String, Map<String, String>> labels, Stats stats,
            long nowMs, long downAfterMs) {
        List<MultiGauge.Row<?>> open = new ArrayList<>();
        stats.open().forEach(o -> open.add(MultiGauge.Row.of(Tags.of("cluster", o.cluster(), "namespace",
                o.namespace(), "kind", o.kind(), "app", o.app(), "type", o.type()), o.count())));
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
    }

    private Counter requestCounter(String kind, String result) {
        return Counter.builder(INGEST_REQUESTS).description("Ingest requests by kind and result")
                .tags("kind", kind, "result", result).register(registry);
    }

    private Counter eventCounter(String result) {
        return Counter.builder(INGEST_EVENTS)
                .description("Drift events received: stored, or duplicate (re-sent, changed nothing)")
                .tags("result", result).register(registry);
    }

    private Timer timer(String kind) {
        return Timer.builder(INGEST_DURATION).description("Ingest request latency, request received to response")
                .tags("kind", kind).serviceLevelObjectives(LATENCY_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }
}
