package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.CachedBinary;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.FluxApps;
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
import org.junit.jupiter.api.Order;
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
@Order(CachedBinary.AFTER_BACKGROUND_BUILD) // needs a binary built beside the tests
class FluxKustomizationIT {

    private static final String NS = FluxControllers.NAMESPACE;
    private static final Duration FLUX = Duration.ofSeconds(240);

    private Path work;

    private LocalKubeCluster cluster;
    private KubernetesClient client;
    private FluxControllers flux;
    private GitHttpServer git;
    private GitRepoFixture repo;

    @BeforeAll
    void startFlux(LocalKubeCluster cluster, @TempDir Path work) throws Exception {
        this.cluster = cluster;
        this.work = work;
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
                  namespace: flux-overlay
                data:
                  color: blue
                """);
        repo.write("overlay/base/kustomization.yaml", "resources: [deployment.yaml, settings.yaml]\n");
        repo.write("overlay/base/deployment.yaml", FluxApps.WEB_DEPLOYMENT);
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
        repo.write("components/extra/kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1alpha1
                kind: Component
                resources: [extra.yaml]
                """);
        repo.write("components/extra/extra.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: extra
                data:
                  from: component
                """);
        repo.write("overlay/prod/kustomization.yaml", FluxApps.replicasPatched("[../base]"));
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
                  namePrefix: shop-
                  nameSuffix: -v1
                  components: [../../components/extra]
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
        awaitAllApplied(repo.head());
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
                  retryInterval: 10s
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

    /** Every Kustomization Flux reconciles in this class applied at {@code commit}, so none is mid-apply. */
    private void awaitAllApplied(String commit) {
        for (String name : List.of("plain", "overlay", "pending")) {
            awaitApplied(name, commit);
        }
    }

    @Test
    void aPlainYamlAppFluxAppliedHasNoDrift() {
        DiffCli.Run run = diff("plain");
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
        assertThat(run.stderr())
                .contains("2 objects from Flux Kustomization flux-system/plain at main@sha1:" + repo.head());
    }

    @Test
    void theOverlayRenderedWithFluxsSpecHasNoDrift() {
        DiffCli.Run run = diff("overlay");
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
        assertThat(run.stderr()).contains("3 objects from Flux Kustomization flux-system/overlay");
        // what Flux applied is what driftwatch rendered: the values only Flux's spec supplies are really there
        var settings = client.configMaps()
                .inNamespace("flux-overlay")
                .withName("shop-settings-v1")
                .get();
        assertThat(settings.getData())
                .containsEntry("cluster", "prod-1")
                .containsEntry("tier", "silver")
                .containsEntry("region", "eu-west-1")
                .containsEntry("patched", "yes");
        assertThat(settings.getMetadata().getLabels())
                .containsEntry("team", "shop")
                .containsEntry("kustomize.toolkit.fluxcd.io/name", "overlay");
        assertThat(client.configMaps()
                        .inNamespace("flux-overlay")
                        .withName("shop-extra-v1")
                        .get()
                        .getData())
                .containsEntry("from", "component");
        var web = client.apps()
                .deployments()
                .inNamespace("flux-overlay")
                .withName("shop-web-v1")
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
        assertThat(drifted.exitCode()).as(drifted.stderr() + drifted.stdout()).isEqualTo(1);
        JsonNode change = drifted.change("plain-config", "data.color");
        assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
        assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
        // the onset: when kubectl wrote the field (managedFields), to the second
        assertThat(Instant.parse(change.path("time").asText())).isAfterOrEqualTo(before.minusSeconds(1));
        // Flux puts it back at its next reconciliation (asked for now rather than waiting for the interval)
        flux.reconcileNow("kustomization", "plain");
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
    void aScaleAndAnAddedLabelAreOutOfBandAndFluxsOwnWritesAreNot() {
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("-n", "flux-overlay", "scale", "deployment/shop-web-v1", "--replicas=5");
        kubectl.run("-n", "flux-overlay", "label", "configmap/shop-settings-v1", "owner=someone");
        DiffCli.Run drifted = diff("overlay");
        assertThat(drifted.exitCode()).as(drifted.stderr() + drifted.stdout()).isEqualTo(1);
        JsonNode replicas = drifted.change("shop-web-v1", "spec.replicas");
        assertThat(replicas.path("desired").asText()).isEqualTo("2");
        assertThat(replicas.path("live").asText()).isEqualTo("5");
        assertThat(replicas.path("cause").asText()).isEqualTo("out-of-band");
        // the API server records a write through the scale subresource under kubectl's plain name
        assertThat(replicas.path("manager").asText()).isEqualTo("kubectl");
        JsonNode label = drifted.change("shop-settings-v1", "metadata.labels.owner");
        assertThat(label.path("manager").asText()).isEqualTo("kubectl-label");
        assertThat(label.path("cause").asText()).isEqualTo("out-of-band");
        // the only drifts are the two kubectl changes: nothing kustomize-controller wrote is called out-of-band
        assertThat(drifted.drifts()).hasSize(2);
        drifted.drifts()
                .forEach(d -> d.path("changes")
                        .forEach(c -> assertThat(c.path("manager").asText())
                                .as(c.toString())
                                .isNotEqualTo("kustomize-controller")));
        // Flux's next reconciliation undoes both: it takes spec.replicas back and removes kubectl's label
        flux.reconcileNow("kustomization", "overlay");
        Eventually.await(
                "Flux undid the scale and the label",
                FLUX,
                () -> client.apps()
                                        .deployments()
                                        .inNamespace("flux-overlay")
                                        .withName("shop-web-v1")
                                        .get()
                                        .getSpec()
                                        .getReplicas()
                                == 2
                        && !client.configMaps()
                                .inNamespace("flux-overlay")
                                .withName("shop-settings-v1")
                                .get()
                                .getMetadata()
                                .getLabels()
                                .containsKey("owner"),
                flux::logs);
        DiffCli.Run after = diff("overlay");
        assertThat(after.exitCode()).as(after.stdout()).isZero();
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
                      namespace: flux-overlay
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
            JsonNode status = get("Kustomization", "pending").path("status");
            assertThat(status.path("lastAppliedRevision").asText()).doesNotEndWith(commit);
            DiffCli.Run run = diff("pending");
            assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isEqualTo(1);
            JsonNode change = run.change("pending-config", "data.color");
            assertThat(change.path("desired").asText()).isEqualTo("green");
            assertThat(change.path("manager").asText()).isEqualTo("kustomize-controller");
            assertThat(change.path("cause").asText()).isEqualTo("pending-sync");
            // the other Kustomizations of the same source: the new commit changes none of their objects
            assertThat(diff("plain").exitCode()).isZero();
        } finally {
            flux.startKustomizeController();
        }
        awaitAllApplied(commit);
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
    void aFailingKustomizationIsSourceHealthNotDrift() throws Exception {
        apply(kustomization("failing", "./not-in-the-repo", ""));
        Eventually.await(
                "kustomize-controller reported failing Ready=False",
                FLUX,
                () -> get("Kustomization", "failing")
                        .path("status")
                        .path("conditions")
                        .toString()
                        .contains("\"False\""),
                flux::logs);
        DiffCli.Run run = diff("failing");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("Flux Kustomization flux-system/failing is failing: Ready=False");
        assertThat(run.drifts()).isEmpty();
    }

    @Test
    void aMissingKustomizationIsNamed() {
        DiffCli.Run run = diff("nope");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Flux Kustomization flux-system/nope not found");
    }
}
