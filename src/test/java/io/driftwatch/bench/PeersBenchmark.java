package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.ArgoCdServer;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
 *   <li>Under background churn (label updates by another field manager, which Argo CD does not report): out-of-band
 *       changes ({@code kubectl-edit} of a ConfigMap value), up to {@code concurrent} at once, each in a different
 *       app, each timed on its own from the write until driftwatch lists a drift carrying the new value on its API
 *       (asked about the awaited objects only, every 5 ms) and until the Application's {@code status.resources} shows
 *       that object OutOfSync (seen through a watch on the Applications); CPU of every process over the phase.
 * </ol>
 *
 * <pre>java -cp target/test-classes:target/driftwatch.jar io.driftwatch.bench.PeersBenchmark 2000 [out.json
 *     [figures.jsonl]]</pre>
 * (bench/run-peers.sh). System properties: {@code driftwatch.bench.samples} (30), {@code .concurrent} (10, at most
 * the number of apps), {@code .churnPerSecond} (50),
 * {@code .objectsPerApp} (200), {@code .settleSeconds} (30), {@code .idleSeconds} (60). The Argo CD binary must hold
 * the application controller: {@code DRIFTWATCH_ARGOCD_CONTROLLER}, else where {@code scripts/test-binaries.sh
 * --argocd-controller} builds it. Processes' logs are kept next to {@code out.json}.
 */
