package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.HelmCli;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwatch diff --flux-helmrelease} with the desired state read from Helm's release storage, written by the
 * real {@code helm} binary installing and upgrading a chart against the real API server. The HelmRelease objects are
 * created from helm-controller's published CRD; helm-controller itself does not run here (its module is not served),
 * so their status — what helm-controller would record — is written by the test, and the releases are installed with
 * the name, namespace and storage namespace helm-controller computes for them.
 */
@WithKubeApiServer
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FluxHelmReleaseIT {

    static final Path CRD = Path.of("src/test/resources/flux/helm-controller/helm.toolkit.fluxcd.io_helmreleases.yaml");
    private static final String NS = "flux-apps";

    @TempDir
    static Path work;

    private LocalKubeCluster cluster;
    private Kubectl kubectl;
    private HelmCli helm;
    private Path chart;

    @BeforeAll
    void install(LocalKubeCluster cluster) throws Exception {
        this.cluster = cluster;
        kubectl = new Kubectl(cluster);
        helm = new HelmCli(cluster, work.resolve("helm-home"));
        kubectl.run("apply", "--server-side", "--field-manager=test-setup", "-f", CRD.toString());
        kubectl.awaitEstablished(Duration.ofSeconds(120), "crd/helmreleases.helm.toolkit.fluxcd.io");
        kubectl.run("create", "namespace", NS);
        kubectl.run("create", "namespace", "hrshop");
        chart = writeChart(work.resolve("chart/web"));
        Path values = work.resolve("values.yaml");
        Files.writeString(values, "replicas: 2\ncolor: green\n");
        // helm-controller's names for HelmRelease flux-apps/web with targetNamespace hrshop: release hrshop-web in
        // hrshop
        helm.run("install", "hrshop-web", chart.toString(), "--namespace", "hrshop", "--values", values.toString());
        helm.run("install", "broken", chart.toString(), "--namespace", "hrshop");
        Kubectl.Result failed = helm.tryRun(
                "upgrade", "broken", chart.toString(), "--namespace", "hrshop", "--set", "invalidName=true");
        assertThat(failed.exitCode()).as(failed.output()).isNotZero();
        apply(helmRelease("web", NS, """
                  targetNamespace: hrshop
                  storageNamespace: hrshop
                  values: {replicas: 2}
                  valuesFrom:
                  - kind: ConfigMap
                    name: web-values
                    valuesKey: color
                    targetPath: color
                """));
        setStatus("web", NS, readyTrue("hrshop-web", "hrshop", "1.0.0", "1.0.0"));
        apply(helmRelease("broken", "hrshop", ""));
        apply(helmRelease("notyet", "hrshop", ""));
        apply(helmRelease("failing", "hrshop", ""));
        setStatus("failing", "hrshop", """
                {"status": {"conditions": [{"type": "Ready", "status": "False", "reason": "UpgradeFailed",
                  "message": "Helm upgrade failed for release hrshop/failing with chart web@1.1.0: timed out",
                  "lastTransitionTime": "%s"}], "lastAttemptedRevision": "1.1.0"}}""".formatted(Instant.now()));
        apply(helmRelease("suspended", NS, "  targetNamespace: hrshop\n  storageNamespace: hrshop\n  suspend: true\n"));
        apply(helmRelease("secret-values", NS, """
                  valuesFrom:
                  - kind: Secret
                    name: web-credentials
                  - kind: ConfigMap
                    name: absent-values
                """));
    }

    static Path writeChart(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("templates/tests"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        Files.writeString(dir.resolve("values.yaml"), "replicas: 1\ncolor: blue\ninvalidName: false\n");
        Files.writeString(dir.resolve("templates/settings.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ if .Values.invalidName }}Not_A_Valid_Name{{ else }}{{ .Release.Name }}-settings{{ end }}
                data:
                  color: {{ .Values.color | quote }}
                  release: {{ .Release.Name | quote }}
                  chart: {{ .Chart.Version | quote }}
                """);
        Files.writeString(dir.resolve("templates/deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ .Release.Name }}
                spec:
                  replicas: {{ .Values.replicas }}
                  selector:
                    matchLabels: {app: {{ .Release.Name }}}
                  template:
                    metadata:
                      labels: {app: {{ .Release.Name }}}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                """);
        Files.writeString(dir.resolve("templates/hook.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-pre-install
                  annotations:
                    helm.sh/hook: pre-install
                data:
                  step: migrate
                """);
        Files.writeString(dir.resolve("templates/tests/smoke.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: {{ .Release.Name }}-smoke
                  annotations:
                    helm.sh/hook: test
                spec:
                  containers:
                  - name: smoke
                    image: busybox
                """);
        return dir;
    }

    static String helmRelease(String name, String namespace, String extra) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: web
                      version: "1.0.0"
                      sourceRef: {kind: HelmRepository, name: charts}
                %s""".formatted(name, namespace, extra);
    }

    /** The status helm-controller records after installing: Ready, the attempted chart, the latest snapshot. */
    static String readyTrue(String release, String namespace, String attempted, String installed) {
        String now = Instant.now().toString();
        return """
                {"status": {"conditions": [{"type": "Ready", "status": "True", "reason": "InstallSucceeded",
                  "message": "Helm install succeeded", "lastTransitionTime": "%s"}],
                 "lastAttemptedRevision": "%s",
                 "history": [{"name": "%s", "namespace": "%s", "version": 1, "chartName": "web",
                   "chartVersion": "%s", "status": "deployed", "firstDeployed": "%s", "lastDeployed": "%s",
                   "configDigest": "sha256:0", "digest": "sha256:0"}]}}""".formatted(now, attempted, release, namespace, installed, now, now);
    }

    private void apply(String yaml) throws Exception {
        Path file = Files.createTempFile(work, "hr", ".yaml");
        Files.writeString(file, yaml);
        kubectl.run("apply", "--server-side", "--field-manager=test-setup", "-f", file.toString());
    }

    /** Writes the status subresource as helm-controller would (it does not run in these tests). */
    private void setStatus(String name, String namespace, String json) {
        kubectl.run("-n", namespace, "patch", "helmrelease", name, "--subresource=status", "--type=merge", "-p", json);
    }

    private DiffCli.Run diff(String reference, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "diff",
                "--flux-helmrelease",
                reference,
                "--flux-helm-desired",
                "release-storage",
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-o",
                "json"));
        args.addAll(List.of(extra));
        return DiffCli.run(args);
    }

    /**
     * {@code driftwatch diff --helm-installed NS/NAME} for plain Helm (no HelmRelease): what {@code helm install} and
     * {@code helm upgrade} stored is compared; a kubectl change is out-of-band; an object labelled with the release's
     * instance label is an extra; a failed upgrade and a release never installed are named; a bad reference names
     * every problem.
     */
    @Test
    void aPlainHelmReleaseIsComparedWithWhatHelmStored() throws Exception {
        kubectl.run("create", "namespace", "hrplain");
        Path values = work.resolve("plain-values.yaml");
        Files.writeString(values, "replicas: 1\ncolor: plum\n");
        helm.run("install", "plain", chart.toString(), "--namespace", "hrplain", "--values", values.toString());
        helm.run("upgrade", "plain", chart.toString(), "--namespace", "hrplain", "--set", "color=peach");
        DiffCli.Run clean = plain("hrplain/plain");
        assertThat(clean.exitCode()).as(clean.stderr() + clean.stdout()).isZero();
        assertThat(clean.stderr())
                .contains("2 objects from Helm release hrplain/plain (installed: release plain v2 (chart web-1.0.0))");

        kubectl.run("-n", "hrplain", "patch", "configmap", "plain-settings", "-p", "{\"data\":{\"color\":\"red\"}}");
        kubectl.run("-n", "hrplain", "create", "configmap", "stray", "--from-literal=a=b");
        kubectl.run("-n", "hrplain", "label", "configmap", "stray", "app.kubernetes.io/instance=plain");
        DiffCli.Run drifted = plain("hrplain/plain");
        assertThat(drifted.exitCode()).as(drifted.stderr() + drifted.stdout()).isEqualTo(1);
        assertThat(drifted.drifts()).hasSize(2);
        JsonNode changed = drifted.drifts().stream()
                .filter(d -> d.path("name").asText().equals("plain-settings"))
                .findFirst()
                .orElseThrow();
        JsonNode change = changed.path("changes").get(0);
        assertThat(change.path("field").asText()).isEqualTo("data.color");
        assertThat(change.path("desired").asText()).isEqualTo("peach");
        assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
        assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
        assertThat(drifted.drifts())
                .anySatisfy(d -> assertThat(
                                d.path("name").asText() + " " + d.path("type").asText())
                        .isEqualTo("stray extra"));

        Kubectl.Result failed = helm.tryRun(
                "upgrade", "plain", chart.toString(), "--namespace", "hrplain", "--set", "invalidName=true");
        assertThat(failed.exitCode()).as(failed.output()).isNotZero();
        DiffCli.Run unhealthy = plain("hrplain/plain");
        assertThat(unhealthy.exitCode()).isEqualTo(2);
        assertThat(unhealthy.stderr())
                .contains("error: Helm release hrplain/plain: the latest revision in Helm's release storage, release "
                        + "plain v3 (chart web-1.0.0), is failed");

        DiffCli.Run absent = plain("hrplain/never");
        assertThat(absent.exitCode()).isEqualTo(2);
        assertThat(absent.stderr()).contains("Helm's release storage has no release never in namespace hrplain");

        DiffCli.Run bad = plain("HR/Plain_1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr())
                .contains("'HR' is not a namespace name")
                .contains("'Plain_1' is not a Helm release name");
    }

    private DiffCli.Run plain(String reference) {
        return DiffCli.run(List.of(
                "diff",
                "--helm-installed",
                reference,
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-o",
                "json"));
    }

    @Test
    void whatHelmInstalledHasNoDriftAndHooksAreLeftOut() {
        DiffCli.Run run = diff(NS + "/web");
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
        assertThat(run.stderr())
                .contains("2 objects from Flux HelmRelease flux-apps/web (installed: release hrshop-web v1 (chart "
                        + "web-1.0.0))");
        assertThat(run.stderr()).doesNotContain("note:");
    }

    @Test
    void aKubectlChangeToAnInstalledObjectIsOutOfBand() {
        Instant before = Instant.now().minusSeconds(1);
        kubectl.run(
                "-n", "hrshop", "patch", "configmap", "hrshop-web-settings", "-p", "{\"data\":{\"color\":\"red\"}}");
        try {
            DiffCli.Run drifted = diff(NS + "/web");
            assertThat(drifted.exitCode())
                    .as(drifted.stderr() + drifted.stdout())
                    .isEqualTo(1);
            assertThat(drifted.drifts()).hasSize(1);
            JsonNode drift = drifted.drifts().get(0);
            assertThat(drift.path("name").asText()).isEqualTo("hrshop-web-settings");
            assertThat(drift.path("namespace").asText()).isEqualTo("hrshop");
            JsonNode change = drift.path("changes").get(0);
            assertThat(change.path("field").asText()).isEqualTo("data.color");
            assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
            assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
            assertThat(Instant.parse(change.path("time").asText())).isAfterOrEqualTo(before);
        } finally {
            kubectl.run(
                    "-n",
                    "hrshop",
                    "patch",
                    "configmap",
                    "hrshop-web-settings",
                    "-p",
                    "{\"data\":{\"color\":\"green\"}}");
        }
        DiffCli.Run resolved = diff(NS + "/web");
        assertThat(resolved.exitCode()).as(resolved.stdout()).isZero();
    }

    @Test
    void anUpgradeHelmControllerHasNotInstalledYetIsNotDrift() {
        setStatus("web", NS, readyTrue("hrshop-web", "hrshop", "1.1.0", "1.0.0"));
        try {
            DiffCli.Run run = diff(NS + "/web");
            assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
            assertThat(run.stderr())
                    .contains("note: Flux HelmRelease flux-apps/web: helm-controller last attempted chart 1.1.0, not"
                            + " yet installed (installed: 1.0.0)");
        } finally {
            setStatus("web", NS, readyTrue("hrshop-web", "hrshop", "1.0.0", "1.0.0"));
        }
    }

    @Test
    void aReleaseWhoseLatestRevisionFailedIsReportedAsSuchNotAsDrift() {
        DiffCli.Run run = diff("hrshop/broken");
        assertThat(run.exitCode()).as(run.stdout()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("Flux HelmRelease hrshop/broken: the latest revision in Helm's release storage, release "
                        + "broken v2 (chart web-1.0.0), is failed");
        assertThat(run.drifts()).isEmpty();
    }

    @Test
    void aHelmReleaseFluxReportsFailingIsSourceHealthNotDrift() {
        DiffCli.Run run = diff("hrshop/failing");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains(
                        "Flux HelmRelease hrshop/failing is failing: Ready=False (UpgradeFailed): Helm upgrade failed");
        assertThat(run.drifts()).isEmpty();
    }

    @Test
    void aSuspendedHelmReleaseIsNotCompared() {
        DiffCli.Run run = diff(NS + "/suspended");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Flux HelmRelease flux-apps/suspended is suspended (spec.suspend: true)");
    }

    @Test
    void aReleaseNotInstalledYetIsNamed() {
        DiffCli.Run run = diff("hrshop/notyet");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains(
                        "Helm's release storage has no release notyet in namespace hrshop (not installed yet, or not stored by the Secret driver)");
    }

    @Test
    void renderingTheChartRefusesSecretValuesUnlessEnabledAndNamesEveryProblem() {
        DiffCli.Run run = DiffCli.run(List.of(
                "diff",
                "--flux-helmrelease",
                NS + "/secret-values",
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-o",
                "json"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("valuesFrom Secret/web-credentials: reading Secrets is not enabled")
                .contains("valuesFrom ConfigMap/absent-values not found");
    }

    @Test
    void renderingTheChartNeedsSourceControllersHelmChart() {
        DiffCli.Run run = DiffCli.run(List.of(
                "diff",
                "--flux-helmrelease",
                "hrshop/notyet",
                "--kubeconfig",
                cluster.kubeconfig().toString()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains(
                        "Flux HelmRelease hrshop/notyet: cannot read HelmChart hrshop/hrshop-notyet: the cluster does not"
                                + " serve source.toolkit.fluxcd.io/v1 (are Flux's CRDs installed?)");
    }

    /**
     * The RBAC shipped in k8s/flux, with a real ServiceAccount token: driftwatch-flux-reader alone reads the
     * HelmRelease but not Helm's release storage (refused, named); the opt-in release-storage role bound in the storage
     * namespace only is enough for it; nothing can be written, and no Secret elsewhere is readable.
     */
    @Test
    void theShippedFluxRolesAreEnoughAndNoMore() throws Exception {
        for (String file : List.of(
                "150-ClusterRole-driftwatch-flux-reader.yaml",
                "160-ClusterRole-driftwatch-flux-helm-release-storage.yaml")) {
            kubectl.run("apply", "-f", Path.of("k8s", "flux", file).toString());
        }
        kubectl.run("-n", NS, "create", "serviceaccount", "flux-ci");
        kubectl.run(
                "create",
                "clusterrolebinding",
                "flux-ci-reader",
                "--clusterrole=driftwatch-flux-reader",
                "--serviceaccount=" + NS + ":flux-ci");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (KubernetesClient sa = cluster.serviceAccountClient(NS, "flux-ci")) {
            FluxHelmReleaseSource source = new FluxHelmReleaseSource(
                    sa,
                    NS,
                    "web",
                    FluxHelmReleaseSource.Mode.RELEASE_STORAGE,
                    false,
                    ToolBinaries.fromEnvironment(),
                    new ToolRunner(pool, Duration.ofMinutes(2)),
                    HttpClient.newHttpClient(),
                    ManifestLimits.DEFAULT,
                    Clock.systemUTC());
            assertThatThrownBy(source::load)
                    .isInstanceOfSatisfying(
                            SourceException.class, e -> assertThat(e.reason()).isEqualTo(SourceException.Reason.AUTH))
                    .hasMessageContaining("Flux HelmRelease flux-apps/web: cannot read Secrets in hrshop labelled "
                            + "owner=helm,name=hrshop-web: HTTP 403");
            kubectl.run(
                    "-n",
                    "hrshop",
                    "create",
                    "rolebinding",
                    "flux-ci-release-storage",
                    "--clusterrole=driftwatch-flux-helm-release-storage",
                    "--serviceaccount=" + NS + ":flux-ci");
            Eventually.await("the RoleBinding is in effect", Duration.ofSeconds(60), () -> {
                try {
                    return source.load().objects().size() == 2;
                } catch (SourceException e) {
                    return false;
                }
            });
            assertThatThrownBy(() -> sa.secrets().inNamespace(NS).list())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> sa.genericKubernetesResources(HelmReleaseSpec.API_VERSION, "HelmRelease")
                            .inNamespace(NS)
                            .withName("web")
                            .edit(hr -> {
                                hr.getAdditionalProperties().put("spec", Map.of("suspend", true));
                                return hr;
                            }))
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingHelmReleaseIsNamed() {
        DiffCli.Run run = diff(NS + "/nope");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Flux HelmRelease flux-apps/nope not found");
    }
}
