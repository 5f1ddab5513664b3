package io.driftwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Summarises {@code bench/diff-ab.sh}: the {@link DiffCpuRatio} output of alternating runs of two builds, files
 * {@code <i>-before.tsv} and {@code <i>-after.tsv} in one directory (run {@code i} of each build is one pair, run back to
 * back). Per run and set the figure is the median engine ÷ parse ratio of its measured rounds; per set it prints the
 * runs' min / median / max for each build, the median of the paired after ÷ before ratios with a 95 % percentile
 * bootstrap interval (resampling pairs), whether that is within the bound (judged from 6 pairs on), and the engine's
 * allocation per pair. Usage:
 * {@code DiffAbSummary DIR [BOUND]} (bound default 1.10).
 */
public final class DiffAbSummary {
    static final int RESAMPLES = 10_000;
    private static final Pattern RUN_FILE = Pattern.compile("(\\d+)-(before|after)\\.tsv");

    /** One run of one build: per set, the median ratio of its rounds and the engine's bytes per pair; pair checksums. */
    record Run(Map<String, Double> ratio, Map<String, Double> engineBytesPerPair, Map<String, String> checksums) {}

    /** The paired comparison of one set. */
    record SetResult(
            String set,
            Stats before,
            Stats after,
            double pairedMedian,
            double low,
            double high,
            int pairs,
            double beforeBytes,
            double afterBytes) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: DiffAbSummary DIR [BOUND]");
            System.exit(2);
        }
        double bound = args.length == 2 ? Double.parseDouble(args[1]) : 1.10;
        Map<Integer, Run> before = new TreeMap<>();
        Map<Integer, Run> after = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = RUN_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    (m.group(2).equals("before") ? before : after).put(Integer.parseInt(m.group(1)), read(f));
                }
            }
        }
        List<SetResult> results = compare(before, after);
        System.out.print(table(results, bound));
    }

    static Run read(Path file) {
        Map<String, List<Double>> ratios = new TreeMap<>();
        Map<String, List<Double>> bytes = new TreeMap<>();
        Map<String, String> checksums = new TreeMap<>();
        Map<String, Integer> sizes = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split("\t");
                if (f[0].equals("pairs")) {
                    sizes.put(f[1], Integer.parseInt(f[2]));
                    checksums.put(f[1], f[3]);
                } else if (f[0].equals("round")) {
                    ratios.computeIfAbsent(f[1], k -> new ArrayList<>())
                            .add(Double.parseDouble(f[3]) / Double.parseDouble(f[4]));
                    bytes.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[5]) / sizes.get(f[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (ratios.isEmpty()) {
            throw new IllegalArgumentException(file + ": no measured rounds (did the run fail?)");
        }
        Map<String, Double> ratio = new TreeMap<>();
        Map<String, Double> perPair = new TreeMap<>();
        ratios.forEach((set, values) -> ratio.put(set, Stats.of(values).median()));
        bytes.forEach((set, values) -> perPair.put(set, Stats.of(values).median()));
        return new Run(ratio, perPair, checksums);
    }

    static List<SetResult> compare(Map<Integer, Run> before, Map<Integer, Run> after) {
        if (!before.keySet().equals(after.keySet()) || before.isEmpty()) {
            throw new IllegalArgumentException(
                    "runs do not pair up: before " + before.keySet() + ", after " + after.keySet());
        }
        List<SetResult> results = new ArrayList<>();
        Run first = before.values().iterator().next();
        for (String set : first.ratio().keySet()) {
            List<Double> b = new ArrayList<>(), a = new ArrayList<>(), paired = new ArrayList<>();
            List<Double> bb = new ArrayList<>(), ab = new ArrayList<>();
            for (Integer i : before.keySet()) {
                Run rb = before.get(i), ra = after.get(i);
                if (!rb.checksums().get(set).equals(ra.checksums().get(set))) {
                    throw new IllegalArgumentException("run " + i + ", set " + set + ": the two builds generated"
                            + " different pairs (checksum " + rb.checksums().get(set) + " vs "
                            + ra.checksums().get(set) + "); the ratio would compare different inputs");
                }
                b.add(rb.ratio().get(set));
                a.add(ra.ratio().get(set));
                paired.add(ra.ratio().get(set) / rb.ratio().get(set));
                bb.add(rb.engineBytesPerPair().get(set));
                ab.add(ra.engineBytesPerPair().get(set));
            }
            double[] ci = bootstrapMedianInterval(paired, new Random(1));
            results.add(new SetResult(
                    set,
                    Stats.of(b),
                    Stats.of(a),
                    Stats.of(paired).median(),
                    ci[0],
                    ci[1],
                    paired.size(),
                    Stats.of(bb).median(),
                    Stats.of(ab).median()));
        }
        return results;
    }

    /** 95 % percentile bootstrap interval of the median: the 2.5th and 97.5th percentiles of resampled medians. */
    static double[] bootstrapMedianInterval(List<Double> values, Random random) {
        double[] medians = new double[RESAMPLES];
        List<Double> sample = new ArrayList<>(values.size());
        for (int r = 0; r < RESAMPLES; r++) {
            sample.clear();
            for (int i = 0; i < values.size(); i++) {
                sample.add(values.get(random.nextInt(values.size())));
            }
            medians[r] = Stats.of(sample).median();
        }
        java.util.Arrays.sort(medians);
        return new double[] {medians[(int) (RESAMPLES * 0.025)], medians[(int) (RESAMPLES * 0.975) - 1]};
    }

    /**
     * Fewer pairs than this give no 95 % interval of a median: with 5 the range of the pairs covers it only 94 % of the
     * time (1 − 2 × 0.5⁵), with 6 97 %.
     */
    static final int MIN_PAIRS = 6;

    /**
     * "yes" when the whole interval is within the bound, "no" when all of it is above, else "undecided"; "too few pairs"
     * below {@link #MIN_PAIRS}.
     */
    static String verdict(SetResult r, double bound) {
        if (r.pairs() < MIN_PAIRS) {
            return "too few pairs";
        }
        if (r.high() <= bound) {
            return "yes";
        }
        return r.low() > bound ? "no" : "undecided";
    }

    static String table(List<SetResult> results, double bound) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "| set | before: engine ÷ parse, min / median / max | after | after ÷ before, median of %d pairs"
                        + " [95 %% CI] | within %+.0f %% | engine B/pair before → after |%n",
                results.isEmpty() ? 0 : results.get(0).pairs(), (bound - 1) * 100));
        out.append("| --- | ---: | ---: | ---: | --- | ---: |\n");
        for (SetResult r : results) {
            out.append(String.format(
                    "| %s | %.3f / %.3f / %.3f | %.3f / %.3f / %.3f | %.3f [%.3f, %.3f] | %s | %,.0f → %,.0f |%n",
                    r.set(),
                    r.before().min(),
                    r.before().median(),
                    r.before().max(),
                    r.after().min(),
                    r.after().median(),
                    r.after().max(),
                    r.pairedMedian(),
                    r.low(),
                    r.high(),
                    verdict(r, bound),
                    r.beforeBytes(),
                    r.afterBytes()));
        }
        return out.toString();
    }
}
