package io.driftwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.driftwatch.localkube.LocalKubeCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one-shot CLI beside {@code kubectl diff}, on the same directory and the same real kube-apiserver (with its
 * controllers), in one run. For each size a directory of that many objects (a Namespace per 250 objects, then
 * ConfigMaps, Secrets, Services and Deployments in turn) is written and applied with {@code kubectl apply}; one
 * ConfigMap per namespace is then changed out of band ({@code kubectl patch}), so both tools see the same drift and
 * both exit 1 (a run that exits otherwise fails the benchmark). Then, N times in turn: {@code driftwatch diff --dir D}
 * and {@code kubectl diff -R -f D}; and {@code driftwatch version} beside {@code kubectl version --client}. Each run is
 * measured by GNU time: wall, CPU (user + system, children included: kubectl's external diff) and peak RSS. Every
 * command runs once first, unmeasured in the figures (reported as {@code firstRun}): it fills each tool's caches
 * (kubectl's discovery and OpenAPI cache, driftwatch's OpenAPI documents and class-data archive).
 * {@code -Ddriftwatch.bench.baseline=LAUNCHER} adds another driftwatch launcher (e.g. an earlier build) to the
 * rotation, as {@code <size>.baseline}.
 *
 * <pre>java -cp target/test-classes:target/driftwatch.jar io.driftwatch.bench.CliBenchmark LAUNCHER KUBECTL SIZES RUNS
 *     out.json [figures.jsonl]</pre>
 * e.g. {@code target/driftwatch $DRIFTWATCH_KUBECTL 25,1000 5 cli.json}; bench/run-cli.sh runs it. Figures:
 * {@code cli.<size>.<tool>_<wall|cpu|rss>} (median; min and max in out.json), {@code cli.<size>.wall_ratio} and
 * {@code cpu_ratio}, the driftwatch median over kubectl's (at most 1: as fast as kubectl diff). The load average is
 * recorded before the first round and after each ({@code loadAverageBeforeAndAfterEachRound}). With {@code -Ddriftwatch.bench.hold=true}
 * it sets up the cluster and directories, prints them and waits for Enter (to profile by hand).
 */
public final class CliBenchmark {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_NAMESPACE = 250;
    private static final String TIME = "/usr/bin/time";
    /** GNU time's format: elapsed seconds, user seconds, system seconds, peak RSS in KiB. */
    private static final String TIME_FORMAT = "%e %U %S %M";

    private CliBenchmark() {}

    /** One measured command run. */
    record Sample(double wall, double cpu, double rssMiB, int exit) {}

    public static void main(String[] args) {
        try {
            measure(args);
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // the cluster's client threads would keep a failed run alive
        }
    }

    private static void measure(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException(
                    "usage: CliBenchmark LAUNCHER KUBECTL SIZES RUNS out.json [figures.jsonl] (got " + List.of(args)
                            + ")");
        }
        Path launcher = Path.of(args[0]).toAbsolutePath();
        String kubectl = args[1];
        List<Integer> sizes =
                List.of(args[2].split(",")).stream().map(Integer::parseInt).toList();
        int runs = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        Path figuresFile = args.length > 5 ? Path.of(args[5]) : null;
        if (!Files.isExecutable(Path.of(TIME))) {
            throw new IllegalStateException(TIME + " (GNU time) is needed: apt-get install time");
        }
        Path work = Files.createTempDirectory("driftwatch-cli-bench-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(work), "cli-bench-cleanup"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("runs", runs);
        BenchFigures figures = new BenchFigures();
        try (LocalKubeCluster cluster = LocalKubeCluster.start()) {
            Map<String, String> env = Map.of("KUBECONFIG", cluster.kubeconfig().toString());
            Map<Integer, Path> dirs = new LinkedHashMap<>();
            for (int size : sizes) {
                Path dir = work.resolve("objects-" + size);
                write(dir, size);
                setUp(kubectl, dir, size, env, work);
                dirs.put(size, dir);
            }
            if (Boolean.getBoolean("driftwatch.bench.hold")) {
                log("KUBECONFIG=%s; directories %s; press Enter to stop", cluster.kubeconfig(), dirs.values());
                System.in.read();
                return;
            }
            Map<String, List<String>> commands = new LinkedHashMap<>();
            String baseline = System.getProperty("driftwatch.bench.baseline", "");
            for (var e : dirs.entrySet()) {
                String dir = e.getValue().toString();
                commands.put(
                        e.getKey() + ".driftwatch", List.of(launcher.toString(), "diff", "--dir", dir, "--no-color"));
                if (!baseline.isBlank()) {
                    commands.put(e.getKey() + ".baseline", List.of(baseline, "diff", "--dir", dir, "--no-color"));
                }
                commands.put(e.getKey() + ".kubectl", List.of(kubectl, "diff", "-R", "-f", dir));
            }
            commands.put("version.driftwatch", List.of(launcher.toString(), "version"));
            if (!baseline.isBlank()) {
                commands.put("version.baseline", List.of(baseline, "version"));
            }
            commands.put("version.kubectl", List.of(kubectl, "version", "--client"));
            Map<String, Sample> first = new LinkedHashMap<>();
            for (var c : commands.entrySet()) { // fills each tool's caches; reported apart, not in the figures
                first.put(c.getKey(), checked(c.getKey(), c.getValue(), env, work));
                log("first run %s: %s", c.getKey(), first.get(c.getKey()));
            }
            result.put("firstRun", first);
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            List<String> loadAverages = new ArrayList<>(List.of(loadAverage()));
            for (int r = 1; r <= runs; r++) {
                for (var c : commands.entrySet()) { // driftwatch, then kubectl, on the same directory, in turn
                    Sample s = checked(c.getKey(), c.getValue(), env, work);
                    samples.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(s);
                    log("run %d %s: %.2f s wall, %.2f s CPU, %.0f MiB", r, c.getKey(), s.wall(), s.cpu(), s.rssMiB());
                }
                loadAverages.add(loadAverage());
                log("after round %d: load average %s", r, loadAverages.get(loadAverages.size() - 1));
            }
            result.put("loadAverageBeforeAndAfterEachRound", loadAverages);
            summarize(samples, result, figures);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
        if (figuresFile != null) {
            figures.write(figuresFile);
        }
        log("results in %s", out);
    }

    /** One timed run of {@code command}; a diff must exit 1 (the drift), {@code version} 0. */
    private static Sample checked(String key, List<String> command, Map<String, String> env, Path work)
            throws Exception {
        Sample s = time(command, env, work);
        int expected = key.startsWith("version") ? 0 : 1;
        if (s.exit() != expected) {
            throw new IllegalStateException(command + " exited " + s.exit() + ", expected " + expected
                    + " (same drift for both tools); its output is in " + work.resolve("last.out"));
        }
        return s;
    }

    private static void summarize(Map<String, List<Sample>> samples, Map<String, Object> result, BenchFigures figures) {
        Map<String, Double> medianWall = new LinkedHashMap<>();
        Map<String, Double> medianCpu = new LinkedHashMap<>();
        for (var e : samples.entrySet()) {
            String[] key = e.getKey().split("\\.");
            List<Sample> list = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            Stats wall = Stats.of(list.stream().map(Sample::wall).toList());
            Stats cpu = Stats.of(list.stream().map(Sample::cpu).toList());
            Stats rss = Stats.of(list.stream().map(Sample::rssMiB).toList());
            row.put("wallSeconds", stats(wall));
            row.put("cpuSeconds", stats(cpu));
            row.put("peakRssMiB", stats(rss));
            row.put("exit", list.get(0).exit());
            result.put(e.getKey(), row);
            String prefix = "cli." + key[0] + "." + key[1];
            figures.add(prefix + "_wall", "s", wall.median());
            figures.add(prefix + "_cpu", "s", cpu.median());
            figures.add(prefix + "_rss", "MiB", rss.median());
            medianWall.put(e.getKey(), wall.median());
            medianCpu.put(e.getKey(), cpu.median());
        }
        for (String size :
                samples.keySet().stream().map(k -> k.split("\\.")[0]).distinct().toList()) {
            double ratio = medianWall.get(size + ".driftwatch") / medianWall.get(size + ".kubectl");
            result.put(size + ".wallRatio", ratio);
            figures.add("cli." + size + ".wall_ratio", "×", ratio);
            double cpuRatio = medianCpu.get(size + ".driftwatch") / medianCpu.get(size + ".kubectl");
            result.put(size + ".cpuRatio", cpuRatio);
            figures.add("cli." + size + ".cpu_ratio", "×", cpuRatio);
        }
    }

    private static Map<String, Double> stats(Stats s) {
        return Map.of("min", s.min(), "median", s.median(), "max", s.max());
    }

    /** Runs a command under GNU time, output to work/last.out. */
    static Sample time(List<String> command, Map<String, String> env, Path work) throws Exception {
        Path timing = work.resolve("time.txt");
        List<String> full = new ArrayList<>(List.of(TIME, "-f", TIME_FORMAT, "-o", timing.toString()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("last.out").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end within 10 minutes");
        }
        List<String> lines = Files.readAllLines(timing, StandardCharsets.UTF_8);
        // GNU time writes "Command exited with non-zero status N" before the figures
        String[] f = lines.get(lines.size() - 1).trim().split(" ");
        return new Sample(
                Double.parseDouble(f[0]),
                Double.parseDouble(f[1]) + Double.parseDouble(f[2]),
                Double.parseDouble(f[3]) / 1024,
                p.exitValue());
    }

    /** Applies the directory with kubectl, then changes one ConfigMap per namespace out of band. */
    private static void setUp(String kubectl, Path dir, int size, Map<String, String> env, Path work) throws Exception {
        long t = System.nanoTime();
        run(List.of(kubectl, "apply", "-R", "-f", dir.toString()), env, work, 0);
        for (int n = 0; n < namespaces(size); n++) {
            run(
                    List.of(
                            kubectl,
                            "-n",
                            namespace(size, n),
                            "patch",
                            "configmap",
                            "config-" + n + "-0",
                            "--type=merge",
                            "-p",
                            "{\"data\":{\"mode\":\"changed-by-hand\"}}"),
                    env,
                    work,
                    0);
        }
        log("%d objects applied and drifted in %.1f s", size, (System.nanoTime() - t) / 1e9);
    }

    private static void run(List<String> command, Map<String, String> env, Path work, int expected) throws Exception {
        Sample s = time(command, env, work);
        if (s.exit() != expected) {
            throw new IllegalStateException(command + " exited " + s.exit() + ": "
                    + Files.readString(work.resolve("last.out")).strip());
        }
    }

    private static int namespaces(int size) {
        return (size + PER_NAMESPACE - 1) / PER_NAMESPACE;
    }

    private static String namespace(int size, int n) {
        return "cli-" + size + "-" + n;
    }

    /** size objects: per namespace the Namespace, then ConfigMap, Secret, Service, Deployment in turn. */
    static void write(Path dir, int size) throws IOException {
        Files.createDirectories(dir);
        int written = 0;
        for (int n = 0; written < size; n++) {
            String ns = namespace(size, n);
            Path nsDir = Files.createDirectories(dir.resolve(ns));
            List<ObjectNode> docs = new ArrayList<>();
            docs.add(object("v1", "Namespace", ns, null));
            for (int i = 0; docs.size() < PER_NAMESPACE && written + docs.size() < size; i++) {
                docs.add(
                        switch (i % 4) {
                            case 0 -> configMap(ns, n, i / 4);
                            case 1 -> secret(ns, i / 4);
                            case 2 -> service(ns, i / 4);
                            default -> deployment(ns, i / 4);
                        });
            }
            StringBuilder yaml = new StringBuilder();
            for (ObjectNode d : docs) {
                yaml.append("---\n").append(YAML.writeValueAsString(d));
            }
            Files.writeString(nsDir.resolve("objects.yaml"), yaml);
            written += docs.size();
        }
    }

    private static ObjectNode object(String apiVersion, String kind, String name, String ns) {
        ObjectNode o = JSON.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (ns != null) {
            meta.put("namespace", ns);
        }
        meta.putObject("labels").put("app.kubernetes.io/name", "shop").put("app.kubernetes.io/part-of", "cli-bench");
        return o;
    }

    private static ObjectNode configMap(String ns, int n, int i) {
        ObjectNode o = object("v1", "ConfigMap", "config-" + n + "-" + i, ns);
        ObjectNode data = o.putObject("data");
        data.put("mode", "production").put("replicas", String.valueOf(i % 5 + 1));
        data.put("settings.yaml", "server:\n  port: 8080\n  threads: " + (i % 16 + 4) + "\nfeature: on\n");
        return o;
    }

    private static ObjectNode secret(String ns, int i) {
        ObjectNode o = object("v1", "Secret", "secret-" + i, ns);
        o.put("type", "Opaque");
        o.putObject("stringData").put("password", "not-a-real-password-" + i);
        return o;
    }

    private static ObjectNode service(String ns, int i) {
        ObjectNode o = object("v1", "Service", "web-" + i, ns);
        ObjectNode spec = o.putObject("spec");
        spec.putObject("selector").put("app", "web-" + i);
        ObjectNode port = spec.putArray("ports").addObject();
        port.put("name", "http").put("port", 80).put("targetPort", 8080);
        return o;
    }

    private static ObjectNode deployment(String ns, int i) {
        ObjectNode o = object("apps/v1", "Deployment", "web-" + i, ns);
        ObjectNode spec = o.putObject("spec");
        spec.put("replicas", 1);
        spec.putObject("selector").putObject("matchLabels").put("app", "web-" + i);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", "web-" + i);
        ObjectNode container = template.putObject("spec").putArray("containers").addObject();
        container.put("name", "web").put("image", "registry.example.com/web:1." + i);
        container.putArray("ports").addObject().put("containerPort", 8080);
        ObjectNode resources = container.putObject("resources");
        resources.putObject("requests").put("cpu", "100m").put("memory", "128Mi");
        resources.putObject("limits").put("memory", "256Mi");
        container.putArray("env").addObject().put("name", "MODE").put("value", "production");
        return o;
    }

    /** The first three fields of /proc/loadavg (1, 5 and 15 minutes), or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf("[cli] %s %s%n", Instant.now(), String.format(format, args));
    }

    private static void delete(Path dir) {
        try {
            AgentScaleBenchmark.deleteRecursively(dir);
        } catch (IOException e) {
            System.err.println("[cli] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
