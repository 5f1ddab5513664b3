package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.driftwatch.localkube.LocalKubeCluster;
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

    @TempDir
    static Path work;

    private LocalKubeCluster cluster;
    private KubernetesClient client;
    private SourceControllerProcess flux;
    private HttpServer repository;
    private HelmCli helm;
    private Kubectl kubectl;
    private Path repo;

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
}
