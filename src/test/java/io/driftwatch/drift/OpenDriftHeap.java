package io.driftwatch.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.Drift;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * Plain measuring harness (no assertions): the heap the {@link DriftTracker} retains per open drift of the kind the
 * agent-scale and peers benchmarks' churn makes — a ConfigMap (5–15 keys) applied by {@code argocd-controller} with a
 * label added by {@code bench-controller} — each drift a real {@link DiffEngine} verdict. Retained heap is the used
 * heap after forced collections with N drifts open minus the same once the tracker forgot them (so caches of the diff
 * engine count on neither side), the desired and live JSON dropped. Only the tracker:
 * the agent also holds per open drift the published drift list's entry and a capped metric series (not measured here).
 *
 * <p>Usage: {@code OpenDriftHeap [counts...]} (default 1000 5000 20000); run with {@code -XX:+UseSerialGC}.
 */
public final class OpenDriftHeap {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenDriftHeap() {}

    public static void main(String[] args) throws Exception {
        int[] counts = args.length == 0 ? new int[] {1000, 5000, 20000} : parse(args);
        DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults());
        measure(engine, 500); // warm-up: classes and caches loaded before measuring
        for (int n : counts) {
            double[] perDrift = new double[3];
            for (int r = 0; r < perDrift.length; r++) {
                perDrift[r] = measure(engine, n);
            }
            Arrays.sort(perDrift);
            System.out.printf(
                    "%,7d open drifts: retained per drift min %,.0f  median %,.0f  max %,.0f bytes%n",
                    n, perDrift[0], perDrift[1], perDrift[2]);
        }
    }

    private static int[] parse(String[] args) {
        int[] out = new int[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = Integer.parseInt(args[i]);
        }
        return out;
    }

    private static double measure(DiffEngine engine, int n) throws Exception {
        DriftTracker tracker = new DriftTracker("bench");
        Random random = new Random(n);
        Instant now = Instant.parse("2026-12-04T21:00:00Z");
        int open = 0;
        for (int i = 0; i < n; i++) {
            ObjectNode desired = configMap(i, random);
            ObjectNode live = live(desired, i);
            Optional<Drift> drift = engine.diff(new DesiredObject(desired, "app-" + (i % 10), null), live, true);
            if (drift.isPresent()) {
                open++;
            }
            tracker.observe(engine.keyOf(desired), drift, live, now);
        }
        long after = usedAfterGc();
        Reference.reachabilityFence(tracker); // held through the measurement
        if (n == 500) {
            Drift d = tracker.openDrifts().iterator().next().drift();
            System.out.printf(
                    "an open drift: %s, cause %s, %d change(s): %s%n",
                    d.type().json(),
                    d.cause(),
                    d.changes().size(),
                    d.changes().get(0).field());
        }
        if (tracker.openDrifts().size() != open || open != n) {
            throw new IllegalStateException("expected " + n + " open drifts, got "
                    + tracker.openDrifts().size());
        }
        tracker.clear();
        long released = usedAfterGc();
        return (after - released) / (double) n;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static ObjectNode configMap(int i, Random random) {
        ObjectNode cm = JSON.createObjectNode();
        cm.put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata");
        meta.put("name", "cm-" + i).put("namespace", "bench-" + (i % 20));
        meta.putObject("labels").put("app.kubernetes.io/instance", "app-" + (i % 10));
        ObjectNode data = cm.putObject("data");
        int keys = 5 + random.nextInt(11);
        for (int k = 0; k < keys; k++) {
            data.put("key-" + k, "v".repeat(8 + random.nextInt(40)) + i);
        }
        return cm;
    }

    /** The live object: the desired one as applied by argocd-controller, plus a label bench-controller wrote. */
    private static ObjectNode live(ObjectNode desired, int i) {
        ObjectNode live = desired.deepCopy();
        ObjectNode meta = (ObjectNode) live.get("metadata");
        meta.put("uid", "00000000-0000-0000-0000-" + String.format("%012d", i));
        meta.put("resourceVersion", String.valueOf(100_000 + i));
        meta.put("creationTimestamp", "2026-12-04T20:00:00Z");
        ((ObjectNode) meta.get("labels")).put("bench/touch", "t" + i);
        ObjectNode applied = meta.putArray("managedFields").addObject();
        applied.put("manager", "argocd-controller").put("operation", "Apply").put("apiVersion", "v1");
        applied.put("time", "2026-12-04T20:00:00Z").put("fieldsType", "FieldsV1");
        ObjectNode fields = applied.putObject("fieldsV1");
        ObjectNode dataFields = fields.putObject("f:data");
        desired.get("data").fieldNames().forEachRemaining(k -> dataFields.putObject("f:" + k));
        fields.putObject("f:metadata").putObject("f:labels").putObject("f:app.kubernetes.io/instance");
        ObjectNode touched = ((ArrayNode) meta.get("managedFields")).addObject();
        touched.put("manager", "bench-controller").put("operation", "Update").put("apiVersion", "v1");
        touched.put("time", "2026-12-04T20:30:00Z").put("fieldsType", "FieldsV1");
        touched.putObject("fieldsV1")
                .putObject("f:metadata")
                .putObject("f:labels")
                .putObject("f:bench/touch");
        return live;
    }
}
