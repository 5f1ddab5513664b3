package io.driftwatch.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /**
     * Who made this drift, in order: the object-level actor, then each change's; one entry per distinct person
     * ({@link Actor#display()}) and match quality, with the fields (the changes' paths; for a missing or extra object
     * its drift type) they made. Empty when no actor is known.
     */
    public List<Attribution> attributions() {
        Map<String, Attribution> byWho = new LinkedHashMap<>();
        if (actor != null) {
            byWho.put(key(actor), new Attribution(actor, List.of(type.json())));
        }
        for (Change c : changes) {
            if (c.actor() == null) {
                continue;
            }
            byWho.compute(key(c.actor()), (k, old) -> {
                List<String> fields = old == null ? new ArrayList<>() : new ArrayList<>(old.fields());
                fields.add(c.field());
                return new Attribution(old == null ? c.actor() : old.actor(), fields);
            });
        }
        return List.copyOf(byWho.values());
    }

    /** The first actor of {@link #attributions()}, null when none is known. */
    public Actor firstActor() {
        if (actor != null) {
            return actor;
        }
        return changes.stream()
                .map(Change::actor)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    private static String key(Actor a) {
        return a.display() + "\n" + a.match().json();
    }

    /** One person (at one match quality) and the fields of a drift they made. */
    public record Attribution(Actor actor, List<String> fields) {
        public Attribution {
            fields = List.copyOf(fields);
        }
    }

    /** True when every change was made by a mutating webhook during the applier's request (not counted as drift by default). */
    public boolean admissionOnly() {
        return type == DriftType.MODIFIED
                && !changes.isEmpty()
                && changes.stream().allMatch(c -> c.cause() == Cause.ADMISSION);
    }
}
