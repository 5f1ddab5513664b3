package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.FluxApps;
import io.driftwatch.testing.FluxControllers;
import io.driftwatch.testing.GitHttpServer;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * driftwatch beside Flux's own {@code flux diff kustomization}, on the same real cluster (kube-apiserver with its
 * controllers), the same real Flux (source-controller and kustomize-controller, see FluxControllers), the same
 * Kustomizations and the same out-of-band changes. A local Git server ({@code git http-backend}) holds three apps Flux
 * reconciles: {@code plain} (plain YAML, no kustomization.yaml), {@code overlay} (a base and an overlay with a replicas
 * patch, plus the Kustomization's own {@code images} and {@code patches}) and {@code postbuild} ({@code
 * postBuild.substitute} and {@code substituteFrom}). Once Flux applied all three, these changes are made with kubectl:
 * <ul>
 *   <li>plain: {@code kubectl patch} of a field Flux wrote ({@code data.color} of a ConfigMap);
 *   <li>overlay: {@code kubectl scale} of the Deployment (a field Flux's patch sets) and {@code kubectl label} of a
 *       ConfigMap with a label Flux never wrote;
 *   <li>postbuild: {@code kubectl patch} of a substituted value, {@code kubectl annotate} with an annotation Flux never
 *       wrote, and {@code kubectl delete} of one of its ConfigMaps.
 * </ul>
 * The Kustomizations' and the GitRepository's intervals are an hour, so Flux does not undo them during the runs. Then,
 * N times in turn for each Kustomization: {@code driftwatch diff --flux-kustomization flux-system/NAME -o json} and
 * {@code flux diff kustomization NAME --path <checkout>/<path> --progress-bar=false}, each under GNU time (wall, CPU
 * with children, peak RSS). Each command runs once first, unmeasured in the figures, and its output is kept as the
 * verdict ({@code verdicts} in out.json: driftwatch's objects and fields with cause and manager; the objects and
 * paths flux diff printed, and its whole output). Both must exit 1 (drift found).
 *
 * <pre>java -cp ... io.driftwatch.bench.FluxDiffBenchmark LAUNCHER FLUX_CLI RUNS out.json [figures.jsonl]</pre>
 * bench/run-flux-diff.sh runs it. Figures: {@code flux.<kustomization>.<driftwatch|flux>_<wall|cpu|rss>} (medians).
 */
public final class FluxDiffBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLUX = Duration.ofMinutes(5);
    private static final String NS = FluxControllers.NAMESPACE;
    private static final List<String> KUSTOMIZATIONS = List.of("plain", "overlay", "postbuild");
    private static final Map<String, String> PATHS =
            Map.of("plain", "plain", "overlay", "overlay/prod", "postbuild", "postbuild");

    private FluxDiffBenchmark() {}

    public static void main(String[] args) {
        try {
            measure(args);
            System.exit(0);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1); // the cluster's client threads would keep a failed run alive
        }
    }

    private static void measure(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException(
                    "usage: FluxDiffBenchmark LAUNCHER FLUX_CLI RUNS out.json [figures.jsonl]" + " (got "
                            + List.of(args) + ")");
        }
        Path launcher = Path.of(args[0]).toAbsolutePath();
        Path fluxCli = Path.of(args[1]).toAbsolutePath();
        int runs = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        Path figuresFile = args.length > 4 ? Path.of(args[4]) : null;
        Path work = Files.createTempDirectory("driftwatch-flux-bench-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(work), "flux-bench-cleanup"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("runs", runs);
        result.put("fluxCli", version(fluxCli, work));
        BenchFigures figures = new BenchFigures();
        GitRepoFixture repo = repository(work.resolve("git").resolve("apps"));
        String auth = "Basic " + Base64.getEncoder().encodeToString("flux:bench".getBytes(StandardCharsets.UTF_8));
        try (LocalKubeCluster cluster = LocalKubeCluster.start();
                GitHttpServer git = new GitHttpServer(work.resolve("git"), auth);
                FluxControllers flux = FluxControllers.start(cluster, Files.createDirectories(work.resolve("flux")))) {
            setUp(cluster, git, repo, work);
            awaitApplied(cluster, repo.head(), flux);
            driftOutOfBand(new Kubectl(cluster));
            Map<String, String> env = Map.of("KUBECONFIG", cluster.kubeconfig().toString());
            Map<String, List<String>> commands = new LinkedHashMap<>();
            for (String k : KUSTOMIZATIONS) {
                commands.put(
                        k + ".driftwatch",
                        List.of(launcher.toString(), "diff", "--flux-kustomization", NS + "/" + k, "-o", "json"));
                commands.put(
                        k + ".flux",
                        List.of(
                                fluxCli.toString(),
                                "diff",
                                "kustomization",
                                k,
                                "-n",
                                NS,
                                "--path",
                                repo.dir().resolve(PATHS.get(k)).toString(),
                                "--progress-bar=false"));
            }
            Map<String, Object> verdicts = new LinkedHashMap<>();
            Map<String, CliBenchmark.Sample> first = new LinkedHashMap<>();
            for (var c : commands.entrySet()) { // unmeasured: fills caches; its output is the verdict
                CliBenchmark.Sample s = checked(c.getKey(), c.getValue(), env, work);
                first.put(c.getKey(), s);
                String output = Files.readString(work.resolve("last.out"), StandardCharsets.UTF_8);
                verdicts.put(
                        c.getKey(), c.getKey().endsWith(".flux") ? fluxVerdict(output) : driftwatchVerdict(output));
                log("first run %s: %s", c.getKey(), s);
            }
            result.put("verdicts", verdicts);
            result.put("firstRun", first);
            Map<String, List<CliBenchmark.Sample>> samples = new LinkedHashMap<>();
            for (int r = 1; r <= runs; r++) {
                for (var c : commands.entrySet()) { // driftwatch, then flux, on the same Kustomization, in turn
                    CliBenchmark.Sample s = checked(c.getKey(), c.getValue(), env, work);
                    samples.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(s);
                    log("run %d %s: %.2f s wall, %.2f s CPU, %.0f MiB", r, c.getKey(), s.wall(), s.cpu(), s.rssMiB());
                }
            }
            for (var e : samples.entrySet()) {
                List<CliBenchmark.Sample> list = e.getValue();
                Stats wall =
                        Stats.of(list.stream().map(CliBenchmark.Sample::wall).toList());
                Stats cpu = Stats.of(list.stream().map(CliBenchmark.Sample::cpu).toList());
                Stats rss =
                        Stats.of(list.stream().map(CliBenchmark.Sample::rssMiB).toList());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("wallSeconds", Map.of("min", wall.min(), "median", wall.median(), "max", wall.max()));
                row.put("cpuSeconds", Map.of("min", cpu.min(), "median", cpu.median(), "max", cpu.max()));
                row.put("peakRssMiB", Map.of("min", rss.min(), "median", rss.median(), "max", rss.max()));
                result.put(e.getKey(), row);
                String[] key = e.getKey().split("\\.");
                String prefix = "flux." + key[0] + "." + key[1];
                figures.add(prefix + "_wall", "s", wall.median());
                figures.add(prefix + "_cpu", "s", cpu.median());
                figures.add(prefix + "_rss", "MiB", rss.median());
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
        if (figuresFile != null) {
            figures.write(figuresFile);
        }
        log("results in %s", out);
    }

    /** A diff must find the drift made above and exit 1, for both tools. */
    private static CliBenchmark.Sample checked(String key, List<String> command, Map<String, String> env, Path work)
            throws Exception {
        CliBenchmark.Sample s = CliBenchmark.time(command, env, work);
        if (s.exit() != 1) {
            throw new IllegalStateException(key + ": " + command + " exited " + s.exit() + ", expected 1 (drift): "
                    + Files.readString(work.resolve("last.out"), StandardCharsets.UTF_8));
        }
        return s;
    }

    private static String version(Path fluxCli, Path work) throws Exception {
        CliBenchmark.Sample s = CliBenchmark.time(List.of(fluxCli.toString(), "version", "--client"), Map.of(), work);
        if (s.exit() != 0) {
            throw new IllegalStateException(fluxCli + " version --client exited " + s.exit());
        }
        return Files.readString(work.resolve("last.out"), StandardCharsets.UTF_8)
                .strip();
    }

    /** driftwatch's verdict: per drifted object, its fields with cause and manager (from {@code -o json}). */
    static Map<String, List<String>> driftwatchVerdict(String output) throws IOException {
        JsonNode report = JSON.readTree(output.substring(output.indexOf('{')));
        Map<String, List<String>> verdict = new LinkedHashMap<>();
        for (JsonNode drift : report.path("drifts")) {
            String object =
                    drift.path("kind").asText() + "/" + drift.path("namespace").asText() + "/"
                            + drift.path("name").asText();
            List<String> fields = new ArrayList<>();
            if (drift.path("changes").isEmpty()) {
                fields.add("(" + drift.path("type").asText(drift.path("status").asText("?")) + ")");
            }
            for (JsonNode change : drift.path("changes")) {
                fields.add(change.path("field").asText() + " ["
                        + change.path("cause").asText() + ", "
                        + change.path("manager").asText() + "]");
            }
            verdict.put(object, fields);
        }
        return verdict;
    }

    /**
     * flux diff's verdict: the objects it names ({@code ► Kind/ns/name drifted|created|deleted}) and under each the
     * paths dyff prints (a path line is followed by dyff's {@code ±} line), and its whole output (colours removed).
     */
    static Map<String, Object> fluxVerdict(String output) {
        Map<String, List<String>> objects = new LinkedHashMap<>();
        List<String> current = null;
        List<String> lines = output.replaceAll("\u001B\\[[;0-9]*m", "")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("► ")) {
                current = new ArrayList<>();
                objects.put(line.substring(2).strip(), current);
            } else if (current != null
                    && i + 1 < lines.size()
                    && lines.get(i + 1).startsWith("±")) {
                current.add(line);
            }
        }
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("objects", objects);
        verdict.put("output", output.replaceAll("\u001B\\[[;0-9]*m", ""));
        return verdict;
    }

    private static GitRepoFixture repository(Path dir) {
        GitRepoFixture repo = GitRepoFixture.init(dir);
        repo.write("plain/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fd-plain\n");
        repo.write("plain/config.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: plain-config
                  namespace: fd-plain
                data:
                  color: blue
                """);
        repo.write("overlay/base/kustomization.yaml", "resources: [deployment.yaml, settings.yaml]\n");
        repo.write("overlay/base/deployment.yaml", FluxApps.WEB_DEPLOYMENT);
        repo.write("overlay/base/settings.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  mode: production
                """);
        repo.write("overlay/prod/kustomization.yaml", FluxApps.replicasPatched("[../base]"));
        repo.write("postbuild/config.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cluster-settings
                  namespace: fd-postbuild
                data:
                  cluster: ${cluster}
                  tier: ${tier}
                  region: ${region:=eu-west-1}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cluster-extra
                  namespace: fd-postbuild
                data:
                  owner: ${owner}
                """);
        repo.commit("apps");
        return repo;
    }

    private static void setUp(LocalKubeCluster cluster, GitHttpServer git, GitRepoFixture repo, Path work)
            throws IOException {
        Kubectl kubectl = new Kubectl(cluster);
        for (String ns : List.of("fd-overlay", "fd-postbuild")) {
            kubectl.run("create", "namespace", ns);
        }
        kubectl.run(
                "-n",
                NS,
                "create",
                "secret",
                "generic",
                "git-auth",
                "--from-literal=username=flux",
                "--from-literal=password=bench");
        kubectl.run(
                "-n",
                NS,
                "create",
                "configmap",
                "cluster-vars",
                "--from-literal=cluster=prod-1",
                "--from-literal=owner=shop");
        String kustomization = """
                ---
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: %s, namespace: flux-system}
                spec:
                  interval: 1h
                  retryInterval: 10s
                  path: ./%s
                  prune: true
                  sourceRef: {kind: GitRepository, name: apps}
                %s""";
        String yaml = """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: apps, namespace: flux-system}
                spec:
                  interval: 1h
                  url: %s
                  ref: {branch: main}
                  secretRef: {name: git-auth}
                """.formatted(git.url("apps"))
                + kustomization.formatted("plain", PATHS.get("plain"), "")
                + kustomization.formatted("overlay", PATHS.get("overlay"), """
                          targetNamespace: fd-overlay
                          namePrefix: shop-
                          images:
                          - name: nginx
                            newTag: "1.27"
                          patches:
                          - target: {kind: ConfigMap, name: settings}
                            patch: |
                              - op: add
                                path: /data/patched
                                value: "yes"
                        """)
                + kustomization.formatted("postbuild", PATHS.get("postbuild"), """
                          postBuild:
                            substitute: {tier: gold}
                            substituteFrom:
                            - kind: ConfigMap
                              name: cluster-vars
                        """);
        Path file = Files.writeString(work.resolve("flux.yaml"), yaml);
        kubectl.run("apply", "--server-side", "--field-manager=bench-setup", "-f", file.toString());
    }

    private static void awaitApplied(LocalKubeCluster cluster, String commit, FluxControllers flux) {
        var client = cluster.adminClient();
        for (String k : KUSTOMIZATIONS) {
            Eventually.await(
                    "Flux applied " + k + " at " + commit,
                    FLUX,
                    () -> {
                        var found = client.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization")
                                .inNamespace(NS)
                                .withName(k)
                                .get();
                        return found != null
                                && client.getKubernetesSerialization()
                                        .convertValue(found, JsonNode.class)
                                        .path("status")
                                        .path("lastAppliedRevision")
                                        .asText()
                                        .endsWith(commit);
                    },
                    flux::logs);
        }
        log("Flux applied %s at %s", KUSTOMIZATIONS, commit);
    }

    private static void driftOutOfBand(Kubectl kubectl) {
        kubectl.run("-n", "fd-plain", "patch", "configmap", "plain-config", "-p", "{\"data\":{\"color\":\"red\"}}");
        kubectl.run("-n", "fd-overlay", "scale", "deployment/shop-web", "--replicas=5");
        kubectl.run("-n", "fd-overlay", "label", "configmap/shop-settings", "owner=someone");
        kubectl.run(
                "-n",
                "fd-postbuild",
                "patch",
                "configmap",
                "cluster-settings",
                "-p",
                "{\"data\":{\"tier\":\"silver\"}}");
        kubectl.run("-n", "fd-postbuild", "annotate", "configmap/cluster-settings", "note=by-hand");
        kubectl.run("-n", "fd-postbuild", "delete", "configmap", "cluster-extra");
        log("out-of-band changes made");
    }

    private static void log(String format, Object... args) {
        System.err.printf("[flux] %s %s%n", Instant.now(), String.format(format, args));
    }

    private static void delete(Path dir) {
        try {
            AgentScaleBenchmark.deleteRecursively(dir);
        } catch (IOException e) {
            System.err.println("[flux] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
