package io.driftwatch.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a stream of per-object verdicts into drift lifecycles: {@code opened} when an object starts to differ,
 * {@code updated} when what differs changes, {@code resolved} when it matches again.
 *
 * <p>Onsets come from evidence any replica can see, so a restarted agent or a new leader reports the same onset:
 * a modified object's drift started when the drifting field was written (its managedFields time), an extra object's
 * when it was created. Where no evidence exists (a missing object), the onset is when the drift was first seen, and
 * an onset remembered earlier ({@link #remember}, from the state file) wins over all of these.
 *
 * <p>Not thread-safe: the agent calls it from its single diff thread.
 */
public final class DriftTracker {

    private final String cluster;
    private final Map<ObjectKey, DriftRecord> open = new HashMap<>();
    private final Map<ObjectKey, Instant> remembered = new HashMap<>();

    public DriftTracker(String cluster) {
        this.cluster = cluster;
    }

    /** Onsets known from before a restart; used when the same object is seen drifting again. */
    public void remember(Map<ObjectKey, Instant> onsets) {
        remembered.putAll(onsets);
    }

    /**
     * Records the latest verdict for one object.
     *
     * @param verdict the drift, or empty when the object matches (or is neither desired nor tracked any more)
     * @param live    the live object (null when missing), the evidence for onsets
     * @return the lifecycle events this verdict causes (none, one or two)
     */
    public List<DriftEvent> observe(ObjectKey key, Optional<Drift> verdict, JsonNode live, Instant now) {
        DriftRecord current = open.get(key);
        List<DriftEvent> events = new ArrayList<>(1);
        if (verdict.isEmpty()) {
            if (current != null) {
                open.remove(key);
                remembered.remove(key);
                events.add(new DriftEvent(DriftEvent.Type.RESOLVED, current.resolved(now)));
            }
            return events;
        }
        Drift drift = verdict.get();
        if (current != null && current.drift().type() != drift.type()) {
            // an object that went from modified to missing is a new drift, not the same one
            open.remove(key);
            events.add(new DriftEvent(DriftEvent.Type.RESOLVED, current.resolved(now)));
            current = null;
        }
        if (current == null) {
            Instant onset =
                    remembered.getOrDefault(key, evidencedOnset(drift, live).orElse(now));
            if (onset.isAfter(now)) {
                onset = now;
            }
            DriftRecord record = new DriftRecord(id(key, drift.type(), onset), drift, onset, now, null);
            open.put(key, record);
            events.add(new DriftEvent(DriftEvent.Type.OPENED, record));
            return events;
        }
        DriftRecord updated = current.seen(drift, now);
        open.put(key, updated);
        if (!sameChanges(current.drift(), drift)) {
            events.add(new DriftEvent(DriftEvent.Type.UPDATED, updated));
        }
        return events;
    }

    /** Forgets every open drift without events (this replica stopped leading; the new leader owns them). */
    public void clear() {
        open.clear();
    }

    public Collection<DriftRecord> openDrifts() {
        return List.copyOf(open.values());
    }

    public Optional<DriftRecord> get(ObjectKey key) {
        return Optional.ofNullable(open.get(key));
    }

    /** When the drift began, as far as the live object shows it. */
    static Optional<Instant> evidencedOnset(Drift drift, JsonNode live) {
        if (drift.type() == DriftType.MODIFIED) {
            return drift.changes().stream()
                    .map(Change::time)
                    .filter(Objects::nonNull)
                    .min(Instant::compareTo);
        }
        if (drift.type() == DriftType.EXTRA && live != null) {
            try {
                return Optional.of(Instant.parse(
                        live.path("metadata").path("creationTimestamp").asText()));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Stable across replicas: the same drift (cluster, object, type, onset) gets the same id everywhere. */
    private String id(ObjectKey key, DriftType type, Instant onset) {
        String name = cluster + "|" + key + "|" + type + "|" + onset.truncatedTo(ChronoUnit.SECONDS);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Same changes, actors and overall cause (an extra object's cause can change with no changes to compare; an actor
     * named by a late audit batch is an update).
     */
    private static boolean sameChanges(Drift a, Drift b) {
        if (a.cause() != b.cause()
                || a.changes().size() != b.changes().size()
                || !Objects.equals(a.actor(), b.actor())) {
            return false;
        }
        for (int i = 0; i < a.changes().size(); i++) {
            Change x = a.changes().get(i);
            Change y = b.changes().get(i);
            if (!x.path().equals(y.path())
                    || x.op() != y.op()
                    || !Objects.equals(x.live(), y.live())
                    || !Objects.equals(x.desired(), y.desired())
                    || !Objects.equals(x.manager(), y.manager())
                    || x.cause() != y.cause()
                    || !Objects.equals(x.actor(), y.actor())) {
                return false;
            }
        }
        return a.cause() == b.cause();
    }
}
