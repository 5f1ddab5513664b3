package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.emit.hub.MetricsSnapshot;
import io.driftwatch.wire.MetricsMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The relay from a real Micrometer registry (as the agent has it) through the wire format to the hub's exposition:
 * names, types and values as on the agent, {@code cluster} and {@code instance} set by the hub, the per-cluster cap,
 * goodbye and staleness.
 */
class MetricsRelayTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    private static PrometheusMeterRegistry agentRegistry(String cluster) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().commonTags("cluster", cluster);
        return r;
    }

    private static MetricsMessage push(PrometheusMeterRegistry r, String instance, boolean last) {
        String json = MetricsSnapshot.json(
                        r.getPrometheusRegistry(), instance, Instant.parse("2026-11-21T10:00:00Z"), last)
                .toString();
        return Protocol.metrics(json.getBytes(StandardCharsets.UTF_8), 100_000);
    }

    private static String exposition(MetricsRelay relay) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, relay.collect());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void relaysTheAgentsFamiliesWithTheirTypesAndTheAuthenticatedCluster() throws IOException {
        PrometheusMeterRegistry agent = agentRegistry("what-the-agent-claims");
        Counter.builder("driftwatch.drift.events")
                .tags("app", "shop", "type", "modified", "event", "opened")
                .register(agent)
                .increment(3);
        Gauge.builder("driftwatch.drifted.resources", () -> 2)
                .tags("namespace", "shop", "kind", "Deployment", "app", "shop", "type", "modified")
                .register(agent);
        Timer latency = Timer.builder("driftwatch.drift.detection.latency")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100))
                .register(agent);
        latency.record(Duration.ofMillis(5));
        latency.record(Duration.ofMillis(50));
        latency.record(Duration.ofSeconds(1));
        Counter.builder("http.unrelated").register(agent).increment();
        Gauge.builder("driftwatch.build.info", () -> 1).tags("version", "1.2.3").register(agent);
        MetricsRelay relay = new MetricsRelay(60_000, 1000, now::get);

        MetricsRelay.Result r = relay.accept("prod-eu-1", push(agent, "agent-a", false));

        String text = exposition(relay);
        assertThat(text)
                .contains(
                        "# TYPE driftwatch_drift_events_total counter",
                        "driftwatch_drift_events_total{app=\"shop\",cluster=\"prod-eu-1\",event=\"opened\",instance=\"agent-a\","
                                + "type=\"modified\"} 3.0",
                        "# TYPE driftwatch_drifted_resources gauge",
                        "# TYPE driftwatch_drift_detection_latency_seconds histogram",
                        "driftwatch_drift_detection_latency_seconds_bucket{cluster=\"prod-eu-1\",instance=\"agent-a\",le=\"0.01\"} 1",
                        "driftwatch_drift_detection_latency_seconds_bucket{cluster=\"prod-eu-1\",instance=\"agent-a\",le=\"0.1\"} 2",
                        "driftwatch_drift_detection_latency_seconds_bucket{cluster=\"prod-eu-1\",instance=\"agent-a\",le=\"+Inf\"} 3",
                        "driftwatch_drift_detection_latency_seconds_count{cluster=\"prod-eu-1\",instance=\"agent-a\"} 3",
                        "# TYPE driftwatch_build_info gauge",
                        "driftwatch_build_info{cluster=\"prod-eu-1\",instance=\"agent-a\",version=\"1.2.3\"} 1")
                .doesNotContain("what-the-agent-claims", "http_unrelated");
        assertThat(r.dropped()).isZero();
        assertThat(relay.seriesByCluster()).isEqualTo(Map.of("prod-eu-1", r.series()));
    }

    @Test
    void eachAgentProcessKeepsItsOwnSeriesSoARestartIsANewInstanceNotADropInOneCounter() throws IOException {
        PrometheusMeterRegistry old = agentRegistry("c");
        Counter.builder("driftwatch.drift.events").register(old).increment(40);
        PrometheusMeterRegistry restarted = agentRegistry("c");
        Counter.builder("driftwatch.drift.events").register(restarted).increment(1);
        MetricsRelay relay = new MetricsRelay(60_000, 1000, now::get);

        relay.accept("c", push(old, "agent-old", false));
        relay.accept("c", push(restarted, "agent-new", false));
        assertThat(exposition(relay))
                .contains(
                        "driftwatch_drift_events_total{cluster=\"c\",instance=\"agent-old\"} 40.0",
                        "driftwatch_drift_events_total{cluster=\"c\",instance=\"agent-new\"} 1.0");

        relay.accept("c", push(old, "agent-old", true)); // the old process says goodbye when it stops
        assertThat(exposition(relay))
                .doesNotContain("agent-old")
                .contains("driftwatch_drift_events_total{cluster=\"c\",instance=\"agent-new\"} 1.0");
    }

    @Test
    void seriesOfAProcessThatStopsPushingGoAfterStaleAfter() throws IOException {
        PrometheusMeterRegistry a = agentRegistry("a");
        Counter.builder("driftwatch.drift.events").register(a).increment();
        MetricsRelay relay = new MetricsRelay(30_000, 1000, now::get);
        relay.accept("a", push(a, "agent-a", false));
        relay.accept("b", push(a, "agent-b", false));

        now.addAndGet(20_000);
        relay.accept("b", push(a, "agent-b", false));
        now.addAndGet(20_000); // a: 40 s since its last push, b: 20 s

        assertThat(exposition(relay)).contains("cluster=\"b\"").doesNotContain("cluster=\"a\"");
        assertThat(relay.seriesByCluster()).containsOnlyKeys("b");
    }

    @Test
    void aClusterBeyondItsSeriesCapKeepsWhatFitsAndReportsTheRestDroppedPerDriftSeriesFirst() throws IOException {
        PrometheusMeterRegistry agent = agentRegistry("c");
        for (int i = 0; i < 5; i++) {
            Gauge.builder("driftwatch.drift.started.timestamp.seconds", () -> 1.7e9)
                    .tags("name", "obj-" + i)
                    .register(agent);
        }
        Counter.builder("driftwatch.source.sync")
                .tags("app", "shop", "result", "success")
                .register(agent);
        Gauge.builder("driftwatch.leader", () -> 1).register(agent);
        MetricsRelay relay = new MetricsRelay(60_000, 4, now::get);

        MetricsRelay.Result r = relay.accept("c", push(agent, "agent-a", false));

        assertThat(r.series()).isEqualTo(4);
        assertThat(r.dropped()).isEqualTo(3);
        assertThat(exposition(relay)).contains("driftwatch_leader{", "driftwatch_source_sync_total{");
        // a second process of the same cluster shares the cap
        assertThat(relay.accept("c", push(agent, "agent-b", false)).series()).isZero();
        relay.accept("c", push(agent, "agent-a", true));
        assertThat(relay.accept("c", push(agent, "agent-b", false)).series()).isEqualTo(4);
    }

    @Test
    void badPushesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> Protocol.metrics(
                        ("{\"instance\":\"a\",\"startedAt\":\"2026-11-21T10:00:00Z\","
                                        + "\"families\":[{\"name\":\"x\",\"type\":\"counter\",\"series\":[{\"value\":-1}]}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        10))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("families[0].series[0].value");
        assertThatThrownBy(() -> Protocol.metrics(
                        ("{\"instance\":\"a\",\"startedAt\":\"2026-11-21T10:00:00Z\","
                                        + "\"families\":[{\"name\":\"x\",\"type\":\"histogram\",\"series\":[{\"count\":1,\"sum\":1,"
                                        + "\"buckets\":[[1,2]]}]}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        10))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("families[0].series[0].buckets[0]");
        assertThatThrownBy(() -> Protocol.metrics(
                        ("{\"instance\":\"a\",\"startedAt\":\"2026-11-21T10:00:00Z\","
                                        + "\"families\":[{\"name\":\"x y\",\"type\":\"gauge\",\"series\":[]}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        10))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("families[0].name");
        assertThatThrownBy(() -> Protocol.metrics(
                        ("{\"instance\":\"a\",\"startedAt\":\"2026-11-21T10:00:00Z\","
                                        + "\"families\":[{\"name\":\"x\",\"type\":\"gauge\",\"series\":[{\"labels\":{\"a\":\"1\"},\"value\":1},"
                                        + "{\"labels\":{\"a\":\"1\"},\"value\":2}]}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        10))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> Protocol.metrics(
                        ("{\"instance\":\"a\",\"startedAt\":\"2026-11-21T10:00:00Z\","
                                        + "\"families\":[{\"name\":\"x_total\",\"type\":\"gauge\",\"series\":[]}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        10))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining("families[0].name: 'x_total'");
    }
}
