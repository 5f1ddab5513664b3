package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarises a JMH JSON result of {@link DiffBenchmark} as a Markdown table: per pair set, pairs/s of each benchmark as
 * median (min–max over every measured iteration of every fork), bytes allocated per pair, and the engine's cost relative
 * to parsing both sides (the target is ≤ 3×). Several result files (repeated runs) are pooled. With
 * {@code --figures}, also writes the same figures as {@link BenchFigures} (for bench/run-all.sh). Usage:
 * {@code DiffBenchSummary [--out <summary.md>] [--figures <figures.jsonl>] <result.json>...}.
 */
public final class DiffBenchSummary {

    static final double TARGET = 3.0;
    private static final List<String> ORDER =
            List.of("engineDiff", "engineParseAndDiff", "parseBoth", "zjsonpatchJsonDiff");

    private DiffBenchSummary() {}

    public static void main(String[] args) throws IOException {
        List<String> files = new ArrayList<>(List.of(args));
        Path out = null;
        Path figures = null;
        while (files.size() >= 2 && List.of("--out", "--figures").contains(files.get(0))) {
            if (files.get(0).equals("--out")) {
                out = Path.of(files.get(1));
            } else {
                figures = Path.of(files.get(1));
            }
            files = files.subList(2, files.size());
        }
        if (files.isEmpty()) {
            System.err.println("usage: DiffBenchSummary [--out <summary.md>] [--figures <figures.jsonl>] "
                    + "<jmh-result.json>...");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> results = new ArrayList<>();
        for (String f : files) {
            json.readTree(Path.of(f).toFile()).forEach(results::add);
        }
        Map<String, Map<String, Stats[]>> bySet = stats(results);
        String table = table(bySet, files.size());
        System.out.print(table);
        if (out != null) {
            Files.writeString(out, table);
        }
        if (figures != null) {
            figures(bySet).write(figures);
        }
    }

    /**
     * Per set: each benchmark's median pairs/s and allocation, and the engine's time per pair relative to parsing both
     * sides ({@code diff.<SET>.engine_vs_parse}, the figure the ≤ 3× target applies to).
     */
    static BenchFigures figures(Map<String, Map<String, Stats[]>> bySet) {
        BenchFigures figures = new BenchFigures();
        bySet.forEach((set, m) -> {
            for (String b : ORDER) {
                if (m.containsKey(b)) {
                    figures.add("diff." + set + "." + b, "pairs/s", m.get(b)[0].median());
                    if (m.get(b)[1] != null) {
                        figures.add("diff." + set + "." + b + ".alloc", "B/pair", m.get(b)[1].median());
                    }
                }
            }
            if (m.containsKey("parseBoth")) {
                double parse = m.get("parseBoth")[0].median();
                for (String[] ratio : List.of(
                        new String[] {"engine_vs_parse", "engineDiff"},
                        new String[] {"engine_parse_vs_parse", "engineParseAndDiff"},
                        new String[] {"jsondiff_vs_parse", "zjsonpatchJsonDiff"})) {
                    if (m.containsKey(ratio[1])) {
                        figures.add("diff." + set + "." + ratio[0], "×", parse / m.get(ratio[1])[0].median());
                    }
                }
            }
        });
        return figures;
    }

    /** set → benchmark → {throughput stats, allocation stats or null}. */
    static Map<String, Map<String, Stats[]>> stats(List<JsonNode> results) {
        // set -> benchmark -> samples of throughput, of allocation
        Map<String, Map<String, List<List<Double>>>> samples = new LinkedHashMap<>();
        for (JsonNode r : results) {
            String benchmark = r.path("benchmark").asText();
            benchmark = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String set = r.path("params").path("mix").asText("?");
            List<List<Double>> s = samples.computeIfAbsent(set, x -> new LinkedHashMap<>())
                    .computeIfAbsent(benchmark, x -> List.of(new ArrayList<>(), new ArrayList<>()));
            s.get(0).addAll(raw(r.path("primaryMetric")));
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
            if (!alloc.isMissingNode()) {
                s.get(1).addAll(raw(alloc));
            }
        }
        Map<String, Map<String, Stats[]>> bySet = new LinkedHashMap<>();
        samples.forEach((set, benchmarks) ->
                benchmarks.forEach((b, s) -> bySet.computeIfAbsent(set, x -> new LinkedHashMap<>())
                        .put(b, new Stats[] {Stats.of(s.get(0)), s.get(1).isEmpty() ? null : Stats.of(s.get(1))})));
        return bySet;
    }

    private static String table(Map<String, Map<String, Stats[]>> bySet, int runs) {
        StringBuilder out = new StringBuilder();
        out.append("Pooled over ")
                .append(runs)
                .append(runs == 1 ? " run" : " runs")
                .append("; n = measured iterations (all forks, all runs).\n\n");
        out.append("| pairs | benchmark | pairs/s median | min – max | n | B/pair (median) |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: |\n");
        for (var set : bySet.entrySet()) {
            for (String b : ORDER) {
                Stats[] s = set.getValue().get(b);
                if (s == null) {
                    continue;
                }
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %,.0f | %,.0f – %,.0f | %d | %s |%n",
                        set.getKey(),
                        b,
                        s[0].median(),
                        s[0].min(),
                        s[0].max(),
                        s[0].n(),
                        s[1] == null ? "–" : String.format(Locale.ROOT, "%,.0f", s[1].median())));
            }
        }
        out.append(
                        "\n| pairs | engine ÷ parse (time per pair) | engine+parse ÷ parse | JsonDiff ÷ parse | engine within ")
                .append(fmt(TARGET))
                .append("× of parsing |\n");
        out.append("| --- | ---: | ---: | ---: | --- |\n");
        for (var set : bySet.entrySet()) {
            Map<String, Stats[]> m = set.getValue();
            if (!m.containsKey("parseBoth") || !m.containsKey("engineDiff")) {
                continue;
            }
            double parse = m.get("parseBoth")[0].median();
            double engine = parse / m.get("engineDiff")[0].median();
            out.append("| ")
                    .append(set.getKey())
                    .append(" | ")
                    .append(fmt(engine))
                    .append("× | ")
                    .append(
                            m.containsKey("engineParseAndDiff")
                                    ? fmt(parse / m.get("engineParseAndDiff")[0].median()) + "×"
                                    : "–")
                    .append(" | ")
                    .append(
                            m.containsKey("zjsonpatchJsonDiff")
                                    ? fmt(parse / m.get("zjsonpatchJsonDiff")[0].median()) + "×"
                                    : "–")
                    .append(" | ")
                    .append(engine <= TARGET ? "yes" : "**no**")
                    .append(" |\n");
        }
        return out.toString();
    }

    private static List<Double> raw(JsonNode metric) {
        List<Double> values = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) {
            fork.forEach(v -> values.add(v.asDouble()));
        }
        if (values.isEmpty()) {
            values.add(metric.path("score").asDouble());
        }
        return values;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
