package io.driftwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.agent.Agent;
import io.driftwatch.config.ConfigLoader;
import io.driftwatch.config.HubConfigLoader;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftReport;
import io.driftwatch.diff.ReportText;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.hub.HubServer;
import io.driftwatch.hub.TokenHash;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code driftwatch demo}: the whole loop in one process — an API server ({@link DemoCluster}), the example Git
 * repository ({@link ExampleRepo}), the hub on SQLite and the agent reporting to it. {@link #start} applies the example,
 * waits for zero drift, changes the Deployment out of band as {@code kubectl edit} would, waits until the agent and
 * the hub both report the drift and prints it; {@link #close} stops everything and deletes the temporary directory.
 */
public final class Demo implements AutoCloseable {

    /** The cluster name the agent reports under. */
    public static final String CLUSTER = "demo";

    public static final String NAMESPACE = "shop";
    public static final String DEPLOYMENT = "storefront";
    /** The field manager {@code kubectl edit} writes with. */
    public static final String EDITOR = "kubectl-edit";
    /**
     * The out-of-band change: what {@code kubectl edit} would send after scaling the Deployment to 5 and adding an
     * environment variable (kubectl sends a strategic-merge patch; the in-memory API server only takes JSON patches,
     * and the field manager recorded is the same).
     */
    static final String EDIT_PATCH = """
            [{"op": "replace", "path": "/spec/replicas", "value": 5},
             {"op": "add", "path": "/spec/template/spec/containers/0/env/-",
              "value": {"name": "LOG_LEVEL", "value": "debug"}}]""";

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The command's options. Port 0 picks a free port. */
    public record Settings(DemoCluster.Backend backend, int agentPort, int hubPort) {
        public Settings {
            if (agentPort < 0 || agentPort > 65535 || hubPort < 0 || hubPort > 65535) {
                throw new IllegalArgumentException("ports must be between 0 (any free port) and 65535");
            }
            if (agentPort != 0 && agentPort == hubPort) {
                throw new IllegalArgumentException(
                        "--agent-port and --hub-port must differ (both are " + agentPort + ")");
            }
        }

        /**
         * Fails at once, naming the option and the listener, when a fixed port is taken on 127.0.0.1 (rather than
         * when that listener starts, after the API server).
         */
        public void requireFreePorts() {
            List<String> busy = new ArrayList<>();
            if (hubPort != 0 && !free(hubPort)) {
                busy.add("--hub-port " + hubPort + ": 127.0.0.1:" + hubPort + " is already in use (the hub's listener "
                        + "needs it)");
            }
            if (agentPort != 0 && !free(agentPort)) {
                busy.add("--agent-port " + agentPort + ": 127.0.0.1:" + agentPort + " is already in use (the agent's "
                        + "/metrics and API listener needs it)");
            }
            if (!busy.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", busy) + "; pick another port or 0 for a free one");
            }
        }

        private static boolean free(int port) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private final PrintStream out;
    private final Path workDir;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DemoCluster cluster;
    private HubServer hub;
    private Agent agent;
    private Path readTokenFile;
    private DriftRecord drift;

    private Demo(PrintStream out, Path workDir) {
        this.out = out;
        this.workDir = workDir;
    }

    /** Runs the demo up to the printed drift; the servers keep running until {@link #close()}. */
    public static Demo start(Settings settings, PrintStream out) throws Exception {
        Demo demo = new Demo(out, Files.createTempDirectory("driftwatch-demo-"));
        try {
            demo.run(settings);
            return demo;
        } catch (Exception | Error e) {
            demo.close();
            throw e;
        }
    }

    private void run(Settings settings) throws Exception {
        out.println("driftwatch demo: the whole loop on this machine (working directory " + workDir + ")");
        step(1, "starting the API server");
        cluster = DemoCluster.start(settings.backend());
        running.push(cluster);
        out.println("      " + cluster.description());
        cluster.limits().forEach(l -> out.println("      limit of this backend: " + l));

        ExampleRepo repo = ExampleRepo.create(workDir.resolve("repo"));
        step(
                2,
                "example Git repository " + repo.url() + " (commit "
                        + repo.commit().substring(0, 7) + ", " + ExampleRepo.FILES.size() + " manifests under "
                        + ExampleRepo.APP_PATH + ")");

        String agentToken = newToken();
        String readToken = newToken();
        Path agentTokenFile = secretFile("agent-token", agentToken);
        readTokenFile = secretFile("read-token", readToken);
        hub = startHub(settings.hubPort(), agentToken, readToken);
        step(
                3,
                "hub on " + hubUrl() + " (SQLite " + workDir.resolve("hub.db") + ", config "
                        + workDir.resolve("hub.yaml") + ")");

        List<String> applied = applyExample(repo);
        step(
                4,
                (cluster.backend() == DemoCluster.Backend.REAL
                                ? "applied the example with server-side apply as field " + "manager "
                                        + DemoCluster.APPLIER
                                : "created the example (no server-side apply here)")
                        + ": "
                        + String.join(", ", applied));

        agent = startAgent(settings.agentPort(), repo, agentTokenFile);
        awaitTrue(
                "the agent to be ready with no drift",
                () -> agent.ready() && agent.openDrifts().isEmpty(),
                () -> "open drifts: "
                        + agent.openDrifts().stream()
                                .map(r -> r.key().toString())
                                .toList());
        step(
                5,
                "agent on " + agentUrl() + " watches the cluster: "
                        + ReportText.render(DriftReport.of(applied.size(), List.of(), false), false)
                                .strip());

        editDeployment();
        step(
                6,
                "out-of-band change, as `kubectl edit deployment/" + DEPLOYMENT + " -n " + NAMESPACE + "` would make "
                        + "it (field manager " + EDITOR + "): replicas 2 → 5, env LOG_LEVEL=debug added");
        drift = awaitValue(
                "the agent to detect the drift", this::deploymentDrift, () -> "open drifts: " + agent.openDrifts());
        awaitTrue(
                "the hub to list the drift",
                () -> hubListsDrift(drift.id()),
                () -> "not yet in " + hubUrl() + "/api/v1/drifts");
        // the hub's fleet gauges follow its store within its refresh interval: wait for them, so that the printed
        // /metrics URL shows the drift and the agent as up
        awaitTrue(
                "the hub's fleet metrics to show the drift",
                this::hubMetricsShowDrift,
                () -> "not yet in " + hubUrl() + "/metrics");
        printDrift(applied.size());
        printUrls();
    }

    private void step(int n, String text) {
        out.println("[" + n + "/6] " + text);
    }

    private HubServer startHub(int port, String agentToken, String readToken) throws Exception {
        Path file = workDir.resolve("hub.yaml");
        Files.writeString(file, """
                # written by driftwatch demo; see docs/hub.md
                listen: {host: 127.0.0.1, port: %d}
                storage: {type: sqlite, sqlitePath: '%s'}
                clusters:
                - {name: %s, tokenSha256: %s}
                readTokens:
                - {name: demo-reader, tokenSha256: %s}
                metrics: {refreshInterval: 2s}
                """.formatted(
                        port,
                        workDir.resolve("hub.db"),
                        CLUSTER,
                        TokenHash.sha256Hex(agentToken),
                        TokenHash.sha256Hex(readToken)));
        HubServer server = new HubServer(HubConfigLoader.load(file, Map.of()), Clock.systemUTC());
        running.push(server::stop);
        server.start().toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return server;
    }

    private List<String> applyExample(ExampleRepo repo) {
        List<String> applied = new ArrayList<>();
        for (String file : ExampleRepo.FILES) {
            for (HasMetadata object : cluster.client()
                    .load(new ByteArrayInputStream(ExampleRepo.manifest(file).getBytes(StandardCharsets.UTF_8)))
                    .items()) {
                cluster.apply(object, NAMESPACE);
                applied.add(object.getKind() + " "
                        + (object.getMetadata().getNamespace() == null
                                ? ""
                                : object.getMetadata().getNamespace() + "/")
                        + object.getMetadata().getName());
            }
        }
        return applied;
    }

    private Agent startAgent(int port, ExampleRepo repo, Path tokenFile) throws Exception {
        Path file = workDir.resolve("agent.yaml");
        Files.writeString(file, """
                # written by driftwatch demo; see docs/agent.md
                cluster: %s
                clusterLabels: {env: demo}
                http: {host: 127.0.0.1, port: %d}
                leaderElection: {enabled: false}
                events: {minInterval: 1s}
                sources:
                  git:
                    cacheDir: '%s'
                    apps:
                    - {name: %s, repoUrl: '%s', revision: %s, path: %s, targetNamespace: %s, pollInterval: 5s}
                hub:
                  url: %s
                  tokenFile: '%s'
                  heartbeatInterval: 5s
                  snapshotInterval: 30s
                """.formatted(
                        CLUSTER,
                        port,
                        workDir.resolve("git-cache"),
                        ExampleRepo.APP,
                        repo.url(),
                        ExampleRepo.BRANCH,
                        ExampleRepo.APP_PATH,
                        NAMESPACE,
                        hubUrl(),
                        tokenFile));
        Agent started = new Agent(
                ConfigLoader.load(file, Map.of(), AgentMetrics.VERTX_DROPPED_LABELS),
                cluster.config(),
                Clock.systemUTC());
        running.push(started::stop);
        started.start().toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return started;
    }

    private void editDeployment() {
        cluster.client()
                .apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName(DEPLOYMENT)
                .patch(
                        new PatchContext.Builder()
                                .withPatchType(PatchType.JSON)
                                .withFieldManager(EDITOR)
                                .build(),
                        EDIT_PATCH);
    }

    /** The Deployment's drift once it shows the replicas change (and, where managedFields exist, the new env var). */
    private DriftRecord deploymentDrift() {
        boolean attributable = cluster.backend() == DemoCluster.Backend.REAL;
        return agent.openDrifts().stream()
                .filter(r ->
                        r.key().kind().equals("Deployment") && r.key().name().equals(DEPLOYMENT))
                .filter(r ->
                        r.drift().changes().stream().anyMatch(c -> c.field().equals("spec.replicas")))
                .filter(r -> !attributable
                        || r.drift().changes().stream().anyMatch(c -> c.field().contains("LOG_LEVEL")))
                .findFirst()
                .orElse(null);
    }

    private boolean hubMetricsShowDrift() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(hubUrl() + "/metrics"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return response.statusCode() == 200
                    && body.contains("driftwatch_hub_agent_up{cluster=\"" + CLUSTER + "\"} 1")
                    && body.contains("driftwatch_hub_drift_started_timestamp_seconds{");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean hubListsDrift(String id) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(hubUrl() + "/api/v1/drifts"))
                            .header(
                                    "authorization",
                                    "Bearer " + Files.readString(readTokenFile).strip())
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            for (JsonNode d : JSON.readTree(response.body()).path("drifts")) {
                if (d.path("id").asText().equals(id)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void printDrift(int desired) {
        Drift d = drift.drift();
        out.println();
        out.println("Detected drift:");
        out.println();
        out.print(ReportText.render(DriftReport.of(desired, List.of(d), false), false)
                .indent(2));
        Instant now = Instant.now();
        out.println("  what:  " + d.key().kind() + " " + d.key().displayName() + " "
                + d.type().json() + ": "
                + String.join(", ", d.changes().stream().map(c -> c.field()).toList()));
        out.println("  who:   "
                + Optional.ofNullable(drift.manager())
                        .map(m -> "field manager " + m)
                        .orElse("unknown (this API server keeps no managedFields)"));
        out.println("  since: " + drift.onset().truncatedTo(ChronoUnit.SECONDS) + " (open for "
                + drift.age(now).toSeconds() + " s; drift id " + drift.id() + ")");
        out.println("  hub:   listed by " + hubUrl() + "/api/v1/drifts for cluster " + CLUSTER);
    }

    private void printUrls() {
        out.println();
        out.println("Explore while it runs:");
        out.println("  agent metrics  " + agentUrl() + "/metrics   (driftwatch_drifted_resources, "
                + "driftwatch_drift_started_timestamp_seconds, ...)");
        out.println("  agent status   " + agentUrl() + "/api/v1/status");
        out.println("  agent drifts   " + agentUrl() + "/api/v1/drifts");
        out.println("  hub drifts     curl -H \"Authorization: Bearer $(cat " + readTokenFile + ")\" " + hubUrl()
                + "/api/v1/drifts");
        out.println("  hub metrics    " + hubUrl() + "/metrics");
        cluster.kubectl()
                .ifPresent(k -> out.println("  kubectl        " + k + " -n " + NAMESPACE + " scale deployment/"
                        + DEPLOYMENT + " --replicas=2   (resolves the replicas part)"));
        out.println("  configuration  " + workDir.resolve("agent.yaml") + ", " + workDir.resolve("hub.yaml"));
        out.println();
    }

    /** The agent's base URL. */
    public String agentUrl() {
        return "http://127.0.0.1:" + agent.httpPort();
    }

    /** The hub's base URL. */
    public String hubUrl() {
        return "http://127.0.0.1:" + hub.port();
    }

    /** The file holding the hub's read token. */
    public Path readTokenFile() {
        return readTokenFile;
    }

    /** The drift the demo made and printed. */
    public DriftRecord drift() {
        return drift;
    }

    public DemoCluster.Backend backend() {
        return cluster.backend();
    }

    public Path workDir() {
        return workDir;
    }

    private Path secretFile(String name, String value) throws IOException {
        Path file = workDir.resolve(name);
        Files.writeString(file, value);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the temporary directory's own permissions apply
        }
        return file;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void awaitTrue(String what, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        awaitValue(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null, state);
    }

    private static <T> T awaitValue(String what, Supplier<T> value, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            T result = value.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "gave up waiting " + WAIT.toSeconds() + " s for " + what + " (" + state.get() + ")");
            }
            Thread.sleep(200);
        }
    }

    /** Stops the agent, the hub and the API server (in that order) and deletes the working directory. */
    @Override
    public void close() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                out.println("warning: stopping a demo component failed: " + e);
            }
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + workDir, e);
        }
    }
}
