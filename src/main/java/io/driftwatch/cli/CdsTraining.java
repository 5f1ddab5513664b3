package io.driftwatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data-sharing archive: {@code mvn package} runs this class once with
 * {@code -XX:ArchiveClassesAtExit=target/driftwatch.jsa}, and the launcher maps the classes it loaded instead of
 * loading them from the jar again (see docs/benchmarks.md, one-shot CLI). In one JVM it runs what one-shot commands
 * load: {@code version}, an offline {@code diff} of a Deployment and a ConfigMap that differ, rendered as text and
 * JSON, and twice a {@code diff --dir} against {@link CdsTrainingServer} (a kubeconfig with a client certificate, TLS,
 * discovery, OpenAPI, lists, the diff and its report), then a {@code diff --dir} that finds nothing listening (the
 * connection error). Output is discarded; the classes loaded are what counts. Not a command.
 */
public final class CdsTraining {

    private static final String DESIRED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: registry.example.com/web:1.0
                    ports: [{containerPort: 8080}]
                    resources: {requests: {cpu: 100m, memory: 128Mi}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web, namespace: shop}
            data: {mode: production}
            """;

    private static final String LIVE = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              labels: {app: web}
              managedFields:
              - {manager: kubectl-client-side-apply, operation: Update, apiVersion: apps/v1, time: "2026-01-01T00:00:00Z",
                 fieldsType: FieldsV1, fieldsV1: {"f:spec": {"f:replicas": {}}}}
              - {manager: kubectl-edit, operation: Update, apiVersion: apps/v1, time: "2026-01-02T00:00:00Z",
                 fieldsType: FieldsV1, fieldsV1: {"f:spec": {"f:template": {"f:spec": {"f:containers":
                 {"k:{\\"name\\":\\"web\\"}": {"f:image": {}}}}}}}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: registry.example.com/web:1.1
                    ports: [{containerPort: 8080, protocol: TCP}]
                    resources: {requests: {cpu: 100m, memory: 128Mi}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web, namespace: shop}
            data: {mode: production}
            """;

    private CdsTraining() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("driftwatch-cds-training-");
        try {
            Path desired = Files.writeString(work.resolve("desired.yaml"), DESIRED);
            Path live = Files.writeString(work.resolve("live.yaml"), LIVE);
            Path dir = Files.createDirectories(work.resolve("manifests"));
            Files.writeString(dir.resolve("app.yaml"), DESIRED);
            run(List.of("version"));
            run(List.of("diff", "--desired", desired.toString(), "--live", live.toString()));
            run(List.of("diff", "--desired", desired.toString(), "--live", live.toString(), "-o", "json"));
            Path kubeconfig = work.resolve("server").resolve("kubeconfig");
            Process server = startServer(work.resolve("server"));
            try {
                List<String> diff = List.of(
                        "diff",
                        "--dir",
                        dir.toString(),
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "--request-timeout",
                        "5s");
                int first = run(diff);
                int second = run(diff);
                if (first != ExitCodes.DRIFT || second != ExitCodes.DRIFT) {
                    // the archive would miss the classes of a diff that reaches its answer
                    throw new IllegalStateException("the training diff against the training server exited " + first
                            + " and " + second + ", expected " + ExitCodes.DRIFT + " (drift)");
                }
            } finally {
                server.getOutputStream().close(); // its signal to stop
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            // the same kubeconfig once nothing listens at its address: the connection error
            Files.writeString(
                    kubeconfig,
                    Files.readString(kubeconfig)
                            .replaceAll("https://127\\.0\\.0\\.1:[0-9]+", "https://127.0.0.1:" + closedPort()));
            run(List.of(
                    "diff", "--dir", dir.toString(), "--kubeconfig", kubeconfig.toString(), "--request-timeout", "5s"));
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // the client's threads
    }

    /** {@link CdsTrainingServer} in a JVM of its own (this java, this class path), once it is ready. */
    private static Process startServer(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CdsTrainingServer.class.getName(),
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals(CdsTrainingServer.READY)) {
                return server;
            }
        }
        server.destroyForcibly();
        throw new IllegalStateException("the training server ended before it was ready (see its errors above)");
    }

    private static int run(List<String> args) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        return DriftwatchCommand.commandLine()
                .setOut(sink)
                .setErr(sink)
                .setExecutionStrategy(Logging.configuringStrategy())
                .execute(args.toArray(String[]::new));
    }

    /** A port nothing listens on (just closed). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
