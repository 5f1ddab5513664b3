package io.driftwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.BuiltinResourceScope;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Engine ÷ parse in thread CPU time per pair set, over the same seeded pairs as {@link DiffBenchmark}: on a machine
 * shared with other processes thread CPU time varies far less than the wall-clock throughput JMH reports. Usage:
 * {@code java -cp <bench classpath> io.driftwatch.bench.DiffCpuRatio ROUNDS SET[,SET...]}; the first half of the rounds
 * is warm-up.
 *
 * <p>Each round walks every set once (so all sets warm up together, as in the agent); per set it diffs and parses the
 * pairs in chunks of {@value #CHUNK}, alternating which of the two goes first, so a burst of load elsewhere falls on
 * both sides of the ratio alike. Every measured round is printed as a tab-separated {@code round} line (set, round,
 * engine and parse CPU nanoseconds, bytes the engine and the parser allocated), which {@link DiffAbSummary} reads;
 * {@code pairs} lines carry a checksum of the pairs, so runs of two commits are known to compare the same input.
 */
public final class DiffCpuRatio {
    static final int PAIRS = 2000;
    static final long SEED = 20260504L;
    static final int CHUNK = 100;

    private final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final ObjectMapper json = new ObjectMapper();
    private final DiffEngine engine =
            new DiffEngine(DiffOptions.defaults(), BuiltinResourceScope.INSTANCE, new BuiltinListSchema());
    private long sink;

    /** CPU nanoseconds and allocated bytes of the engine and of parsing, for one pass over a set. */
    record Cost(long engineNs, long parseNs, long engineBytes, long parseBytes) {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println(
                    "usage: DiffCpuRatio ROUNDS SET[,SET...]   (sets: CONFIGMAP, SERVICE, DEPLOYMENT, MIXED)");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        Map<String, List<DiffPairs.Pair>> sets = new LinkedHashMap<>();
        for (String set : args[1].split(",")) {
            List<DiffPairs.Pair> pairs = DiffPairs.generate(DiffPairs.Mix.valueOf(set), PAIRS, SEED, 0.1);
            sets.put(set, pairs);
            System.out.printf("pairs\t%s\t%d\t%08x%n", set, pairs.size(), checksum(pairs));
        }
        new DiffCpuRatio().run(rounds, sets);
    }

    private void run(int rounds, Map<String, List<DiffPairs.Pair>> sets) {
        int warmUp = rounds / 2;
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, List<DiffPairs.Pair>> set : sets.entrySet()) {
                Cost c = measure(set.getValue(), r);
                if (r >= warmUp) {
                    System.out.printf(
                            "round\t%s\t%d\t%d\t%d\t%d\t%d%n",
                            set.getKey(), r, c.engineNs(), c.parseNs(), c.engineBytes(), c.parseBytes());
                    ratios.computeIfAbsent(set.getKey(), k -> new ArrayList<>())
                            .add((double) c.engineNs() / c.parseNs());
                }
            }
        }
        ratios.forEach((set, values) -> {
            Stats s = Stats.of(values);
            System.out.printf(
                    "%s engine/parse CPU-time ratio: median %.3f (min %.3f max %.3f, %d rounds after %d warm-up) %d%n",
                    set, s.median(), s.min(), s.max(), s.n(), warmUp, sink % 2);
        });
    }

    private Cost measure(List<DiffPairs.Pair> pairs, int round) {
        long engineNs = 0, parseNs = 0, engineBytes = 0, parseBytes = 0;
        for (int from = 0, chunk = 0; from < pairs.size(); from += CHUNK, chunk++) {
            List<DiffPairs.Pair> part = pairs.subList(from, Math.min(pairs.size(), from + CHUNK));
            boolean engineFirst = (round + chunk) % 2 == 0;
            for (int step = 0; step < 2; step++) {
                boolean doEngine = engineFirst == (step == 0);
                long t0 = mx.getCurrentThreadCpuTime();
                long a0 = mx.getCurrentThreadAllocatedBytes();
                if (doEngine) {
                    diff(part);
                } else {
                    parse(part);
                }
                long dt = mx.getCurrentThreadCpuTime() - t0;
                long da = mx.getCurrentThreadAllocatedBytes() - a0;
                if (doEngine) {
                    engineNs += dt;
                    engineBytes += da;
                } else {
                    parseNs += dt;
                    parseBytes += da;
                }
            }
        }
        return new Cost(engineNs, parseNs, engineBytes, parseBytes);
    }

    private void diff(List<DiffPairs.Pair> part) {
        for (DiffPairs.Pair p : part) {
            sink += engine.diff(p.desired(), p.live(), true).isPresent() ? 1 : 0;
        }
    }

    private void parse(List<DiffPairs.Pair> part) {
        try {
            for (DiffPairs.Pair p : part) {
                sink += json.readTree(p.desiredJson()).size()
                        + json.readTree(p.liveJson()).size();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long checksum(List<DiffPairs.Pair> pairs) {
        CRC32 crc = new CRC32();
        for (DiffPairs.Pair p : pairs) {
            crc.update(p.desiredJson());
            crc.update(p.liveJson());
        }
        return crc.getValue();
    }
}
