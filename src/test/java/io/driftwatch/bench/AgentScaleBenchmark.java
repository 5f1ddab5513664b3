package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent at scale on the real kube-apiserver: N objects (ConfigMaps, Secrets, Services, Deployments; realistic
 * sizes; spread over namespaces and apps) are created, the agent (the real jar, its own JVM) is started on their
 * manifests, and this measures time to ready (initial lists + full diff), heap after a full GC and RSS, idle CPU in
 * consecutive one-minute windows (the first holds one-off warm-up; the steady idle is the mean of the others), and
 * detection latency (a single out-of-band change → the drift visible on /api/v1/drifts) under a background of U
 * updates per second that are not drift. Idle means no object changes arriving: the idle windows start only once the
 * cluster's controllers have stopped writing (the agent's watch-event rate below a threshold, bounded in time:
 * {@link #QUIET_EVENTS_PER_SECOND}), and each window records the watch events the agent received in it. Bounded in time; cleans up after itself, also when the JVM is
 * stopped with SIGTERM (a shutdown hook stops the agent and removes the work directory; the cluster has its own).
 *
 * <pre>java -cp target/test-classes:target/driftwatch.jar io.driftwatch.bench.AgentScaleBenchmark 10000 [out.json
 *     [figures.jsonl]]</pre>
 * (bench/run-agent-scale.sh runs it for 10k and 50k objects and writes bench/results/). The agent's log goes next to
 * {@code out.json} as {@code out-agent.log}. The figures file holds {@link #FIGURES} as {@code scale.<objects>.<figure>}.
 */
public final class AgentScaleBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * One client for every call to the agent: HTTP/1.1 with keep-alive, so polling {@code /api/v1/drifts} every few
     * milliseconds reuses one connection instead of opening one per request (which cost the agent CPU under churn).
     */
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Namespaces the objects are spread over ({@code -Ddriftwatch.bench.namespaces}, default 20). */
    private static final int NAMESPACES = Integer.getInteger("driftwatch.bench.namespaces", 20);
    /** Apps (directory sources) the objects are spread over ({@code -Ddriftwatch.bench.apps}, default 10). */
    private static final int APPS = Integer.getInteger("driftwatch.bench.apps", 10);
    /** Background updates per second offered ({@code -Ddriftwatch.bench.updatesPerSecond}, default 100). */
    private static final int UPDATES_PER_SECOND = Integer.getInteger("driftwatch.bench.updatesPerSecond", 100);
    /** Threads that send the background updates, each at an equal share of the rate (a PATCH can take > 10 ms). */
    private static final int UPDATERS = 4;

    private static final int LATENCY_SAMPLES = Integer.getInteger("driftwatch.bench.samples", 60);
    private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("driftwatch.bench.settleSeconds", 30));
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(Long.getLong("driftwatch.bench.idleSeconds", 60));
    /**
     * Consecutive idle windows measured. The first holds one-off warm-up: about a minute after the watches start, the
     * API server's first watch bookmarks make fabric8 build Jackson deserializers for the typed model classes, and
     * the JIT compiles those new paths. The steady idle the target is judged on is the mean of the windows after it.
     */
    private static final int IDLE_WINDOWS = Math.max(2, Integer.getInteger("driftwatch.bench.idleWindows", 4));
    /**
     * Idle means no object changes arriving. After the objects are created the cluster's own controllers keep writing
     * (kube-controller-manager creates the Deployments' ReplicaSets and Pods and writes their status at its client's
     * 20 requests/s for minutes at 7,500 Deployments), and each write reaches the agent's informers. So before the idle
     * windows the benchmark waits until the agent's watch-event rate ({@code driftwatch_watch_events_total}) is at most
     * {@code -Ddriftwatch.bench.quietEventsPerSecond} (default 1) over {@code .quietWindowSeconds} (default 15), for
     * at most {@code .quietTimeoutSeconds} (default 900); past the timeout it measures anyway and says so
     * ({@code quietReached: false}).
     */
    private static final double QUIET_EVENTS_PER_SECOND =
            Double.parseDouble(System.getProperty("driftwatch.bench.quietEventsPerSecond", "1"));

    private static final Duration QUIET_WINDOW =
            Duration.ofSeconds(Math.max(1, Long.getLong("driftwatch.bench.quietWindowSeconds", 15)));
    private static final Duration QUIET_TIMEOUT =
            Duration.ofSeconds(Long.getLong("driftwatch.bench.quietTimeoutSeconds", 900));
    /** Result key → figure name and unit. */
    private static final List<String[]> FIGURES = List.of(
            new String[] {"createSeconds", "create", "s"},
            new String[] {"timeToReadySeconds", "time_to_ready", "s"},
            new String[] {"driftsAfterStart", "drifts_after_start", "drifts"},
            new String[] {"idleCpuPercentOfOneCore", "idle_cpu", "% of a core"},
            new String[] {"idleCpuFirstWindowPercent", "idle_cpu_first_minute", "% of a core"},
            new String[] {"quietWaitSeconds", "quiet_wait", "s"},
            new String[] {"idleWatchEventsSteadyPerWindow", "idle_watch_events", "events per window"},
            new String[] {"heapAfterGcMiB", "heap_after_gc", "MiB"},
            new String[] {"rssMiB", "rss", "MiB"},
            new String[] {"latencySamples", "detection_samples", "samples"},
            new String[] {"latencyP50Ms", "detection_p50", "ms"},
            new String[] {"latencyP99Ms", "detection_p99", "ms"},
            new String[] {"latencyMaxMs", "detection_max", "ms"},
            new String[] {"heapAfterGcUnderLoadMiB", "heap_after_gc_under_load", "MiB"},
            new String[] {"rssUnderLoadMiB", "rss_under_load", "MiB"},
            new String[] {"agentMetricsDetectionP99Ms", "agent_detection_p99", "ms"},
            new String[] {"agentMetricsDetectionP99InPhaseMs", "agent_detection_p99_in_phase", "ms"},
            new String[] {"cpuMsPerVerdict", "cpu_per_verdict", "ms"},
            new String[] {"diffThreadCpuMsPerVerdict", "diff_thread_cpu_per_verdict", "ms"});

    /** The agent's own histogram of informer event → verdict, one observation per live change processed. */
    private static final String DETECTION_HISTOGRAM = "driftwatch_drift_detection_latency_seconds";

    /**
     * The agent jar to run ({@code -Ddriftwatch.bench.agentJar}, default {@code target/driftwatch.jar}): another
     * build's jar runs under this same harness, so a before/after pair differs only in the agent.
     */
    private static final String AGENT_JAR = System.getProperty("driftwatch.bench.agentJar", "target/driftwatch.jar");

    private AgentScaleBenchmark() {}

    public static void main(String[] args) {
        try {
            measure(args);
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // the client's Vert.x threads would keep a failed run alive
        }
    }

    private static void measure(String[] args) throws Exception {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path out = args.length > 1 ? Path.of(args[1]) : null;
        Path figures = args.length > 2 ? Path.of(args[2]) : null;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("objects", objects);
        result.put("namespaces", NAMESPACES);
        result.put("apps", APPS);
        result.put("loadAverageAtStart", CliBenchmark.loadAverage());
        Path work = Files.createTempDirectory("driftwatch-scale-");
        AtomicReference<Process> running = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(running.get(), work), "scale-cleanup"));
        try (LocalKubeCluster cluster = LocalKubeCluster.start();
                KubernetesClient client = cluster.newAdminClient()) {
            long t = System.nanoTime();
            List<HasMetadata> all = create(client, objects, APPS, work.resolve("manifests"));
            result.put("createSeconds", seconds(t));
            log("created %d objects in %.1f s", all.size(), seconds(t));
            result.put("controlPlaneAfterCreate", controlPlane(cluster));
            log("control plane after create: %s", result.get("controlPlaneAfterCreate"));

            int port = freePort();
            Path config = writeConfig(work, port, APPS);
            result.put("agentJvm", ShippedAgentJvm.read().describe());
            t = System.nanoTime();
            Instant startedAt = Instant.now();
            Process agent = startAgent(work, config, cluster.kubeconfig());
            running.set(agent);
            try {
                awaitReady(port, agent, Duration.ofMinutes(10));
                result.put("timeToReadySeconds", seconds(t));
                result.put(
                        "startupPhasesSeconds", StartupPhases.of(work.resolve("agent.log"), startedAt, Instant.now()));
                log("agent ready in %.1f s", seconds(t));
                int open = drifts(port).size();
                result.put("driftsAfterStart", open);

                Thread.sleep(
                        SETTLE.toMillis()); // past the tail of the initial notifications and the first source polls
                awaitQuietCluster(port, result);
                List<Double> idlePercent = new ArrayList<>();
                List<Map<String, Long>> idleThreads = new ArrayList<>();
                List<Long> idleEvents = new ArrayList<>();
                List<Map<String, Map<String, Long>>> idleEventsByKind = new ArrayList<>();
                for (int w = 0; w < IDLE_WINDOWS; w++) {
                    long cpuBefore = cpuTicks(agent.pid());
                    Map<String, Long> threadsBefore = threadTicks(agent.pid());
                    var eventsBefore = WatchEventTally.read(metrics(port));
                    Thread.sleep(IDLE_WINDOW.toMillis());
                    long cpuAfter = cpuTicks(agent.pid());
                    idlePercent.add(100.0 * (cpuAfter - cpuBefore) / 100.0 / IDLE_WINDOW.toSeconds());
                    idleThreads.add(idleByThread(threadsBefore, threadTicks(agent.pid())));
                    // scraped after the CPU reading: the scrape's own cost stays out of the window
                    idleEventsByKind.add(WatchEventTally.minus(WatchEventTally.read(metrics(port)), eventsBefore));
                    idleEvents.add(WatchEventTally.total(idleEventsByKind.get(w)));
                    log(
                            "idle window %d: %.2f %% of a core, ticks by thread %s, %d watch events %s",
                            w + 1, idlePercent.get(w), idleThreads.get(w), idleEvents.get(w), idleEventsByKind.get(w));
                }
                result.put(
                        "idleCpuPercentOfOneCore",
                        idlePercent.subList(1, idlePercent.size()).stream()
                                .mapToDouble(d -> d)
                                .average()
                                .orElseThrow());
                result.put("idleCpuFirstWindowPercent", idlePercent.get(0));
                result.put("idleCpuPercentByWindow", idlePercent);
                result.put("idleCpuTicksByThreadByWindow", idleThreads);
                result.put("idleWatchEventsByWindow", idleEvents);
                result.put(
                        "idleWatchEventsSteadyPerWindow",
                        idleEvents.subList(1, idleEvents.size()).stream()
                                .mapToLong(Long::longValue)
                                .average()
                                .orElseThrow());
                result.put("idleWatchEventsByKindByWindow", idleEventsByKind);
                result.put("rssBeforeGcMiB", rssMiB(agent.pid()));
                result.put("heapAfterGcMiB", heapAfterGcMiB(agent.pid()));
                result.put("rssMiB", rssMiB(agent.pid()));
                result.put("memoryAfterSettle", AgentMemory.breakdown(agent.pid()));
                log("idle: %s", result);

                Map<String, Long> threadsBeforeLoad = threadTicks(agent.pid());
                String metricsBeforeLoad = metrics(port);
                double verdictsBeforeLoad = histogramCount(metricsBeforeLoad, DETECTION_HISTOGRAM);
                List<Double> latencies = latencyUnderLoad(client, all, port, result);
                Map<String, Object> phase = LatencyPhaseCpu.of(
                        idleByThread(threadsBeforeLoad, threadTicks(agent.pid())),
                        histogramCount(metrics(port), DETECTION_HISTOGRAM) - verdictsBeforeLoad);
                result.put("latencyPhase", phase);
                result.put("openDriftsAfterLatencyPhase", drifts(port).size());
                result.put("cpuMsPerVerdict", phase.get("cpuMsPerVerdict"));
                result.put("diffThreadCpuMsPerVerdict", phase.get("diffThreadCpuMsPerVerdict"));
                log("latency phase: %s", result.get("latencyPhase"));
                result.put("latencySamples", latencies.size());
                result.put("latencyP50Ms", percentile(latencies, 50));
                result.put("latencyP99Ms", percentile(latencies, 99));
                result.put("latencyMaxMs", percentile(latencies, 100));
                result.put("heapAfterGcUnderLoadMiB", heapAfterGcMiB(agent.pid()));
                result.put("rssUnderLoadMiB", rssMiB(agent.pid()));
                result.put("memoryAfterLoad", AgentMemory.breakdown(agent.pid()));
                String metricsAtEnd = metrics(port);
                result.put(
                        "agentMetricsDetectionP99Ms",
                        histogramQuantile(metricsAtEnd, DETECTION_HISTOGRAM, 0.99) * 1000);
                // the same, over the latency phase only: the cumulative figure also holds the updates that waited for
                // the first full diff at start-up
                result.put(
                        "agentMetricsDetectionP99InPhaseMs",
                        histogramQuantile(
                                        bucketsMinus(metricsAtEnd, metricsBeforeLoad, DETECTION_HISTOGRAM),
                                        DETECTION_HISTOGRAM,
                                        0.99)
                                * 1000);
                result.put("controlPlaneAtEnd", controlPlane(cluster));
                result.put("loadAverageAtEnd", CliBenchmark.loadAverage());
            } finally {
                agent.destroy();
                agent.waitFor(30, TimeUnit.SECONDS);
                agent.destroyForcibly();
            }
        } finally {
            Path log = work.resolve("agent.log");
            if (Files.exists(log)) {
                Path keep = out != null
                        ? out.toAbsolutePath()
                                .resolveSibling(
                                        out.getFileName().toString().replaceFirst("\\.json$", "") + "-agent.log")
                        : Path.of("bench", "results", "agent-scale-" + objects + "-agent.log");
                Files.createDirectories(keep.getParent());
                Files.copy(log, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            deleteRecursively(work);
        }
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text);
        }
        if (figures != null) {
            BenchFigures f = new BenchFigures();
            for (String[] figure : FIGURES) {
                Object value = result.get(figure[0]);
                f.add(
                        "scale." + objects + "." + figure[1],
                        figure[2],
                        value instanceof Number n ? n.doubleValue() : Double.NaN);
            }
            f.write(figures);
        }
    }

    /**
     * Waits until the cluster is quiet: the agent's watch notifications (all kinds, all events) at most
     * {@link #QUIET_EVENTS_PER_SECOND} over one {@link #QUIET_WINDOW}, or {@link #QUIET_TIMEOUT} has passed, which is
     * recorded ({@code quietReached: false}) and the idle windows are measured anyway. Records the wait, the rate in
     * the last window and that window's events by kind.
     */
    private static void awaitQuietCluster(int port, Map<String, Object> result) throws Exception {
        long start = System.nanoTime();
        var before = WatchEventTally.read(metrics(port));
        while (true) {
            Thread.sleep(QUIET_WINDOW.toMillis());
            var now = WatchEventTally.read(metrics(port));
            var in = WatchEventTally.minus(now, before);
            double rate = WatchEventTally.total(in) / (double) QUIET_WINDOW.toSeconds();
            boolean quiet = rate <= QUIET_EVENTS_PER_SECOND;
            double waited = seconds(start);
            log("quiet wait %.0f s: %.2f watch events/s over %d s %s", waited, rate, QUIET_WINDOW.toSeconds(), in);
            if (quiet || waited >= QUIET_TIMEOUT.toSeconds()) {
                result.put("quietThresholdEventsPerSecond", QUIET_EVENTS_PER_SECOND);
                result.put("quietWindowSeconds", QUIET_WINDOW.toSeconds());
                result.put("quietTimeoutSeconds", QUIET_TIMEOUT.toSeconds());
                result.put("quietReached", quiet);
                result.put("quietWaitSeconds", waited);
                result.put("quietRateAtEndEventsPerSecond", rate);
                result.put("quietLastWindowEventsByKind", in);
                if (!quiet) {
                    log(
                            "cluster not quiet after %.0f s (%.2f watch events/s > %.2f): idle measured anyway",
                            waited, rate, QUIET_EVENTS_PER_SECOND);
                }
                return;
            }
            before = now;
        }
    }

    /**
     * The agent from {@code target/driftwatch.jar} in its own JVM, run as the shipped Deployment runs it
     * ({@link ShippedAgentJvm}: its {@code JAVA_TOOL_OPTIONS} and {@code MALLOC_*} variables, its memory limit as
     * {@code -XX:MaxRAM}); {@code -Ddriftwatch.bench.agentJvmArgs} adds options, e.g.
     * {@code -XX:StartFlightRecording=filename=idle.jfr}. Its log goes to {@code work/agent.log}.
     */
    static Process startAgent(Path work, Path config, Path kubeconfig) throws IOException {
        ShippedAgentJvm shipped = ShippedAgentJvm.read();
        System.err.println("[bench] the agent's JVM as shipped: " + shipped.describe());
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(shipped.options());
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        String extra = System.getProperty("driftwatch.bench.agentJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of(
                "-jar", AGENT_JAR, "agent", "--config", config.toString(), "--kubeconfig", kubeconfig.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("agent.log").toFile());
        builder.environment().putAll(shipped.environment());
        return builder.start();
    }

    /** At JVM exit (also on SIGTERM): the agent must not outlive the benchmark, nor its work directory. */
    static void stopAndDelete(Process agent, Path work) {
        try {
            if (agent != null && agent.isAlive()) {
                agent.destroy();
                if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
            deleteRecursively(work);
        } catch (IOException | RuntimeException e) {
            System.err.println("[scale] cleanup of " + work + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Objects with realistic shapes, created with server-side apply by the applier, and written as manifests: object
     * {@code i} belongs to app {@code i % apps} (label {@code app.kubernetes.io/instance: app-<k>}), whose manifests
     * are {@code manifests/app-<k>/objects.yaml}.
     */
    static List<HasMetadata> create(KubernetesClient client, int n, int apps, Path manifests) throws Exception {
        Random random = new Random(42);
        Files.createDirectories(manifests);
        for (int i = 0; i < NAMESPACES; i++) {
            client.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns(i))
                            .endMetadata()
                            .build())
                    .create();
        }
        List<HasMetadata> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(object(i, apps, random));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (HasMetadata o : all) {
            done.add(pool.submit(() -> client.resource(o)
                    .fieldManager("argocd-controller")
                    .forceConflicts()
                    .serverSideApply()));
        }
        long start = System.nanoTime();
        for (int i = 0; i < done.size(); i++) {
            done.get(i).get();
            if ((i + 1) % 10_000 == 0) {
                log(
                        "%d objects created, %.0f/s, load average %s",
                        i + 1, (i + 1) / seconds(start), CliBenchmark.loadAverage());
            }
        }
        pool.shutdown();
        Map<Integer, StringBuilder> perApp = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            perApp.computeIfAbsent(i % apps, k -> new StringBuilder())
                    .append("---\n")
                    .append(client.getKubernetesSerialization()
                            .asYaml(all.get(i))
                            .replaceFirst("^---\n", ""));
        }
        for (var e : perApp.entrySet()) {
            Path dir = manifests.resolve("app-" + e.getKey());
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("objects.yaml"), e.getValue());
        }
        return all;
    }

    private static HasMetadata object(int i, int apps, Random random) {
        String ns = ns(i % NAMESPACES);
        String name = "obj-" + i;
        Map<String, String> labels = Map.of(
                "app.kubernetes.io/instance",
                "app-" + (i % apps),
                "app.kubernetes.io/name",
                "svc-" + (i % 97),
                "team",
                "team-" + (i % 7));
        int kind = i % 20;
        if (kind < 12) {
            Map<String, String> data = new LinkedHashMap<>();
            for (int k = 0; k < 5 + random.nextInt(10); k++) {
                data.put("key-" + k, "value-" + random.nextInt(1_000_000) + "-" + "x".repeat(random.nextInt(120)));
            }
            return new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(ns)
                    .withLabels(labels)
                    .endMetadata()
                    .withData(data)
                    .build();
        }
        if (kind < 14) {
            return new SecretBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(ns)
                    .withLabels(labels)
                    .endMetadata()
                    .withType("Opaque")
                    .withStringData(Map.of("password", "p-" + random.nextLong(), "user", "u" + i))
                    .build();
        }
        if (kind < 17) {
            return new ServiceBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(ns)
                    .withLabels(labels)
                    .endMetadata()
                    .withNewSpec()
                    .withSelector(Map.of("app.kubernetes.io/name", "svc-" + (i % 97)))
                    .addNewPort()
                    .withName("http")
                    .withPort(80)
                    .withTargetPort(new IntOrString(8080))
                    .endPort()
                    .addNewPort()
                    .withName("metrics")
                    .withPort(9090)
                    .withTargetPort(new IntOrString(9090))
                    .endPort()
                    .endSpec()
                    .build();
        }
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example.com/app:" + (i % 13))
                .addNewEnv()
                .withName("MODE")
                .withValue("prod")
                .endEnv()
                .addNewEnv()
                .withName("LOG_LEVEL")
                .withValue("info")
                .endEnv()
                .addNewPort()
                .withContainerPort(8080)
                .withName("http")
                .endPort()
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("memory", new Quantity("256Mi"))
                .endResources()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/ready")
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * Background: U updates per second that are not drift (a label only a controller writes); foreground: single
     * out-of-band changes (kubectl-edit) timed until the agent reports them, each reverted before the next.
     */
    private static List<Double> latencyUnderLoad(
            KubernetesClient client, List<HasMetadata> all, int port, Map<String, Object> result) throws Exception {
        List<HasMetadata> configMaps =
                all.stream().filter(o -> o.getKind().equals("ConfigMap")).toList();
        BackgroundChurn background = BackgroundChurn.start(client, configMaps, UPDATES_PER_SECOND, UPDATERS);
        List<Double> latencies = new ArrayList<>();
        List<List<Double>> details = new ArrayList<>();
        try {
            Thread.sleep(5_000);
            for (int s = 0; s < LATENCY_SAMPLES; s++) {
                HasMetadata target = configMaps.get((s * 7919) % configMaps.size());
                String ns = target.getMetadata().getNamespace();
                String name = target.getMetadata().getName();
                PatchContext edit = new PatchContext.Builder()
                        .withPatchType(PatchType.JSON_MERGE)
                        .withFieldManager("kubectl-edit")
                        .build();
                String edited = "edited-" + s;
                long t0 = System.nanoTime();
                client.configMaps()
                        .inNamespace(ns)
                        .withName(name)
                        .patch(edit, "{\"data\":{\"key-0\":\"" + edited + "\"}}");
                long patched = System.nanoTime();
                int polls = 0;
                // this change's drift, not any drift of the object: the background's label may have opened one already
                while (drifts(port).stream().noneMatch(d -> showsEdit(d, name, edited))) {
                    polls++;
                    if (System.nanoTime() - t0 > Duration.ofSeconds(30).toNanos()) {
                        String m = metrics(port)
                                .lines()
                                .filter(l -> l.startsWith("driftwatch_drift_detection_latency_seconds_count")
                                        || l.startsWith("driftwatch_watched_objects")
                                        || l.startsWith("driftwatch_drifted_resources"))
                                .reduce("", (a, b) -> a + "\n" + b);
                        throw new IllegalStateException("drift of " + ns + "/" + name + " not reported within 30 s; "
                                + drifts(port).size() + " open drifts; agent metrics:" + m);
                    }
                    Thread.sleep(2);
                }
                latencies.add((System.nanoTime() - t0) / 1e6);
                details.add(List.of((patched - t0) / 1e6, (double) polls));
                String original = ((io.fabric8.kubernetes.api.model.ConfigMap) target)
                        .getData()
                        .get("key-0");
                client.configMaps()
                        .inNamespace(ns)
                        .withName(name)
                        .patch(edit, "{\"data\":{\"key-0\":" + JSON.writeValueAsString(original) + "}}");
                Thread.sleep(200);
            }
        } finally {
            background.close();
        }
        double achieved = background.achievedPerSecond();
        result.put("backgroundUpdatesPerSecondOffered", UPDATES_PER_SECOND);
        result.put("backgroundUpdatesPerSecondAchieved", achieved);
        result.put(
                "latencyPatchMsMedian",
                percentile(details.stream().map(d -> d.get(0)).toList(), 50));
        result.put(
                "latencyPollsBeforeSeenMedian",
                percentile(details.stream().map(d -> d.get(1)).toList(), 50));
        result.put("latencySamplesMs", latencies);
        log(
                "latency samples %d under %d background updates (%.0f/s achieved of %d/s offered)",
                latencies.size(), background.updates(), achieved, UPDATES_PER_SECOND);
        return latencies;
    }

    /** Whether a drift from /api/v1/drifts is the object's and shows data.key-0 at the edited value. */
    static boolean showsEdit(JsonNode drift, String name, String edited) {
        if (!drift.path("name").asText().equals(name)) {
            return false;
        }
        for (JsonNode change : drift.path("changes")) {
            if (change.path("path").asText().equals("/data/key-0")
                    && change.path("live").asText().equals(edited)) {
                return true;
            }
        }
        return false;
    }

    static Path writeConfig(Path work, int port, int appCount) throws IOException {
        StringBuilder apps = new StringBuilder();
        for (int a = 0; a < appCount; a++) {
            apps.append("  - {name: app-")
                    .append(a)
                    .append(", path: ")
                    .append(work.resolve("manifests/app-" + a))
                    .append(", targetNamespace: default, pollInterval: 60s}\n");
        }
        Path config = work.resolve("agent.yaml");
        Files.writeString(config, """
                cluster: scale
                http: {host: 127.0.0.1, port: %d}
                leaderElection: {enabled: false}
                events: {enabled: false}
                metrics: {maxDriftSeries: 1000}
                sources:
                  directories:
                %s""".formatted(port, apps));
        return config;
    }

    static void awaitReady(int port, Process agent, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("agent exited with " + agent.exitValue());
            }
            try {
                if (get(port, "/readyz").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("agent not ready within " + timeout);
    }

    static List<JsonNode> drifts(int port) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(get(port, "/api/v1/drifts").body()).path("drifts").forEach(out::add);
        return out;
    }

    static String metrics(int port) throws Exception {
        return get(port, "/metrics").body();
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Heap in use after a full GC, from the JDK's own tools. */
    static double heapAfterGcMiB(long pid) throws Exception {
        run("jcmd", Long.toString(pid), "GC.run");
        String[] lines = run("jstat", "-gc", Long.toString(pid)).strip().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        double used = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                used += Double.parseDouble(values[i]);
            }
        }
        return used / 1024.0;
    }

    /** RSS of each control-plane process (by executable name) and the size of etcd's data directory, in MiB. */
    static Map<String, Double> controlPlane(LocalKubeCluster cluster) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        for (ProcessHandle p : cluster.processes()) {
            String name = Path.of(p.info().command().orElse("pid-" + p.pid()))
                    .getFileName()
                    .toString();
            if (p.isAlive()) {
                out.put(name + "RssMiB", rssMiB(p.pid()));
            }
        }
        Path etcd = cluster.runDirectory().resolve("etcd-data");
        if (Files.isDirectory(etcd)) {
            try (var files = Files.walk(etcd)) {
                out.put(
                        "etcdDataMiB",
                        files.filter(Files::isRegularFile)
                                        .mapToLong(f -> f.toFile().length())
                                        .sum()
                                / 1024.0
                                / 1024.0);
            }
        }
        return out;
    }

    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** utime + stime per thread of a process, keyed by "name#tid" (names as the kernel keeps them, ≤ 15 chars). */
    private static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> ticks = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(name + "#" + task.getFileName(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (IOException e) {
                    // the thread ended between listing and reading
                }
            }
        }
        return ticks;
    }

    /**
     * Clock ticks per thread name during the idle window (threads of one pool summed, digits dropped), busiest first;
     * threads that used nothing are left out. Tells JIT, GC, event loops and informer pools apart.
     */
    static Map<String, Long> idleByThread(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> byName = new TreeMap<>();
        after.forEach((key, value) -> {
            long used = value - before.getOrDefault(key, 0L);
            if (used > 0) {
                String name = key.substring(0, key.lastIndexOf('#')).replaceAll("[0-9]+", "N");
                byName.merge(name, used, Long::sum);
            }
        });
        Map<String, Long> sorted = new LinkedHashMap<>();
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /**
     * The {@code _bucket} lines of a classic histogram with the counts of an earlier scrape subtracted (one series):
     * what was observed between the two scrapes, for {@link #histogramQuantile}.
     */
    static String bucketsMinus(String later, String earlier, String name) {
        Map<String, Double> before = new LinkedHashMap<>();
        for (String line : earlier.lines().toList()) {
            if (line.startsWith(name + "_bucket{")) {
                before.put(
                        line.substring(0, line.lastIndexOf(' ')),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : later.lines().toList()) {
            if (line.startsWith(name + "_bucket{")) {
                String series = line.substring(0, line.lastIndexOf(' '));
                double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                out.append(series)
                        .append(' ')
                        .append(count - before.getOrDefault(series, 0.0))
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** A classic histogram's {@code _count} (summed over its series), 0 when absent. */
    static double histogramCount(String exposition, String name) {
        return exposition
                .lines()
                .filter(l -> l.startsWith(name + "_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** A quantile from a classic histogram's cumulative buckets, as Prometheus' histogram_quantile interpolates. */
    static double histogramQuantile(String exposition, String name, double q) {
        List<double[]> buckets = new ArrayList<>();
        for (String line : exposition.lines().toList()) {
            if (line.startsWith(name + "_bucket{")) {
                String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.add(new double[] {bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))});
            }
        }
        buckets.sort((a, b) -> Double.compare(a[0], b[0]));
        if (buckets.isEmpty() || buckets.get(buckets.size() - 1)[1] == 0) {
            return Double.NaN;
        }
        double rank = q * buckets.get(buckets.size() - 1)[1];
        double prevBound = 0;
        double prevCount = 0;
        for (double[] b : buckets) {
            if (b[1] >= rank) {
                if (Double.isInfinite(b[0])) {
                    return prevBound;
                }
                return prevBound + (b[0] - prevBound) * (rank - prevCount) / Math.max(1e-9, b[1] - prevCount);
            }
            prevBound = b[0];
            prevCount = b[1];
        }
        return prevBound;
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static String ns(int i) {
        return "scale-" + i;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.err.printf("[scale] %s %s%n", Instant.now(), String.format(format, args));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
