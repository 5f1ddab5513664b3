package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.BuiltinResourceScope;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import io.fabric8.zjsonpatch.JsonDiff;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Diff throughput: one operation is one (desired, live) pair, so scores are pairs per second. Every benchmark walks the
 * same seeded pairs ({@link DiffPairs}) in the same order, so the engine and the two baselines see identical input.
 * <ul>
 *   <li>{@code engineDiff}: {@link DiffEngine#diff} of pre-parsed trees (what the agent does: informers hand it parsed
 *       objects);</li>
 *   <li>{@code engineParseAndDiff}: parse both sides from JSON bytes, then diff;</li>
 *   <li>{@code parseBoth}: baseline, Jackson {@code readTree} of both sides from JSON bytes;</li>
 *   <li>{@code zjsonpatchJsonDiff}: baseline, fabric8 zjsonpatch {@code JsonDiff.asJson(desired, live)} on the
 *       pre-parsed trees (a generic structural diff: no defaults, ownership or list semantics).</li>
 * </ul>
 * Run with bench/run-diff.sh.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DiffBenchmark {

    /** Pairs and engine, built once per trial. */
    @State(Scope.Benchmark)
    public static class Pairs {

        @Param({"CONFIGMAP", "SERVICE", "DEPLOYMENT", "MIXED"})
        public DiffPairs.Mix mix;

        @Param({"2000"})
        public int count;

        @Param({"20260504"})
        public long seed;

        @Param({"0.1"})
        public double driftRate;

        List<DiffPairs.Pair> pairs;
        DiffEngine engine;

        @Setup(Level.Trial)
        public void setUp() {
            pairs = DiffPairs.generate(mix, count, seed, driftRate);
            engine = new DiffEngine(DiffOptions.defaults(), BuiltinResourceScope.INSTANCE, new BuiltinListSchema());
        }
    }

    /** The next pair, round-robin over the set (per thread). */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        DiffPairs.Pair next(Pairs pairs) {
            DiffPairs.Pair p = pairs.pairs.get(next);
            next = next + 1 == pairs.pairs.size() ? 0 : next + 1;
            return p;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Benchmark
    public Object engineDiff(Pairs pairs, Cursor cursor) {
        DiffPairs.Pair p = cursor.next(pairs);
        return pairs.engine.diff(p.desired(), p.live(), true);
    }

    @Benchmark
    public Object engineParseAndDiff(Pairs pairs, Cursor cursor) throws IOException {
        DiffPairs.Pair p = cursor.next(pairs);
        ObjectNode desired = (ObjectNode) JSON.readTree(p.desiredJson());
        JsonNode live = JSON.readTree(p.liveJson());
        return pairs.engine.diff(DesiredObject.of(desired), live, true);
    }

    @Benchmark
    public void parseBoth(Pairs pairs, Cursor cursor, Blackhole bh) throws IOException {
        DiffPairs.Pair p = cursor.next(pairs);
        bh.consume(JSON.readTree(p.desiredJson()));
        bh.consume(JSON.readTree(p.liveJson()));
    }

    @Benchmark
    public JsonNode zjsonpatchJsonDiff(Pairs pairs, Cursor cursor) {
        DiffPairs.Pair p = cursor.next(pairs);
        return JsonDiff.asJson(p.desired().manifest(), p.live());
    }
}
