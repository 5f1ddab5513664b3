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
                assertThat(apps.path("Kustomization/flux-system/agent-web")
                                .path("revision")
                                .asText())
                        .as(apps.toString())
                        .endsWith(head);
                assertThat(apps.has("Kustomization/flux-system/agent-other"))
                        .as(apps.toString())
                        .isFalse();
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
     * the change and the pruned object are pending-sync, the object of the {@code prune: false} Kustomization and one
     * marked {@code kustomize.toolkit.fluxcd.io/prune: disabled} are orphaned, none is missing; once Flux applied it,
     * the pruned object is gone with no drift, the value is in sync, and the two objects Flux left are orphaned extras
     * (on the hub too).
     */
    @Test
    void aDriftFluxOverwritesIsResolvedOnTheHubAndAFluxDeletedObjectIsNeverMissing(
            LocalKubeCluster cluster, @TempDir Path tmp) throws Exception {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("git").resolve("hub"));
        repo.write("pruned/keep.yaml", configMap("keep", "blue"));
        repo.write("pruned/gone.yaml", configMap("gone", "blue"));
        repo.write(
                "pruned/pinned.yaml",
                configMap("pinned", "blue")
                        .replace(
                                "  namespace: flux-hub\n",
                                "  namespace: flux-hub\n  annotations: {kustomize.toolkit.fluxcd.io/prune: disabled}\n"));
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
                repo.delete("pruned/pinned.yaml");
                String second = repo.commit("green, gone, pinned and orphan removed");
                Eventually.await(
                        "the agent follows the revision source-controller fetched",
                        WAIT,
                        () -> agent.status()
                                        .path("apps")
                                        .path("Kustomization/flux-system/hub-pruned")
                                        .path("revision")
                                        .asText()
                                        .endsWith(second)
                                && agent.status()
                                        .path("apps")
                                        .path("Kustomization/flux-system/hub-left")
                                        .path("revision")
                                        .asText()
                                        .endsWith(second),
                        () -> agent.status().toString() + "\n" + flux.logs());
                Eventually.await(
                        "the fetched commit's four changes reported",
                        WAIT,
                        () -> agent.drifts().size() == 4,
                        () -> agent.drifts().toString());
                for (JsonNode drift : agent.drifts()) {
                    String name = drift.path("name").asText();
                    assertThat(drift.path("type").asText()).as(drift.toString()).isNotEqualTo("missing");
                    assertThat(drift.path("cause").asText())
                            .as(drift.toString())
                            .isEqualTo(
                                    name.equals("orphan") || name.equals("pinned")
                                            ? "orphaned" // Flux will never delete these
                                            : "pending-sync");
                    assertThat(name).isIn("keep", "gone", "orphan", "pinned");
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
                        "after Flux applied it only the objects Flux left are reported",
                        WAIT,
                        () -> agent.drifts().size() == 2,
                        () -> agent.drifts().toString());
                JsonNode orphan = agent.drifts().stream()
                        .filter(d -> d.path("name").asText().equals("orphan"))
                        .findFirst()
                        .orElseThrow();
                assertThat(orphan.path("type").asText()).isEqualTo("extra");
                assertThat(orphan.path("cause").asText()).isEqualTo("orphaned");
                assertThat(orphan.path("app").asText()).isEqualTo("Kustomization/flux-system/hub-left");
                assertThat(orphan.path("summary").asText()).endsWith("(Kustomization spec.prune: false)");
                JsonNode pinned = agent.drifts().stream()
                        .filter(d -> d.path("name").asText().equals("pinned"))
                        .findFirst()
                        .orElseThrow();
                assertThat(pinned.path("cause").asText()).isEqualTo("orphaned");
                assertThat(pinned.path("app").asText()).isEqualTo("Kustomization/flux-system/hub-pruned");
                assertThat(pinned.path("summary").asText()).endsWith("(kustomize.toolkit.fluxcd.io/prune: disabled)");
                assertThat(kubectl.tryRun("-n", "flux-hub", "get", "configmap", "pinned")
                                .exitCode())
                        .as("kustomize-controller (prune: true) left the object marked prune: disabled")
                        .isZero();
                assertThat(kubectl.tryRun("-n", "flux-hub", "get", "configmap", "gone")
                                .exitCode())
                        .as("kustomize-controller pruned it")
                        .isNotZero();
                Eventually.await(
                        "the hub has the agent's two open drifts, both orphaned",
                        WAIT,
                        () -> hub.openDrifts("cluster=" + HUB_CLUSTER).size() == 2
                                && hub.openDrifts("cluster=" + HUB_CLUSTER + "&cause=orphaned")
                                                .size()
                                        == 2,
                        () -> hub.openDrifts("cluster=" + HUB_CLUSTER).toString());
                assertThat(hub.history("cluster=" + HUB_CLUSTER))
                        .as("no object was ever missing")
                        .noneSatisfy(
                                e -> assertThat(e.path("driftType").asText()).isEqualTo("missing"));
            }
        }
    }

    /**
     * Two Kustomizations of the same name in two namespaces, each applying its own objects, are two apps
     * ({@code Kustomization/<namespace>/<name>}): kustomize-controller labels what it applied with the Kustomization's
     * name and namespace (checked on the live objects), and each app claims only its own. One drift each — a kubectl
     * patch in one, a stray object labelled as the other's — lands on the right app; an object helm-controller would
     * have labelled for a HelmRelease of the same name and namespace is claimed by neither.
     */
    @Test
    void kustomizationsOfTheSameNameInTwoNamespacesAreTwoAppsThatClaimOnlyTheirOwnObjects(
            LocalKubeCluster cluster, @TempDir Path tmp) throws Exception {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("git").resolve("same"));
        repo.write("a/one.yaml", configMap("a-one", "blue").replace("flux-hub", "flux-same"));
        repo.write("a/two.yaml", configMap("a-two", "blue").replace("flux-hub", "flux-same"));
        repo.write("b/one.yaml", configMap("b-one", "blue").replace("flux-hub", "flux-same"));
        String head = repo.commit("a and b");
        String auth = "Basic " + Base64.getEncoder().encodeToString("flux:pw".getBytes(StandardCharsets.UTF_8));
        Kubectl kubectl = new Kubectl(cluster);
        try (GitHttpServer git = new GitHttpServer(tmp.resolve("git"), auth);
                FluxControllers flux = FluxControllers.start(cluster, Files.createDirectories(tmp.resolve("flux")))) {
            for (String namespace : List.of("flux-same", "team-a", "team-b")) {
                kubectl.run("create", "namespace", namespace);
            }
            kubectl.run(
                    "-n",
                    FluxControllers.NAMESPACE,
                    "create",
                    "secret",
                    "generic",
                    "same-git",
                    "--from-literal=username=flux",
                    "--from-literal=password=pw");
            String kustomization = """
                    ---
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: same, namespace: %s, labels: {team: same}}
                    spec:
                      interval: 1h
                      retryInterval: 10s
                      path: ./%s
                      prune: true
                      sourceRef: {kind: GitRepository, name: same-apps, namespace: flux-system}
                    """;
            Path manifests = Files.writeString(
                    tmp.resolve("flux.yaml"),
                    """
                    apiVersion: source.toolkit.fluxcd.io/v1
                    kind: GitRepository
                    metadata: {name: same-apps, namespace: flux-system}
                    spec:
                      interval: 10s
                      url: %s
                      ref: {branch: main}
                      secretRef: {name: same-git}
                    """.formatted(git.url("same"))
                            + kustomization.formatted("team-a", "a")
                            + kustomization.formatted("team-b", "b"));
            kubectl.run("apply", "--server-side", "-f", manifests.toString());
            for (String namespace : List.of("team-a", "team-b")) {
                Eventually.await(
                        "Flux applied " + namespace + "/same",
                        WAIT,
                        () -> kubectl.run(
                                        "-n",
                                        namespace,
                                        "get",
                                        "kustomization",
                                        "same",
                                        "-o",
                                        "jsonpath={.status.lastAppliedRevision}")
                                .endsWith(head),
                        flux::logs);
            }
            // what the real kustomize-controller put on the objects: the name and the namespace of the Kustomization
            assertThat(kubectl.run(
                            "-n",
                            "flux-same",
                            "get",
                            "configmap",
                            "a-one",
                            "-o",
                            "jsonpath={.metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/name}"
                                    + " {.metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/namespace}"))
                    .isEqualTo("same team-a");
            assertThat(kubectl.run(
                            "-n",
                            "flux-same",
                            "get",
                            "configmap",
                            "b-one",
                            "-o",
                            "jsonpath={.metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/namespace}"))
                    .isEqualTo("team-b");
            String config = """
                    cluster: it-flux-same
                    http: {host: 127.0.0.1, port: 0}
                    leaderElection: {enabled: false}
                    scope: {namespaces: {include: [flux-same]}}
                    sources:
                      flux: {namespaces: [team-a, team-b], selector: team=same, pollInterval: 10s}
                    """;
            try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
                AgentEndpoint agent = runner.endpoint;
                Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
                JsonNode apps = agent.status().path("apps");
                for (String app : List.of("Kustomization/team-a/same", "Kustomization/team-b/same")) {
                    assertThat(apps.path(app).path("revision").asText())
                            .as(apps.toString())
                            .endsWith(head);
                }
                assertThat(agent.drifts())
                        .as("each app's objects are its own: nothing extra, nothing missing")
                        .isEmpty();

                kubectl.run("-n", "flux-same", "patch", "configmap", "a-one", "-p", "{\"data\":{\"color\":\"red\"}}");
                Path stray = Files.writeString(tmp.resolve("stray.yaml"), """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: b-stray
                          namespace: flux-same
                          labels: {kustomize.toolkit.fluxcd.io/name: same, kustomize.toolkit.fluxcd.io/namespace: team-b}
                        data: {x: "1"}
                        ---
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: helm-same
                          namespace: flux-same
                          labels: {helm.toolkit.fluxcd.io/name: same, helm.toolkit.fluxcd.io/namespace: team-a}
                        data: {x: "1"}
                        """);
                kubectl.run("create", "-f", stray.toString());
                Eventually.await(
                        "one drift in each app",
                        WAIT,
                        () -> agent.drifts().size() == 2,
                        () -> agent.drifts().toString());
                assertThat(agent.drifts())
                        .extracting(d -> d.path("name").asText() + " "
                                + d.path("type").asText() + " "
                                + d.path("cause").asText() + " " + d.path("app").asText())
                        .containsExactlyInAnyOrder(
                                "a-one modified out-of-band Kustomization/team-a/same",
                                "b-stray extra out-of-band Kustomization/team-b/same");
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
        assertThat(open.path("app").asText()).isEqualTo("Kustomization/flux-system/hub-pruned");
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
