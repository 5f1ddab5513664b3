package io.driftwatch.diff;

import java.util.List;

/**
 * One object that differs from Git.
 *
 * @param apiVersion desired apiVersion (live's for extra objects)
 * @param app the app the object belongs to; may be null
 * @param cause the object's cause: for modified objects the most actionable cause among its changes
 * @param summary one plain-English line, Secret values redacted
 * @param changes field changes; empty for missing and extra objects
 * @param yamlDiff unified diff desired → live, redacted; null unless requested
 */
public record Drift(
        ObjectKey key,
        String apiVersion,
        String app,
        DriftType type,
        Cause cause,
        String summary,
        List<Change> changes,
        String yamlDiff) {

    public Drift {
        changes = List.copyOf(changes);
    }

    /** True when every change was made by a mutating webhook during the applier's request (not counted as drift by default). */
    public boolean admissionOnly() {
        return type == DriftType.MODIFIED
                && !changes.isEmpty()
                && changes.stream().allMatch(c -> c.cause() == Cause.ADMISSION);
    }
}
