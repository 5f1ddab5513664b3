package io.driftwatch.emit.hub;

import io.driftwatch.wire.MetricsMessage;
import io.driftwatch.wire.Wire;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's key metrics as one {@link MetricsMessage} for the hub (docs/hub-protocol.md, "Metrics"): the families
 * of {@link #RELAYED} read from the agent's Prometheus registry model, values as the agent's own {@code /metrics}
 * shows them. Counters and gauges carry a value, classic histograms their cumulative bucket counts, count and sum,
 * summaries their count and sum, info metrics only their labels. The per-drift family goes last, so a hub at its series cap drops it first.
 */
public final class MetricsSnapshot {

    /** The families relayed besides every {@code driftwatch_*} one: what the agent dashboards read. */
    public static final Set<String> RELAYED = Set.of(
            "process_start_time_seconds",
            "process_uptime_seconds",
            "process_cpu_usage",
            "jvm_memory_used_bytes",
            "jvm_memory_committed_bytes",
            "jvm_memory_max_bytes",
            "jvm_threads_live_threads",
            "jvm_gc_pause_seconds",
            "cache_gets",
            "vertx_http_server_requests",
            "vertx_http_server_response_time_seconds",
            "vertx_http_server_active_connections");
    /** The one family that grows with the number of open drifts (capped on the agent by metrics.maxDriftSeries). */
    static final String PER_DRIFT = "driftwatch_drift_started_timestamp_seconds";

    private MetricsSnapshot() {}

    /** True for the families the agent pushes to the hub. */
    public static boolean relayed(String prometheusName) {
        return prometheusName.startsWith("driftwatch_") || RELAYED.contains(prometheusName);
    }

    /**
     * {@code {"instance", "startedAt", "final", "families": [...]}} for one agent process, as JSON text. {@code cluster}
     * labels are left out: the hub sets {@code cluster} from the token that pushed.
     */
    public static String json(PrometheusRegistry registry, String instance, Instant startedAt, boolean last) {
        return Wire.write(message(registry, instance, startedAt, last));
    }

    /** The push as its wire record; no families when {@code last}. */
    public static MetricsMessage message(
            PrometheusRegistry registry, String instance, Instant startedAt, boolean last) {
        if (last) {
            return new MetricsMessage(instance, startedAt, true, List.of());
        }
        List<MetricSnapshot> relayed = new ArrayList<>();
        for (MetricSnapshot s : registry.scrape()) {
            if (relayed(s.getMetadata().getPrometheusName())) {
                relayed.add(s);
            }
        }
        relayed.sort(Comparator.comparing((MetricSnapshot s) ->
                        s.getMetadata().getPrometheusName().equals(PER_DRIFT))
                .thenComparing(s -> s.getMetadata().getPrometheusName()));
        List<MetricsMessage.Family> families = new ArrayList<>();
        for (MetricSnapshot s : relayed) {
            String type = type(s);
            if (type == null || s.getDataPoints().isEmpty()) {
                continue;
            }
            List<MetricsMessage.Series> series = new ArrayList<>();
            for (DataPointSnapshot p : s.getDataPoints()) {
                MetricsMessage.Series point = point(p);
                if (point != null) {
                    series.add(point);
                }
            }
            families.add(new MetricsMessage.Family(
                    s.getMetadata().getPrometheusName(), type, s.getMetadata().getHelp(), series));
        }
        return new MetricsMessage(instance, startedAt, false, families);
    }

    private static String type(MetricSnapshot s) {
        if (s instanceof CounterSnapshot) {
            return "counter";
        } else if (s instanceof GaugeSnapshot) {
            return "gauge";
        } else if (s instanceof HistogramSnapshot h && !h.isGaugeHistogram()) {
            return "histogram";
        } else if (s instanceof SummarySnapshot) {
            return "summary";
        } else if (s instanceof InfoSnapshot) {
            return "info"; // Micrometer gauges named *.info, e.g. driftwatch_build_info: labels only, value 1
        }
        return null; // state sets, unknown: none of the relayed families
    }

    /** One data point, or null when it has no finite value. */
    private static MetricsMessage.Series point(DataPointSnapshot p) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Label l : p.getLabels()) {
            if (!l.getName().equals("cluster")) {
                labels.put(l.getName(), l.getValue());
            }
        }
        if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
            return MetricsMessage.Series.value(labels, c.getValue());
        } else if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
            // a gauge whose object is gone reads NaN: JSON has no NaN, and no sample is right
            return Double.isFinite(g.getValue()) ? MetricsMessage.Series.value(labels, g.getValue()) : null;
        } else if (p instanceof HistogramSnapshot.HistogramDataPointSnapshot h) {
            ClassicHistogramBuckets buckets = h.getClassicBuckets();
            List<MetricsMessage.Bucket> cumulativeBuckets = new ArrayList<>();
            long cumulative = 0;
            for (int i = 0; i < buckets.size(); i++) {
                cumulative += buckets.getCount(i);
                if (buckets.getUpperBound(i) != Double.POSITIVE_INFINITY) {
                    cumulativeBuckets.add(new MetricsMessage.Bucket(buckets.getUpperBound(i), cumulative));
                }
            }
            return MetricsMessage.Series.histogram(
                    labels, cumulativeBuckets, h.hasCount() ? h.getCount() : cumulative, h.hasSum() ? h.getSum() : 0);
        } else if (p instanceof SummarySnapshot.SummaryDataPointSnapshot s) {
            return MetricsMessage.Series.summary(labels, s.hasCount() ? s.getCount() : 0, s.hasSum() ? s.getSum() : 0);
        }
        return MetricsMessage.Series.info(labels);
    }
}
