package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.agent.AgentRunner;
import io.driftwatch.audit.AuditEvents;
import io.driftwatch.audit.AuditIndex;
import io.driftwatch.audit.AuditWrite;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AuditEventJson;
import io.driftwatch.testing.MovableClock;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audit attribution (docs/audit.md), two figures:
 *
 * <ul>
 *   <li><b>Index memory</b> at 100 writes/s sustained for the configured window: {@code rate × window} webhook-shaped
 *       Metadata-level events (2,000 objects, 20 users, kubectl user agents) are parsed by the agent's parser and held
 *       in its {@link AuditIndex} (a clock advanced 10 ms per write); the heap retained by the index is the used heap
 *       after full GCs with the index held, minus before it was built.
 *   <li><b>Attribution lag</b>, audit batch received → the drift carries the actor: the real agent (in this JVM) on a
 *       real kube-apiserver, with a background of 100 audited writes/s posted to {@code /api/v1/audit} in batches of
 *       10 every 100 ms (as the webhook backend batches). Each sample changes a tracked ConfigMap for real, waits until
 *       the agent reports the drift (no actor: no audit yet), then posts that write's audit event (RequestResponse
 *       level, the response's resourceVersion) and polls {@code /api/v1/drifts} every 5 ms until the change names its
 *       actor. The lag includes the post's HTTP round trip and up to one poll interval.
 * </ul>
 *
 * <pre>java -cp ... io.driftwatch.bench.AuditAttributionBenchmark [samples [windowSeconds [figures.jsonl]]]</pre>
 * (bench/run-audit.sh). The background runs for the whole lag measurement; the index figure uses the full window.
 */
