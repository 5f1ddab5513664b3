package io.driftwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
}
