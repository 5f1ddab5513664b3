package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.CachedBinary;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.FluxApps;
import io.driftwatch.testing.FluxControllers;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.OciRegistry;
import io.driftwatch.testing.S3Server;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code driftwatch diff --flux-kustomization} for Kustomizations whose source is an OCIRepository or a Bucket, against
 * real Flux: source-controller pulls a Flux artifact from a real OCI registry (go-containerregistry's, pushed as
 * {@code flux push artifact} pushes) and lists and fetches a real S3 server's bucket (gofakes3, read through the
 * generic provider, i.e. minio-go), kustomize-controller applies them; driftwatch reads the artifact source-controller
 * serves (digest-checked) and renders it with the Kustomization's spec.
 */
@WithKubeApiServer
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(CachedBinary.AFTER_BACKGROUND_BUILD) // needs binaries built beside the tests
class FluxOciBucketIT {

    private static final String NS = FluxControllers.NAMESPACE;
    private static final Duration FLUX = Duration.ofSeconds(240);
    private static final String BUCKET = "apps";
    private static final String OCI_REPOSITORY = "driftwatch/apps";

    /** The two sources, each followed by one Kustomization applying the same app into its own namespace. */
    enum Source {
        OCI("OCIRepository", "oci-apps", "oci-app", "flux-oci"),
        BUCKET("Bucket", "bucket-apps", "bucket-app", "flux-bucket");

        final String kind;
        final String source;
        final String kustomization;
        final String namespace;

        Source(String kind, String source, String kustomization, String namespace) {
            this.kind = kind;
            this.source = source;
            this.kustomization = kustomization;
            this.namespace = namespace;
        }
    }

    private Path work;
    private LocalKubeCluster cluster;
    private KubernetesClient client;
    private FluxControllers flux;
    private OciRegistry registry;
    private S3Server s3;
    private String ociDigest;