public final class AuditAttributionBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 100;
    private static final int OBJECTS = 2_000;
    private static final String TOKEN = "bench-audit-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AuditAttributionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int windowSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 900;
        Path figuresFile = args.length > 2 ? Path.of(args[2]) : null;
        BenchFigures figures = new BenchFigures();

        double[] memory = indexMemory(windowSeconds);
        log("index: %d writes held, %.1f MiB retained, %.0f bytes/write", (long) memory[0], memory[1], memory[2]);
        figures.add("audit.index_writes", "writes", memory[0])
                .add("audit.index_heap", "MiB", memory[1])
                .add("audit.index_bytes_per_write", "B", memory[2]);

        List<Double> lags = attributionLag(samples, windowSeconds);
        log(
                "attribution lag over %d samples: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                lags.size(),
                AgentScaleBenchmark.percentile(lags, 50),
                AgentScaleBenchmark.percentile(lags, 99),
                lags.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        figures.add("audit.lag_p50", "ms", AgentScaleBenchmark.percentile(lags, 50))
                .add("audit.lag_p99", "ms", AgentScaleBenchmark.percentile(lags, 99))
                .add("audit.lag_samples", "samples", lags.size());
        if (figuresFile != null) {
            figures.write(figuresFile);
        }
        System.exit(0); // the agent's and client's non-daemon threads
    }

    /** {writes held, MiB retained, bytes per write} after {@code RATE × windowSeconds} writes. */
    static double[] indexMemory(int windowSeconds) throws Exception {
        int total = RATE * windowSeconds;
        MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
        AuditEvents parser = new AuditEvents((group, resource) -> true);
        long before = usedAfterGc();
        AuditIndex index = new AuditIndex(Math.max(100_000, total), Duration.ofSeconds(windowSeconds), clock);
        Random random = new Random(18);
        for (int done = 0; done < total; ) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 100 && done < total; i++, done++) {
                Instant at = clock.advance(Duration.ofMillis(1000 / RATE));
                batch.add(event(
                        UUID.randomUUID().toString(),
                        "bench",
                        "cm-" + random.nextInt(OBJECTS),
                        "user-" + random.nextInt(20),
                        at.minusMillis(12),
                        at,
                        null));
            }
            for (AuditWrite w : parser.parseList(list(batch).getBytes(StandardCharsets.UTF_8))
                    .writes()) {
                index.add(w);
            }
        }
        long held = index.size();
        long after = usedAfterGc();
        double bytes = Math.max(0, after - before);
        if (index.size() != held) { // keeps the index reachable until measured
            throw new IllegalStateException("the index changed while measured");
        }
        return new double[] {held, bytes / (1 << 20), bytes / Math.max(1, held)};
    }

    static List<Double> attributionLag(int samples, int windowSeconds) throws Exception {
        Path work = Files.createTempDirectory("driftwatch-audit-bench-");
        Path manifests = Files.createDirectories(work.resolve("manifests"));
        Path token = Files.writeString(work.resolve("token"), TOKEN);
        String ns = "audit-bench";
        int tracked = 20;
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < tracked; i++) {
            yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-")
                    .append(i)
                    .append(", namespace: ")
                    .append(ns)
                    .append("}\ndata: {mode: calm}\n");
        }
        Files.writeString(manifests.resolve("app.yaml"), yaml);
        List<Double> lags = new ArrayList<>();
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();
        try (LocalKubeCluster cluster = LocalKubeCluster.start();
                KubernetesClient client = cluster.newAdminClient()) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .create();
            for (int i = 0; i < tracked; i++) {
                client.configMaps()
                        .inNamespace(ns)
                        .resource(new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("app-" + i)
                                .endMetadata()
                                .addToData("mode", "calm")
                                .build())
                        .create();
            }
            String config = """
                    cluster: audit-bench
                    http: {host: 127.0.0.1, port: 0}
                    leaderElection: {enabled: false}
                    events: {enabled: false}
                    audit: {tokenFile: %s, window: %ds}
                    sources:
                      directories:
                      - {name: app, path: %s, targetNamespace: %s, pollInterval: 60s}
                    """.formatted(token, windowSeconds, manifests, ns);
            try (AgentRunner agent = AgentRunner.start(config, cluster.adminConfig())) {
                int port = agent.agentPort();
                awaitDrifts(port, 0, Duration.ofMinutes(3));
                Random random = new Random(7);
                AtomicLong failures = new AtomicLong();
                background.scheduleAtFixedRate(
                        () -> {
                            List<String> batch = new ArrayList<>();
                            Instant at = Instant.now();
                            for (int i = 0; i < RATE / 10; i++) {
                                batch.add(event(
                                        UUID.randomUUID().toString(),
                                        ns,
                                        "bg-" + random.nextInt(OBJECTS),
                                        "user-" + random.nextInt(20),
                                        at.minusMillis(15),
                                        at,
                                        null));
                            }
                            try {
                                if (post(port, list(batch)) != 200) {
                                    failures.incrementAndGet();
                                }
                            } catch (Exception e) {
                                failures.incrementAndGet();
                            }
                        },
                        0,
                        100,
                        TimeUnit.MILLISECONDS);
                Thread.sleep(5_000);
                for (int s = 0; s < samples; s++) {
                    String name = "app-" + (s % tracked);
                    String value = "changed-" + s;
                    ConfigMap live = client.configMaps()
                            .inNamespace(ns)
                            .withName(name)
                            .edit(cm -> new ConfigMapBuilder(cm)
                                    .addToData("mode", value)
                                    .build());
                    awaitDrifts(port, 1, Duration.ofMinutes(2));
                    ManagedFieldsEntry entry = live.getMetadata().getManagedFields().stream()
                            .filter(m -> m.getFieldsV1() != null
                                    && m.getFieldsV1().toString().contains("mode"))
                            .reduce((a, b) -> b)
                            .orElseThrow();
                    Instant time = Instant.parse(entry.getTime());
                    // the client's manager name is its user agent's product, as the API server records it
                    String write = AuditEventJson.write(
                            UUID.randomUUID().toString(),
                            "patch",
                            "",
                            "configmaps",
                            "",
                            ns,
                            name,
                            "alice",
                            null,
                            entry.getManager() + "/bench",
                            time.minusMillis(20),
                            time.plusMillis(30),
                            live.getMetadata().getResourceVersion());
                    long t0 = System.nanoTime();
                    int status = post(port, list(List.of(write)));
                    if (status != 200) {
                        throw new IllegalStateException("the audit post answered " + status);
                    }
                    while (!attributed(port, "alice")) {
                        if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(2)) {
                            throw new IllegalStateException("sample " + s + ": no actor after 2 minutes");
                        }
                        Thread.sleep(5);
                    }
                    lags.add((System.nanoTime() - t0) / 1e6);
                    client.configMaps()
                            .inNamespace(ns)
                            .withName(name)
                            .edit(cm -> new ConfigMapBuilder(cm)
                                    .addToData("mode", "calm")
                                    .build());
                    awaitDrifts(port, 0, Duration.ofMinutes(2));
                }
                background.shutdownNow();
                log(
                        "background: %d failed posts; the agent holds %s writes",
                        failures.get(), metric(port, "driftwatch_audit_index_writes"));
            }
        } finally {
            background.shutdownNow();
        }
        return lags;
    }

    private static boolean attributed(int port, String user) throws Exception {
        for (JsonNode d : drifts(port)) {
            for (JsonNode c : d.path("changes")) {
                if (user.equals(c.path("actor").path("username").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void awaitDrifts(int port, int n, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (drifts(port).size() == n) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("expected " + n + " drifts within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private static JsonNode drifts(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/drifts"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        return body.isArray() ? body : body.path("drifts");
    }

    private static String metric(int port, String name) throws Exception {
        String text = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return text.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .findFirst()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .orElse("?");
    }

    private static int post(int port, String body) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/audit"))
                                .header("authorization", "Bearer " + TOKEN)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** A ConfigMap patch as the API server's audit backend writes it. */
    private static String event(
            String id, String ns, String name, String user, Instant received, Instant completed, String responseRv) {
        return AuditEventJson.write(
                id,
                "patch",
                "",
                "configmaps",
                "",
                ns,
                name,
                user,
                null,
                AuditEventJson.KUBECTL,
                received,
                completed,
                responseRv);
    }

    private static String list(List<String> events) {
        return AuditEventJson.list(events);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void log(String format, Object... args) {
        System.err.printf("[audit-bench] " + format + "%n", args);
    }
}
