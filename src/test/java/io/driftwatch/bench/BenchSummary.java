package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The summary of one bench/run-all.sh run. A results directory holds {@code machine.json} (written by
 * {@code machine}) and one {@code runs/<id>/} per benchmark run with {@code run.json} (id, benchmark, repeat, status,
 * seconds, load average before and after; written by run-all.sh) and {@code figures.jsonl} ({@link BenchFigures}).
 * {@code summarize} groups the figures of the successful runs by name and writes {@code summary.json} and
 * {@code summary.md}: every run's value, min, median and max, and whether the median meets the figure's target
 * ({@link #TARGETS}, the claims). Usage:
 * <pre>
 * BenchSummary machine &lt;machine.json&gt; [key=value...]   # machine description plus the run's parameters
 * BenchSummary summarize &lt;results-dir&gt;                  # exit 0: all ran, all targets met; 1: a run failed;
 *                                                         # 3: a target missed
 * </pre>
 */
public final class BenchSummary {

    /** A claim a figure is held to: {@code value op bound}, judged on the median over runs. */
    record Target(Pattern figure, boolean atMost, double bound, String claim) {

        static Target atMost(String figure, double bound, String claim) {
            return new Target(Pattern.compile(figure), true, bound, claim);
        }

        static Target atLeast(String figure, double bound, String claim) {
            return new Target(Pattern.compile(figure), false, bound, claim);
        }

        boolean met(double value) {
            return atMost ? value <= bound : value >= bound;
        }

        String text() {
            return (atMost ? "≤ " : "≥ ") + number(bound);
        }
    }

    /** The targets of issues #9 and #20, by figure name; a figure no target matches is reported without pass/fail. */
    static final List<Target> TARGETS = List.of(
            Target.atMost("diff\\.[A-Z]+\\.engine_vs_parse", 3, "diff within 3× of parsing"),
            Target.atMost("scale\\.\\d+\\.detection_p99", 1000, "detection p99 ≤ 1 s"),
            Target.atMost("scale\\.50000\\.heap_after_gc", 300, "≤ 300 MiB heap at 50k objects"),
            Target.atMost("scale\\.50000\\.time_to_ready", 30, "initial sync + full diff of 50k objects ≤ 30 s"),
            Target.atMost("scale\\.\\d+\\.idle_cpu", 2, "steady idle CPU ≤ 2 % of a core"),
            Target.atLeast("hub\\.[a-z]+\\.saturation_throughput", 5000, "hub ≥ 5,000 events/s"),
            Target.atMost("hub\\.[a-z]+\\.paced_p99", 50, "hub p99 ≤ 50 ms at 5,000 events/s"),
            Target.atLeast("hub\\.[a-z]+\\.stored_events", 100_000, "queries measured at ≥ 100k stored events"),
            Target.atMost("cli\\.\\d+\\.wall_ratio", 1, "driftwatch diff as fast as kubectl diff (median wall)"),
            Target.atMost("cli\\.\\d+\\.cpu_ratio", 1, "driftwatch diff as cheap as kubectl diff (median CPU)"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BENCHMARK_ORDER = List.of("diff", "scale", "hub", "cli");

    private BenchSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("machine")) {
            writeMachine(Path.of(args[1]), List.of(args).subList(2, args.length));
            return;
        }
        if (args.length == 2 && args[0].equals("summarize")) {
            Result result = summarize(Path.of(args[1]));
            System.out.print(result.markdown());
            System.exit(result.exitCode());
        }
        System.err.println("usage: BenchSummary machine <machine.json> [key=value...] | summarize <results-dir>");
        System.exit(2);
    }

    /** The machine the benchmarks run on, plus the run's parameters given as key=value. */
    static void writeMachine(Path file, List<String> parameters) throws IOException {
        ObjectNode machine = JSON.createObjectNode();
        machine.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        machine.put("cpuModel", procField("/proc/cpuinfo", "model name").orElse("unknown"));
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put(
                "memoryMiB",
                procField("/proc/meminfo", "MemTotal")
                        .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024)
                        .orElse(-1L));
        machine.put(
                "kernel",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        machine.put("os", osRelease());
        machine.put(
                "jdk",
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"));
        machine.put(
                "loadAverage",
                Files.exists(Path.of("/proc/loadavg"))
                        ? String.join(
                                " ",
                                List.of(Files.readString(Path.of("/proc/loadavg"))
                                                .trim()
                                                .split(" "))
                                        .subList(0, 3))
                        : "unknown");
        ObjectNode params = machine.putObject("parameters");
        for (String p : parameters) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("parameter '" + p + "' is not key=value");
            }
            params.put(p.substring(0, eq), p.substring(eq + 1));
        }
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(machine) + "\n");
    }

    /** What {@link #summarize} wrote. */
    record Result(ObjectNode json, String markdown, int exitCode) {}

    /** Reads a results directory, writes summary.json and summary.md into it. */
    static Result summarize(Path dir) throws IOException {
        JsonNode machine = readJson(dir.resolve("machine.json"));
        List<JsonNode> runs = new ArrayList<>();
        Path runsDir = dir.resolve("runs");
        if (Files.isDirectory(runsDir)) {
            try (Stream<Path> list = Files.list(runsDir)) {
                for (Path run : list.filter(Files::isDirectory).sorted().toList()) {
                    ObjectNode meta = (ObjectNode) readJson(run.resolve("run.json"));
                    meta.put("dir", run.getFileName().toString());
                    runs.add(meta);
                }
            }
        }
        runs.sort(Comparator.comparingInt((JsonNode r) -> r.path("repeat").asInt())
                .thenComparingInt(r ->
                        Math.max(0, BENCHMARK_ORDER.indexOf(r.path("benchmark").asText())))
                .thenComparing(r -> r.path("started").asText()));

        Map<String, FigureRuns> figures = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            Path file = runsDir.resolve(run.get("dir").asText()).resolve("figures.jsonl");
            if (!run.path("status").asText().equals("ok") || !Files.exists(file)) {
                continue;
            }
            for (BenchFigures.Figure f : BenchFigures.read(file)) {
                FigureRuns fr = figures.computeIfAbsent(f.name(), n -> new FigureRuns(f.name(), f.unit()));
                if (!fr.unit.equals(f.unit())) {
                    throw new IOException("figure " + f.name() + " has unit " + f.unit() + " in run "
                            + run.path("id").asText() + " but " + fr.unit + " in an earlier run");
                }
                if (fr.values.containsKey(run.path("id").asText())) {
                    throw new IOException("figure " + f.name() + " appears twice in " + file);
                }
                fr.values.put(run.path("id").asText(), f.value());
            }
        }
        List<FigureRuns> ordered = new ArrayList<>(figures.values());
        ordered.sort(Comparator.comparingInt((FigureRuns f) ->
                Math.max(0, BENCHMARK_ORDER.indexOf(f.name.substring(0, Math.max(0, f.name.indexOf('.')))))));

        ObjectNode json = JSON.createObjectNode();
        json.set("machine", machine);
        ArrayNode runsJson = json.putArray("runs");
        runs.forEach(r -> runsJson.add(((ObjectNode) r.deepCopy()).without("dir")));
        ArrayNode figuresJson = json.putArray("figures");
        int met = 0;
        int missed = 0;
        for (FigureRuns f : ordered) {
            ObjectNode node = f.toJson();
            figuresJson.add(node);
            if (node.path("pass").isBoolean()) {
                if (node.get("pass").asBoolean()) {
                    met++;
                } else {
                    missed++;
                }
            }
        }
        long failed = runs.stream()
                .filter(r -> !r.path("status").asText().equals("ok"))
                .count();
        ObjectNode outcome = json.putObject("outcome");
        outcome.put("runs", runs.size())
                .put("runsFailed", failed)
                .put("targetsMet", met)
                .put("targetsMissed", missed);
        String markdown = markdown(dir, machine, runs, ordered, outcome);
        Files.writeString(
                dir.resolve("summary.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        Files.writeString(dir.resolve("summary.md"), markdown);
        int exit = failed > 0 || runs.isEmpty() ? 1 : missed > 0 ? 3 : 0;
        return new Result(json, markdown, exit);
    }

    /** One figure's values over the runs, in run order. */
    private static final class FigureRuns {
        final String name;
        final String unit;
        final Map<String, Double> values = new LinkedHashMap<>();

        FigureRuns(String name, String unit) {
            this.name = name;
            this.unit = unit;
        }

        Optional<Target> target() {
            return TARGETS.stream()
                    .filter(t -> t.figure().matcher(name).matches())
                    .findFirst();
        }

        List<Double> measured() {
            return values.values().stream().filter(v -> v != null).toList();
        }

        ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode().put("name", name).put("unit", unit);
            Optional<Target> target = target();
            if (target.isPresent()) {
                node.putObject("target")
                        .put("op", target.get().atMost() ? "<=" : ">=")
                        .put("value", target.get().bound())
                        .put("claim", target.get().claim());
            } else {
                node.putNull("target");
            }
            ArrayNode runs = node.putArray("runs");
            values.forEach((run, value) -> runs.addObject().put("run", run).put("value", value));
            List<Double> measured = measured();
            if (measured.isEmpty()) {
                node.putNull("min").putNull("median").putNull("max").putNull("pass");
                node.put("runsMeetingTarget", 0);
                return node;
            }
            Stats stats = Stats.of(measured);
            node.put("min", stats.min()).put("median", stats.median()).put("max", stats.max());
            if (target.isPresent()) {
                node.put("pass", target.get().met(stats.median()));
                node.put(
                        "runsMeetingTarget",
                        measured.stream().filter(v -> target.get().met(v)).count());
            } else {
                node.putNull("pass");
                node.putNull("runsMeetingTarget");
            }
            return node;
        }
    }

    private static String markdown(
            Path dir, JsonNode machine, List<JsonNode> runs, List<FigureRuns> figures, JsonNode outcome) {
        StringBuilder md = new StringBuilder();
        JsonNode params = machine.path("parameters");
        md.append("# Benchmark summary: ").append(dir.getFileName()).append("\n\n");
        if (params.path("mode").asText().equals("quick")) {
            md.append("**Quick mode**: small sizes and few iterations, to check the harness works. These figures are "
                    + "not comparable with the targets.\n\n");
        }
        if (params.has("command")) {
            md.append("Command: `").append(params.get("command").asText()).append("`");
            if (params.has("commit")) {
                md.append(", commit `")
                        .append(params.get("commit").asText())
                        .append('`')
                        .append(params.path("dirty").asText().equals("true") ? " (with uncommitted changes)" : "");
            }
            md.append(".\n\n");
        }
        md.append("## Machine\n\n| | |\n| --- | --- |\n");
        for (String key : List.of("cpuModel", "cpus", "memoryMiB", "kernel", "os", "jdk", "loadAverage", "time")) {
            md.append("| ")
                    .append(key)
                    .append(" | ")
                    .append(machine.path(key).asText())
                    .append(" |\n");
        }
        md.append("\n## Runs\n\n| run | benchmark | repeat | status | duration | load average before → after |\n")
                .append("| --- | --- | ---: | --- | ---: | --- |\n");
        for (JsonNode r : runs) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %s | %d s | %s → %s |%n",
                    r.path("id").asText(),
                    r.path("benchmark").asText(),
                    r.path("repeat").asInt(),
                    r.path("status").asText(),
                    r.path("seconds").asLong(),
                    r.path("loadBefore").asText(),
                    r.path("loadAfter").asText()));
        }
        md.append(
                        "\n## Figures\n\nOver the successful runs; a target is judged on the median, \"runs\" counts the runs "
                                + "that met it on their own.\n\n")
                .append("| figure | unit | target | n | min | median | max | met | runs |\n")
                .append("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |\n");
        for (FigureRuns f : figures) {
            ObjectNode node = f.toJson();
            List<Double> measured = f.measured();
            md.append("| ")
                    .append(f.name)
                    .append(" | ")
                    .append(f.unit)
                    .append(" | ")
                    .append(f.target().map(Target::text).orElse(""))
                    .append(" | ")
                    .append(measured.size());
            for (String k : List.of("min", "median", "max")) {
                md.append(" | ")
                        .append(node.get(k).isNull() ? "–" : number(node.get(k).asDouble()));
            }
            String pass = node.get("pass").isNull() ? "" : node.get("pass").asBoolean() ? "yes" : "**no**";
            String count = node.get("runsMeetingTarget").isNull()
                    ? ""
                    : node.get("runsMeetingTarget").asInt() + "/" + measured.size();
            md.append(" | ").append(pass).append(" | ").append(count).append(" |\n");
        }
        md.append(String.format(
                Locale.ROOT,
                "%n%d runs, %d failed; targets met: %d, missed: %d.%n",
                outcome.path("runs").asInt(),
                outcome.path("runsFailed").asInt(),
                outcome.path("targetsMet").asInt(),
                outcome.path("targetsMissed").asInt()));
        return md.toString();
    }

    static String number(double v) {
        double a = Math.abs(v);
        String format = a >= 100 || v == Math.rint(v) ? "%,.0f" : a >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, format, v);
    }

    private static JsonNode readJson(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("missing " + file);
        }
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The value of the first {@code field: value} line of a /proc file. */
    private static Optional<String> procField(String file, String field) throws IOException {
        return firstLine(file, field + "\\s*:.*")
                .map(l -> l.substring(l.indexOf(':') + 1).trim());
    }

    private static String osRelease() throws IOException {
        return firstLine("/etc/os-release", "PRETTY_NAME=.*")
                .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", ""))
                .orElse(System.getProperty("os.name"));
    }

    private static Optional<String> firstLine(String file, String regex) throws IOException {
        Path path = Path.of(file);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        return Files.readAllLines(path).stream().filter(l -> l.matches(regex)).findFirst();
    }
}
