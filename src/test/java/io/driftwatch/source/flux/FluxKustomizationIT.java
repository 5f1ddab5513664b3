package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.FluxControllers;
import io.driftwatch.testing.GitHttpServer;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwatch diff --flux-kustomization} against real Flux: source-controller fetches a local Git server (the
 * real {@code git http-backend}, basic auth) and serves the artifact, kustomize-controller applies it; driftwatch
 * renders the same artifact and compares.
 */
@WithKubeApiServer
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FluxKustomizationIT {

    private static final String NS = FluxControllers.NAMESPACE;
    private static final Duration FLUX = Duration.ofSeconds(240);

    @TempDir
    Path work;

    private LocalKubeCluster cluster;
    private KubernetesClient client;
    private FluxControllers flux;
    private GitHttpServer git;
    private GitRepoFixture repo;

    @BeforeAll
    void startFlux(LocalKubeCluster cluster) throws Exception {
        this.cluster = cluster;
        this.client = cluster.adminClient();
        repo = GitRepoFixture.init(work.resolve("git").resolve("apps"));
        repo.write("plain/config.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: plain-config
                  namespace: flux-plain
                data:
                  color: blue
                """);
        repo.write("plain/namespace.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: flux-plain
                """);
        repo.write("pending/config.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: pending-config
                  namespace: flux-plain
                data:
                  color: blue
                """);
        repo.write("overlay/base/kustomization.yaml", "resources: [deployment.yaml, settings.yaml]\n");
        repo.write("overlay/base/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.0
                """);
        repo.write("overlay/base/settings.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  cluster: ${cluster}
                  region: ${region:=eu-west-1}
                  tier: ${tier}
                """);
        repo.write("overlay/prod/kustomization.yaml", """
                resources: [../base]
                patches:
                - target: {kind: Deployment, name: web}
                  patch: |
                    - op: replace
                      path: /spec/replicas
                      value: 2
                """);
        repo.commit("apps");
        String user = "flux";
        String password = "s3cret";
        git = new GitHttpServer(
                work.resolve("git"),
                "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        flux = FluxControllers.start(cluster, Files.createDirectories(work.resolve("flux")));
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("create", "namespace", "flux-overlay");
        kubectl.run(
                "-n",
                NS,
                "create",
                "secret",
                "generic",
                "git-auth",
                "--from-literal=username=" + user,
                "--from-literal=password=" + password);
        kubectl.run(
                "-n",
                NS,
                "create",
                "configmap",
                "cluster-vars",
                "--from-literal=cluster=prod-1",
                "--from-literal=tier=gold");
        apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: apps
                  namespace: flux-system
                spec:
                  interval: 10s
                  url: %s
                  ref: {branch: main}
                  secretRef: {name: git-auth}
                """.formatted(git.url("apps")));
        apply(kustomization("plain", "./plain", ""));
        apply(kustomization("overlay", "./overlay/prod", """
                  targetNamespace: flux-overlay
                  images:
                  - name: nginx
                    newTag: "1.27"
                  patches:
                  - target: {kind: ConfigMap, name: settings}
                    patch: |
                      - op: add
                        path: /data/patched
                        value: "yes"
                  commonMetadata:
                    labels: {team: shop}
                  postBuild:
                    substitute: {tier: silver}
                    substituteFrom:
                    - kind: ConfigMap
                      name: cluster-vars
                """));
        apply(kustomization("pending", "./pending", ""));
        awaitApplied("plain", repo.head());
        awaitApplied("overlay", repo.head());
        awaitApplied("pending", repo.head());
    }

    @AfterAll
    void stop() {
        if (flux != null) {
            flux.close();
        }
        if (git != null) {
            git.close();
        }
    }

    private static String kustomization(String name, String path, String extra) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: %s
                  namespace: flux-system
                spec:
                  interval: 1h
                  path: %s
                  prune: true
                  sourceRef: {kind: GitRepository, name: apps}
                %s""".formatted(name, path, extra);
    }

    private void apply(String yaml) throws Exception {
        Path file = Files.createTempFile(work, "flux", ".yaml");
        Files.writeString(file, yaml);
        new Kubectl(cluster).run("apply", "--server-side", "--field-manager=test-setup", "-f", file.toString());
    }

    private JsonNode get(String kind, String name) {
        GenericKubernetesResource found = client.genericKubernetesResources(
                        kind.equals("Kustomization") ? "kustomize.toolkit.fluxcd.io/v1" : "source.toolkit.fluxcd.io/v1",
                        kind)
                .inNamespace(NS)
                .withName(name)
                .get();
        return client.getKubernetesSerialization().convertValue(found, JsonNode.class);
    }

    private void awaitApplied(String name, String commit) {
        Eventually.await(
                "Flux applied " + name + " at " + commit,
                FLUX,
                () -> get("Kustomization", name)
                        .path("status")
                        .path("lastAppliedRevision")
                        .asText()
                        .endsWith(commit),
                () -> get("Kustomization", name).path("status").toString() + "\n" + flux.logs());
    }

    private DiffCli.Run diff(String name) {
        List<String> args = new ArrayList<>(List.of(
                "diff",
                "--flux-kustomization",
                NS + "/" + name,
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-o",
                "json"));
        return DiffCli.run(args);
    }

    @Test
    void aPlainYamlAppFluxAppliedHasNoDrift() {
        DiffCli.Run run = diff("plain");
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
        assertThat(run.stderr())
                .contains("objects from Flux Kustomization flux-system/plain at main@sha1:" + repo.head());
    }

    @Test
    void theOverlayRenderedWithFluxsPatchesImagesAndSubstitutionsHasNoDrift() {
        DiffCli.Run run = diff("overlay");
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
        // what Flux applied is what driftwatch rendered: check a few of the values only Flux's spec supplies
        var settings = client.configMaps()
                .inNamespace("flux-overlay")
                .withName("settings")
                .get();
        assertThat(settings.getData())
                .containsEntry("cluster", "prod-1")
                .containsEntry("tier", "silver")
                .containsEntry("region", "eu-west-1")
                .containsEntry("patched", "yes");
        assertThat(settings.getMetadata().getLabels()).containsEntry("team", "shop");
        var web = client.apps()
                .deployments()
                .inNamespace("flux-overlay")
                .withName("web")
                .get();
        assertThat(web.getSpec().getReplicas()).isEqualTo(2);
        assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("nginx:1.27");
    }

    @Test
    void aKubectlChangeIsOutOfBandUntilFluxOverwritesIt() {
        Instant before = Instant.now().minusSeconds(1);
        new Kubectl(cluster)
                .run("-n", "flux-plain", "patch", "configmap", "plain-config", "-p", "{\"data\":{\"color\":\"red\"}}");
        DiffCli.Run drifted = diff("plain");
        assertThat(drifted.exitCode()).as(drifted.stderr()).isEqualTo(1);
        JsonNode drift = drifted.drifts().get(0);
        assertThat(drift.path("name").asText()).isEqualTo("plain-config");
        JsonNode change = drift.path("changes").get(0);
        assertThat(change.path("field").asText()).isEqualTo("data.color");
        assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
        assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
        // the onset: when kubectl wrote the field (managedFields), to the second
        assertThat(Instant.parse(change.path("time").asText())).isAfterOrEqualTo(before);
        // Flux puts it back at its next reconciliation (asked for now rather than waiting for the interval)
        new Kubectl(cluster)
                .run(
                        "-n",
                        NS,
                        "annotate",
                        "--overwrite",
                        "kustomization",
                        "plain",
                        "reconcile.fluxcd.io/requestedAt=" + Instant.now());
        Eventually.await(
                "Flux overwrote the kubectl change",
                FLUX,
                () -> "blue"
                        .equals(client.configMaps()
                                .inNamespace("flux-plain")
                                .withName("plain-config")
                                .get()
                                .getData()
                                .get("color")),
                flux::logs);
        DiffCli.Run resolved = diff("plain");
        assertThat(resolved.exitCode()).as(resolved.stdout()).isZero();
    }

    @Test
    void aCommitFluxFetchedButHasNotAppliedIsPendingSyncThenResolved() {
        flux.stopKustomizeController();
        String commit;
        try {
            repo.write("pending/config.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: pending-config
                      namespace: flux-plain
                    data:
                      color: green
                    """);
            commit = repo.commit("green");
            Eventually.await(
                    "source-controller fetched " + commit,
                    FLUX,
                    () -> get("GitRepository", "apps")
                            .path("status")
                            .path("artifact")
                            .path("revision")
                            .asText()
                            .endsWith(commit),
                    flux::logs);
            DiffCli.Run run = diff("pending");
            assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isEqualTo(1);
            JsonNode drift = run.drifts().get(0);
            assertThat(drift.path("name").asText()).isEqualTo("pending-config");
            JsonNode change = drift.path("changes").get(0);
            assertThat(change.path("field").asText()).isEqualTo("data.color");
            assertThat(change.path("manager").asText()).isEqualTo("kustomize-controller");
            assertThat(change.path("cause").asText()).isEqualTo("pending-sync");
        } finally {
            flux.startKustomizeController();
        }
        awaitApplied("pending", commit);
        DiffCli.Run applied = diff("pending");
        assertThat(applied.exitCode()).as(applied.stdout()).isZero();
    }

    @Test
    void aSuspendedKustomizationIsSourceHealthNotDrift() throws Exception {
        apply(kustomization("suspended", "./plain", "  suspend: true\n"));
        DiffCli.Run run = diff("suspended");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Flux Kustomization flux-system/suspended is suspended");
        assertThat(run.drifts()).isEmpty();
    }

    @Test
    void aMissingKustomizationIsNamed() {
        DiffCli.Run run = diff("nope");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Flux Kustomization flux-system/nope not found");
    }
}
