package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.agent.AgentRunner;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.PrometheusServer;
import io.driftwatch.testing.TestHub;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every panel query of every dashboard returns data from a real Prometheus (Debian, scraping every second) that scrapes
 * a real agent with drift present (job driftwatch-agent) and the real hub (SQLite) that agent pushes to (job
 * driftwatch-hub): a directory app with a StatefulSet scaled by kubectl, and a Git app so that the render cache is in
 * use; the drift is made while Prometheus scrapes, and a second drift is opened and reverted so that the hub's
 * opened/resolved rates and time-to-resolve quantiles have something to show. The variables are resolved from their
 * own {@code label_values} queries, then substituted ($__rate_interval = 1m); an error, an empty result or a result
 * of only NaN fails the test with the query.
 */
@WithKubeApiServer
class DashboardQueriesIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void everyPanelQueryReturnsDataFromPrometheusScrapingAnAgentWithDrift(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        String clusterName = "dash-" + ns.name();
        TestHub hub = TestHub.start(TestHub.sqlite(tmp.resolve("hub.db")), List.of(clusterName));
        Path token = Files.writeString(tmp.resolve("hub-token"), TestHub.token(clusterName) + "\n");
        String config = DashboardAgent.config(
                        clusterName, ns, kubectl, DashboardAgent.webRepo(tmp.resolve("repo")), tmp.resolve("git-cache"))
                + "hub: {url: \"%s\", tokenFile: %s, heartbeatInterval: 2s, requestTimeout: 2s}\n"
                        .formatted(hub.url(), token);

        try (hub;
                AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            String instance = "127.0.0.1:" + runner.agentPort();
            try (PrometheusServer prometheus =
                    PrometheusServer.start(tmp, prometheusConfig(instance, "127.0.0.1:" + hub.port()))) {
                // the drift happens while Prometheus watches, so that rates and latency quantiles over the last
                // minute have something to show
                Eventually.await(
                        "first scrapes",
                        WAIT,
                        () -> prometheus.value("count_over_time(up{job=\"driftwatch-agent\"}[1m])") >= 3
                                && prometheus.value("count_over_time(up{job=\"driftwatch-hub\"}[1m])") >= 3,
                        prometheus::logTail);
                kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=3");
                Eventually.await(
                        "drift reported",
                        WAIT,
                        () -> agent.drifts().size() == 1,
                        () -> agent.drifts().toString());
                // a second drift, opened and reverted: the hub counts it and observes its time to resolve
                kubectl.run(
                        "-n",
                        ns.name(),
                        "patch",
                        "configmap/api-config",
                        "--type=merge",
                        "-p",
                        "{\"data\":{\"dashboard-test\":\"out of band\"}}");
                Eventually.await(
                        "second drift reported",
                        WAIT,
                        () -> agent.drifts().size() == 2,
                        () -> agent.drifts().toString());
                kubectl.run(
                        "-n",
                        ns.name(),
                        "patch",
                        "configmap/api-config",
                        "--type=json",
                        "-p",
                        "[{\"op\":\"remove\",\"path\":\"/data/dashboard-test\"}]");
                Eventually.await(
                        "the hub received the resolution",
                        WAIT,
                        () -> hub.metric(
                                                "driftwatch_hub_drift_events_total",
                                                Map.of(
                                                        "cluster",
                                                        clusterName,
                                                        "type",
                                                        "modified",
                                                        "cause",
                                                        "out-of-band",
                                                        "event",
                                                        "resolved"))
                                        .orElse(0)
                                >= 1,
                        hub::metrics);
                // JvmGcMetrics creates jvm_gc_pause_seconds at the first collection after the agent bound it; make
                // sure one has happened in this JVM (a running agent collects all the time anyway)
                System.gc();
                Eventually.await(
                        "20 scrapes, the last ones with the drift, and the resolution in the last minute",
                        WAIT,
                        () -> prometheus.value("count_over_time(up{job=\"driftwatch-agent\"}[1m])") >= 20
                                && prometheus.value(
                                                "count(driftwatch_drift_started_timestamp_seconds{name=\"postgres\"})")
                                        == 1
                                && prometheus.value(
                                                "count(driftwatch_hub_drift_started_timestamp_seconds{name=\"postgres\"})")
                                        == 1
                                && prometheus.value(
                                                "sum(increase(driftwatch_hub_drift_time_to_resolve_seconds_count[1m]))")
                                        > 0,
                        prometheus::logTail);

                Map<String, String> chosen = Map.of("cluster", clusterName, "app", "shop", "instance", instance);
                AtomicInteger checked = new AtomicInteger();
                List<String> failures = Dashboards.queriesWithoutData(prometheus, Dashboards.files(), chosen, checked);
                assertThat(checked.get()).as("panel queries checked").isGreaterThanOrEqualTo(60);
                assertThat(failures).as("panel queries without data").isEmpty();
            }
        }
    }

    private static String prometheusConfig(String agentTarget, String hubTarget) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: driftwatch-agent
                    honor_labels: true
                    static_configs:
                      - targets: ['%s']
                  - job_name: driftwatch-hub
                    static_configs:
                      - targets: ['%s']
                """.formatted(AlertRules.RULES.toAbsolutePath(), agentTarget, hubTarget);
    }
}
