package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.ArgoCdServer;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * driftwatch's agent beside Argo CD's application controller, on one real kube-apiserver (with kube-controller-manager
 * and kube-scheduler), the same objects and the same out-of-band changes, in one run:
 *
 * <ol>
 *   <li>N objects ({@link AgentScaleBenchmark#create}: ConfigMaps, Secrets, Services, Deployments) in apps of
 *       {@code objectsPerApp} objects; each app's manifests are committed to a local Git repository, which Argo CD
 *       reads through its repo-server as an Application ({@code file://} URL, label tracking) and driftwatch reads as
 *       a directory source (the same files).
 *   <li>Argo CD is started (redis, repo-server, application controller; no API server, which plays no part in
 *       detection) and timed until every Application has a comparison result covering all its objects; then the
 *       agent is started and timed until ready (initial lists and the full diff). One after the other, so neither
 *       start-up competes with the other.
 *   <li>After a settle period: CPU of every process over an idle window, heap and RSS.
 *   <li>Under background churn (label updates by another field manager, which neither tool reports as drift):
 *       single out-of-band changes ({@code kubectl-edit} of a ConfigMap value), each timed from the write until
 *       driftwatch lists the drift on its API (polled every 5 ms) and until the Application's {@code status.resources}
 *       shows that object OutOfSync (seen through a watch on the Applications); CPU of every process over the phase.
 * </ol>
 *
 * <pre>java -cp target/test-classes:target/driftwatch.jar io.driftwatch.bench.PeersBenchmark 2000 [out.json
 *     [figures.jsonl]]</pre>
 * (bench/run-peers.sh). System properties: {@code driftwatch.bench.samples} (30), {@code .churnPerSecond} (50),
 * {@code .objectsPerApp} (200), {@code .settleSeconds} (30), {@code .idleSeconds} (60). The Argo CD binary must hold
 * the application controller: {@code DRIFTWATCH_ARGOCD_CONTROLLER}, else where {@code scripts/test-binaries.sh
 * --argocd-controller} builds it. Processes' logs are kept next to {@code out.json}.
 */
public final class PeersBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEAP_INUSE = Pattern.compile("(?m)^# HeapInuse = (\\d+)$");
    private static final int SAMPLES = Integer.getInteger("driftwatch.bench.samples", 30);
    private static final int CHURN_PER_SECOND = Integer.getInteger("driftwatch.bench.churnPerSecond", 50);
    private static final int OBJECTS_PER_APP = Integer.getInteger("driftwatch.bench.objectsPerApp", 200);
    private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("driftwatch.bench.settleSeconds", 30));
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(Long.getLong("driftwatch.bench.idleSeconds", 60));
    /** Longer than Argo CD's periodic comparison (120 s plus up to 60 s of jitter), which catches a missed event. */
    private static final Duration DETECT_TIMEOUT = Duration.ofSeconds(240);

    private static final Duration START_TIMEOUT = Duration.ofMinutes(30);
    private static final String APPLICATION = "Application";
    private static final String ARGO_API = "argoproj.io/v1alpha1";

    private PeersBenchmark() {}

    public static void main(String[] args) {
        try {
            measure(args);
            System.exit(0);
        } catch (Exception | AssertionError e) { // the test helpers fail with AssertionError
            e.printStackTrace();
            System.exit(1); // the client's threads would keep a failed run alive
        }
    }

    private static void measure(String[] args) throws Exception {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        Path out = args.length > 1 ? Path.of(args[1]) : null;
        Path figuresFile = args.length > 2 ? Path.of(args[2]) : null;
        int apps = Math.max(1, (objects + OBJECTS_PER_APP - 1) / OBJECTS_PER_APP);
        Path argoBinary = controllerBinary();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("objects", objects);
        result.put("apps", apps);
        result.put("churnPerSecond", CHURN_PER_SECOND);
        Path work = Files.createTempDirectory("driftwatch-peers-");
        AtomicReference<Process> agentRef = new AtomicReference<>();
        AtomicReference<ArgoCdServer> argoRef = new AtomicReference<>();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            ArgoCdServer argo = argoRef.get();
                            if (argo != null) {
                                argo.close();
                            }
                            AgentScaleBenchmark.stopAndDelete(agentRef.get(), work);
                        },
                        "peers-cleanup"));
        try (LocalKubeCluster cluster = LocalKubeCluster.start();
                KubernetesClient client = cluster.newAdminClient()) {
            long t = System.nanoTime();
            List<HasMetadata> all = AgentScaleBenchmark.create(client, objects, apps, work.resolve("manifests"));
            result.put("createSeconds", AgentScaleBenchmark.seconds(t));
            log("created %d objects in %d apps in %.1f s", all.size(), apps, AgentScaleBenchmark.seconds(t));
            GitRepoFixture repo = GitRepoFixture.init(work.resolve("repo"));
            for (int a = 0; a < apps; a++) {
                repo.write(
                        "apps/app-" + a + "/objects.yaml",
                        Files.readString(work.resolve("manifests/app-" + a + "/objects.yaml")));
            }
            repo.commit("objects");
            ArgoCdServer.install(cluster);
            applyArgoCdSetup(cluster, work, repo.fileUrl(), apps);

            t = System.nanoTime();
            Path argoWork = Files.createDirectories(work.resolve("argocd"));
            ArgoCdServer argo = ArgoCdServer.startController(cluster, argoWork, argoBinary, List.of());
            argoRef.set(argo);
            Map<String, Long> argoPids = argo.pids();
            Map<String, Integer> verdict = awaitVerdicts(client, all, apps);
            result.put("argocdTimeToVerdictSeconds", AgentScaleBenchmark.seconds(t));
            result.put("argocdResourcesSynced", verdict.get("Synced"));
            result.put("argocdResourcesOutOfSync", verdict.get("OutOfSync"));
            log("Argo CD: every Application compared in %.1f s: %s", AgentScaleBenchmark.seconds(t), verdict);

            int port = AgentScaleBenchmark.freePort();
            Path config = AgentScaleBenchmark.writeConfig(work, port, apps);
            result.put("agentJvm", ShippedAgentJvm.read().describe());
            t = System.nanoTime();
            Instant startedAt = Instant.now();
            Process agent = AgentScaleBenchmark.startAgent(work, config, cluster.kubeconfig());
            agentRef.set(agent);
            AgentScaleBenchmark.awaitReady(port, agent, START_TIMEOUT);
            result.put("driftwatchTimeToReadySeconds", AgentScaleBenchmark.seconds(t));
            result.put(
                    "driftwatchStartupPhasesSeconds",
                    StartupPhases.of(work.resolve("agent.log"), startedAt, Instant.now()));
            result.put(
                    "driftwatchDriftsAfterStart",
                    AgentScaleBenchmark.drifts(port).size());
            log("driftwatch ready in %.1f s", AgentScaleBenchmark.seconds(t));

            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("driftwatch", agent.pid());
            pids.putAll(argoPids);
            Thread.sleep(SETTLE.toMillis());
            Map<String, Long> before = ticks(pids);
            Thread.sleep(IDLE_WINDOW.toMillis());
            result.put("idleCpuPercent", percentOfOneCore(before, ticks(pids), IDLE_WINDOW.toSeconds()));
            result.put("memoryAfterSettling", memory(pids, argo));
            result.put("driftwatchMemoryAfterSettling", AgentMemory.breakdown(pids.get("driftwatch")));
            log("idle: %s", result);

            Map<String, List<Double>> latencies = new LinkedHashMap<>();
            long phase = System.nanoTime();
            before = ticks(pids);
            latencyUnderChurn(client, all, port, latencies, result);
            double phaseSeconds = AgentScaleBenchmark.seconds(phase);
            result.put("churnCpuPercent", percentOfOneCore(before, ticks(pids), phaseSeconds));
            result.put("churnPhaseSeconds", phaseSeconds);
            for (var e : latencies.entrySet()) {
                List<Double> found =
                        e.getValue().stream().filter(Double::isFinite).toList();
                result.put(e.getKey() + "DetectionSamples", found.size());
                result.put(e.getKey() + "DetectionMissed", e.getValue().size() - found.size());
                result.put(e.getKey() + "DetectionP50Ms", AgentScaleBenchmark.percentile(found, 50));
                result.put(e.getKey() + "DetectionP99Ms", AgentScaleBenchmark.percentile(found, 99));
                result.put(e.getKey() + "DetectionMaxMs", AgentScaleBenchmark.percentile(found, 100));
            }
            result.put("memoryUnderChurn", memory(pids, argo));
            result.put("driftwatchMemoryUnderChurn", AgentMemory.breakdown(pids.get("driftwatch")));
            result.put("argocdSettings", argoSettings(cluster));
        } finally {
            keepLogs(work, out, objects);
            ArgoCdServer argo = argoRef.getAndSet(null);
            if (argo != null) {
                argo.close();
            }
            AgentScaleBenchmark.stopAndDelete(agentRef.getAndSet(null), work);
        }
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text);
        }
        if (figuresFile != null) {
            figures(result, "peers." + objects + ".").write(figuresFile);
        }
    }

    /** The Argo CD build with the application controller role. */
    private static Path controllerBinary() {
        String explicit = System.getenv("DRIFTWATCH_ARGOCD_CONTROLLER");
        Path path = explicit != null && !explicit.isBlank()
                ? Path.of(explicit)
                : Path.of(
                        System.getProperty("user.home"),
                        ".cache",
                        "driftwatch",
                        "argocd-v" + ArgoCdServer.VERSION + "-controller",
                        "argocd");
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("the Argo CD build with the application controller is missing (" + path
                    + "): run scripts/test-binaries.sh --argocd-controller or set DRIFTWATCH_ARGOCD_CONTROLLER");
        }
        return path;
    }

    /**
     * Label tracking (the objects carry {@code app.kubernetes.io/instance: app-<k>}, as a Helm or Kustomize app
     * would), the default project (the API server, not run here, would create it) and one Application per app, no
     * automated sync: Argo CD only compares, as driftwatch does.
     */
    private static void applyArgoCdSetup(LocalKubeCluster cluster, Path work, String repoUrl, int apps)
            throws IOException {
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run(
                "patch",
                "configmap",
                "argocd-cm",
                "-n",
                ArgoCdServer.NAMESPACE,
                "--type",
                "merge",
                "-p",
                "{\"data\":{\"application.resourceTrackingMethod\":\"label\"}}");
        StringBuilder manifests = new StringBuilder("""
                apiVersion: argoproj.io/v1alpha1
                kind: AppProject
                metadata: {name: default, namespace: argocd}
                spec:
                  sourceRepos: ['*']
                  destinations: [{namespace: '*', server: '*'}]
                  clusterResourceWhitelist: [{group: '*', kind: '*'}]
                """);
        for (int a = 0; a < apps; a++) {
            manifests.append("""
                    ---
                    apiVersion: argoproj.io/v1alpha1
                    kind: Application
                    metadata: {name: app-%d, namespace: argocd}
                    spec:
                      project: default
                      source: {repoURL: '%s', path: apps/app-%d, targetRevision: main}
                      destination: {server: 'https://kubernetes.default.svc', namespace: default}
                    """.formatted(a, repoUrl, a));
        }
        Path file = Files.writeString(work.resolve("argocd-apps.yaml"), manifests);
        kubectl.run("apply", "--server-side", "--field-manager=bench", "-f", file.toString());
    }

    /**
     * Waits until every Application has been compared (a sync status and {@code reconciledAt}) with a resource entry
     * for each of its objects; answers how many resources each sync status has. Comparison errors still there at the
     * time limit are named in the failure.
     */
    private static Map<String, Integer> awaitVerdicts(KubernetesClient client, List<HasMetadata> all, int apps)
            throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int expectedPerApp = all.size() / apps;
        String last = "no Application listed";
        while (System.nanoTime() < deadline) {
            List<GenericKubernetesResource> list = client.genericKubernetesResources(ARGO_API, APPLICATION)
                    .inNamespace(ArgoCdServer.NAMESPACE)
                    .list()
                    .getItems();
            Map<String, Integer> counts = new LinkedHashMap<>(Map.of("Synced", 0, "OutOfSync", 0));
            int complete = 0;
            List<String> errors = new ArrayList<>();
            for (GenericKubernetesResource app : list) {
                JsonNode status = JSON.valueToTree(app).path("status");
                for (JsonNode condition : status.path("conditions")) {
                    if (condition.path("type").asText().endsWith("Error")) { // may clear (repo-server starting)
                        errors.add(app.getMetadata().getName() + ": "
                                + condition.path("message").asText());
                    }
                }
                boolean compared = !status.path("reconciledAt").isMissingNode()
                        && List.of("Synced", "OutOfSync")
                                .contains(status.path("sync").path("status").asText());
                int resources = 0;
                for (JsonNode r : status.path("resources")) {
                    resources++;
                    counts.merge(r.path("status").asText("?"), 1, Integer::sum);
                }
                if (compared && resources >= expectedPerApp) {
                    complete++;
                }
            }
            if (complete == apps) {
                return counts;
            }
            last = complete + " of " + apps + " Applications compared, resources by status " + counts
                    + (errors.isEmpty() ? "" : "; errors: " + errors);
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "Argo CD did not compare every Application within " + START_TIMEOUT + ": " + last);
    }

    /**
     * Background churn that is not drift for either tool (a label written by another field manager, absent from Git),
     * and in the foreground single {@code kubectl-edit} changes of ConfigMap values, one at a time, each timed until
     * both tools report it (or {@link #DETECT_TIMEOUT}: then a missed sample) and reverted. Every sample changes a
     * different object that both tools saw as in sync.
     */
    private static void latencyUnderChurn(
            KubernetesClient client,
            List<HasMetadata> all,
            int port,
            Map<String, List<Double>> latencies,
            Map<String, Object> result)
            throws Exception {
        List<ConfigMap> configMaps = all.stream()
                .filter(ConfigMap.class::isInstance)
                .map(ConfigMap.class::cast)
                .toList();
        Map<String, Long> outOfSyncSince = new ConcurrentHashMap<>();
        Watch watch = client.genericKubernetesResources(ARGO_API, APPLICATION)
                .inNamespace(ArgoCdServer.NAMESPACE)
                .watch(new OutOfSyncWatcher(outOfSyncSince));
        BackgroundChurn background = BackgroundChurn.start(client, configMaps, CHURN_PER_SECOND, 1);
        List<Double> driftwatch = new ArrayList<>();
        List<Double> argocd = new ArrayList<>();
        latencies.put("driftwatch", driftwatch);
        latencies.put("argocd", argocd);
        PatchContext edit = new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-edit")
                .build();
        try {
            Thread.sleep(5_000);
            int next = 0;
            for (int s = 0; s < SAMPLES; s++) {
                ConfigMap target;
                int tried = 0;
                do {
                    if (tried++ == configMaps.size()) {
                        throw new IllegalStateException("no ConfigMap left that Argo CD shows in sync ("
                                + outOfSyncSince.size() + " resources OutOfSync): nothing to time a change on");
                    }
                    target = configMaps.get((next++ * 7919) % configMaps.size());
                } while (outOfSyncSince.containsKey(key(target)));
                String ns = target.getMetadata().getNamespace();
                String name = target.getMetadata().getName();
                long t0 = System.nanoTime();
                client.configMaps()
                        .inNamespace(ns)
                        .withName(name)
                        .patch(edit, "{\"data\":{\"key-0\":\"edited-" + s + "\"}}");
                double dw = Double.NaN;
                double argo = Double.NaN;
                while ((Double.isNaN(dw) || Double.isNaN(argo)) && System.nanoTime() - t0 < DETECT_TIMEOUT.toNanos()) {
                    if (Double.isNaN(dw)
                            && AgentScaleBenchmark.drifts(port).stream()
                                    .anyMatch(d -> d.path("name").asText().equals(name))) {
                        dw = (System.nanoTime() - t0) / 1e6;
                    }
                    Long seen = outOfSyncSince.get(key(target));
                    if (Double.isNaN(argo) && seen != null && seen >= t0) {
                        argo = (seen - t0) / 1e6;
                    }
                    Thread.sleep(5);
                }
                driftwatch.add(dw);
                argocd.add(argo);
                log("sample %d %s/%s: driftwatch %.0f ms, Argo CD %.0f ms", s, ns, name, dw, argo);
                String original = target.getData().get("key-0");
                client.configMaps()
                        .inNamespace(ns)
                        .withName(name)
                        .patch(edit, "{\"data\":{\"key-0\":" + JSON.writeValueAsString(original) + "}}");
                Thread.sleep(500);
            }
        } finally {
            background.close();
            watch.close();
        }
        result.put("churnUpdates", background.updates());
        log("%d samples under %d background updates", SAMPLES, background.updates());
    }

    private static String key(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getNamespace() + "/"
                + o.getMetadata().getName();
    }

    /** Records, per object, when an Application's status first listed it OutOfSync (forgotten once in sync again). */
    private record OutOfSyncWatcher(Map<String, Long> outOfSyncSince) implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource app) {
            long now = System.nanoTime();
            for (JsonNode r : JSON.valueToTree(app).path("status").path("resources")) {
                String key = r.path("kind").asText() + "/" + r.path("namespace").asText() + "/"
                        + r.path("name").asText();
                if (r.path("status").asText().equals("OutOfSync")) {
                    outOfSyncSince.putIfAbsent(key, now);
                } else {
                    outOfSyncSince.remove(key);
                }
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            log("Application watch closed: %s", cause.getMessage());
        }
    }

    /** CPU ticks (user + system) of each process. */
    private static Map<String, Long> ticks(Map<String, Long> pids) throws IOException {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (var e : pids.entrySet()) {
            ticks.put(e.getKey(), AgentScaleBenchmark.cpuTicks(e.getValue()));
        }
        return ticks;
    }

    /** Per process and for Argo CD's three together: CPU used between the readings, in % of one core. */
    private static Map<String, Double> percentOfOneCore(
            Map<String, Long> before, Map<String, Long> after, double seconds) {
        Map<String, Double> percent = new LinkedHashMap<>();
        double argoTotal = 0;
        for (var e : after.entrySet()) {
            double p = (e.getValue() - before.get(e.getKey())) / 100.0 / seconds * 100;
            percent.put(e.getKey(), p);
            if (!e.getKey().equals("driftwatch")) {
                argoTotal += p;
            }
        }
        percent.put("argocd-total", argoTotal);
        return percent;
    }

    /**
     * driftwatch: heap in use after a full GC and RSS; Argo CD: each process's RSS, their sum, and the controller's Go
     * heap in use after a GC ({@code HeapInuse} of its pprof heap profile).
     */
    private static Map<String, Double> memory(Map<String, Long> pids, ArgoCdServer argo) throws Exception {
        Map<String, Double> mib = new LinkedHashMap<>();
        // as Argo CD's RSS is read (before its GC below): before the full collection the heap figure needs
        mib.put("driftwatchRssBeforeGc", AgentScaleBenchmark.rssMiB(pids.get("driftwatch")));
        mib.put("driftwatchHeapAfterGc", AgentScaleBenchmark.heapAfterGcMiB(pids.get("driftwatch")));
        double argoRss = 0;
        for (var e : pids.entrySet()) {
            double rss = AgentScaleBenchmark.rssMiB(e.getValue());
            mib.put(e.getKey() + "Rss", rss);
            if (!e.getKey().equals("driftwatch")) {
                argoRss += rss;
            }
        }
        mib.put("argocdTotalRss", argoRss);
        // Go's runtime.MemStats as pprof prints them, read after a forced GC (as the agent's heap is)
        String heap = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(argo.url() + "/debug/pprof/heap?debug=1&gc=1"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher inuse = HEAP_INUSE.matcher(heap);
        if (!inuse.find()) {
            throw new IllegalStateException("the controller's heap profile has no HeapInuse line: "
                    + heap.substring(0, Math.min(300, heap.length())));
        }
        mib.put("argocdControllerGoHeapInuseAfterGc", Long.parseLong(inuse.group(1)) / 1024.0 / 1024);
        return mib;
    }

    /** What Argo CD ran with: argocd-cm and argocd-cmd-params-cm as applied (defaults plus label tracking). */
    private static Map<String, Object> argoSettings(LocalKubeCluster cluster) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String name : List.of("argocd-cm", "argocd-cmd-params-cm")) {
            ConfigMap cm = cluster.adminClient()
                    .configMaps()
                    .inNamespace(ArgoCdServer.NAMESPACE)
                    .withName(name)
                    .get();
            settings.put(name, cm == null || cm.getData() == null ? Map.of() : cm.getData());
        }
        settings.put(
                "controllerFlags",
                "defaults (status processors 20, operation processors 10, app resync 120 s "
                        + "+ up to 60 s jitter, kubectl parallelism 20)");
        return settings;
    }

    private static BenchFigures figures(Map<String, Object> result, String prefix) {
        BenchFigures f = new BenchFigures();
        f.add(prefix + "argocd.time_to_verdict", "s", number(result.get("argocdTimeToVerdictSeconds")));
        f.add(prefix + "driftwatch.time_to_verdict", "s", number(result.get("driftwatchTimeToReadySeconds")));
        for (String tool : List.of("driftwatch", "argocd")) {
            f.add(prefix + tool + ".detection_p50", "ms", number(result.get(tool + "DetectionP50Ms")));
            f.add(prefix + tool + ".detection_p99", "ms", number(result.get(tool + "DetectionP99Ms")));
            f.add(prefix + tool + ".detection_missed", "samples", number(result.get(tool + "DetectionMissed")));
        }
        Map<?, ?> idle = (Map<?, ?>) result.get("idleCpuPercent");
        Map<?, ?> churn = (Map<?, ?>) result.get("churnCpuPercent");
        Map<?, ?> memory = (Map<?, ?>) result.get("memoryAfterSettling");
        f.add(prefix + "driftwatch.idle_cpu", "% of a core", number(idle.get("driftwatch")));
        f.add(prefix + "argocd.idle_cpu", "% of a core", number(idle.get("argocd-total")));
        f.add(prefix + "driftwatch.churn_cpu", "% of a core", number(churn.get("driftwatch")));
        f.add(prefix + "argocd.churn_cpu", "% of a core", number(churn.get("argocd-total")));
        f.add(prefix + "driftwatch.heap", "MiB", number(memory.get("driftwatchHeapAfterGc")));
        f.add(prefix + "argocd.controller_heap", "MiB", number(memory.get("argocdControllerGoHeapInuseAfterGc")));
        f.add(prefix + "driftwatch.rss", "MiB", number(memory.get("driftwatchRss")));
        f.add(prefix + "driftwatch.rss_before_gc", "MiB", number(memory.get("driftwatchRssBeforeGc")));
        f.add(prefix + "argocd.controller_rss", "MiB", number(memory.get("argocd-application-controllerRss")));
        f.add(prefix + "argocd.rss", "MiB", number(memory.get("argocdTotalRss")));
        return f;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static void keepLogs(Path work, Path out, int objects) throws IOException {
        Path dir = out != null ? out.toAbsolutePath().getParent() : Path.of("bench", "results");
        String prefix = out != null ? out.getFileName().toString().replaceFirst("\\.json$", "") : "peers-" + objects;
        Files.createDirectories(dir);
        for (Path log : List.of(
                work.resolve("agent.log"),
                work.resolve("argocd/argocd-application-controller.log"),
                work.resolve("argocd/argocd-repo-server.log"))) {
            if (Files.exists(log)) {
                Files.copy(log, dir.resolve(prefix + "-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf("[peers] %s %s%n", Instant.now(), String.format(format, args));
    }
}
