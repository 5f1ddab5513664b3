package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.driftwatch.agent.AgentRunner;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.CachedBinary;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.FluxControllers;
import io.driftwatch.testing.HelmCli;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.SourceControllerProcess;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwatch diff --flux-helmrelease} rendering the chart artifact the real source-controller produces: a
 * HelmRepository served over HTTP from a local directory (index.yaml and the packaged chart, made by the real helm),
 * the HelmChart helm-controller would create for the HelmRelease, fetched from source-controller's artifact server and
 * digest-checked. helm-controller does not run here (its module is not served): the release is installed by the real
 * {@code helm install} with the name, namespace and values helm-controller computes, and the origin labels its
 * post-renderer adds are put on by the test; the HelmRelease's status is written by the test.
 */
@WithKubeApiServer
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(CachedBinary.AFTER_BACKGROUND_BUILD) // needs a binary built beside the tests
class FluxHelmChartIT {

    private static final String NS = FluxControllers.NAMESPACE;
    private static final Duration FLUX = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private LocalKubeCluster cluster;
    private KubernetesClient client;
    private SourceControllerProcess flux;
    private HttpServer repository;
    private HelmCli helm;
    private Kubectl kubectl;
    private Path repo;
    /** The Helm release's revision, as helm install / upgrade number them. */
    private int releaseVersion = 1;