public final class PeersBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEAP_INUSE = Pattern.compile("(?m)^# HeapInuse = (\\d+)$");
    private static final int SAMPLES = Integer.getInteger("driftwatch.bench.samples", 30);
    /** Out-of-band changes in flight at once, each in its own app (at most the number of apps). */
    private static final int CONCURRENT = Integer.getInteger("driftwatch.bench.concurrent", 10);

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
            List<GenericKubernetesResource> list;
            try {
                list = applications(client);
            } catch (KubernetesClientException e) { // at 50,000 objects the API server may be slow to answer
                last = "listing the Applications failed: " + e.getMessage();
                Thread.sleep(Math.max(250, apps * 10L));
                continue;
            }
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
            // the list holds every object's status: at 250 Applications ≈ 50,000 entries, so asked less often there
            Thread.sleep(Math.max(250, apps * 10L));
        }
        throw new IllegalStateException(
                "Argo CD did not compare every Application within " + START_TIMEOUT + ": " + last);
    }

    /**
     * Every Application, in pages of 25: each one's status lists all its objects, so one list of 250 Applications is
     * tens of megabytes, more than the client's request timeout allows on a loaded machine.
     */
    private static List<GenericKubernetesResource> applications(KubernetesClient client) {
        List<GenericKubernetesResource> all = new ArrayList<>();
        String next = null;
        do {
            GenericKubernetesResourceList page = client.genericKubernetesResources(ARGO_API, APPLICATION)
                    .inNamespace(ArgoCdServer.NAMESPACE)
                    .list(new ListOptionsBuilder()
                            .withLimit(25L)
                            .withContinue(next)
                            .build());
            all.addAll(page.getItems());
            next = page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return all;
    }

    /**
     * Background churn that is not drift for either tool (a label written by another field manager, absent from Git),
     * and in the foreground {@code kubectl-edit} changes of ConfigMap values, up to {@link #CONCURRENT} at once, each in
     * a different app (Argo CD: a different Application), each timed on its own until both tools report it (or
     * {@link #DETECT_TIMEOUT}: then a missed sample) and reverted. Every sample changes a different object that Argo CD
     * showed in sync; driftwatch's drift counts only once it carries the sample's own value (the object may already
     * have an open drift for the churned label). driftwatch is asked about the awaited objects only ({@code
     * /api/v1/drifts?kind=ConfigMap&name=...}, every 5 ms over one kept-alive connection, on a thread of its own: the
     * {@link DriftPoller}); Argo CD is observed through one watch on the Applications, whose events arrive on the
     * client's threads. Neither reading waits for the main thread, which starts and reverts the changes.
     */
    private static void latencyUnderChurn(
            KubernetesClient client,
            List<HasMetadata> all,
            int port,
            Map<String, List<Double>> latencies,
            Map<String, Object> result)
            throws Exception {
        Map<String, List<ConfigMap>> byApp = new TreeMap<>();
        List<ConfigMap> configMaps = new ArrayList<>();
        for (HasMetadata o : all) {
            if (o instanceof ConfigMap cm) {
                configMaps.add(cm);
                byApp.computeIfAbsent(app(cm), a -> new ArrayList<>()).add(cm);
            }
        }
        int concurrent = Math.min(CONCURRENT, byApp.size());
        Map<String, Long> outOfSyncSince = new ConcurrentHashMap<>();
        Watch watch = client.genericKubernetesResources(ARGO_API, APPLICATION)
                .inNamespace(ArgoCdServer.NAMESPACE)
                .watch(new OutOfSyncWatcher(outOfSyncSince));
        BackgroundChurn background = BackgroundChurn.start(client, configMaps, CHURN_PER_SECOND, 1);
        List<Double> driftwatch = new ArrayList<>();
        List<Double> argocd = new ArrayList<>();
        latencies.put("driftwatch", driftwatch);
        latencies.put("argocd", argocd);
        List<Map<String, Object>> samples = new ArrayList<>();
        PatchContext edit = new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("kubectl-edit")
                .build();
        Set<String> used = new HashSet<>();
        Map<String, Long> appFreedAt = new LinkedHashMap<>();
        byApp.keySet().forEach(a -> appFreedAt.put(a, 0L));
        List<Sample> pending = new ArrayList<>();
        int openBefore = 0;
        int apiTimeouts = 0;
        long phase = System.nanoTime();
        DriftPoller poller = new DriftPoller(port);
        try {
            Thread.sleep(5_000);
            int started = 0;
            while (started < SAMPLES || !pending.isEmpty()) {
                while (pending.size() < concurrent && started < SAMPLES) {
                    ConfigMap target = pick(byApp, appFreedAt, pending, used, outOfSyncSince);
                    used.add(key(target));
                    String marker = "edited-" + started;
                    List<JsonNode> before = agentDrifts(port, List.of(target));
                    apiTimeouts += before == null ? 1 : 0;
                    Boolean hadDrift = before == null ? null : !before.isEmpty();
                    openBefore += Boolean.TRUE.equals(hadDrift) ? 1 : 0;
                    Sample sample = new Sample(started++, target, marker, hadDrift, System.nanoTime());
                    client.configMaps()
                            .inNamespace(target.getMetadata().getNamespace())
                            .withName(target.getMetadata().getName())
                            .patch(edit, "{\"data\":{\"key-0\":\"" + marker + "\"}}");
                    pending.add(sample);
                    poller.await(sample);
                }
                poller.rethrowFailure();
                for (var it = pending.iterator(); it.hasNext(); ) {
                    Sample p = it.next();
                    Long seen = outOfSyncSince.get(key(p.target));
                    if (Double.isNaN(p.argocdMs) && seen != null && seen >= p.t0) {
                        p.argocdMs = (seen - p.t0) / 1e6;
                    }
                    boolean done = !Double.isNaN(p.driftwatchMs) && !Double.isNaN(p.argocdMs);
                    if (done || System.nanoTime() - p.t0 >= DETECT_TIMEOUT.toNanos()) {
                        it.remove();
                        poller.forget(p);
                        driftwatch.add(p.driftwatchMs);
                        argocd.add(p.argocdMs);
                        samples.add(p.describe(phase));
                        log(
                                "sample %d %s (%s): driftwatch %.0f ms, Argo CD %.0f ms (%d in flight)",
                                p.index, key(p.target), app(p.target), p.driftwatchMs, p.argocdMs, pending.size());
                        client.configMaps()
                                .inNamespace(p.target.getMetadata().getNamespace())
                                .withName(p.target.getMetadata().getName())
                                .patch(
                                        edit,
                                        "{\"data\":{\"key-0\":"
                                                + JSON.writeValueAsString(
                                                        p.target.getData().get("key-0")) + "}}");
                        appFreedAt.put(app(p.target), System.nanoTime());
                    }
                }
                Thread.sleep(5);
            }
        } finally {
            poller.close();
            background.close();
            watch.close();
        }
        apiTimeouts += poller.timeouts();
        result.put("concurrentChanges", concurrent);
        result.put("samples", samples);
        result.put("targetsWithOpenDriftBeforeTheChange", openBefore);
        result.put("driftwatchApiTimeouts", apiTimeouts);
        result.put("churnUpdates", background.updates());
        log(
                "%d samples, up to %d at once, under %d background updates (%d targets had an open drift before)",
                SAMPLES, concurrent, background.updates(), openBefore);
    }

    /**
     * The next object to change: in the app freed longest ago with no change in flight, one not changed before and
     * not shown OutOfSync by Argo CD.
     */
    private static ConfigMap pick(
            Map<String, List<ConfigMap>> byApp,
            Map<String, Long> appFreedAt,
            List<Sample> pending,
            Set<String> used,
            Map<String, Long> outOfSyncSince) {
        Set<String> busy = new HashSet<>();
        pending.forEach(p -> busy.add(app(p.target)));
        List<String> apps = new ArrayList<>(appFreedAt.keySet());
        apps.sort(Comparator.comparingLong(appFreedAt::get));
        for (String app : apps) {
            if (busy.contains(app)) {
                continue;
            }
            for (ConfigMap cm : byApp.get(app)) {
                if (!used.contains(key(cm)) && !outOfSyncSince.containsKey(key(cm))) {
                    return cm;
                }
            }
        }
        throw new IllegalStateException("no ConfigMap left in a free app that Argo CD shows in sync ("
                + outOfSyncSince.size() + " resources OutOfSync, " + used.size() + " changed): nothing to time on");
    }

    /**
     * The agent's open drifts of these ConfigMaps only (the list filtered on the agent, by kind and name); null when
     * the agent did not answer within the client's 10 s (counted, logged; the samples in flight keep waiting).
     */
    private static List<JsonNode> agentDrifts(int port, List<ConfigMap> targets) throws Exception {
        StringBuilder query = new StringBuilder("/api/v1/drifts?kind=ConfigMap");
        for (ConfigMap t : targets) {
            query.append("&name=").append(URLEncoder.encode(t.getMetadata().getName(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = AgentScaleBenchmark.get(port, query.toString());
        } catch (HttpTimeoutException e) {
            log("the agent did not answer %s within 10 s", query);
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the agent answered " + response.statusCode() + ": " + response.body());
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(response.body()).path("drifts").forEach(out::add);
        return out;
    }

    private static String app(HasMetadata o) {
        return o.getMetadata().getLabels().get("app.kubernetes.io/instance");
    }

    /**
     * Asks the agent about the awaited changes on a thread of its own, every 5 ms, as Argo CD's watch reports on the
     * client's threads: starting ten changes one after another (a query, then a patch, each) must not delay the
     * reading of the first. Before this thread the main loop polled between starts, and the first change of a burst
     * waited for the nine that followed it — 150–320 ms of the harness's time in driftwatch's figure.
     */
    private static final class DriftPoller implements AutoCloseable {
        private final int port;
        private final List<Sample> awaited = new CopyOnWriteArrayList<>();
        private final AtomicInteger timeouts = new AtomicInteger();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean running = true;

        DriftPoller(int port) {
            this.port = port;
            this.thread = new Thread(this::run, "drift-poller");
            thread.setDaemon(true);
            thread.start();
        }

        void await(Sample sample) {
            awaited.add(sample);
        }

        /** A change no longer awaited (timed out, then reverted): its value will never show. */
        void forget(Sample sample) {
            awaited.remove(sample);
        }

        int timeouts() {
            return timeouts.get();
        }

        /** The poller's error (the agent answered something other than 200), on the main thread. */
        void rethrowFailure() throws Exception {
            Exception e = failure.get();
            if (e != null) {
                throw e;
            }
        }

        private void run() {
            while (running) {
                try {
                    List<Sample> now = List.copyOf(awaited);
                    if (!now.isEmpty()) {
                        List<JsonNode> found = agentDrifts(
                                port, now.stream().map(p -> p.target).toList());
                        long at = System.nanoTime();
                        if (found == null) {
                            timeouts.incrementAndGet();
                        } else {
                            for (Sample p : now) {
                                if (found.stream().anyMatch(p::reportedBy)) {
                                    p.driftwatchMs = (at - p.t0) / 1e6;
                                    awaited.remove(p);
                                }
                            }
                        }
                    }
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(10_000);
        }
    }

    /** One out-of-band change in flight: its object, the value it wrote, when, and when each tool reported it. */
    private static final class Sample {
        final int index;
        final ConfigMap target;
        final String marker;
        final Boolean hadDrift;
        final long t0;
        volatile double driftwatchMs = Double.NaN; // set by the DriftPoller's thread
        double argocdMs = Double.NaN;

        Sample(int index, ConfigMap target, String marker, Boolean hadDrift, long t0) {
            this.index = index;
            this.target = target;
            this.marker = marker;
            this.hadDrift = hadDrift;
            this.t0 = t0;
        }

        /** Whether the agent's drift is of this object and carries this change's value. */
        boolean reportedBy(JsonNode drift) {
            if (!drift.path("namespace").asText().equals(target.getMetadata().getNamespace())
                    || !drift.path("name").asText().equals(target.getMetadata().getName())) {
                return false;
            }
            // the value as a JSON string anywhere in the changes (a changed value, or inside a changed map)
            return drift.path("changes")
                    .toString()
                    .contains(JSON.valueToTree(marker).toString());
        }

        Map<String, Object> describe(long phase) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("object", key(target));
            d.put("app", app(target));
            d.put("startedSeconds", (t0 - phase) / 1e9);
            d.put("driftwatchMs", Double.isNaN(driftwatchMs) ? null : driftwatchMs);
            d.put("argocdMs", Double.isNaN(argocdMs) ? null : argocdMs);
            d.put("driftwatchHadOpenDriftBefore", hadDrift);
            return d;
        }
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
