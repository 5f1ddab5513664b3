package io.driftwatch.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static final Instant ONSET = Instant.parse("2026-11-21T10:00:00Z");

    private static DriftRecord drift(String name) {
        ObjectKey key = new ObjectKey("", "ConfigMap", "shop", name);
        return new DriftRecord("id-" + name, new Drift(key, "v1", "shop", DriftType.MISSING, Cause.DELETED, "gone",
                List.of(), null), ONSET, ONSET, null);
    }

    @Test
    void perDriftSeriesAreCappedAndTheRestCounted() {
        AgentMetrics metrics = new AgentMetrics(registry, 2);
        List<DriftRecord> open = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            open.add(drift("cm-" + i));
        }

        metrics.openDrifts(open, Set.of("shop"));

        String text = registry.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("driftwatch_drift_started_timestamp_seconds{"))).hasSize(2);
        assertThat(text).contains("driftwatch_drift_series_dropped_total 3.0");
        assertThat(text).contains("driftwatch_drifted_resources{app=\"shop\",kind=\"ConfigMap\",namespace=\"shop\","
                + "type=\"missing\"} 5.0");
        assertThat(text).contains("driftwatch_app_drifted{app=\"shop\"} 1.0");
    }

    @Test
    void resolvedDriftsLeaveTheirGaugesAtZeroAndRemoveTheirSeries() {
        AgentMetrics metrics = new AgentMetrics(registry, 10);
        metrics.openDrifts(List.of(drift("a")), Set.of("shop"));

        metrics.openDrifts(List.of(), Set.of("shop"));

        String text = registry.scrape();
        assertThat(text).doesNotContain("driftwatch_drift_started_timestamp_seconds{");
        assertThat(text).contains("driftwatch_drifted_resources{app=\"shop\",kind=\"ConfigMap\",namespace=\"shop\","
                + "type=\"missing\"} 0.0");
        assertThat(text).contains("driftwatch_app_drifted{app=\"shop\"} 0.0");
    }

    @Test
    void resolutionObservesTheDurationInAClassicHistogram() {
        AgentMetrics metrics = new AgentMetrics(registry, 10);
        DriftRecord resolved = new DriftRecord("id", drift("a").drift(), ONSET, ONSET, ONSET.plusSeconds(600));

        metrics.driftEvent(new DriftEvent(DriftEvent.Type.RESOLVED, resolved), ONSET.plusSeconds(600));

        String text = registry.scrape();
        assertThat(text).contains("driftwatch_drift_duration_seconds_bucket{app=\"shop\",type=\"missing\",le=\"900.0\"} 1");
        assertThat(text).contains("driftwatch_drift_duration_seconds_bucket{app=\"shop\",type=\"missing\",le=\"300.0\"} 0");
        assertThat(text).contains("driftwatch_drift_events_total{app=\"shop\",event=\"resolved\",type=\"missing\"} 1.0");
    }

    @Test
    void knownAppsStartWithZeroedSeries() {
        new AgentMetrics(registry, 10).knownApp("shop");

        String text = registry.scrape();
        assertThat(text).contains("driftwatch_source_sync_total{app=\"shop\",result=\"error\"} 0.0");
        assertThat(text).contains("driftwatch_drift_events_total{app=\"shop\",event=\"opened\",type=\"modified\"} 0.0");
        assertThat(text).contains("driftwatch_build_info{");
    }

    @Test
    void kubernetesEventResultsStartAtZeroSoTheFirstFailureIsARateIncrease() {
        AgentMetrics metrics = new AgentMetrics(registry, 10);

        assertThat(registry.scrape()).contains("driftwatch_kubernetes_events_total{result=\"failed\"} 0.0")
                .contains("driftwatch_kubernetes_events_total{result=\"rate_limited\"} 0.0")
                .contains("driftwatch_kubernetes_events_total{result=\"sent\"} 0.0");

        metrics.kubernetesEvent("failed");

        assertThat(registry.scrape()).contains("driftwatch_kubernetes_events_total{result=\"failed\"} 1.0");
    }

    @Test
    void clusterInfoCarriesPrometheusSafeClusterLabels() {
        new AgentMetrics(registry, 10).clusterInfo(java.util.Map.of("env", "prod", "topology.kubernetes.io/region", "eu"));

        assertThat(registry.scrape()).contains(
                "driftwatch_cluster_info{env=\"prod\",topology_kubernetes_io_region=\"eu\"} 1");
    }
}
