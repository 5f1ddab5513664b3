package io.driftwatch.cli;

import io.driftwatch.localkube.LocalKubeCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data-sharing archive: {@code mvn package} runs this class once with
 * {@code -XX:ArchiveClassesAtExit=target/driftwatch.jsa}, and the launcher maps the classes it loaded instead of
 * loading them from the jar again (see docs/benchmarks.md, one-shot CLI). In one JVM it runs what one-shot commands
 * load: {@code version}, an offline {@code diff} of a Deployment and a ConfigMap that differ, rendered as text and
 * JSON, and a {@code diff --dir} that reads a kubeconfig with a client certificate, builds the Kubernetes client and
 * finds nothing listening at the address. Output is discarded; the classes loaded are what counts. Not a command.
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

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("driftwatch-cds-training-");
        try {
            Path desired = Files.writeString(work.resolve("desired.yaml"), DESIRED);
            Path live = Files.writeString(work.resolve("live.yaml"), LIVE);
            Path dir = Files.createDirectories(work.resolve("manifests"));
            Files.writeString(dir.resolve("app.yaml"), DESIRED);
            Path kubeconfig = LocalKubeCluster.writeKubeconfig(work, "https://127.0.0.1:" + closedPort());
            List<List<String>> runs = List.of(
                    List.of("version"),
                    List.of("diff", "--desired", desired.toString(), "--live", live.toString()),
                    List.of("diff", "--desired", desired.toString(), "--live", live.toString(), "-o", "json"),
                    List.of(
                            "diff",
                            "--dir",
                            dir.toString(),
                            "--kubeconfig",
                            kubeconfig.toString(),
                            "--request-timeout",
                            "5s"));
            for (List<String> run : runs) {
                PrintWriter sink = new PrintWriter(Writer.nullWriter());
                DriftwatchCommand.commandLine()
                        .setOut(sink)
                        .setErr(sink)
                        .setExecutionStrategy(Logging.configuringStrategy())
                        .execute(run.toArray(String[]::new));
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // the client's threads
    }

    /** A port nothing listens on (just closed). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