    @BeforeAll
    void start(LocalKubeCluster cluster) throws Exception {
        this.cluster = cluster;
        this.client = cluster.adminClient();
        kubectl = new Kubectl(cluster);
        helm = new HelmCli(cluster, work.resolve("helm-home"));
        repo = Files.createDirectories(work.resolve("repo"));
        repository = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        repository.createContext("/", exchange -> {
            Path file = repo.resolve(exchange.getRequestURI().getPath().substring(1))
                    .normalize();
            if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (var body = exchange.getResponseBody()) {
                    Files.copy(file, body);
                }
            }
            exchange.close();
        });
        repository.start();
        publish("1.0.0");
        flux = SourceControllerProcess.start(cluster, Files.createDirectories(work.resolve("flux")));
        kubectl.run("apply", "--server-side", "--field-manager=test-setup", "-f", FluxHelmReleaseIT.CRD.toString());
        kubectl.run("create", "namespace", "shop");
        kubectl.run(
                "-n",
                NS,
                "create",
                "configmap",
                "web-values",
                "--from-literal=values.yaml=color: green\nreplicas: 3\n",
                "--from-literal=color=teal");
        apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata:
                  name: charts
                  namespace: flux-system
                spec:
                  interval: 10s
                  url: http://127.0.0.1:%d/
                """.formatted(repository.getAddress().getPort()));
        // the HelmChart helm-controller creates for HelmRelease flux-system/web: <namespace>-<name>
        apply(helmChart("1.0.0"));
        apply(FluxHelmReleaseIT.helmRelease("web", NS, """
                  targetNamespace: shop
                  values: {replicas: 2}
                  valuesFrom:
                  - kind: ConfigMap
                    name: web-values
                  - kind: ConfigMap
                    name: web-values
                    valuesKey: color
                    targetPath: color
                """));
        kubectl.run(
                "-n",
                NS,
                "patch",
                "helmrelease",
                "web",
                "--subresource=status",
                "--type=merge",
                "-p",
                "{\"status\":{\"helmChart\":\"flux-system/flux-system-web\"}}");
        awaitArtifact("1.0.0");
        // what helm-controller installs: release shop-web in shop (storage in flux-system), merged values
        Path values = work.resolve("merged-values.yaml");
        Files.writeString(values, "color: teal\nreplicas: 2\n");
        helm.run(
                "install",
                "shop-web",
                repo.resolve("web-1.0.0.tgz").toString(),
                "--namespace",
                "shop",
                "--values",
                values.toString());
        for (String object : List.of("configmap/shop-web-settings", "deployment/shop-web")) {
            kubectl.run(
                    "-n",
                    "shop",
                    "label",
                    object,
                    "helm.toolkit.fluxcd.io/name=web",
                    "helm.toolkit.fluxcd.io/namespace=" + NS);
        }
    }

    @AfterAll
    void stop() {
        if (flux != null) {
            flux.close();
        }
        if (repository != null) {
            repository.stop(0);
        }
    }

    /** Packages the test chart at {@code version} into the repository directory and indexes it, as a Helm repo. */
    private void publish(String version) throws Exception {
        Path chart = FluxHelmReleaseIT.writeChart(work.resolve("chart-" + version + "/web"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: " + version + "\n");
        helm.run("package", chart.toString(), "--destination", repo.toString());
        helm.run(
                "repo",
                "index",
                repo.toString(),
                "--url",
                "http://127.0.0.1:" + repository.getAddress().getPort());
    }

    private static String helmChart(String version) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmChart
                metadata:
                  name: flux-system-web
                  namespace: flux-system
                spec:
                  interval: 10s
                  chart: web
                  version: "%s"
                  sourceRef: {kind: HelmRepository, name: charts}
                """.formatted(version);
    }

    private void apply(String yaml) throws Exception {
        Path file = Files.createTempFile(work, "flux", ".yaml");
        Files.writeString(file, yaml);
        kubectl.run("apply", "--server-side", "--field-manager=test-setup", "-f", file.toString());
    }

    private void awaitArtifact(String version) {
        Eventually.await(
                "source-controller packaged chart web " + version,
                FLUX,
                () -> version.equals(
                        helmChartStatus().path("artifact").path("revision").asText()),
                () -> helmChartStatus() + "\n" + flux.logs());
    }

    private JsonNode helmChartStatus() {
        GenericKubernetesResource found = client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "HelmChart")
                .inNamespace(NS)
                .withName("flux-system-web")
                .get();
        return client.getKubernetesSerialization()
                .convertValue(found, JsonNode.class)
                .path("status");
    }

    private DiffCli.Run diff(String desiredFrom) {
        List<String> args = new ArrayList<>(List.of(
                "diff",
                "--flux-helmrelease",
                NS + "/web",
                "--flux-helm-desired",
                desiredFrom,
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-o",
                "json"));
        return DiffCli.run(args);
    }

    @Test
    @Order(1)
    void theChartArtifactRenderedWithTheMergedValuesIsWhatHelmInstalled() {
        DiffCli.Run run = diff("chart");
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
        assertThat(run.stderr())
                .contains("2 objects from Flux HelmRelease flux-system/web (rendered from chart 1.0.0)");
        assertThat(client.configMaps()
                        .inNamespace("shop")
                        .withName("shop-web-settings")
                        .get()
                        .getData())
                .containsEntry("color", "teal");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("shop")
                        .withName("shop-web")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(2);
        // the pre-install hook ran and is live, but it is not part of the release
        assertThat(client.configMaps()
                        .inNamespace("shop")
                        .withName("shop-web-pre-install")
                        .get())
                .isNotNull();
    }

    @Test
    @Order(2)
    void aNewChartVersionSourceControllerFetchedIsPendingSyncNotOutOfBand() throws Exception {
        publish("1.1.0");
        apply(helmChart("1.1.0"));
        awaitArtifact("1.1.0");
        DiffCli.Run run = diff("chart");
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isEqualTo(1);
        assertThat(run.stderr()).contains("(rendered from chart 1.1.0)");
        List<JsonNode> changes = new ArrayList<>();
        run.drifts().forEach(d -> d.path("changes").forEach(changes::add));
        assertThat(changes).isNotEmpty();
        assertThat(changes)
                .allSatisfy(c ->
                        assertThat(c.path("cause").asText()).as(c.toString()).isEqualTo("pending-sync"));
        assertThat(changes).anySatisfy(c -> assertThat(c.path("field").asText()).isEqualTo("data.chart"));
    }

    /**
     * The agent with {@code sources.flux.helmReleases}: the HelmRelease is an app rendered from the chart artifact;
     * what it follows comes from the watches only (pollInterval 10m): a chart source-controller fetched and helm has
     * not installed is pending-sync; helm's upgrade (as helm-controller would run it, with the status it records)
     * ends it; a kubectl patch is out-of-band; new values helm-controller has not attempted are pending-sync; a new
     * chart artifact is followed through the HelmChart; a suspended HelmRelease is source health.
     */
    @Test
    @Order(3)
    void theAgentFollowsAHelmReleaseFromItsChartArtifact() throws Exception {
        kubectl.run("-n", NS, "label", "--overwrite", "helmrelease", "web", "driftwatch-it=helm-agent");
        String config = """
                cluster: it-flux-helm
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                scope: {namespaces: {include: [shop]}}
                sources:
                  flux:
                    namespaces: [flux-system]
                    selector: driftwatch-it=helm-agent
                    pollInterval: 10m
                    helmReleases: {desired: chart}
                """;
        try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", FLUX, agent::ready, agent::readiness);
            Eventually.await(
                    "the app at chart 1.1.0", FLUX, () -> revision(agent).equals("chart 1.1.0"), agent::readiness);
            Eventually.await(
                    "the 1.1.0 changes reported", FLUX, () -> !agent.drifts().isEmpty(), () -> "");
            List<JsonNode> pending = changes(agent.drifts());
            assertThat(pending)
                    .anySatisfy(c -> assertThat(c.path("field").asText()).isEqualTo("data.chart"));
            assertThat(pending)
                    .allSatisfy(c -> assertThat(c.path("cause").asText())
                            .as(c.toString())
                            .isEqualTo("pending-sync"));

            upgrade("1.1.0", "teal", 2, 1);
            Eventually.await(
                    "no drift once helm installed 1.1.0",
                    FLUX,
                    () -> agent.drifts().isEmpty(),
                    () -> agent.drifts().toString());

            kubectl.run(
                    "-n", "shop", "patch", "configmap", "shop-web-settings", "-p", "{\"data\":{\"color\":\"red\"}}");
            Eventually.await(
                    "out-of-band change reported",
                    FLUX,
                    () -> agent.drifts().size() == 1,
                    () -> agent.drifts().toString());
            JsonNode drift = agent.drifts().get(0);
            assertThat(drift.path("app").asText()).isEqualTo("HelmRelease/" + NS + "/web");
            JsonNode change = drift.path("changes").get(0);
            assertThat(change.path("field").asText()).isEqualTo("data.color");
            assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
            assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
            // undone as helm-controller's drift correction (driftDetection: enabled) would: it writes the value back
            // under its own field manager, which owns the field again
            kubectl.run(
                    "-n",
                    "shop",
                    "patch",
                    "configmap",
                    "shop-web-settings",
                    "--field-manager=helm-controller",
                    "-p",
                    "{\"data\":{\"color\":\"teal\"}}");
            Eventually.await(
                    "undone",
                    FLUX,
                    () -> agent.drifts().isEmpty(),
                    () -> agent.drifts().toString());

            awaitNextSecond(); // managedFields times are whole seconds: the spec write must come after helm's
            kubectl.run(
                    "-n",
                    NS,
                    "patch",
                    "helmrelease",
                    "web",
                    "--type=merge",
                    "-p",
                    "{\"spec\":{\"values\":{\"replicas\":4}}}");
            Eventually.await(
                    "new values helm-controller has not attempted are pending-sync",
                    FLUX,
                    () -> changes(agent.drifts()).stream()
                            .anyMatch(c -> c.path("field").asText().equals("spec.replicas")),
                    () -> agent.drifts().toString());
            assertThat(changes(agent.drifts()))
                    .allSatisfy(c -> assertThat(c.path("cause").asText())
                            .as(c.toString())
                            .isEqualTo("pending-sync"));
            upgrade("1.1.0", "teal", 4, 2);
            Eventually.await(
                    "no drift once helm installed the values",
                    FLUX,
                    () -> agent.drifts().isEmpty(),
                    () -> agent.drifts().toString());

            // A valuesFrom ConfigMap changed: helm-controller would upgrade at its next reconciliation; until then the
            // difference is pending-sync (its config digest of the new values is neither the installed nor the last
            // attempted one), seen at once through the ConfigMap's watch (no poll: 10m)
            awaitNextSecond();
            kubectl.run("-n", NS, "patch", "configmap", "web-values", "-p", "{\"data\":{\"color\":\"navy\"}}");
            Eventually.await(
                    "a valuesFrom ConfigMap change not attempted by helm-controller is pending-sync",
                    FLUX,
                    () -> changes(agent.drifts()).stream()
                            .anyMatch(c -> c.path("field").asText().equals("data.color")),
                    () -> agent.drifts().toString());
            assertThat(changes(agent.drifts())).singleElement().satisfies(c -> {
                assertThat(c.path("field").asText()).isEqualTo("data.color");
                assertThat(c.path("desired").asText()).isEqualTo("navy");
                // both appliers co-own it (the drift correction wrote it, the forced upgrade applied the same value)
                assertThat(c.path("manager").asText()).isIn("helm", "helm-controller");
                assertThat(c.path("cause").asText()).as(c.toString()).isEqualTo("pending-sync");
            });
            // helm-controller attempted the new values and the upgrade failed: source health, not drift
            String attempted = configDigest();
            kubectl.run(
                    "-n",
                    NS,
                    "patch",
                    "helmrelease",
                    "web",
                    "--subresource=status",
                    "--type=merge",
                    "-p",
                    """
                    {"status": {"lastAttemptedConfigDigest": "%s", "conditions": [{"type": "Ready", "status": "False",
                     "reason": "UpgradeFailed", "message": "Helm upgrade failed: timed out waiting for the condition",
                     "lastTransitionTime": "%s"}]}}""".formatted(attempted, Instant.now()));
            Eventually.await(
                    "a failed upgrade of the new values is the app's source health",
                    FLUX,
                    () -> agent.status()
                            .path("apps")
                            .path("HelmRelease/" + NS + "/web")
                            .path("error")
                            .asText()
                            .contains("UpgradeFailed"),
                    () -> agent.status().toString());
            // helm-controller upgraded with them: no drift
            upgrade("1.1.0", "navy", 4, 2);
            Eventually.await(
                    "no drift once helm installed the new valuesFrom values",
                    FLUX,
                    () -> agent.drifts().isEmpty()
                            && agent.status()
                                    .path("apps")
                                    .path("HelmRelease/" + NS + "/web")
                                    .path("error")
                                    .isMissingNode(),
                    () -> agent.drifts() + " " + agent.status());

            publish("1.2.0");
            apply(helmChart("1.2.0"));
            awaitArtifact("1.2.0");
            Eventually.await(
                    "the HelmChart's new artifact followed (no poll: 10m)",
                    FLUX,
                    () -> revision(agent).equals("chart 1.2.0"),
                    () -> agent.status().toString());
            Eventually.await(
                    "chart 1.2.0 pending-sync",
                    FLUX,
                    () -> changes(agent.drifts()).stream()
                            .anyMatch(c -> c.path("field").asText().equals("data.chart")
                                    && c.path("cause").asText().equals("pending-sync")),
                    () -> agent.drifts().toString());

            kubectl.run("-n", NS, "patch", "helmrelease", "web", "--type=merge", "-p", "{\"spec\":{\"suspend\":true}}");
            Eventually.await(
                    "a suspended HelmRelease is source health",
                    FLUX,
                    () -> agent.status()
                            .path("apps")
                            .path("HelmRelease/" + NS + "/web")
                            .path("error")
                            .asText()
                            .contains("is suspended"),
                    () -> agent.status().toString());
            assertThat(agent.status()
                            .path("apps")
                            .path("HelmRelease/" + NS + "/web")
                            .path("error")
                            .asText())
                    .startsWith("unhealthy: ");
        }
    }

    /**
     * {@code spec.postRenderers}: a Kustomize patch and an image override helm-controller applies after Helm. The
     * release is installed by {@code helm install} and the post-renderer's result put on by kubectl (as
     * helm-controller's post-renderer would have written it): before, the render's patched replicas and image are
     * the desired values of the differences; after, there are none.
     */
    @Test
    @Order(4)
    void postRenderersArePartOfTheRenderedDesiredState() throws Exception {
        apply(FluxHelmReleaseIT.helmRelease("patched", NS, """
                  targetNamespace: shop
                  postRenderers:
                  - kustomize:
                      patches:
                      - target: {kind: Deployment}
                        patch: |
                          - op: replace
                            path: /spec/replicas
                            value: 5
                      images:
                      - {name: nginx, newTag: "1.28"}
                """));
        kubectl.run(
                "-n",
                NS,
                "patch",
                "helmrelease",
                "patched",
                "--subresource=status",
                "--type=merge",
                "-p",
                "{\"status\":{\"helmChart\":\"flux-system/flux-system-web\"}}");
        String version = helmChartStatus().path("artifact").path("revision").asText();
        helm.run(
                "install",
                "shop-patched",
                repo.resolve("web-" + version + ".tgz").toString(),
                "--namespace",
                "shop");
        originLabels("shop-patched", "patched");
        DiffCli.Run before = diffPatched();
        // helm (not helm-controller) wrote after the HelmRelease: its values read as admission, which the exit code
        // does not count; the point is the desired values
        List<JsonNode> changes = changes(before.drifts());
        assertThat(changes)
                .extracting(
                        c -> c.path("field").asText() + "=" + c.path("desired").asText())
                .containsExactlyInAnyOrder(
                        "spec.replicas=5", "spec.template.spec.containers[name=web].image=nginx:1.28");

        kubectl.run("-n", "shop", "scale", "deployment", "shop-patched", "--replicas=5");
        kubectl.run("-n", "shop", "set", "image", "deployment/shop-patched", "web=nginx:1.28");
        DiffCli.Run after = diffPatched();
        assertThat(after.exitCode()).as(after.stderr() + after.stdout()).isZero();
        assertThat(after.drifts()).isEmpty();
    }

    private DiffCli.Run diffPatched() {
        return DiffCli.run(List.of(
                "diff",
                "--flux-helmrelease",
                NS + "/patched",
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-o",
                "json"));
    }

    /** The origin labels helm-controller's post-renderer puts on what it installs. */
    private void originLabels(String release, String helmRelease) {
        for (String object : List.of("configmap/" + release + "-settings", "deployment/" + release)) {
            kubectl.run(
                    "-n",
                    "shop",
                    "label",
                    "--overwrite",
                    object,
                    "helm.toolkit.fluxcd.io/name=" + helmRelease,
                    "helm.toolkit.fluxcd.io/namespace=" + NS);
        }
    }

    private static String revision(AgentEndpoint agent) {
        return agent.status()
                .path("apps")
                .path("HelmRelease/" + NS + "/web")
                .path("revision")
                .asText();
    }

    private static List<JsonNode> changes(List<JsonNode> drifts) {
        List<JsonNode> changes = new ArrayList<>();
        drifts.forEach(d -> d.path("changes").forEach(changes::add));
        return changes;
    }

    /**
     * What helm-controller does for an upgrade: {@code helm upgrade} with the merged values, its origin labels, and the
     * status it records (attempted generation, chart, values digest, the latest snapshot). The values digest is the
     * one helm-controller's own code computes ({@link FluxValuesDigests}) of the HelmRelease's spec and ConfigMaps now.
     */
    private void upgrade(String version, String color, int replicas, int generation) throws Exception {
        Path values = work.resolve("upgrade-values.yaml");
        Files.writeString(values, "color: " + color + "\nreplicas: " + replicas + "\n");
        helm.run(
                "upgrade",
                "shop-web",
                repo.resolve("web-" + version + ".tgz").toString(),
                "--namespace",
                "shop",
                // the release's owner takes back fields another manager wrote (Helm 4's server-side apply)
                "--force-conflicts",
                "--values",
                values.toString());
        originLabels("shop-web", "web");
        String digest = configDigest();
        String now = Instant.now().toString();
        releaseVersion++;
        kubectl.run(
                "-n", NS, "patch", "helmrelease", "web", "--subresource=status", "--type=merge", "-p", """
                {"status": {"helmChart": "flux-system/flux-system-web", "lastAttemptedGeneration": %d,
                 "observedGeneration": %d, "lastAttemptedRevision": "%s", "lastAttemptedConfigDigest": "%s",
                 "conditions": [{"type": "Ready", "status": "True", "reason": "UpgradeSucceeded",
                   "message": "Helm upgrade succeeded", "lastTransitionTime": "%s"}],
                 "history": [{"name": "shop-web", "namespace": "shop", "version": %d, "chartName": "web",
                   "chartVersion": "%s", "status": "deployed", "configDigest": "%s",
                   "digest": "sha256:%d", "firstDeployed": "%s", "lastDeployed": "%s"}]}}""".formatted(
                                generation,
                                generation,
                                version,
                                digest,
                                now,
                                releaseVersion,
                                version,
                                digest,
                                releaseVersion,
                                now,
                                now));
    }

    /** helm-controller's digest of HelmRelease web's values now (its spec and the web-values ConfigMap). */
    private String configDigest() throws Exception {
        JsonNode spec = client.getKubernetesSerialization()
                .convertValue(
                        client.genericKubernetesResources(HelmReleaseSpec.API_VERSION, "HelmRelease")
                                .inNamespace(NS)
                                .withName("web")
                                .get(),
                        JsonNode.class)
                .path("spec");
        ObjectNode configMaps = JSON.createObjectNode();
        configMaps.set(
                "web-values",
                JSON.valueToTree(client.configMaps()
                        .inNamespace(NS)
                        .withName("web-values")
                        .get()
                        .getData()));
        return FluxValuesDigests.of(spec, configMaps, work);
    }

    private static void awaitNextSecond() throws InterruptedException {
        long second = System.currentTimeMillis() / 1000;
        while (System.currentTimeMillis() / 1000 == second) {
            Thread.sleep(50);
        }
    }
}
