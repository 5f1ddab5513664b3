package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.CachedBinary;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.FluxControllers;
import io.driftwatch.testing.GitHttpServer;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with {@code sources.flux} against real Flux: the Kustomization it selects becomes an app at the revision
 * Flux applied with no drift; a kubectl change is out-of-band; a Kustomization the selector leaves out is not an app.
 */
@WithKubeApiServer
@Order(CachedBinary.AFTER_BACKGROUND_BUILD) // needs a binary built beside the tests
class FluxAgentIT {

    private static final Duration WAIT = Duration.ofSeconds(240);

    @Test
    void aSelectedKustomizationIsAnAppAtTheRevisionFluxApplied(LocalKubeCluster cluster, @TempDir Path tmp)
            throws Exception {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("git").resolve("apps"));
        repo.write("web/config.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: web-config
                  namespace: flux-agent
                data:
                  color: blue
                """);
        String head = repo.commit("web");
        String auth = "Basic " + Base64.getEncoder().encodeToString("flux:pw".getBytes(StandardCharsets.UTF_8));
        Kubectl kubectl = new Kubectl(cluster);
        try (GitHttpServer git = new GitHttpServer(tmp.resolve("git"), auth);
                FluxControllers flux = FluxControllers.start(cluster, Files.createDirectories(tmp.resolve("flux")))) {
            kubectl.run("create", "namespace", "flux-agent");
            kubectl.run(
                    "-n",
                    FluxControllers.NAMESPACE,
                    "create",
                    "secret",
                    "generic",
                    "agent-git",
                    "--from-literal=username=flux",
                    "--from-literal=password=pw");
            Path manifests = Files.writeString(tmp.resolve("flux.yaml"), """
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: GitRepository
                    metadata: {name: agent-apps, namespace: flux-system}
                    spec:
                      interval: 10s
                      url: %s
                      ref: {branch: main}
                      secretRef: {name: agent-git}
                    ---
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: agent-web, namespace: flux-system, labels: {team: web}}
                    spec:
                      interval: 1h
                      retryInterval: 10s
                      path: ./web
                      prune: true
                      sourceRef: {kind: GitRepository, name: agent-apps}
                    ---
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: agent-other, namespace: flux-system, labels: {team: other}}
                    spec:
                      interval: 1h
                      suspend: true
                      path: ./web
                      prune: true
                      sourceRef: {kind: GitRepository, name: agent-apps}
                    """.formatted(git.url("apps")));
            kubectl.run("apply", "--server-side", "-f", manifests.toString());
            Eventually.await(
                    "Flux applied agent-web",
                    WAIT,
                    () -> kubectl.run(
                                    "-n",
                                    "flux-system",
                                    "get",
                                    "kustomization",
                                    "agent-web",
                                    "-o",
                                    "jsonpath={.status.lastAppliedRevision}")
                            .endsWith(head),
                    flux::logs);
            String config = """
                    cluster: it-flux
                    http: {host: 127.0.0.1, port: 0}
                    leaderElection: {enabled: false}
                    scope: {namespaces: {include: [flux-agent]}}
                    sources:
                      flux: {namespaces: [flux-system], selector: team=web, pollInterval: 10s}
                    """;
            try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
                AgentEndpoint agent = runner.endpoint;
                Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
                JsonNode apps = agent.status().path("apps");
                assertThat(apps.path("agent-web").path("revision").asText()).endsWith(head);
                assertThat(apps.has("agent-other")).as(apps.toString()).isFalse();
                assertThat(agent.drifts()).isEmpty();

                kubectl.run(
                        "-n", "flux-agent", "patch", "configmap", "web-config", "-p", "{\"data\":{\"color\":\"red\"}}");
                Eventually.await(
                        "out-of-band change reported",
                        WAIT,
                        () -> agent.drifts().size() == 1,
                        () -> agent.drifts().toString());
                JsonNode change = agent.drifts().get(0).path("changes").get(0);
                assertThat(change.path("field").asText()).isEqualTo("data.color");
                assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
                assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
            }
        }
    }
}
