package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.driftwatch.agent.AgentRunner;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.AlertmanagerServer;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.PrometheusServer;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WebhookReceiver;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole paging path with real parts: a drift made with kubectl → the agent → a real Prometheus (Debian; scrape and
 * rule evaluation every second) evaluating the shipped rules → a real Alertmanager (Debian) → a webhook receiver in
 * this test gets the firing alert with its labels; the drift is reverted and the resolved notification arrives.
 *
 * <p>The rules are the real alerts/driftwatch.rules.yaml, except that in a temporary copy the alert under test,
 * {@code DriftwatchDriftOpenTooLong}, has its drift-age threshold rewritten from 3600 s to 1 s and its {@code for}
 * from 5m to 2s, so that it fires within seconds instead of after 65 minutes. Everything else (expressions, the join on
 * the production cluster label, labels, annotations, the other rules) is as shipped.
 */
@WithKubeApiServer
class AlertDeliveryIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ALERT = "DriftwatchDriftOpenTooLong";

    @TempDir
    Path tmp;

    @Test
    void driftInAProductionClusterPagesThroughAlertmanagerAndResolvesWhenReverted(
            LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        Path dir = Corpus.materialize(ns, "17-service-postgres.yaml", "18-statefulset-postgres.yaml");
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
        String clusterName = "alerts-" + ns.name();
        String config = """
                cluster: %1$s
                clusterLabels: {env: prod}
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                sources:
                  directories:
                  - {name: shop, path: %2$s, targetNamespace: %3$s, pollInterval: 2s}
                """.formatted(clusterName, dir, ns.name());
        Path rules = fastRules();

        try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig());
                WebhookReceiver receiver = WebhookReceiver.start();
                AlertmanagerServer alertmanager = AlertmanagerServer.start(tmp, alertmanagerConfig(receiver.url()));
                PrometheusServer prometheus = PrometheusServer.start(
                        tmp, prometheusConfig(rules, "127.0.0.1:" + runner.agentPort(), alertmanager.address()))) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);

            kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=3");

            Eventually.await(
                    "firing notification",
                    WAIT,
                    () -> notification(receiver, "firing").isPresent(),
                    () -> "received " + receiver.notifications() + "\nPrometheus alerts " + prometheus.alerts() + "\n"
                            + alertmanager.logTail());
            JsonNode firing = notification(receiver, "firing").orElseThrow();
            Map<String, String> expected = new TreeMap<>(Map.of(
                    "alertname",
                    ALERT,
                    "severity",
                    "critical",
                    "cluster",
                    clusterName,
                    "namespace",
                    ns.name(),
                    "kind",
                    "StatefulSet",
                    "name",
                    "postgres",
                    "app",
                    "shop",
                    "type",
                    "modified",
                    "manager",
                    "kubectl"));
            expected.put("cause", "out-of-band"); // kubectl scale: a person's write
            assertThat(labels(firing)).isEqualTo(expected);
            assertThat(firing.path("annotations").path("runbook_url").asText())
                    .endsWith("docs/runbook.md#driftwatchdriftopentoolong");
            assertThat(firing.path("annotations").path("description").asText())
                    .startsWith(
                            "StatefulSet " + ns.name() + "/postgres (app shop) in production cluster " + clusterName);

            kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=1");

            Eventually.await(
                    "resolved notification",
                    WAIT,
                    () -> notification(receiver, "resolved").isPresent(),
                    () -> "received " + receiver.notifications() + "\nagent drifts " + agent.drifts() + "\n"
                            + alertmanager.logTail());
            assertThat(labels(notification(receiver, "resolved").orElseThrow())).isEqualTo(expected);
        }
    }

    /** The shipped rules with the alert under test made fast (see the class comment), in a temporary file. */
    private Path fastRules() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode rules = yaml.readTree(AlertRules.RULES.toFile());
        int rewritten = 0;
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (ALERT.equals(rule.path("alert").asText())) {
                    String expr = rule.path("expr").asText();
                    assertThat(expr).as("the threshold this test rewrites").contains(") > 3600\n");
                    ((ObjectNode) rule).put("expr", expr.replace(") > 3600\n", ") > 1\n"));
                    ((ObjectNode) rule).put("for", "2s");
                    rewritten++;
                }
            }
        }
        assertThat(rewritten).as("warning and critical rules of " + ALERT).isEqualTo(2);
        Path file = tmp.resolve("driftwatch-fast.rules.yaml");
        yaml.writeValue(file.toFile(), rules);
        return file;
    }

    /** The alert of our drift in the first notification with that status, if one arrived. */
    private static Optional<JsonNode> notification(WebhookReceiver receiver, String status) {
        for (JsonNode n : receiver.notifications()) {
            for (JsonNode alert : n.path("alerts")) {
                if (status.equals(alert.path("status").asText())
                        && ALERT.equals(alert.path("labels").path("alertname").asText())) {
                    return Optional.of(alert);
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> labels(JsonNode alert) {
        Map<String, String> labels = new TreeMap<>();
        alert.path("labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static String alertmanagerConfig(String webhookUrl) {
        return """
                route:
                  receiver: test
                  group_by: [alertname, cluster, namespace, name]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: test
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                """.formatted(webhookUrl);
    }

    private static String prometheusConfig(Path rules, String agentTarget, String alertmanager) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ['%s']
                scrape_configs:
                  - job_name: driftwatch-agent
                    honor_labels: true
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules, alertmanager, agentTarget);
    }
}
