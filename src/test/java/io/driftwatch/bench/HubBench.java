package io.driftwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.testing.PostgresServer;
import io.driftwatch.testing.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Hub benchmark (not a test): N simulated agents push batches of drift events over loopback HTTP to a real hub on
 * SQLite and on PostgreSQL; reports ingest throughput and per-request latency percentiles, then the latency of the
 * drift-list and history queries with ≥ 100k events stored. Run by bench/hub.sh.
 *
 * <p>Two ingest phases: <em>saturation</em> (every agent pushes its next batch as soon as the last was acknowledged:
 * the maximum throughput, latency dominated by queueing) and <em>paced</em> (agents together offer {@code rate}
 * events/s on a fixed schedule; latency is measured from each batch's scheduled time, so a slow hub cannot hide its
 * backlog).
 *
 * <p>Arguments: {@code agents=8 batches=150 batch=100 rate=5000 seconds=20 drifts=2000 queries=300
 * backends=sqlite,postgresql}, and {@code figures=<file>} to also write the figures as {@link BenchFigures}
 * ({@code hub.<backend>.<figure>}, for bench/run-all.sh).
 */
public final class HubBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    private HubBench() {}

    public static void main(String[] args) throws Exception {
        int agents = arg(args, "agents", 8);
        int batches = arg(args, "batches", 150);
        int batch = arg(args, "batch", 100);
        int drifts = arg(args, "drifts", 2000);
        int queries = arg(args, "queries", 300);
        int rate = arg(args, "rate", 5000);
        int seconds = arg(args, "seconds", 20);
        String backends = arg(args, "backends", "sqlite,postgresql");
        String figuresFile = arg(args, "figures", "");
        BenchFigures figures = new BenchFigures();
        System.out.printf(
                "hub bench: %d agents × %d batches × %d events (%d events), %d drift ids per cluster, " + "%d cores%n",
                agents,
                batches,
                batch,
                agents * batches * batch,
                drifts,
                Runtime.getRuntime().availableProcessors());
        for (String backend : backends.split(",")) {
            run(backend, agents, batches, batch, drifts, queries, rate, seconds, figures);
        }
        if (!figuresFile.isEmpty()) {
            figures.write(Path.of(figuresFile));
        }
        System.exit(0);
    }

    private static void run(
            String backend,
            int agents,
            int batches,
            int batch,
            int drifts,
            int queries,
            int rate,
            int seconds,
            BenchFigures figures)
            throws Exception {
        String storage;
        Path sqliteDir = null;
        if (backend.equals("postgresql")) {
            PostgresServer pg = PostgresServer.shared();
            storage = TestHub.postgres(pg.newDatabase("bench"), pg.user());
        } else if (backend.equals("sqlite")) {
            sqliteDir = Files.createTempDirectory("hub-bench");
            storage = TestHub.sqlite(sqliteDir.resolve("hub.db"));
        } else {
            throw new IllegalArgumentException("unknown backend '" + backend + "': use sqlite or postgresql");
        }
        try {
            measure(backend, storage, agents, batches, batch, drifts, queries, rate, seconds, figures);
        } finally {
            if (sqliteDir != null) {
                AgentScaleBenchmark.deleteRecursively(sqliteDir);
            }
        }
    }

    private static void measure(
            String backend,
            String storage,
            int agents,
            int batches,
            int batch,
            int drifts,
            int queries,
            int rate,
            int seconds,
            BenchFigures figures)
            throws Exception {
        List<String> clusters =
                IntStream.range(0, agents).mapToObj(i -> "bench-" + i).toList();
        try (TestHub hub = TestHub.start(storage + "limits: {maxBatchEvents: 1000}\n", clusters)) {
            // warm-up: JIT, connection pools, page cache
            pushAll(hub, clusters, Math.max(2, batches / 20), batch, drifts, 1_000_000);
            ExecutorService pool = Executors.newFixedThreadPool(agents);
            long start = System.nanoTime();
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                String cluster = clusters.get(i);
                long seed = i;
                results.add(pool.submit(() -> agent(hub, cluster, seed, batches, batch, drifts, 1, 0)));
            }
            List<Long> latencies = new ArrayList<>();
            for (Future<long[]> f : results) {
                for (long l : f.get()) {
                    latencies.add(l);
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            long events = (long) agents * batches * batch;
            System.out.printf(
                    "%-10s saturation: %,d events in %.1f s = %,.0f events/s; per-request (%d events) "
                            + "latency p50 %.1f ms, p99 %.1f ms%n",
                    backend, events, elapsed, events / elapsed, batch, pct(latencies, 50), pct(latencies, 99));
            String prefix = "hub." + backend + ".";
            figures.add(prefix + "saturation_throughput", "events/s", events / elapsed)
                    .add(prefix + "saturation_p50", "ms", pct(latencies, 50))
                    .add(prefix + "saturation_p99", "ms", pct(latencies, 99));

            long intervalNanos = (long) (1e9 * batch * agents / rate);
            int pacedBatches = (int) Math.max(1, (long) seconds * 1_000_000_000L / intervalNanos);
            ExecutorService paced = Executors.newFixedThreadPool(agents);
            List<Future<long[]>> pacedResults = new ArrayList<>();
            long pacedStart = System.nanoTime();
            for (int i = 0; i < agents; i++) {
                String cluster = clusters.get(i);
                long seed = 100 + i;
                pacedResults.add(paced.submit(
                        () -> agent(hub, cluster, seed, pacedBatches, batch, drifts, 2_000_000_000L, intervalNanos)));
            }
            List<Long> pacedLatencies = new ArrayList<>();
            for (Future<long[]> f : pacedResults) {
                for (long l : f.get()) {
                    pacedLatencies.add(l);
                }
            }
            double pacedSeconds = (System.nanoTime() - pacedStart) / 1e9;
            paced.shutdown();
            long pacedEvents = (long) agents * pacedBatches * batch;
            System.out.printf(
                    "%-10s paced at %,d events/s offered: %,d events in %.1f s = %,.0f events/s; "
                            + "per-request (%d events) latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    backend,
                    rate,
                    pacedEvents,
                    pacedSeconds,
                    pacedEvents / pacedSeconds,
                    batch,
                    pct(pacedLatencies, 50),
                    pct(pacedLatencies, 99),
                    pct(pacedLatencies, 100));
            figures.add(prefix + "paced_offered", "events/s", rate)
                    .add(prefix + "paced_throughput", "events/s", pacedEvents / pacedSeconds)
                    .add(prefix + "paced_p50", "ms", pct(pacedLatencies, 50))
                    .add(prefix + "paced_p99", "ms", pct(pacedLatencies, 99))
                    .add(prefix + "paced_max", "ms", pct(pacedLatencies, 100));

            long stored = hub.read("/api/v1/events?limit=1")
                    .path("events")
                    .get(0)
                    .path("id")
                    .asLong();
            List<Long> list = new ArrayList<>();
            List<Long> filtered = new ArrayList<>();
            List<Long> history = new ArrayList<>();
            Random random = new Random(7);
            for (int q = 0; q < queries; q++) {
                list.add(time(hub, "/api/v1/drifts?limit=100"));
                filtered.add(time(
                        hub,
                        "/api/v1/drifts?limit=100&cluster=" + clusters.get(random.nextInt(agents)) + "&namespace=ns"
                                + random.nextInt(10) + "&kind=Deployment"));
                history.add(time(hub, "/api/v1/events?limit=100&cluster=" + clusters.get(random.nextInt(agents))));
            }
            int open = hub.openDrifts("").size();
            System.out.printf(
                    "%-10s queries at %,d stored events, %,d open drifts: drift list p50 %.1f ms p99 %.1f ms;"
                            + " filtered list p50 %.1f ms p99 %.1f ms; history page p50 %.1f ms p99 %.1f ms%n",
                    backend,
                    stored,
                    open,
                    pct(list, 50),
                    pct(list, 99),
                    pct(filtered, 50),
                    pct(filtered, 99),
                    pct(history, 50),
                    pct(history, 99));
            figures.add(prefix + "stored_events", "events", stored)
                    .add(prefix + "open_drifts", "drifts", open)
                    .add(prefix + "query_list_p50", "ms", pct(list, 50))
                    .add(prefix + "query_list_p99", "ms", pct(list, 99))
                    .add(prefix + "query_filtered_p50", "ms", pct(filtered, 50))
                    .add(prefix + "query_filtered_p99", "ms", pct(filtered, 99))
                    .add(prefix + "query_history_p50", "ms", pct(history, 50))
                    .add(prefix + "query_history_p99", "ms", pct(history, 99));
        }
    }

    private static void pushAll(TestHub hub, List<String> clusters, int batches, int batch, int drifts, long seqBase)
            throws Exception {
        for (int i = 0; i < clusters.size(); i++) {
            agent(hub, clusters.get(i), 1000 + i, batches, batch, drifts, seqBase, 0);
        }
    }

    /**
     * One agent's stream: batches of opened/updated/resolved events over {@code drifts} drift ids; back to back, or
     * one every {@code intervalNanos} with latency counted from the scheduled time.
     */
    private static long[] agent(
            TestHub hub,
            String cluster,
            long seed,
            int batches,
            int batch,
            int drifts,
            long seqBase,
            long intervalNanos) {
        Random random = new Random(seed);
        boolean[] open = new boolean[drifts];
        long seq = seqBase;
        List<String> bodies = new ArrayList<>(batches); // built before the clock starts: measure the hub, not JSON
        for (int b = 0; b < batches; b++) {
            ObjectNode body = JSON.createObjectNode()
                    .put(
                            "stream",
                            java.util
                                    .UUID
                                    .nameUUIDFromBytes(
                                            ("bench-" + seqBase).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                    .toString());
            ArrayNode events = body.putArray("events");
            for (int e = 0; e < batch; e++) {
                int d = random.nextInt(drifts);
                String type = !open[d] ? "opened" : random.nextInt(3) == 0 ? "resolved" : "updated";
                open[d] = !type.equals("resolved");
                events.add(event(++seq, type, cluster + "-" + d, d));
            }
            bodies.add(body.toString());
        }
        long first = System.nanoTime() + (intervalNanos == 0 ? 0 : (long) (random.nextDouble() * intervalNanos));
        long[] latencies = new long[batches];
        for (int b = 0; b < batches; b++) {
            long t = System.nanoTime();
            if (intervalNanos > 0) {
                long scheduled = first + b * intervalNanos;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                t = scheduled;
            }
            HttpResponse<String> r = hub.post(cluster, "events", bodies.get(b));
            latencies[b] = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("push failed: " + r.statusCode() + " " + r.body());
            }
        }
        return latencies;
    }

    private static ObjectNode event(long seq, String type, String id, int d) {
        ObjectNode o = JSON.createObjectNode()
                .put("seq", seq)
                .put("type", type)
                .put("driftId", id)
                .put("onset", T0.toString())
                .put("lastSeen", T0.plusSeconds(seq % 3600).toString());
        ObjectNode drift = o.putObject("drift");
        String name = "obj-" + d;
        drift.put("group", "apps")
                .put("version", "v1")
                .put("kind", d % 3 == 0 ? "Service" : "Deployment")
                .put("namespace", "ns" + d % 10)
                .put("name", name)
                .put("app", "app" + d % 20)
                .put("type", "modified")
                .put("cause", "out-of-band")
                .put("summary", "Deployment ns/" + name + ": replicas 1 → " + seq % 7);
        drift.putArray("changes")
                .addObject()
                .put("field", "spec.replicas")
                .put("path", "/spec/replicas")
                .put("op", "replace")
                .put("cause", "out-of-band")
                .put("desired", 1)
                .put("live", seq % 7)
                .put("manager", "kubectl")
                .putNull("operation")
                .put("subresource", "scale")
                .put("time", T0.toString());
        o.put(
                "resolvedAt",
                type.equals("resolved") ? T0.plusSeconds(seq % 3600 + 1).toString() : null);
        return o;
    }

    private static long time(TestHub hub, String path) {
        long t = System.nanoTime();
        HttpResponse<String> r = hub.get(path, TestHub.READ_TOKEN);
        long elapsed = System.nanoTime() - t;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + " " + r.body());
        }
        return elapsed;
    }

    private static double pct(List<Long> nanos, int p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int i = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static int arg(String[] args, String name, int fallback) {
        String value = arg(args, name, Integer.toString(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a whole number", e);
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        return Arrays.stream(args)
                .filter(a -> a.startsWith(name + "="))
                .map(a -> a.substring(name.length() + 1))
                .findFirst()
                .orElse(fallback);
    }
}
