package io.driftwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Argo CD for one test class: Debian's redis-server, the repo-server and the API server (one binary holding
 * just these roles, built by scripts/test-binaries.sh, its role picked by {@code ARGOCD_BINARY_NAME}) on free
 * 127.0.0.1 ports, against the test kube-apiserver. Argo CD's CRDs and the {@code argocd} namespace's
 * ConfigMaps/Secret are applied server-side from the Go module cache's {@code manifests/} at test time, never from a
 * copy in this repository. Tests do not run the application controller: those that need {@code status.sync} write
 * it as the controller would ({@link #startController} runs it, for the benchmark beside Argo CD, from a separate
 * build). A missing binary or module fails the test with what to run.
 */
public final class ArgoCdServer implements AutoCloseable {

    public static final String VERSION = "3.5.1";
    public static final String NAMESPACE = "argocd";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = trustingClient();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static volatile LocalKubeCluster installedIn;
    private static final AtomicInteger SOCKETS = new AtomicInteger();

    private final List<ServerProcess> processes;
    private final LocalKubeCluster cluster;
    private final String url;
    private final Restart apiServer;

    /** How to start the API server again (same port, same arguments). */
    private record Restart(List<String> command, Map<String, String> env, Path workDir, String readyUrl, boolean tls) {
        ServerProcess start() {
            return ServerProcess.start(
                    "argocd-server",
                    command,
                    env,
                    workDir,
                    "healthy",
                    () -> {
                        int status = ServerProcess.status(readyUrl);
                        return status == 200 || tls && status / 100 == 3;
                    },
                    START_TIMEOUT);
        }
    }

    private ArgoCdServer(List<ServerProcess> processes, LocalKubeCluster cluster, String url, Restart apiServer) {
        this.processes = processes;
        this.cluster = cluster;
        this.url = url;
        this.apiServer = apiServer;
    }

    /** For the admin calls only: the test server's certificate is self-signed. */
    private static HttpClient trustingClient() {
        try {
            return io.driftwatch.net.Tls.trust(
                            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)), null, true, "")
                    .build();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The argocd binary: {@code DRIFTWATCH_ARGOCD}, else the cache scripts/test-binaries.sh builds into. */
    public static Path binary() {
        return CachedBinary.find(
                "DRIFTWATCH_ARGOCD",
                "argocd-v" + VERSION + "-server",
                "argocd",
                "the Argo CD binary",
                "run scripts/test-binaries.sh (builds Argo CD v" + VERSION + "'s API server and repo-server from its Go"
                        + " module, about 7 min cold on 2 cores)");
    }

    /** Argo CD's module in the Go module cache (downloaded by scripts/test-binaries.sh), for its manifests. */
    public static Path moduleDir() {
        String cache = System.getenv("GOMODCACHE");
        if (cache == null || cache.isBlank()) {
            String gopath = System.getenv("GOPATH");
            cache = (gopath == null || gopath.isBlank()
                            ? System.getProperty("user.home") + "/go"
                            : gopath.split(":")[0])
                    + "/pkg/mod";
        }
        Path dir = Path.of(cache, "github.com", "argoproj", "argo-cd", "v3@v" + VERSION);
        if (!Files.isDirectory(dir.resolve("manifests").resolve("crds"))) {
            throw new AssertionError("Argo CD's Go module v" + VERSION + " is not in the module cache (" + dir
                    + "): run scripts/test-binaries.sh, which downloads it (or set GOMODCACHE)");
        }
        return dir;
    }

    /** Applies the CRDs and the argocd namespace's configuration, once per cluster. */
    public static synchronized void install(LocalKubeCluster cluster) {
        if (installedIn == cluster) {
            return;
        }
        Path manifests = moduleDir().resolve("manifests");
        Kubectl kubectl = new Kubectl(cluster);
        Path crds = manifests.resolve("crds");
        kubectl.run(
                "apply",
                "--server-side",
                "--force-conflicts",
                "--field-manager=driftwatch-test",
                "-f",
                crds.resolve("application-crd.yaml").toString(),
                "-f",
                crds.resolve("appproject-crd.yaml").toString(),
                "-f",
                crds.resolve("applicationset-crd.yaml").toString());
        for (String crd :
                List.of("applications.argoproj.io", "appprojects.argoproj.io", "applicationsets.argoproj.io")) {
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
        cluster.adminClient()
                .namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .serverSideApply();
        kubectl.run(
                "apply",
                "--server-side",
                "--force-conflicts",
                "--field-manager=driftwatch-test",
                "-n",
                NAMESPACE,
                "-k",
                manifests.resolve("base").resolve("config").toString());
        installedIn = cluster;
    }

    /**
     * Starts redis, the repo-server and the API server (authentication on) in {@code workDir}; {@code extraArgs} go to
     * the API server (e.g. {@code --rootpath}).
     */
    public static ArgoCdServer start(LocalKubeCluster cluster, Path workDir, String... extraArgs) {
        return start(cluster, workDir, false, extraArgs);
    }

    /**
     * Like {@link #start(LocalKubeCluster, Path, String...)}; with {@code tls} the API server serves HTTPS with the
     * self-signed certificate it generates (no {@code --insecure}), and {@link #url()} is https.
     */
    public static ArgoCdServer start(LocalKubeCluster cluster, Path workDir, boolean tls, String... extraArgs) {
        Path binary = binary();
        install(cluster);
        List<ServerProcess> started = new ArrayList<>();
        try {
            String[] backends = startBackends(cluster, workDir, binary, started);
            String redis = backends[0];
            String repoServer = backends[1];
            int port = ServerProcess.freePort();
            int metrics = ServerProcess.freePort();
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "--namespace",
                    NAMESPACE,
                    "--address",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(port),
                    "--metrics-address",
                    "127.0.0.1",
                    "--metrics-port",
                    String.valueOf(metrics),
                    "--redis",
                    redis,
                    "--repo-server",
                    repoServer,
                    "--repo-server-plaintext",
                    "--staticassets",
                    Files.createDirectories(workDir.resolve("static")).toString(),
                    "--loglevel",
                    "info"));
            if (!tls) {
                command.add("--insecure");
            }
            command.addAll(List.of(extraArgs));
            String url = (tls ? "https" : "http") + "://127.0.0.1:" + port;
            String root = rootPath(extraArgs);
            // with TLS, plain HTTP is answered with a redirect to HTTPS: that answer is enough to know it serves
            Restart apiServer = new Restart(
                    command,
                    env(cluster, workDir, "argocd-server"),
                    workDir,
                    "http://127.0.0.1:" + port + root + "/healthz",
                    tls);
            started.add(apiServer.start());
            return new ArgoCdServer(started, cluster, url, apiServer);
        } catch (IOException e) {
            started.forEach(ServerProcess::close);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            started.forEach(ServerProcess::close);
            throw e;
        }
    }

    /**
     * Starts redis and the repo-server into {@code started}; answers their addresses (redis, repo-server). The caller
     * closes {@code started} if anything fails.
     */
    private static String[] startBackends(
            LocalKubeCluster cluster, Path workDir, Path binary, List<ServerProcess> started) throws IOException {
        int redisPort = ServerProcess.freePort();
        started.add(ServerProcess.start(
                "redis",
                List.of(
                        ServerProcess.binary("redis-server", "redis-server").toString(),
                        "--port",
                        String.valueOf(redisPort),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no"),
                Map.of(),
                workDir,
                "accepting connections on " + redisPort,
                () -> accepts(redisPort),
                START_TIMEOUT));
        String redis = "127.0.0.1:" + redisPort;
        int repoPort = ServerProcess.freePort();
        int repoMetrics = ServerProcess.freePort();
        started.add(ServerProcess.start(
                "argocd-repo-server",
                List.of(
                        binary.toString(),
                        "--address",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(repoPort),
                        "--metrics-address",
                        "127.0.0.1",
                        "--metrics-port",
                        String.valueOf(repoMetrics),
                        "--redis",
                        redis,
                        "--disable-tls",
                        "--client-ca-path=",
                        "--loglevel",
                        "info"),
                env(cluster, workDir, "argocd-repo-server"),
                workDir,
                "healthy",
                () -> ServerProcess.status("http://127.0.0.1:" + repoMetrics + "/healthz?full=true") == 200,
                START_TIMEOUT));
        return new String[] {redis, "127.0.0.1:" + repoPort};
    }

    /**
     * Argo CD's reconciling half for benchmarks: redis, the repo-server and the application controller (no API
     * server), from {@code binary} (a build with the controller role: {@code scripts/test-binaries.sh
     * --argocd-controller}); {@code controllerArgs} are added to the controller's. Answers once the controller's
     * metrics endpoint is healthy; {@link #pids()} names the processes. The controller's pprof handlers are enabled
     * ({@code /debug/pprof/heap?debug=1&gc=1} on {@link #url()} answers its Go heap after a GC).
     */
    public static ArgoCdServer startController(
            LocalKubeCluster cluster, Path workDir, Path binary, List<String> controllerArgs) {
        install(cluster);
        List<ServerProcess> started = new ArrayList<>();
        try {
            String[] backends = startBackends(cluster, workDir, binary, started);
            int metrics = ServerProcess.freePort();
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "--namespace",
                    NAMESPACE,
                    "--metrics-port",
                    String.valueOf(metrics),
                    "--redis",
                    backends[0],
                    "--repo-server",
                    backends[1],
                    "--repo-server-plaintext",
                    "--loglevel",
                    "info"));
            command.addAll(controllerArgs);
            Map<String, String> env = env(cluster, workDir, "argocd-application-controller");
            // the controller's metrics carry no Go memory figures: its pprof handlers (heap after a GC) do, once on
            env.put(
                    "ARGOCD_ENABLE_PROFILER_FILE_PATH",
                    Files.writeString(workDir.resolve("profiler.enabled"), "true")
                            .toString());
            started.add(ServerProcess.start(
                    "argocd-application-controller",
                    command,
                    env,
                    workDir,
                    "healthy",
                    () -> ServerProcess.status("http://127.0.0.1:" + metrics + "/healthz") == 200,
                    START_TIMEOUT));
            return new ArgoCdServer(started, cluster, "http://127.0.0.1:" + metrics, null);
        } catch (IOException e) {
            started.forEach(ServerProcess::close);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            started.forEach(ServerProcess::close);
            throw e;
        }
    }

    /** The process id of each process this started, by role (redis, argocd-repo-server, ...), in start order. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        processes.forEach(p -> pids.put(p.name(), p.pid()));
        return pids;
    }

    private static String rootPath(String... args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--rootpath")) {
                return args[i + 1];
            }
        }
        return "";
    }

    private static Map<String, String> env(LocalKubeCluster cluster, Path workDir, String role) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("ARGOCD_BINARY_NAME", role);
        env.put("ARGOCD_FAKE_IN_CLUSTER", "true");
        env.put("KUBECONFIG", cluster.kubeconfig().toString());
        env.put("ARGOCD_GPG_ENABLED", "false");
        env.put(
                "ARGOCD_TLS_DATA_PATH",
                Files.createDirectories(workDir.resolve("tls")).toString());
        env.put(
                "ARGOCD_SSH_DATA_PATH",
                Files.createDirectories(workDir.resolve("ssh")).toString());
        // a Unix socket path must stay under ~108 bytes: the JUnit work directory can be longer
        Path socket = Path.of(
                System.getProperty("java.io.tmpdir"),
                "dw-argocd-" + ProcessHandle.current().pid() + "-" + SOCKETS.incrementAndGet() + ".sock");
        socket.toFile().deleteOnExit();
        env.put("ARGOCD_ASK_PASS_SOCK", socket.toString());
        env.put("HOME", Files.createDirectories(workDir.resolve("home-" + role)).toString());
        // the repo-server runs git, helm, kustomize and Argo CD's git-verify-wrapper.sh (called for every Git
        // source in v3.5, GPG enabled or not; the module cache holds it without its executable bit) from PATH
        List<String> path = new ArrayList<>();
        Path tools = Files.createDirectories(workDir.resolve("bin"));
        Path wrapper = tools.resolve("git-verify-wrapper.sh");
        if (!Files.exists(wrapper)) {
            Files.copy(moduleDir().resolve("hack").resolve("git-verify-wrapper.sh"), wrapper);
            wrapper.toFile().setExecutable(true);
        }
        path.add(tools.toString());
        for (String tool : List.of("DRIFTWATCH_HELM", "DRIFTWATCH_KUSTOMIZE")) {
            String bin = System.getenv(tool);
            if (bin != null && !bin.isBlank()) {
                path.add(Path.of(bin).getParent().toString());
            }
        }
        path.add(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("PATH", String.join(":", path));
        return env;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The API server's URL (plain HTTP on loopback; add the root path when started with one). */
    public String url() {
        return url;
    }

    /** The admin password the API server generated into {@code argocd-initial-admin-secret}. */
    public String adminPassword() {
        Secret[] found = new Secret[1];
        Eventually.await("argocd-initial-admin-secret", Duration.ofSeconds(60), () -> {
            found[0] = cluster.adminClient()
                    .secrets()
                    .inNamespace(NAMESPACE)
                    .withName("argocd-initial-admin-secret")
                    .get();
            return found[0] != null;
        });
        return new String(Base64.getDecoder().decode(found[0].getData().get("password")), StandardCharsets.UTF_8);
    }

    /** A session token for the admin account ({@code POST /api/v1/session}). */
    public String adminToken(String rootPath) {
        JsonNode session = post(
                rootPath + "/api/v1/session",
                null,
                JSON.createObjectNode()
                        .put("username", "admin")
                        .put("password", adminPassword())
                        .toString());
        return session.path("token").asText();
    }

    /** Mints a token for a project role, as {@code argocd proj role create-token} does, with the admin's token. */
    public String projectRoleToken(String rootPath, String adminToken, String project, String role) {
        JsonNode answer = post(
                rootPath + "/api/v1/projects/" + project + "/roles/" + role + "/token",
                adminToken,
                JSON.createObjectNode()
                        .put("project", project)
                        .put("role", role)
                        .toString());
        return answer.path("token").asText();
    }

    /**
     * Waits until the API server answers {@code GET path} (an application or a project) at {@code resourceVersion}:
     * Argo CD's API server reads them from its informer cache, which trails the Kubernetes API server under load.
     */
    public void awaitCached(String path, String token, String resourceVersion) {
        Eventually.await(
                "GET " + path + " at resourceVersion " + resourceVersion + " from Argo CD's cache",
                Duration.ofSeconds(60),
                () -> resourceVersion.equals(get(path, token)
                        .path("metadata")
                        .path("resourceVersion")
                        .asText()));
    }

    private JsonNode get(String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + token)
                .GET()
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode post(String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(
                        "POST " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the API server (open streams break) and starts it again on the same port. */
    public synchronized void restartApiServer() {
        processes.get(processes.size() - 1).close();
        processes.set(processes.size() - 1, apiServer.start());
    }

    /** The log tails of all three processes, for failure messages. */
    public String logTail() {
        StringBuilder out = new StringBuilder();
        processes.forEach(p -> out.append(p.logTail()).append('\n'));
        return out.toString();
    }

    /** Stops the API server, the repo-server and redis, in that order. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
