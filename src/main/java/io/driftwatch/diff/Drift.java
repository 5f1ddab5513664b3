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
 * @param actor for a missing object who deleted it, for an extra one who created it (from audit events); null when
 *              unknown or for modified objects (their changes carry actors)
 */
public record Drift(
        ObjectKey key,
        String apiVersion,
        String app,
        DriftType type,
        Cause cause,
        String summary,
        List<Change> changes,
        String yamlDiff,
        Actor actor) {

    public Drift {
        changes = List.copyOf(changes);
    }

    /** A drift without an object-level actor. */
    public Drift(
            ObjectKey key,
            String apiVersion,
            String app,
            DriftType type,
            Cause cause,
            String summary,
            List<Change> changes,
            String yamlDiff) {
        this(key, apiVersion, app, type, cause, summary, changes, yamlDiff, null);
    }

    /**
     * This drift with attributed changes and object-level actor; a modified object's cause is recomputed from its
     * changes', another's is {@code objectCause}.
     */
    public Drift attributed(List<Change> newChanges, Actor objectActor, Cause objectCause) {
        Cause newCause = type == DriftType.MODIFIED ? DiffEngine.driftCause(newChanges) : objectCause;
        return new Drift(key, apiVersion, app, type, newCause, summary, newChanges, yamlDiff, objectActor);
    }

    /** True when every change was made by a mutating webhook during the applier's request (not counted as drift by default). */
    public boolean admissionOnly() {
        return type == DriftType.MODIFIED
                && !changes.isEmpty()
                && changes.stream().allMatch(c -> c.cause() == Cause.ADMISSION);
    }
}