    @BeforeAll
    void startFlux(LocalKubeCluster cluster, @TempDir Path work) throws Exception {
        this.cluster = cluster;
        this.work = work;
        this.client = cluster.adminClient();
        registry = OciRegistry.start(Files.createDirectories(work.resolve("registry")));
        s3 = S3Server.start(Files.createDirectories(work.resolve("s3")), BUCKET);
        ociDigest = publish(Source.OCI, "blue");
        publish(Source.BUCKET, "blue");
        flux = FluxControllers.start(cluster, Files.createDirectories(work.resolve("flux")));
        Kubectl kubectl = new Kubectl(cluster);
        for (Source source : Source.values()) {
            kubectl.run("create", "namespace", source.namespace);
        }
        kubectl.run(
                "-n",
                NS,
                "create",
                "secret",
                "generic",
                "s3-auth",
                "--from-literal=accesskey=driftwatch",
                "--from-literal=secretkey=not-checked-by-gofakes3");
        apply("""
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata: {name: oci-apps, namespace: flux-system}
                spec:
                  interval: 10s
                  url: oci://%s/%s
                  ref: {tag: latest}
                  insecure: true
                ---
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: Bucket
                metadata: {name: bucket-apps, namespace: flux-system}
                spec:
                  interval: 10s
                  provider: generic
                  bucketName: %s
                  endpoint: %s
                  region: us-east-1
                  insecure: true
                  secretRef: {name: s3-auth}
                """.formatted(registry.address(), OCI_REPOSITORY, BUCKET, s3.address()));
        for (Source source : Source.values()) {
            apply("""
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: %s, namespace: flux-system}
                    spec:
                      interval: 1h
                      retryInterval: 10s
                      path: ./app
                      prune: true
                      targetNamespace: %s
                      sourceRef: {kind: %s, name: %s}
                      postBuild:
                        substitute: {source: %s}
                    """.formatted(
                            source.kustomization,
                            source.namespace,
                            source.kind,
                            source.source,
                            source.name().toLowerCase(Locale.ROOT)));
        }
        for (Source source : Source.values()) {
            awaitApplied(source, artifactRevision(source));
        }
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {flux, registry, s3}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the others are closed anyway
                }
            }
        }
    }

    /** The app's files: a kustomization.yaml with a patch, a ConfigMap with a substituted variable, a Deployment. */
    private static Map<String, String> app(String color) {
        return Map.of(
                "app/kustomization.yaml",
                FluxApps.replicasPatched("[settings.yaml, web.yaml]"),
                "app/settings.yaml",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  color: %s
                  from: ${source}
                """.formatted(color),
                "app/web.yaml",
                FluxApps.WEB_DEPLOYMENT);
    }

    /** Publishes the app with {@code color} to the source: a new OCI artifact at tag latest, or the bucket's objects. */
    private String publish(Source source, String color) {
        Map<String, String> files = app(color);
        if (source == Source.BUCKET) {
            files.forEach((key, content) -> s3.put(BUCKET, key, content));
            return null;
        }
        try {
            Path dir = Files.createTempDirectory(work, "oci-");
            for (var file : files.entrySet()) {
                Path target = dir.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            return registry.push(OCI_REPOSITORY, "latest", dir, "https://example.test/apps.git", "main@sha1:" + color);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void apply(String yaml) throws Exception {
        Path file = Files.createTempFile(work, "flux", ".yaml");
        Files.writeString(file, yaml);
        new Kubectl(cluster).run("apply", "--server-side", "--field-manager=test-setup", "-f", file.toString());
    }

    private JsonNode get(String apiVersion, String kind, String name) {
        GenericKubernetesResource found = client.genericKubernetesResources(apiVersion, kind)
                .inNamespace(NS)
                .withName(name)
                .get();
        return found == null ? null : client.getKubernetesSerialization().convertValue(found, JsonNode.class);
    }

    private JsonNode kustomization(Source source) {
        return get("kustomize.toolkit.fluxcd.io/v1", "Kustomization", source.kustomization);
    }

    /** The revision of the artifact source-controller serves for the source, once it has one. */
    private String artifactRevision(Source source) {
        String[] revision = new String[1];
        Eventually.await(
                "source-controller has an artifact for " + source.kind + " " + source.source,
                FLUX,
                () -> {
                    JsonNode found = get("source.toolkit.fluxcd.io/v1", source.kind, source.source);
                    revision[0] = found == null
                            ? ""
                            : found.path("status")
                                    .path("artifact")
                                    .path("revision")
                                    .asText();
                    return !revision[0].isEmpty();
                },
                this::logs);
        return revision[0];
    }

    private void awaitApplied(Source source, String revision) {
        Eventually.await(
                "Flux applied " + source.kustomization + " at " + revision,
                FLUX,
                () -> kustomization(source)
                        .path("status")
                        .path("lastAppliedRevision")
                        .asText()
                        .equals(revision),
                () -> kustomization(source).path("status") + "\n" + logs());
    }

    private String logs() {
        return flux.logs() + "\n" + registry.logs() + "\n" + s3.logs();
    }

    private DiffCli.Run diff(Source source) {
        return DiffCli.run(List.of(
                "diff",
                "--flux-kustomization",
                NS + "/" + source.kustomization,
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-o",
                "json"));
    }

    private String color(Source source) {
        return client.configMaps()
                .inNamespace(source.namespace)
                .withName("settings")
                .get()
                .getData()
                .get("color");
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void whatFluxAppliedFromTheArtifactHasNoDrift(Source source) {
        String revision = artifactRevision(source);
        if (source == Source.OCI) {
            // source-controller's revision of an OCI artifact: the tag and the digest of the manifest pushed
            assertThat(revision).startsWith("latest@sha256:");
        } else {
            // ... of a bucket: the SHA-256 of its object index (keys and ETags)
            assertThat(revision).matches("sha256:[0-9a-f]{64}");
        }
        DiffCli.Run run = diff(source);
        assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isZero();
        assertThat(run.stderr())
                .contains("2 objects from Flux Kustomization flux-system/" + source.kustomization + " at " + revision);
        // what Flux applied is what driftwatch rendered: the patch and the substitution are really on the live objects
        assertThat(client.configMaps()
                        .inNamespace(source.namespace)
                        .withName("settings")
                        .get()
                        .getData())
                .containsEntry("from", source.name().toLowerCase(Locale.ROOT));
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(source.namespace)
                        .withName("web")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void aKubectlChangeIsOutOfBandUntilFluxOverwritesIt(Source source) {
        String desired = color(source);
        Instant before = Instant.now().minusSeconds(1);
        new Kubectl(cluster)
                .run("-n", source.namespace, "patch", "configmap", "settings", "-p", "{\"data\":{\"color\":\"red\"}}");
        DiffCli.Run drifted = diff(source);
        assertThat(drifted.exitCode()).as(drifted.stderr() + drifted.stdout()).isEqualTo(1);
        JsonNode change = drifted.change("settings", "data.color");
        assertThat(change.path("desired").asText()).isEqualTo(desired);
        assertThat(change.path("live").asText()).isEqualTo("red");
        assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
        assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
        assertThat(Instant.parse(change.path("time").asText())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(drifted.drifts()).hasSize(1);
        flux.reconcileNow("kustomization", source.kustomization);
        Eventually.await("Flux overwrote the kubectl change", FLUX, () -> desired.equals(color(source)), this::logs);
        DiffCli.Run resolved = diff(source);
        assertThat(resolved.exitCode())
                .as(resolved.stderr() + resolved.stdout())
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void aNewArtifactFluxFetchedButHasNotAppliedIsPendingSyncThenResolved(Source source) throws InterruptedException {
        String applied =
                kustomization(source).path("status").path("lastAppliedRevision").asText();
        String color = "green-" + source.name().toLowerCase(Locale.ROOT);
        flux.stopKustomizeController();
        String revision;
        try {
            // managedFields and the artifact's lastUpdateTime hold whole seconds: kustomize-controller's last apply
            // (just
            // before it stopped, e.g. of the artifact an earlier test published) must fall in an earlier second than
            // the
            // new artifact, or the evidence cannot say the apply came first (seen: admission, all within 0.6 s)
            Thread.sleep(1100);
            String digest = publish(source, color);
            flux.reconcileNow(source.kind.toLowerCase(Locale.ROOT), source.source);
            Eventually.await(
                    "source-controller fetched the new artifact of " + source.source,
                    FLUX,
                    () -> !artifactRevision(source).equals(applied),
                    this::logs);
            revision = artifactRevision(source);
            if (source == Source.OCI) {
                assertThat(digest).isNotEqualTo(ociDigest);
                assertThat(revision).isEqualTo("latest@" + digest);
            }
            assertThat(kustomization(source)
                            .path("status")
                            .path("lastAppliedRevision")
                            .asText())
                    .isEqualTo(applied);
            DiffCli.Run run = diff(source);
            assertThat(run.exitCode()).as(run.stderr() + run.stdout()).isEqualTo(1);
            assertThat(run.stderr()).contains(" at " + revision);
            JsonNode change = run.change("settings", "data.color");
            assertThat(change.path("desired").asText()).isEqualTo(color);
            assertThat(change.path("manager").asText()).isEqualTo("kustomize-controller");
            assertThat(change.path("cause").asText()).isEqualTo("pending-sync");
            assertThat(run.drifts()).hasSize(1);
        } finally {
            flux.startKustomizeController();
        }
        awaitApplied(source, revision);
        assertThat(color(source)).isEqualTo(color);
        DiffCli.Run after = diff(source);
        assertThat(after.exitCode()).as(after.stderr() + after.stdout()).isZero();
    }

    /**
     * The agent's watch of a HelmRelease's chart source, one object at a time ({@link ReferenceWatches}: an OCIRepository
     * {@code chartRef}, or a HelmChart in any namespace — the same informer, by kind, namespace and name), against the
     * real source-controller, through a ServiceAccount holding only the shipped {@code driftwatch-flux-reader} role: a
     * new artifact source-controller fetched is reported for the app that was made from the source, without any poll.
     * How long after source-controller's {@code lastUpdateTime} it was reported is printed (a figure, not asserted).
     */
    @Test
    void aNewArtifactOfAWatchedOciRepositoryIsReportedAtOnceThroughTheReaderRole() throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run(
                "apply",
                "-f",
                Path.of("k8s", "flux", "150-ClusterRole-driftwatch-flux-reader.yaml")
                        .toString());
        kubectl.run("-n", NS, "create", "serviceaccount", "flux-watch");
        kubectl.run(
                "create",
                "clusterrolebinding",
                "flux-watch-reader",
                "--clusterrole=driftwatch-flux-reader",
                "--serviceaccount=" + NS + ":flux-watch");
        Source source = Source.OCI;
        String before = artifactRevision(source);
        String reference = "OCIRepository " + NS + "/" + source.source;
        List<String> reported = new CopyOnWriteArrayList<>();
        List<Instant> at = new CopyOnWriteArrayList<>();
        try (KubernetesClient reader = cluster.serviceAccountClient(NS, "flux-watch");
                ReferenceWatches watches = new ReferenceWatches(reader, (app, ref) -> {
                    reported.add(app + " " + ref);
                    at.add(Instant.now());
                })) {
            String version = client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", source.kind)
                    .inNamespace(NS)
                    .withName(source.source)
                    .get()
                    .getMetadata()
                    .getResourceVersion();
            watches.follow("web", Map.of(reference, version));
            assertThat(watches.watched()).containsExactly(reference);
            String color = "watched-" + source.name().toLowerCase(Locale.ROOT);
            publish(source, color);
            flux.reconcileNow(source.kind.toLowerCase(Locale.ROOT), source.source);
            Eventually.await(
                    "source-controller fetched the new artifact",
                    FLUX,
                    () -> !artifactRevision(source).equals(before),
                    this::logs);
            Eventually.await("the new artifact reported", FLUX, () -> !reported.isEmpty(), reported::toString);
            // the version the app's load read is the one seen at the start: the informer's first list is no change
            assertThat(reported).allSatisfy(r -> assertThat(r).isEqualTo("web " + reference));
            Instant fetched = Instant.parse(get("source.toolkit.fluxcd.io/v1", source.kind, source.source)
                    .path("status")
                    .path("artifact")
                    .path("lastUpdateTime")
                    .asText());
            System.out.println("FLUX-CHART-WATCH reported "
                    + Duration.between(fetched, at.get(0)).toMillis()
                    + " ms after source-controller's lastUpdateTime (whole seconds) of " + reference);
            watches.forget("web");
            assertThat(watches.watched()).isEmpty();
        }
        awaitApplied(source, artifactRevision(source));
    }
}
