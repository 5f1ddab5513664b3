package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.emit.KubeEvents;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.AuditEventJson;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.Promtool;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The agent end to end on the real API server with a Git app: drift appears in every output (metrics, Kubernetes Event,
 * JSON log line), then resolves and its duration is observed.
 */
@WithKubeApiServer
class AgentIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static String config(TestNamespace ns, Path dir) {
        return """
                cluster: it-%1$s
                clusterLabels: {env: test}
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                events: {minInterval: 1s}
                sources:
                  directories:
                  - {name: shop, path: %2$s, targetNamespace: %1$s, pollInterval: 2s}
                """.formatted(ns.name(), dir);
    }

    /** An agent whose app's manifests are in a real Git repository (file:// URL), rendered as plain YAML. */
    static String gitConfig(TestNamespace ns, GitRepoFixture repo, Path cache) {
        return """
                cluster: it-%1$s
                clusterLabels: {env: test}
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                events: {minInterval: 1s}
                sources:
                  git:
                    cacheDir: %2$s
                    apps:
                    - {name: shop, repoUrl: "%3$s", revision: main, path: apps/shop, targetNamespace: %1$s,
                       pollInterval: 5s}
                """.formatted(ns.name(), cache, repo.fileUrl());
    }

    @Test
    void scaledStatefulSetIsReportedInEveryOutputAndResolvesWhenScaledBack(
            LocalKubeCluster cluster, KubernetesClient client, TestNamespace ns, @TempDir Path tmp) throws Exception {
        Path dir = Corpus.materialize(
                ns, "17-service-postgres.yaml", "18-statefulset-postgres.yaml", "08-configmap-api-config.yaml");
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("repo"));
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path file : files.toList()) {
                repo.write("apps/shop/" + file.getFileName(), java.nio.file.Files.readString(file));
            }
        }
        repo.commit("shop: postgres, its service and the api config");
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run(
                "apply", "-n", ns.name(), "-f", repo.dir().resolve("apps/shop").toString());
        ListAppender<ILoggingEvent> log = captureDriftLog();

        try (AgentRunner runner =
                AgentRunner.start(gitConfig(ns, repo, tmp.resolve("git-cache")), cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            assertThat(agent.drifts()).isEmpty();
            assertThat(agent.metric("driftwatch_desired_resources", Map.of("app", "shop")))
                    .hasValue(3.0);

            Map<String, String> statefulSetUpdates = Map.of("group", "apps", "kind", "StatefulSet", "event", "updated");
            Eventually.await(
                    "watch-event counters registered",
                    WAIT,
                    () -> agent.metric("driftwatch_watch_events_total", statefulSetUpdates)
                            .isPresent());
            double updatesBefore = agent.metric("driftwatch_watch_events_total", statefulSetUpdates)
                    .getAsDouble();

            kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=3");

            Eventually.await(
                    "drift reported",
                    WAIT,
                    () -> agent.drifts().size() == 1,
                    () -> agent.drifts().toString());
            JsonNode drift = agent.drifts().get(0);
            assertThat(drift.path("kind").asText()).isEqualTo("StatefulSet");
            // the scale reached the agent as (at least) one watch notification, counted before the verdict
            assertThat(agent.metric("driftwatch_watch_events_total", statefulSetUpdates)
                            .getAsDouble())
                    .isGreaterThanOrEqualTo(updatesBefore + 1);
            assertThat(drift.path("changes").get(0).path("field").asText()).isEqualTo("spec.replicas");
            assertThat(drift.path("changes").get(0).path("manager").asText()).isEqualTo("kubectl");
            assertThat(drift.path("onset").asText()).isNotBlank();
            // the list filtered on the agent: this object, its app, and what matches nothing; bad parameters all named
            assertThat(agent.drifts("?kind=StatefulSet&name=postgres&namespace=" + ns.name()))
                    .singleElement()
                    .satisfies(d -> assertThat(d.path("id")).isEqualTo(drift.path("id")));
            assertThat(agent.drifts("?app=shop&app=other")).hasSize(1);
            assertThat(agent.drifts("?kind=StatefulSet&name=api")).isEmpty();
            assertThat(agent.drifts("?namespace=")).isEmpty(); // cluster-scoped objects only
            HttpResponse<String> bad = agent.get("/api/v1/drifts?nmae=postgres&kind=");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("unknown parameter 'nmae'").contains("kind: must not be empty");
            assertThat(agent.metric(
                            "driftwatch_drifted_resources",
                            Map.of("app", "shop", "kind", "StatefulSet", "namespace", ns.name(), "type", "modified")))
                    .hasValue(1.0);
            assertThat(agent.metric(
                            "driftwatch_drift_started_timestamp_seconds",
                            Map.of("name", "postgres", "manager", "kubectl")))
                    .isPresent();
            assertThat(agent.metric("driftwatch_app_drifted", Map.of("app", "shop")))
                    .hasValue(1.0);
            assertThat(agent.metric("driftwatch_drift_detection_latency_seconds_count", Map.of()))
                    .isPresent();
            Eventually.await(
                    "DriftDetected event",
                    WAIT,
                    () -> events(client, ns, "DriftDetected").size() == 1);
            Event detected = events(client, ns, "DriftDetected").get(0);
            assertThat(detected.getType()).isEqualTo("Warning");
            assertThat(detected.getInvolvedObject().getKind()).isEqualTo("StatefulSet");
            assertThat(detected.getMessage()).contains("replicas 1 → 3").contains("kubectl");
            JsonNode line = jsonLine(log, "drift opened");
            assertThat(line.path("event").asText()).isEqualTo("opened");
            assertThat(line.path("drift").path("changes").get(0).path("manager").asText())
                    .isEqualTo("kubectl");

            kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=1");

            Eventually.await(
                    "drift resolved",
                    WAIT,
                    () -> agent.drifts().isEmpty(),
                    () -> agent.drifts().toString());
            assertThat(agent.metric(
                            "driftwatch_drift_duration_seconds_count", Map.of("app", "shop", "type", "modified")))
                    .hasValue(1.0);
            assertThat(agent.metric("driftwatch_drifted_resources", Map.of("kind", "StatefulSet")))
                    .hasValue(0.0);
            Eventually.await(
                    "DriftResolved event",
                    WAIT,
                    () -> events(client, ns, "DriftResolved").size() == 1);
            assertThat(events(client, ns, "DriftResolved").get(0).getType()).isEqualTo("Normal");
            assertThat(jsonLine(log, "drift resolved").path("durationSeconds").isNumber())
                    .isTrue();

            var lint = Promtool.checkMetrics(agent.metrics());
            assertThat(lint.exitCode()).as(lint.output()).isZero();
        } finally {
            ((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).detachAppender(log);
        }
    }

    /**
     * Audit arrives after the drift (as a batched webhook backend delivers it): the drift is reported at once without an
     * actor, and the late batch names the person in an updated Kubernetes Event (despite the Event rate limit) and an
     * updated JSON log line; nothing of the audit token appears in either.
     */
    @Test
    void aLateAuditBatchNamesWhoScaledItInAnUpdatedEventAndLogLine(
            LocalKubeCluster cluster, KubernetesClient client, TestNamespace ns, @TempDir Path tmp) throws Exception {
        Path dir = Corpus.materialize(ns, "17-service-postgres.yaml", "18-statefulset-postgres.yaml");
        String secret = "it-audit-token-" + ns.name();
        Path token = Files.writeString(tmp.resolve("audit-token"), secret);
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
        ListAppender<ILoggingEvent> log = captureDriftLog();
        String config = config(ns, dir).replace("events: {minInterval: 1s}", "events: {minInterval: 10m}")
                + "audit: {tokenFile: " + token + "}\n";

        try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            Instant before = Instant.now();
            kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=3");
            Instant after = Instant.now();
            Eventually.await(
                    "drift reported",
                    WAIT,
                    () -> agent.drifts().size() == 1,
                    () -> agent.drifts().toString());
            assertThat(agent.drifts()
                            .get(0)
                            .path("changes")
                            .get(0)
                            .path("actor")
                            .isNull())
                    .isTrue();
            Eventually.await(
                    "DriftDetected event",
                    WAIT,
                    () -> events(client, ns, "DriftDetected").size() == 1);
            assertThat(events(client, ns, "DriftDetected").get(0).getMessage())
                    .startsWith("Cause out-of-band: StatefulSet ");

            var live = client.apps()
                    .statefulSets()
                    .inNamespace(ns.name())
                    .withName("postgres")
                    .get();
            // the API server records kubectl's write through the scale subresource without a time: the audit event's
            // timestamps are those of the kubectl call, and the response's resourceVersion ties it to the live object
            String write = AuditEventJson.write(
                    "it-scale-1",
                    "patch",
                    "apps",
                    "statefulsets",
                    "scale",
                    ns.name(),
                    "postgres",
                    "alice",
                    "carol",
                    AuditEventJson.KUBECTL,
                    before,
                    after,
                    live.getMetadata().getResourceVersion());
            assertThat(agent.post(
                            "/api/v1/audit",
                            "Bearer " + secret,
                            AuditEventJson.list(List.of(write)).getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(200);

            Eventually.await(
                    "actor named",
                    WAIT,
                    () -> "carol"
                            .equals(agent.drifts()
                                    .get(0)
                                    .path("changes")
                                    .get(0)
                                    .path("actor")
                                    .path("username")
                                    .asText()),
                    () -> agent.drifts().toString());
            Eventually.await(
                    "a second DriftDetected event within minInterval",
                    WAIT,
                    () -> events(client, ns, "DriftDetected").size() == 2);
            Event named = events(client, ns, "DriftDetected").stream()
                    .filter(e -> e.getMessage().contains(", by carol"))
                    .findFirst()
                    .orElseThrow();
            assertThat(named.getMessage())
                    .startsWith("Cause out-of-band, by carol (impersonated by alice; exact: spec.replicas): "
                            + "StatefulSet " + ns.name() + "/postgres")
                    .doesNotContain(secret)
                    .doesNotContain("10.0.0.7");
            assertThat(named.getMetadata().getAnnotations()).containsEntry(KubeEvents.ACTORS, "carol");
            JsonNode line = jsonLine(log, "drift updated");
            assertThat(line.path("actors").get(0).path("username").asText()).isEqualTo("carol");
            assertThat(line.path("actors").get(0).path("impersonatedBy").asText())
                    .isEqualTo("alice");
            assertThat(line.path("actors").get(0).path("match").asText()).isEqualTo("exact");
            assertThat(line.path("drift")
                            .path("changes")
                            .get(0)
                            .path("actor")
                            .path("auditID")
                            .asText())
                    .isEqualTo("it-scale-1");
            assertThat(log.list).noneMatch(e -> e.getFormattedMessage().contains(secret));
            assertThat(line.toString()).doesNotContain(secret);
        } finally {
            ((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).detachAppender(log);
        }
    }

    @Test
    void objectDeletedAndExtraObjectCreatedAreReportedAsMissingAndExtra(LocalKubeCluster cluster, TestNamespace ns) {
        Path dir = Corpus.materialize(ns, "08-configmap-api-config.yaml", "09-configmap-node-cache.yaml");
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());

        try (AgentRunner runner =
                AgentRunner.start(config(ns, dir).replace("name: shop", "name: " + ns.name()), cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);

            kubectl.run("-n", ns.name(), "delete", "configmap/node-cache");
            kubectl.run("-n", ns.name(), "create", "configmap", "stray", "--from-literal=a=b");
            kubectl.run("-n", ns.name(), "label", "configmap/stray", "app.kubernetes.io/instance=" + ns.name());

            Eventually.await(
                    "missing and extra reported",
                    WAIT,
                    () -> agent.drifts().size() == 2,
                    () -> agent.drifts().toString());
            assertThat(agent.drifts())
                    .extracting(
                            d -> d.path("name").asText() + ":" + d.path("type").asText())
                    .containsExactlyInAnyOrder("node-cache:missing", "stray:extra");
            assertThat(agent.drifts())
                    .filteredOn(d -> d.path("type").asText().equals("missing"))
                    .extracting(d -> d.path("cause").asText())
                    .containsExactly("deleted");
        }
    }

    private static List<Event> events(KubernetesClient client, TestNamespace ns, String reason) {
        return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    private static ListAppender<ILoggingEvent> captureDriftLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).addAppender(appender);
        return appender;
    }

    /** The line as the production JSON encoder writes it. */
    private static JsonNode jsonLine(ListAppender<ILoggingEvent> log, String prefix) throws Exception {
        ILoggingEvent event = log.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no log line starting with " + prefix + " in " + log.list));
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).getLoggerContext());
        encoder.start();
        return new ObjectMapper().readTree(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }

    @Test
    void anAppThatRendersToNothingIsASourceErrorUnlessAllowedEmpty(
            LocalKubeCluster cluster, TestNamespace ns, @TempDir Path tmp) throws Exception {
        Path shop = java.nio.file.Files.createDirectories(tmp.resolve("shop"));
        Path scratch = java.nio.file.Files.createDirectories(tmp.resolve("scratch"));
        java.nio.file.Files.writeString(
                shop.resolve("cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {a: \"1\"}\n");
        new Kubectl(cluster).run("apply", "-n", ns.name(), "-f", shop.toString());
        String config = config(ns, shop) + """
                  - {name: scratch, path: %s, targetNamespace: %s, pollInterval: 2s}
                  allowEmpty: [scratch]
                """.formatted(scratch, ns.name());

        try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            assertThat(agent.status()
                            .path("apps")
                            .path("scratch")
                            .path("healthy")
                            .asBoolean())
                    .isTrue();

            java.nio.file.Files.delete(shop.resolve("cm.yaml"));

            Eventually.await(
                    "empty render reported",
                    WAIT,
                    () -> agent.status()
                            .path("apps")
                            .path("shop")
                            .path("error")
                            .asText()
                            .startsWith("empty: "),
                    () -> agent.status().toString());
            JsonNode app = agent.status().path("apps").path("shop");
            assertThat(app.path("healthy").asBoolean()).isFalse();
            assertThat(app.path("stale").asBoolean()).isTrue();
            assertThat(app.path("error").asText()).contains("sources.allowEmpty");
            assertThat(agent.drifts()).as("the last good desired state is kept").isEmpty();
        }
    }
}
