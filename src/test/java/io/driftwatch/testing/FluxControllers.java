package io.driftwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.localkube.LocalKubeCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real Flux controllers for one test class: source-controller (with its artifact server) and kustomize-controller,
 * built from their Go modules by scripts/test-binaries.sh, run as local processes against the test kube-apiserver
 * with {@code --watch-all-namespaces}, each with its own ServiceAccount token (bound to cluster-admin, as Flux's own
 * install binds them) and metrics/health addresses on free 127.0.0.1 ports. Their CRDs come from the same module
 * versions (copied beside the binaries by the build). A missing binary fails the test with what to run.
 */
public final class FluxControllers implements AutoCloseable {

    public static final String SOURCE_CONTROLLER_VERSION = "1.9.6";
    public static final String KUSTOMIZE_CONTROLLER_VERSION = "1.9.6";
    public static final String NAMESPACE = "flux-system";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static volatile LocalKubeCluster installedIn;

    private final List<ServerProcess> processes;
    private final String artifactAddress;
    private final LocalKubeCluster cluster;
    private final Path workDir;

    private FluxControllers(
            List<ServerProcess> processes, String artifactAddress, LocalKubeCluster cluster, Path workDir) {
        this.processes = processes;
        this.artifactAddress = artifactAddress;
        this.cluster = cluster;
        this.workDir = workDir;
    }

    /** A controller binary: its {@code DRIFTWATCH_FLUX_...} variable, else the cache the build script fills. */
    public static Path binary(String name, String version) {
        String variable = "DRIFTWATCH_FLUX_" + name.replace('-', '_').toUpperCase(java.util.Locale.ROOT);
        String explicit = System.getenv(variable);
        Path path = explicit != null && !explicit.isBlank()
                ? Path.of(explicit)
                : Path.of(System.getProperty("user.home"), ".cache", "driftwatch", name + "-v" + version, name);
        CachedBinary.awaitBuild(path);
        if (!Files.isExecutable(path) || !Files.isDirectory(path.resolveSibling("crds"))) {
            throw new AssertionError("Flux's " + name + " (binary and crds/) is missing (" + path + "): run "
                    + "scripts/test-binaries.sh (builds " + name + " v" + version + " from its Go module) or set "
                    + variable);
        }
        return path;
    }

