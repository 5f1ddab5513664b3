package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.agent.AgentRunner;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.PrometheusServer;
import io.driftwatch.testing.Promtool;
import io.driftwatch.testing.TestHub;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents, configured as two clusters (two namespaces of one real API server), push their metrics to one real hub;
 * a real Prometheus (Debian's, scraping every second) scrapes only the hub's {@code /metrics/agents} as job
 * driftwatch-agent. It sees both clusters' agent metrics with the right {@code cluster}, every panel of the agent
 * dashboards has data for each cluster, an agent restart leaves every relayed counter without a reset or a rate
 * spike, and the series of a cluster whose pushes stop go away after {@code metrics.relayStaleAfter}.
 */
@WithKubeApiServer
class HubMetricsRelayIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String[] COUNTERS = {
        "driftwatch_source_sync_total",
        "driftwatch_drift_events_total",
        "driftwatch_hub_pushes_total",
        "driftwatch_drift_detection_latency_seconds_count",
        "driftwatch_drift_detection_latency_seconds_bucket",
        "vertx_http_server_requests_total"
    };

    @TempDir
    Path tmp;

    @Test
    void prometheusScrapingOnlyTheHubSeesEveryClustersAgentMetrics(LocalKubeCluster cluster, TestNamespace nsA)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        String suffix = Integer.toHexString(nsA.name().hashCode());
        TestNamespace nsB = new TestNamespace("relay-b-" + suffix);
        kubectl.run("create", "namespace", nsB.name());
        GitRepoFixture repo = DashboardAgent.webRepo(tmp.resolve("repo"));
        String a = "relay-a-" + suffix;
        String b = "relay-b-" + suffix;
        Map<String, Path> tokens = new HashMap<>();
        try (TestHub hub = TestHub.start(
                TestHub.sqlite(tmp.resolve("hub.db")) + "metrics: {relayStaleAfter: 5s}\n", List.of(a, b))) {
            String configA = agentConfig(a, nsA, kubectl, repo, hub, tokens);
            String configB = agentConfig(b, nsB, kubectl, repo, hub, tokens);
            AgentRunner agentA = AgentRunner.start(configA, cluster.adminConfig());
            try (AgentRunner agentB = AgentRunner.start(configB, cluster.adminConfig());
                    PrometheusServer prometheus = PrometheusServer.start(tmp, prometheusConfig(hub.port()))) {
                Eventually.await(
                        "agents ready",
                        WAIT,
                        () -> agentA.endpoint.ready() && agentB.endpoint.ready(),
                        () -> agentA.endpoint.readiness() + " / " + agentB.endpoint.readiness());
                Eventually.await(
                        "first scrapes of the hub",
                        WAIT,
                        () -> prometheus.value("count_over_time(up{job=\"driftwatch-agent\"}[1m])") >= 3,
                        prometheus::logTail);
                kubectl.run("-n", nsA.name(), "scale", "statefulset/postgres", "--replicas=3");
                kubectl.run("-n", nsB.name(), "scale", "statefulset/postgres", "--replicas=2");
                Eventually.await(
                        "drift reported by both agents",
                        WAIT,
                        () -> agentA.endpoint.drifts().size() == 1
                                && agentB.endpoint.drifts().size() == 1);
                System.gc(); // jvm_gc_pause_seconds exists after the first collection (see DashboardQueriesIT)
                Eventually.await(
                        "20 scrapes, the last ones with both drifts",
                        WAIT,
                        () -> prometheus.value("count_over_time(up{job=\"driftwatch-agent\"}[1m])") >= 20
                                && prometheus.value(
                                                "count(driftwatch_drift_started_timestamp_seconds{name=\"postgres\"})")
                                        == 2,
                        prometheus::logTail);

                // each cluster's agent, under its own cluster label, with its own namespace's drift
                assertThat(byCluster(
                                prometheus, "count by (cluster) (driftwatch_build_info{job=\"driftwatch-agent\"})"))
                        .isEqualTo(Map.of(a, "1", b, "1"));
                assertThat(byCluster(
                                prometheus,
                                "max by (cluster) (driftwatch_drift_started_timestamp_seconds"
                                        + "{job=\"driftwatch-agent\", name=\"postgres\"})"))
                        .containsOnlyKeys(a, b);
                assertThat(prometheus
                                .query("driftwatch_drift_started_timestamp_seconds{cluster=\"" + a + "\"}")
                                .path("data")
                                .path("result")
                                .get(0)
                                .path("metric")
                                .path("namespace")
                                .asText())
                        .isEqualTo(nsA.name());
                assertThat(prometheus
                                .query("driftwatch_drift_started_timestamp_seconds{cluster=\"" + b + "\"}")
                                .path("data")
                                .path("result")
                                .get(0)
                                .path("metric")
                                .path("namespace")
                                .asText())
                        .isEqualTo(nsB.name());
                // the agent rules evaluate on the relayed series: no rule errors, the recording rules per cluster
                List<String> unhealthy = new java.util.ArrayList<>();
                for (JsonNode group : prometheus.rules().path("data").path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        if (!"ok".equals(rule.path("health").asText())) {
                            unhealthy.add(rule.path("name").asText() + ": "
                                    + rule.path("health").asText() + " "
                                    + rule.path("lastError").asText());
                        }
                    }
                }
                assertThat(unhealthy).as("rules not evaluating cleanly").isEmpty();
                assertThat(byCluster(prometheus, "cluster:driftwatch_drifted_resources:sum"))
                        .isEqualTo(Map.of(a, "1", b, "1"));
                String relayed = hub.get("/metrics/agents", null).body();
                System.out.printf(
                        "relay: /metrics/agents holds %d series, %d bytes; per cluster %s + %s series%n",
                        relayed.lines().filter(l -> !l.startsWith("#")).count(),
                        relayed.length(),
                        hub.metric("driftwatch_hub_relay_series", Map.of("cluster", a)),
                        hub.metric("driftwatch_hub_relay_series", Map.of("cluster", b)));
                var lint = Promtool.checkMetrics(relayed);
                assertThat(lint.exitCode())
                        .as("promtool check metrics on /metrics/agents: " + lint.output())
                        .isZero();

                // the dashboards, from the hub alone, for each cluster
                for (var agent : List.of(Map.entry(a, agentA), Map.entry(b, agentB))) {
                    // nothing scrapes the agents, so their HTTP panels need requests: probes, as a kubelet sends
                    Eventually.await(
                            "the agent's probe requests relayed",
                            WAIT,
                            () -> agent.getValue().endpoint.ready()
                                    && prometheus.value(
                                                    "sum(rate(vertx_http_server_response_time_seconds_count{cluster=\""
                                                            + agent.getKey() + "\"}[1m]))")
                                            > 0);
                    AtomicInteger checked = new AtomicInteger();
                    List<String> failures = Dashboards.queriesWithoutData(
                            prometheus,
                            Dashboards.agentFiles(),
                            Map.of(
                                    "cluster",
                                    agent.getKey(),
                                    "app",
                                    "shop",
                                    "instance",
                                    agent.getValue()
                                            .endpoint
                                            .status()
                                            .path("identity")
                                            .asText()),
                            checked);
                    assertThat(checked.get()).as("panel queries checked").isGreaterThanOrEqualTo(30);
                    assertThat(failures)
                            .as("panel queries without data for " + agent.getKey())
                            .isEmpty();
                }

                // agent A restarts: a new process, a new instance; the old one said goodbye
                String oldId = agentA.endpoint.status().path("identity").asText();
                agentA.close();
                try (AgentRunner restarted = AgentRunner.start(configA, cluster.adminConfig())) {
                    String newId = restarted.endpoint.status().path("identity").asText();
                    String sel = "{cluster=\"" + a + "\"}";
                    Eventually.await(
                            "the old process gone at once, the new one relayed",
                            WAIT,
                            () -> prometheus.value("count(driftwatch_build_info" + sel + ")") == 1
                                    && prometheus.value("count(driftwatch_build_info{cluster=\"" + a + "\", instance=\""
                                                    + newId + "\"})")
                                            == 1,
                            prometheus::logTail);
                    Eventually.await(
                            "15 scrapes since the restart",
                            WAIT,
                            () -> prometheus.value(
                                            "count_over_time(driftwatch_build_info{instance=\"" + newId + "\"}[2m])")
                                    >= 15);
                    assertThat(prometheus.value("count(count by (instance) (count_over_time(driftwatch_build_info" + sel
                                    + "[5m])))"))
                            .as("instances of cluster A over the test")
                            .isEqualTo(2);
                    assertThat(oldId).isNotEqualTo(newId);
                    for (String counter : COUNTERS) {
                        String q = counter + sel;
                        assertThat(prometheus.value("count(" + q + ")"))
                                .as("series of " + q)
                                .isGreaterThan(0);
                        assertThat(prometheus.value("sum(resets(" + q + "[5m]))"))
                                .as("resets of " + q)
                                .isZero();
                        assertThat(prometheus.value("min_over_time(sum(rate(" + q + "[10s]))[3m:1s])"))
                                .as("lowest rate of " + q)
                                .isGreaterThanOrEqualTo(0);
                    }
                    // two apps loading every 2 s: about 1 load/s; a counter restarting into one series would spike
                    assertThat(prometheus.value(
                                    "max_over_time(sum(rate(driftwatch_source_sync_total" + sel + "[10s]))[3m:1s])"))
                            .as("highest load rate around the restart")
                            .isLessThan(3);

                    // cluster B stops reporting (its token no longer works, as when the hub moved or a network broke)
                    Files.writeString(tokens.get(b), "revoked");
                    long stopped = System.nanoTime();
                    Eventually.await(
                            "cluster B's series gone after relayStaleAfter",
                            WAIT,
                            () -> prometheus
                                    .query("driftwatch_build_info{cluster=\"" + b + "\"}")
                                    .path("data")
                                    .path("result")
                                    .isEmpty(),
                            prometheus::logTail);
                    long tookMs = (System.nanoTime() - stopped) / 1_000_000;
                    System.out.printf(
                            "relay: cluster B's series left Prometheus %d ms after its pushes stopped "
                                    + "(relayStaleAfter 5s, push and scrape every 1s)%n",
                            tookMs);
                    assertThat(prometheus.value("count(driftwatch_build_info" + sel + ")"))
                            .isEqualTo(1);
                    assertThat(agentB.endpoint.ready())
                            .as("agent B still runs; only its pushes stopped")
                            .isTrue();
                    Eventually.await(
                            "the hub's gauge without cluster B",
                            WAIT,
                            () -> hub.metric("driftwatch_hub_relay_series", Map.of("cluster", b))
                                    .isEmpty());
                    assertThat(hub.metric("driftwatch_hub_relay_series", Map.of("cluster", a)))
                            .isPresent();
                }
            } finally {
                agentA.close();
            }
        }
    }

    /** Result of an instant query keyed by its {@code cluster} label. */
    private static Map<String, String> byCluster(PrometheusServer prometheus, String promql) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode s : prometheus.query(promql).path("data").path("result")) {
            out.put(
                    s.path("metric").path("cluster").asText(),
                    s.path("value").get(1).asText());
        }
        return out;
    }

    /** The namespace's objects applied, its token written, and the agent configuration of the cluster. */
    private String agentConfig(
            String name, TestNamespace ns, Kubectl kubectl, GitRepoFixture repo, TestHub hub, Map<String, Path> tokens)
            throws Exception {
        Path token = Files.writeString(tmp.resolve(name + ".token"), TestHub.token(name));
        tokens.put(name, token);
        return DashboardAgent.config(name, ns, kubectl, repo, tmp.resolve("git-cache-" + name))
                + """
                scope: {namespaces: {include: [%s]}}
                hub: {url: "%s", tokenFile: %s, metricsInterval: 1s, heartbeatInterval: 1s}
                """.formatted(ns.name(), hub.url(), token);
    }

    private static String prometheusConfig(int hubPort) {
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
                    metrics_path: /metrics/agents
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(AlertRules.RULES.toAbsolutePath(), hubPort);
    }
}
