package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.agent.AgentRunner;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.CachedBinary;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.PrometheusServer;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's OTLP push (metrics.otlp, Micrometer's OTLP registry) into a real Prometheus 3.x OTLP receiver (built by
 * scripts/test-binaries.sh; nothing scrapes anything): the agent's metrics are queryable under the names and types a
 * scrape gives, with {@code job="driftwatch-agent"} (from {@code service.name}) and the agent's {@code cluster}, so the
 * agent dashboards and rules work on a store fed by OTLP.
 */
@WithKubeApiServer
@Order(CachedBinary.AFTER_BACKGROUND_BUILD) // needs a binary built beside the tests
class OtlpPushIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void agentMetricsPushedOverOtlpAreQueryableInPrometheus(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        Path dir = Corpus.materialize(ns, "17-service-postgres.yaml", "18-statefulset-postgres.yaml");
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
        Path header = Files.writeString(tmp.resolve("otlp-auth"), "Bearer not-checked-by-prometheus\n");
        String name = "otlp-" + ns.name();
        try (PrometheusServer prometheus = PrometheusServer.startWithOtlpReceiver(tmp, "global: {}\n")) {
            String config = """
                    cluster: %1$s
                    http: {host: 127.0.0.1, port: 0}
                    leaderElection: {enabled: false}
                    events: {minInterval: 1s}
                    scope: {namespaces: {include: [%3$s]}}
                    sources:
                      directories:
                      - {name: shop, path: %2$s, targetNamespace: %3$s, pollInterval: 2s}
                    metrics:
                      otlp:
                        url: %4$s/api/v1/otlp/v1/metrics
                        headers: {Authorization: %5$s}
                        step: 1s
                        resourceAttributes: {deployment.environment: test}
                    """.formatted(name, dir, ns.name(), prometheus.url(), header);
            try (AgentRunner agent = AgentRunner.start(config, cluster.adminConfig())) {
                Eventually.await("agent ready", WAIT, agent.endpoint::ready, agent.endpoint::readiness);
                kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=3");
                Eventually.await(
                        "drift reported", WAIT, () -> agent.endpoint.drifts().size() == 1);
                String sel = "{job=\"driftwatch-agent\", cluster=\"" + name + "\"}";
                Eventually.await(
                        "the pushed drift is queryable",
                        WAIT,
                        () -> prometheus.value("sum(driftwatch_drift_events_total{job=\"driftwatch-agent\", cluster=\""
                                                + name + "\", event=\"opened\"})")
                                        >= 1
                                // the drift gauges follow on the agent's 1 s gauge refresh, so maybe one push later
                                && prometheus.value("sum(driftwatch_drifted_resources" + sel + ")") == 1,
                        prometheus::logTail);

                String identity = agent.endpoint.status().path("identity").asText();
                JsonNode info = prometheus
                        .query("driftwatch_build_info" + sel)
                        .path("data")
                        .path("result");
                assertThat(info).hasSize(1);
                assertThat(info.get(0).path("metric").path("instance").asText()).isEqualTo(identity);
                assertThat(prometheus.value("sum(driftwatch_drifted_resources" + sel + ")"))
                        .isEqualTo(1);
                assertThat(prometheus.value("driftwatch_drift_started_timestamp_seconds{job=\"driftwatch-agent\", "
                                + "cluster=\"" + name + "\", name=\"postgres\"}"))
                        .isGreaterThan(1.7e9);
                // the detection-latency timer arrives as a histogram with the agent's buckets, in seconds
                assertThat(prometheus.value("count(driftwatch_drift_detection_latency_seconds_bucket" + sel + ")"))
                        .isGreaterThanOrEqualTo(12);
                assertThat(prometheus.value("sum(driftwatch_drift_detection_latency_seconds_count" + sel + ")"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(prometheus.value("sum(driftwatch_source_sync_total{job=\"driftwatch-agent\", cluster=\""
                                + name + "\", result=\"success\"})"))
                        .isGreaterThanOrEqualTo(1);
            }
        }
    }
}
