package io.driftwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentScaleBenchmarkTest {

    private static final String NAME = "driftwatch_drift_detection_latency_seconds";

    private static String scrape(double le5ms, double le10ms, double le10s, double inf) {
        return NAME + "_bucket{le=\"0.005\"} " + le5ms + "\n"
                + NAME + "_bucket{le=\"0.01\"} " + le10ms + "\n"
                + NAME + "_bucket{le=\"10.0\"} " + le10s + "\n"
                + NAME + "_bucket{le=\"+Inf\"} " + inf + "\n"
                + NAME + "_count " + inf + "\n";
    }

    @Test
    void aQuantileOverAPhaseLeavesOutWhatWasObservedBeforeIt() {
        // before the phase: 100 slow observations (start-up); in the phase: 1,000 fast ones
        String before = scrape(0, 0, 100, 100);
        String after = scrape(1_000, 1_000, 1_100, 1_100);

        assertThat(AgentScaleBenchmark.histogramQuantile(after, NAME, 0.99)).isGreaterThan(1.0);
        assertThat(AgentScaleBenchmark.histogramQuantile(
                        AgentScaleBenchmark.bucketsMinus(after, before, NAME), NAME, 0.99))
                .isCloseTo(0.00495, within(1e-6));
        assertThat(AgentScaleBenchmark.histogramCount(after, NAME) - AgentScaleBenchmark.histogramCount(before, NAME))
                .isEqualTo(1_000);
    }

    @Test
    void watchEventsBetweenTwoScrapesAreCountedByKindAndEvent() {
        String before = """
                # TYPE driftwatch_watch_events_total counter
                driftwatch_watch_events_total{event="added",group="apps",kind="Deployment"} 750.0
                driftwatch_watch_events_total{event="updated",group="apps",kind="Deployment"} 1200.0
                driftwatch_watch_events_total{event="updated",group="",kind="ConfigMap"} 4.0
                driftwatch_watched_objects{kind="ConfigMap"} 10.0
                """;
        String after = """
                driftwatch_watch_events_total{event="added",group="apps",kind="Deployment"} 750.0
                driftwatch_watch_events_total{event="updated",group="apps",kind="Deployment"} 1530.0
                driftwatch_watch_events_total{event="updated",group="",kind="ConfigMap"} 4.0
                driftwatch_watch_events_total{event="deleted",group="",kind="Secret"} 2.0
                """;

        var rose = WatchEventTally.minus(WatchEventTally.read(after), WatchEventTally.read(before));

        assertThat(rose).isEqualTo(Map.of("apps/Deployment", Map.of("updated", 330L), "Secret", Map.of("deleted", 2L)));
        assertThat(WatchEventTally.total(rose)).isEqualTo(332);
        assertThat(WatchEventTally.read(before).get("ConfigMap")).isEqualTo(Map.of("updated", 4L));
    }
}
