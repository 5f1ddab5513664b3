package io.driftwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.BuiltinResourceScope;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Engine ÷ parse in thread CPU time per pair set, over the same seeded pairs as {@link DiffBenchmark}: on a machine
 * shared with other processes thread CPU time varies far less than the wall-clock throughput JMH reports. Usage:
 * {@code java -cp <bench classpath> io.driftwatch.bench.DiffCpuRatio ROUNDS SET[,SET...]}; the first half of the rounds
 * is warm-up.
 */
public final class DiffCpuRatio {
    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ObjectMapper json = new ObjectMapper();
        DiffEngine engine =
                new DiffEngine(DiffOptions.defaults(), BuiltinResourceScope.INSTANCE, new BuiltinListSchema());
        int rounds = Integer.parseInt(args[0]);
        for (String set : args[1].split(",")) {
            List<DiffPairs.Pair> pairs = DiffPairs.generate(DiffPairs.Mix.valueOf(set), 2000, 20260504L, 0.1);
            long sink = 0;
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (DiffPairs.Pair p : pairs) {
                    sink += engine.diff(p.desired(), p.live(), true).isPresent() ? 1 : 0;
                }
                long t1 = mx.getCurrentThreadCpuTime();
                for (DiffPairs.Pair p : pairs) {
                    sink += json.readTree(p.desiredJson()).size()
                            + json.readTree(p.liveJson()).size();
                }
                long t2 = mx.getCurrentThreadCpuTime();
                ratios[r] = (double) (t1 - t0) / (t2 - t1);
            }
            java.util.Arrays.sort(ratios, rounds / 2, rounds); // last half only: after warm-up
            double[] tail = java.util.Arrays.copyOfRange(ratios, rounds / 2, rounds);
            System.out.printf(
                    "%s engine/parse CPU-time ratio: median %.3f (min %.3f max %.3f, %d rounds after %d warm-up) %d%n",
                    set, tail[tail.length / 2], tail[0], tail[tail.length - 1], tail.length, rounds / 2, sink % 2);
        }
    }
}
