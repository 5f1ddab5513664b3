package io.driftwatch.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's CPU time during the latency phase (background churn plus the timed changes), per thread and per verdict
 * (one observation of its detection histogram per live change processed). Unlike wall-clock latency, CPU time per
 * verdict on the diff thread hardly moves with the machine's load, so two builds can be compared on a shared machine.
 * Thread names are the kernel's (15 characters, digits as N): {@code driftwatch-diff} is the reconciler's thread,
 * {@code vert.x-eventloo} the HTTP event loops (which answer the benchmark's polling), {@code -N-pool-N-threa} or
 * similar fabric8's informer pool.
 */
final class LatencyPhaseCpu {

    /** Linux clock ticks per second ({@code CLK_TCK}): one tick is 10 ms of CPU. */
    static final double MS_PER_TICK = 10.0;

    private LatencyPhaseCpu() {}

    /** @param ticksByThread CPU ticks per thread name during the phase; @param verdicts verdicts counted in it */
    static Map<String, Object> of(Map<String, Long> ticksByThread, double verdicts) {
        long total = ticksByThread.values().stream().mapToLong(Long::longValue).sum();
        long diff = ticksStartingWith(ticksByThread, "driftwatch-diff");
        long eventLoops = ticksStartingWith(ticksByThread, "vert.x-eventloo");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("verdicts", verdicts);
        out.put("cpuMs", total * MS_PER_TICK);
        out.put("cpuMsPerVerdict", perVerdict(total, verdicts));
        out.put("diffThreadCpuMsPerVerdict", perVerdict(diff, verdicts));
        out.put("eventLoopCpuMsPerVerdict", perVerdict(eventLoops, verdicts));
        out.put("cpuTicksByThread", ticksByThread);
        return out;
    }

    private static long ticksStartingWith(Map<String, Long> ticksByThread, String prefix) {
        return ticksByThread.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private static double perVerdict(long ticks, double verdicts) {
        return verdicts > 0 ? ticks * MS_PER_TICK / verdicts : Double.NaN;
    }
}
