package io.driftwatch.drift;

import io.driftwatch.diff.Drift;
import io.driftwatch.diff.ObjectKey;
import java.time.Duration;
import java.time.Instant;

/**
 * One drift from onset to resolution: the latest verdict, when it started, when it was last confirmed, and when it
 * ended ({@code resolvedAt} null while open).
 */
public record DriftRecord(String id, Drift drift, Instant onset, Instant lastSeen, Instant resolvedAt) {

    public ObjectKey key() {
        return drift.key();
    }

    public boolean open() {
        return resolvedAt == null;
    }

    /** How long it has lasted (until now while open). */
    public Duration age(Instant now) {
        return Duration.between(onset, resolvedAt != null ? resolvedAt : now);
    }

    /** The field manager most responsible: the first change's, or null (missing objects have none). */
    public String manager() {
        return drift.changes().stream()
                .map(c -> c.manager())
                .filter(m -> m != null)
                .findFirst()
                .orElse(null);
    }

    DriftRecord seen(Drift latest, Instant now) {
        return new DriftRecord(id, latest, onset, now, null);
    }

    DriftRecord resolved(Instant now) {
        return new DriftRecord(id, drift, onset, lastSeen, now);
    }
}
