package io.driftwatch.hub;

import io.driftwatch.wire.MetricsMessage;
import io.driftwatch.wire.MetricsMessage.Bucket;
import io.driftwatch.wire.MetricsMessage.Series;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The agents' own metrics, relayed (docs/hub.md, "Agent metrics"): the latest push of every agent process, in memory,
 * exposed as a {@link MultiCollector} on {@code GET /metrics/agents} with the names and types the agent exports,
 * plus {@code cluster} (the cluster whose token pushed, whatever the agent sent) and {@code instance} (the agent
 * process). Each process's series are its own, so counters and histograms are exactly the process's values: an
 * agent restart or a new leader is a new {@code instance}, which Prometheus' {@code rate()} handles like a new pod.
 * A process that says goodbye (its last push when it stops) is dropped at once; one that stops pushing is dropped
 * {@code staleAfter} after its last push. Series per cluster are capped (all its processes together): what a push
 * brings beyond the cap is dropped and reported. Thread-safe.
 */
final class MetricsRelay implements MultiCollector {

    /** Agent processes kept per cluster; a further one evicts the one that pushed least recently. */
    static final int MAX_INSTANCES = 16;

    /** What became of a push: series kept, series dropped at the cap. */
    record Result(int series, int dropped) {}

    private record Held(long receivedMs, List<MetricsMessage.Family> families, int series) {}

    private final long staleAfterMs;
    private final int maxSeriesPerCluster;
    private final LongSupplier clock;
    private final Map<String, Map<String, Held>> clusters = new TreeMap<>();

    MetricsRelay(long staleAfterMs, int maxSeriesPerCluster, LongSupplier clock) {
        this.staleAfterMs = staleAfterMs;
        this.maxSeriesPerCluster = maxSeriesPerCluster;
        this.clock = clock;
    }

    /** Replaces what {@code push.instance()} of {@code cluster} said before (or forgets it, on its last push). */
    synchronized Result accept(String cluster, MetricsMessage push) {
        long now = clock.getAsLong();
        sweep(now);
        Map<String, Held> instances = clusters.computeIfAbsent(cluster, c -> new LinkedHashMap<>());
        instances.remove(push.instance());
        if (push.last()) {
            if (instances.isEmpty()) {
                clusters.remove(cluster);
            }
            return new Result(0, 0);
        }
        while (instances.size() >= MAX_INSTANCES) {
            instances.remove(instances.keySet().iterator().next()); // insertion order = push order
        }
        int budget = maxSeriesPerCluster
                - instances.values().stream().mapToInt(Held::series).sum();
        int used = 0;
        int dropped = 0;
        List<MetricsMessage.Family> kept = new ArrayList<>();
        for (MetricsMessage.Family f : push.families()) {
            List<Series> points = new ArrayList<>();
            for (Series p : f.series()) {
                int cost = cost(f.type(), p);
                if (used + cost <= budget) {
                    points.add(p);
                    used += cost;
                } else {
                    dropped += cost;
                }
            }
            if (!points.isEmpty()) {
                kept.add(new MetricsMessage.Family(f.name(), f.type(), f.help(), points));
            }
        }
        instances.put(push.instance(), new Held(now, kept, used));
        return new Result(used, dropped);
    }

    /** Prometheus series of one data point: buckets, +Inf, _count and _sum for a histogram. */
    static int cost(String type, Series p) {
        return switch (type) {
            case "histogram" -> p.buckets().size() + 3;
            case "summary" -> 2;
            default -> 1;
        };
    }

    /** Forgets processes that did not push for {@code staleAfter}; returns how many. */
    synchronized int sweep(long nowMs) {
        int removed = 0;
        for (var c = clusters.values().iterator(); c.hasNext(); ) {
            Map<String, Held> instances = c.next();
            for (var i = instances.values().iterator(); i.hasNext(); ) {
                if (nowMs - i.next().receivedMs() > staleAfterMs) {
                    i.remove();
                    removed++;
                }
            }
            if (instances.isEmpty()) {
                c.remove();
            }
        }
        return removed;
    }

