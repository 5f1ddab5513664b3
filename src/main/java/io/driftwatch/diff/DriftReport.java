package io.driftwatch.diff;

import java.util.List;
import java.util.Map;

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
    public record Summary(int desired, int drifted, int modified, int missing, int extra, Map<String, Integer> byCause) {
        public Summary {
            byCause = Map.copyOf(byCause);
        }
    }

    /** True when at least one object counts as drift (CLI exit code 1). */
    public boolean hasDrift() {
        return summary.drifted() > 0;
    }
}
