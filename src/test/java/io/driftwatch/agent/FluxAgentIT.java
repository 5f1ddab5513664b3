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
import io.driftwatch.testing.TestHub;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
    private static final String HUB_CLUSTER = "it-flux-hub";
    /** The hub test's Kustomizations' interval: how often kustomize-controller re-applies (and overwrites drift). */
    private static final int FLUX_INTERVAL_SECONDS = 30;

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

    /**
     * The agent against real Flux and a real hub: a kubectl change between Flux's reconciliations reaches the hub with
     * field, manager and onset and is resolved when kustomize-controller overwrites it (the drift's duration, read from
     * the hub, is printed as a figure and checked against when kustomize-controller wrote); then a commit Flux has
     * fetched and not applied (kustomize-controller stopped) changes a value, deletes an object from a
     * {@code prune: true} Kustomization and one from a {@code prune: false} one: the agent follows the new revision,
     * the change and both objects are pending-sync, none is missing; once Flux applied it, the pruned object is gone
     * with no drift, the value is in sync, and the object Flux left ({@code prune: false}) is an extra.
     */
    @Test
    void aDriftFluxOverwritesIsResolvedOnTheHubAndAFluxDeletedObjectIsNeverMissing(
            LocalKubeCluster cluster, @TempDir Path tmp) throws Exception {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("git").resolve("hub"));
        repo.write("pruned/keep.yaml", configMap("keep", "blue"));
        repo.write("pruned/gone.yaml", configMap("gone", "blue"));
        repo.write("left/stays.yaml", configMap("stays", "blue"));
        repo.write("left/orphan.yaml", configMap("orphan", "blue"));
        String first = repo.commit("apps");
        String auth = "Basic " + Base64.getEncoder().encodeToString("flux:pw".getBytes(StandardCharsets.UTF_8));
        Kubectl kubectl = new Kubectl(cluster);
        Path db = tmp.resolve("hub.db");
        try (GitHttpServer git = new GitHttpServer(tmp.resolve("git"), auth);
                FluxControllers flux = FluxControllers.start(cluster, Files.createDirectories(tmp.resolve("flux")));
                TestHub hub = TestHub.start(TestHub.sqlite(db), List.of(HUB_CLUSTER))) {
            kubectl.run("create", "namespace", "flux-hub");
            kubectl.run(
                    "-n",
                    FluxControllers.NAMESPACE,
                    "create",
                    "secret",
                    "generic",
                    "hub-git",
                    "--from-literal=username=flux",
                    "--from-literal=password=pw");
            Path manifests = Files.writeString(tmp.resolve("flux.yaml"), """
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: GitRepository
                    metadata: {name: hub-apps, namespace: flux-system}
                    spec:
                      interval: 10s
                      url: %s
                      ref: {branch: main}
                      secretRef: {name: hub-git}
                    ---
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: hub-pruned, namespace: flux-system, labels: {team: hub}}
                    spec:
                      interval: %ds
                      retryInterval: 10s
                      path: ./pruned
                      prune: true
                      sourceRef: {kind: GitRepository, name: hub-apps}
                    ---
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: hub-left, namespace: flux-system, labels: {team: hub}}
                    spec:
                      interval: %ds
                      retryInterval: 10s
                      path: ./left
                      prune: false
                      sourceRef: {kind: GitRepository, name: hub-apps}
                    """.formatted(
                            git.url("hub"), FLUX_INTERVAL_SECONDS, FLUX_INTERVAL_SECONDS));
            kubectl.run("apply", "--server-side", "-f", manifests.toString());
            for (String kustomization : List.of("hub-pruned", "hub-left")) {
                awaitApplied(kubectl, flux, kustomization, first);
            }
            Path token = Files.writeString(tmp.resolve("hub-token"), TestHub.token(HUB_CLUSTER) + "\n");
            String config = """
                    cluster: %s
                    http: {host: 127.0.0.1, port: 0}
                    leaderElection: {enabled: false}
                    events: {enabled: false}
                    scope: {namespaces: {include: [flux-hub]}}
                    sources:
                      flux: {namespaces: [flux-system], selector: team=hub, pollInterval: 10s}
                    hub:
                      url: %s
                      tokenFile: %s
                      outboxPath: %s
                      heartbeatInterval: 2s
                      requestTimeout: 5s
                    """.formatted(HUB_CLUSTER, hub.url(), token, tmp.resolve("outbox.jsonl"));
            try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
                AgentEndpoint agent = runner.endpoint;
                Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
                assertThat(agent.drifts()).isEmpty();

                List<Long> durations = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    durations.add(driftUntilFluxOverwritesIt(kubectl, hub, "red" + round));
                }
                List<Long> sorted = durations.stream().sorted().toList();
                System.out.printf(
                        "FLUX-DRIFT-DURATION interval=%ds durations-ms=%s min=%d median=%d max=%d loadavg=%s%n",
                        FLUX_INTERVAL_SECONDS,
                        durations,
                        sorted.get(0),
                        sorted.get(1),
                        sorted.get(2),
                        Files.readString(Path.of("/proc/loadavg")).strip());

                // a commit Flux fetched and has not applied: kustomize-controller stopped
                flux.stopKustomizeController();
                repo.write("pruned/keep.yaml", configMap("keep", "green"));
                repo.delete("pruned/gone.yaml");
                repo.delete("left/orphan.yaml");
                String second = repo.commit("green, gone and orphan removed");
                Eventually.await(
                        "the agent follows the revision source-controller fetched",
                        WAIT,
                        () -> agent.status()
                                        .path("apps")
                                        .path("hub-pruned")
                                        .path("revision")
                                        .asText()
                                        .endsWith(second)
                                && agent.status()
                                        .path("apps")
                                        .path("hub-left")
                                        .path("revision")
                                        .asText()
                                        .endsWith(second),
                        () -> agent.status().toString() + "\n" + flux.logs());
                Eventually.await(
                        "the fetched commit's three changes reported",
                        WAIT,
                        () -> agent.drifts().size() == 3,
                        () -> agent.drifts().toString());
                for (JsonNode drift : agent.drifts()) {
                    String name = drift.path("name").asText();
                    assertThat(drift.path("type").asText()).as(drift.toString()).isNotEqualTo("missing");
                    assertThat(drift.path("cause").asText())
                            .as(drift.toString())
                            .isEqualTo("pending-sync");
                    assertThat(name).isIn("keep", "gone", "orphan");
                    if (name.equals("keep")) {
                        JsonNode change = drift.path("changes").get(0);
                        assertThat(change.path("field").asText()).isEqualTo("data.color");
                        assertThat(change.path("manager").asText()).isEqualTo("kustomize-controller");
                    } else {
                        assertThat(drift.path("type").asText())
                                .as(drift.toString())
                                .isEqualTo("extra");
                    }
                }

                flux.startKustomizeController();
                for (String kustomization : List.of("hub-pruned", "hub-left")) {
                    awaitApplied(kubectl, flux, kustomization, second);
                }
                Eventually.await(
                        "after Flux applied it only the object prune: false left is reported",
                        WAIT,
                        () -> agent.drifts().size() == 1
                                && agent.drifts().get(0).path("name").asText().equals("orphan"),
                        () -> agent.drifts().toString());
                JsonNode orphan = agent.drifts().get(0);
                assertThat(orphan.path("type").asText()).isEqualTo("extra");
                assertThat(orphan.path("app").asText()).isEqualTo("hub-left");
                assertThat(kubectl.tryRun("-n", "flux-hub", "get", "configmap", "gone")
                                .exitCode())
                        .as("kustomize-controller pruned it")
                        .isNotZero();
                Eventually.await(
                        "the hub has the agent's one open drift",
                        WAIT,
                        () -> hub.openDrifts("cluster=" + HUB_CLUSTER).size() == 1,
                        () -> hub.openDrifts("cluster=" + HUB_CLUSTER).toString());
                assertThat(hub.history("cluster=" + HUB_CLUSTER))
                        .as("no object was ever missing")
                        .noneSatisfy(
                                e -> assertThat(e.path("driftType").asText()).isEqualTo("missing"));
            }
        }
    }

    /**
     * A kubectl patch of {@code keep}'s color: read from the hub (field, manager, onset) while open, then resolved
     * when kustomize-controller re-applies at its interval; returns the duration (resolvedAt − onset) the hub holds.
     */
    private static long driftUntilFluxOverwritesIt(Kubectl kubectl, TestHub hub, String color) {
        // a change Flux overwrites before the agent has seen it (a reconciliation right after the patch, likelier on a
        // loaded machine) is gone before it could be reported: patch again then, up to three times
        for (int attempt = 1; ; attempt++) {
            kubectl.run(
                    "-n", "flux-hub", "patch", "configmap", "keep", "-p", "{\"data\":{\"color\":\"" + color + "\"}}");
            Eventually.await(
                    "the hub has the kubectl change, or Flux overwrote it first",
                    WAIT,
                    () -> hub.openDrifts("cluster=" + HUB_CLUSTER).size() == 1
                            || !kubectl.run(
                                            "-n",
                                            "flux-hub",
                                            "get",
                                            "configmap",
                                            "keep",
                                            "-o",
                                            "jsonpath={.data.color}")
                                    .equals(color),
                    () -> hub.openDrifts("cluster=" + HUB_CLUSTER).toString());
            if (hub.openDrifts("cluster=" + HUB_CLUSTER).size() == 1 || attempt == 3) {
                break;
            }
        }
        Eventually.await(
                "the hub has the kubectl change",
                WAIT,
                () -> hub.openDrifts("cluster=" + HUB_CLUSTER).size() == 1,
                () -> hub.openDrifts("cluster=" + HUB_CLUSTER).toString());
        String id = hub.openDrifts("cluster=" + HUB_CLUSTER).get(0).path("id").asText();
        JsonNode open = hub.read("/api/v1/clusters/" + HUB_CLUSTER + "/drifts/" + id);
        JsonNode change = open.path("drift").path("changes").get(0);
        assertThat(open.path("name").asText()).isEqualTo("keep");
        assertThat(open.path("app").asText()).isEqualTo("hub-pruned");
        assertThat(change.path("field").asText()).isEqualTo("data.color");
        assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
        assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
        Instant onset = Instant.parse(open.path("onset").asText());
        Eventually.await(
                "Flux overwrote it and the hub resolved it",
                WAIT,
                () -> !hub.read("/api/v1/clusters/" + HUB_CLUSTER + "/drifts/" + id)
                        .path("open")
                        .asBoolean(true),
                () -> hub.read("/api/v1/clusters/" + HUB_CLUSTER + "/drifts/" + id)
                        .toString());
        JsonNode resolved = hub.read("/api/v1/clusters/" + HUB_CLUSTER + "/drifts/" + id);
        Instant resolvedAt = Instant.parse(resolved.path("resolvedAt").asText());
        assertThat(kubectl.run("-n", "flux-hub", "get", "configmap", "keep", "-o", "jsonpath={.data.color}"))
                .isEqualTo("blue");
        // who ended it: kustomize-controller's write of data.color, between the onset and the resolution (whole
        // seconds)
        Instant overwritten = Instant.parse(kubectl.run(
                        "-n",
                        "flux-hub",
                        "get",
                        "configmap",
                        "keep",
                        "-o",
                        "jsonpath={.metadata.managedFields[?(@.manager==\"kustomize-controller\")].time}")
                .strip());
        assertThat(overwritten).isAfterOrEqualTo(onset.truncatedTo(ChronoUnit.SECONDS));
        assertThat(overwritten).isBeforeOrEqualTo(resolvedAt);
        return Duration.between(onset, resolvedAt).toMillis();
    }

    private static void awaitApplied(Kubectl kubectl, FluxControllers flux, String kustomization, String commit) {
        Eventually.await(
                "Flux applied " + kustomization + " at " + commit,
                WAIT,
                () -> kubectl.run(
                                "-n",
                                "flux-system",
                                "get",
                                "kustomization",
                                kustomization,
                                "-o",
                                "jsonpath={.status.lastAppliedRevision}")
                        .endsWith(commit),
                flux::logs);
    }

    private static String configMap(String name, String color) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: flux-hub
                data:
                  color: %s
                """.formatted(name, color);
    }
}