    /** Applies the controllers' CRDs, the flux-system namespace and the controllers' ServiceAccounts, once. */
    public static synchronized void install(LocalKubeCluster cluster) {
        if (installedIn == cluster) {
            return;
        }
        List<String> args = new ArrayList<>(
                List.of("apply", "--server-side", "--force-conflicts", "--field-manager=driftwatch-test"));
        List<String> crdNames = new ArrayList<>();
        for (Path binary : List.of(
                binary("source-controller", SOURCE_CONTROLLER_VERSION),
                binary("kustomize-controller", KUSTOMIZE_CONTROLLER_VERSION))) {
            for (Path crd : crds(binary.resolveSibling("crds"))) {
                args.add("-f");
                args.add(crd.toString());
                crdNames.add(crdName(crd));
            }
        }
        new Kubectl(cluster).run(args.toArray(String[]::new));
        for (String crd : crdNames) {
            Eventually.await("CRD " + crd + " established", Duration.ofSeconds(60), () -> {
                var found = cluster.adminClient()
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd)
                        .get();
                return found != null
                        && found.getStatus() != null
                        && found.getStatus().getConditions() != null
                        && found.getStatus().getConditions().stream()
                                .anyMatch(c -> c.getType().equals("Established")
                                        && c.getStatus().equals("True"));
            });
        }
        var client = cluster.adminClient();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .serverSideApply();
        for (String controller : List.of("source-controller", "kustomize-controller")) {
            client.serviceAccounts()
                    .inNamespace(NAMESPACE)
                    .resource(new ServiceAccountBuilder()
                            .withNewMetadata()
                            .withName(controller)
                            .endMetadata()
                            .build())
                    .serverSideApply();
            client.rbac()
                    .clusterRoleBindings()
                    .resource(new ClusterRoleBindingBuilder()
                            .withNewMetadata()
                            .withName("flux-" + controller)
                            .endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                            .addNewSubject()
                            .withKind("ServiceAccount")
                            .withName(controller)
                            .withNamespace(NAMESPACE)
                            .endSubject()
                            .build())
                    .serverSideApply();
        }
        installedIn = cluster;
    }

    private static List<Path> crds(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String crdName(Path crd) {
        try {
            JsonNode doc = YAML.readTree(crd.toFile());
            return doc.path("metadata").path("name").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts source-controller, then kustomize-controller, in {@code workDir}; both ready (healthz) on return. */
    public static FluxControllers start(LocalKubeCluster cluster, Path workDir) {
        install(cluster);
        List<ServerProcess> started = new ArrayList<>();
        try {
            int storagePort = ServerProcess.freePort();
            String artifactAddress = "127.0.0.1:" + storagePort;
            Path storage = Files.createDirectories(workDir.resolve("storage"));
            started.add(controller(
                    cluster,
                    workDir,
                    "source-controller",
                    SOURCE_CONTROLLER_VERSION,
                    List.of(
                            "--storage-path=" + storage,
                            "--storage-addr=" + artifactAddress,
                            "--storage-adv-addr=" + artifactAddress)));
            started.add(controller(cluster, workDir, "kustomize-controller", KUSTOMIZE_CONTROLLER_VERSION, List.of()));
            return new FluxControllers(started, artifactAddress, cluster, workDir);
        } catch (IOException e) {
            started.forEach(ServerProcess::close);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            started.forEach(ServerProcess::close);
            throw e;
        }
    }

    private static ServerProcess controller(
            LocalKubeCluster cluster, Path workDir, String name, String version, List<String> extra)
            throws IOException {
        int health = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of(
                binary(name, version).toString(),
                "--watch-all-namespaces=true",
                "--enable-leader-election=false",
                "--metrics-addr=127.0.0.1:" + ServerProcess.freePort(),
                "--health-addr=127.0.0.1:" + health,
                "--events-addr=",
                "--log-level=info"));
        command.addAll(extra);
        Path home = Files.createDirectories(workDir.resolve("home-" + name));
        return ServerProcess.start(
                name,
                command,
                // controller-runtime reads the kubeconfig from KUBECONFIG (the controllers have no --kubeconfig flag)
                Map.of(
                        "KUBECONFIG",
                        kubeconfig(cluster, workDir, name).toString(),
                        "HOME",
                        home.toString(),
                        "RUNTIME_NAMESPACE",
                        NAMESPACE,
                        "TMPDIR",
                        home.toString()),
                workDir,
                "healthy",
                () -> ServerProcess.status("http://127.0.0.1:" + health + "/readyz") == 200,
                START_TIMEOUT);
    }

    /** A kubeconfig with a token of the controller's own ServiceAccount (valid for the test class's duration). */
    private static Path kubeconfig(LocalKubeCluster cluster, Path workDir, String controller) throws IOException {
        JsonNode admin = YAML.readTree(cluster.kubeconfig().toFile());
        String caData = admin.path("clusters")
                .get(0)
                .path("cluster")
                .path("certificate-authority-data")
                .asText();
        String token = cluster.adminClient()
                .serviceAccounts()
                .inNamespace(NAMESPACE)
                .withName(controller)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(7200L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        Path file = workDir.resolve(controller + ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: local
                  context: {cluster: local, user: %s}
                current-context: local
                """.formatted(cluster.url(), caData, controller, token, controller));
        return file;
    }

    /** Stops kustomize-controller (source-controller goes on fetching): nothing is applied until it starts again. */
    public synchronized void stopKustomizeController() {
        processes.remove(processes.size() - 1).close();
    }

    /** Starts kustomize-controller again after {@link #stopKustomizeController()}. */
    public synchronized void startKustomizeController() {
        try {
            processes.add(
                    controller(cluster, workDir, "kustomize-controller", KUSTOMIZE_CONTROLLER_VERSION, List.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asks Flux to reconcile an object of {@code kind} (kubectl's name: kustomization, gitrepository, ocirepository,
     * bucket) in flux-system now rather than at its interval, as {@code flux reconcile} does.
     */
    public void reconcileNow(String kind, String name) {
        new Kubectl(cluster)
                .run(
                        "-n",
                        NAMESPACE,
                        "annotate",
                        "--overwrite",
                        kind,
                        name,
                        "reconcile.fluxcd.io/requestedAt=" + Instant.now());
    }

    /** host:port of source-controller's artifact server (what {@code status.artifact.url} points at). */
    public String artifactAddress() {
        return artifactAddress;
    }

    /** The controllers' log tails, for failure messages. */
    public String logs() {
        StringBuilder s = new StringBuilder();
        processes.forEach(p -> s.append(p.logTail()).append('\n'));
        return s.toString();
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
