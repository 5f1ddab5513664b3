package io.driftwatch.diff;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Result of comparing a set of desired objects with the live ones. */
public record DriftReport(List<Drift> drifts, Summary summary) {

    public DriftReport {
        drifts = List.copyOf(drifts);
    }

    /**
     * Counts. {@code drifted}, {@code modified}, {@code missing} and {@code extra} count objects that count as drift
     * (admission-only objects do not unless {@link DiffOptions#countAdmissionAsDrift()}); {@code byCause} counts every
     * reported object by its cause, keyed by {@link Cause#json()}.
     */
    public record Summary(
            int desired, int drifted, int modified, int missing, int extra, Map<String, Integer> byCause) {
        public Summary {
            byCause = Map.copyOf(byCause);
        }
    }

    /**
     * A report over {@code drifts} of {@code desiredCount} desired objects; admission-only objects count as drift only
     * when {@code countAdmission}.
     */
    public static DriftReport of(int desiredCount, List<Drift> drifts, boolean countAdmission) {
        int modified = 0;
        int missing = 0;
        int extra = 0;
        Map<String, Integer> byCause = new TreeMap<>();
        for (Drift d : drifts) {
            byCause.merge(d.cause().json(), 1, Integer::sum);
            if (d.admissionOnly() && !countAdmission) {
                continue;
            }
            switch (d.type()) {
                case MODIFIED -> modified++;
                case MISSING -> missing++;
                case EXTRA -> extra++;
            }
        }
        return new DriftReport(
                drifts, new Summary(desiredCount, modified + missing + extra, modified, missing, extra, byCause));
    }

    /** True when at least one object counts as drift (CLI exit code 1). */
    public boolean hasDrift() {
        return summary.drifted() > 0;
    }
}