    /** Series held per cluster (every process together). */
    synchronized Map<String, Integer> seriesByCluster() {
        Map<String, Integer> out = new TreeMap<>();
        clusters.forEach((cluster, instances) -> out.put(
                cluster, instances.values().stream().mapToInt(Held::series).sum()));
        return out;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new TreeMap<>();
        synchronized (this) {
            sweep(clock.getAsLong());
            clusters.forEach((cluster, instances) -> instances.forEach((instance, held) -> {
                for (MetricsMessage.Family f : held.families()) {
                    Family out = families.computeIfAbsent(f.name(), n -> new Family(f.type(), f.help()));
                    if (!out.type.equals(f.type())) {
                        continue; // agents of different versions disagree on a type: the first one wins
                    }
                    for (Series p : f.series()) {
                        out.add(p, labels(p.labels(), cluster, instance));
                    }
                }
            }));
        }
        List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        families.forEach((name, f) -> snapshots.add(f.snapshot(name)));
        return new MetricSnapshots(snapshots);
    }

    private static Labels labels(Map<String, String> agentLabels, String cluster, String instance) {
        List<String> names = new ArrayList<>(agentLabels.size() + 2);
        List<String> values = new ArrayList<>(agentLabels.size() + 2);
        agentLabels.forEach((k, v) -> {
            names.add(k);
            values.add(v);
        });
        names.add("cluster");
        values.add(cluster);
        names.add("instance");
        values.add(instance);
        return Labels.of(names, values);
    }

    /** The data points of one family, from every cluster and process, built into the client library's model. */
    private static final class Family {
        final String type;
        final String help;
        final List<Object> points = new ArrayList<>();

        Family(String type, String help) {
            this.type = type;
            this.help = help;
        }

        void add(Series p, Labels labels) {
            points.add(
                    switch (type) {
                        case "counter" ->
                            CounterSnapshot.CounterDataPointSnapshot.builder()
                                    .value(p.value())
                                    .labels(labels)
                                    .build();
                        case "gauge" ->
                            GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                    .value(p.value())
                                    .labels(labels)
                                    .build();
                        case "summary" ->
                            SummarySnapshot.SummaryDataPointSnapshot.builder()
                                    .count(p.count())
                                    .sum(p.sum())
                                    .labels(labels)
                                    .build();
                        case "info" ->
                            InfoSnapshot.InfoDataPointSnapshot.builder()
                                    .labels(labels)
                                    .build();
                        default ->
                            HistogramSnapshot.HistogramDataPointSnapshot.builder()
                                    .classicHistogramBuckets(buckets(p))
                                    .sum(p.sum())
                                    .labels(labels)
                                    .build();
                    });
        }

        private static ClassicHistogramBuckets buckets(Series p) {
            ClassicHistogramBuckets.Builder b = ClassicHistogramBuckets.builder();
            long previous = 0;
            for (Bucket bucket : p.buckets()) {
                b.bucket(bucket.upperBound(), bucket.cumulativeCount() - previous); // the model holds per-bucket counts
                previous = bucket.cumulativeCount();
            }
            return b.bucket(Double.POSITIVE_INFINITY, p.count() - previous).build();
        }

        MetricSnapshot snapshot(String name) {
            return switch (type) {
                case "counter" -> {
                    var b = CounterSnapshot.builder().name(name).help(help);
                    points.forEach(p -> b.dataPoint((CounterSnapshot.CounterDataPointSnapshot) p));
                    yield b.build();
                }
                case "gauge" -> {
                    var b = GaugeSnapshot.builder().name(name).help(help);
                    points.forEach(p -> b.dataPoint((GaugeSnapshot.GaugeDataPointSnapshot) p));
                    yield b.build();
                }
                case "info" -> {
                    var b = InfoSnapshot.builder().name(name).help(help);
                    points.forEach(p -> b.dataPoint((InfoSnapshot.InfoDataPointSnapshot) p));
                    yield b.build();
                }
                case "summary" -> {
                    var b = SummarySnapshot.builder().name(name).help(help);
                    points.forEach(p -> b.dataPoint((SummarySnapshot.SummaryDataPointSnapshot) p));
                    yield b.build();
                }
                default -> {
                    var b = HistogramSnapshot.builder().name(name).help(help);
                    points.forEach(p -> b.dataPoint((HistogramSnapshot.HistogramDataPointSnapshot) p));
                    yield b.build();
                }
            };
        }
    }
}
