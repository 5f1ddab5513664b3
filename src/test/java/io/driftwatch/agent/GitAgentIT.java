package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with a real Git app: applied → ready with zero drift → a push announced by a signed webhook lands as new
 * desired state at once (the cluster is now behind Git: pending-sync) → a forged webhook changes nothing → an
 * out-of-band change is attributed to its manager.
 */
@WithKubeApiServer
class GitAgentIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "s3cret-webhook-key";

    @TempDir
    Path tmp;

    private static String deployment(int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  labels: {app.kubernetes.io/name: web}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app.kubernetes.io/name: web}}
                  template:
                    metadata: {labels: {app.kubernetes.io/name: web}}
                    spec:
                      containers:
                      - name: web
                        image: registry.example.com/web:1.0
                        resources: {requests: {cpu: 100m, memory: 64Mi}}
                """.formatted(replicas);
    }

    @Test
    void pushAnnouncedByASignedWebhookBecomesDesiredStateAndAForgedOneIsRejected(
            LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("repo"));
        repo.write("apps/web/deployment.yaml", deployment(2)).commit("web at 2 replicas");
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run(
                "apply",
                "-n",
                ns.name(),
                "-f",
                repo.dir().resolve("apps/web/deployment.yaml").toString());
        Path secret = Files.writeString(tmp.resolve("webhook-secret"), SECRET);
        String config = """
                cluster: it-git
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                sources:
                  git:
                    cacheDir: %s
                    webhookSecretFile: %s
                    minFetchInterval: 1h
                    apps:
                    - {name: web, repoUrl: "%s", revision: main, path: apps/web, targetNamespace: %s, pollInterval: 1h}
                """.formatted(tmp.resolve("git-cache"), secret, repo.fileUrl(), ns.name());

        try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            assertThat(agent.drifts()).isEmpty();
            String firstRevision =
                    agent.status().path("apps").path("web").path("revision").asText();
            assertThat(firstRevision).isEqualTo(repo.head());

            String newHead =
                    repo.write("apps/web/deployment.yaml", deployment(4)).commit("scale web to 4");
            String push = """
                    {"ref":"refs/heads/main","after":"%s","repository":{"clone_url":"%s","html_url":"%s"}}
                    """.formatted(newHead, repo.fileUrl(), repo.fileUrl());

            HttpResponse<String> forged = webhook(runner.agent.httpPort(), push, "sha256=" + "0".repeat(64));
            assertThat(forged.statusCode()).isEqualTo(401);
            Thread.sleep(1000); // a forged push must not have triggered anything in the meantime
            assertThat(agent.status().path("apps").path("web").path("revision").asText())
                    .isEqualTo(firstRevision);
            assertThat(agent.drifts()).isEmpty();

            HttpResponse<String> genuine = webhook(runner.agent.httpPort(), push, sign(push));
            assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(202);
            assertThat(genuine.body()).contains("\"web\"");

            Eventually.await(
                    "new revision loaded and its drift reported",
                    WAIT,
                    () -> newHead.equals(agent.status()
                                    .path("apps")
                                    .path("web")
                                    .path("revision")
                                    .asText())
                            && agent.drifts().size() == 1,
                    () -> agent.status() + "\n" + agent.drifts());
            JsonNode change = agent.drifts().get(0).path("changes").get(0);
            assertThat(change.path("field").asText()).isEqualTo("spec.replicas");
            assertThat(change.path("desired").asInt()).isEqualTo(4);
            assertThat(change.path("live").asInt()).isEqualTo(2);
            assertThat(change.path("cause").asText()).isEqualTo("pending-sync");

            kubectl.run(
                    "apply",
                    "-n",
                    ns.name(),
                    "-f",
                    repo.dir().resolve("apps/web/deployment.yaml").toString());
            Eventually.await(
                    "synced: no drift",
                    WAIT,
                    () -> agent.drifts().isEmpty(),
                    () -> agent.drifts().toString());

            kubectl.run("-n", ns.name(), "set", "image", "deployment/web", "web=registry.example.com/web:hotfix");
            Eventually.await(
                    "out-of-band change reported",
                    WAIT,
                    () -> agent.drifts().size() == 1,
                    () -> agent.drifts().toString());
            JsonNode oob = agent.drifts().get(0).path("changes").get(0);
            assertThat(oob.path("manager").asText()).isEqualTo("kubectl-set");
            assertThat(oob.path("cause").asText()).isEqualTo("out-of-band");
            assertThat(agent.metric("driftwatch_source_sync_total", Map.of("app", "web", "result", "success")))
                    .isPresent();
            assertThat(agent.metrics()).contains("cache_gets_total{cache=\"driftwatch_render\"");
        }
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> webhook(int port, String body, String signature)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/git"))
                                .header("content-type", "application/json")
                                .header("x-github-event", "push")
                                .header("x-hub-signature-256", signature)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
