package io.driftwatch.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.Op;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Ties each drifted change to the write that made it and names its actor; the identity then classifies changes the
 * field-manager rules could not settle.
 *
 * <p>A change with an owner (managedFields entry) matches writes to the same object and subresource by the same field
 * manager (the {@code fieldManager} query parameter, else the user agent's product, which is the API server's default
 * manager name) whose request spans the entry's time (to the second, ±1 s for clock skew between API servers). A
 * removal (no owner) matches updates and patches of the object itself; replicas scaled with no owner match writes of
 * the {@code scale} subresource. Of the matching writes, the one whose response resourceVersion is the live object's
 * is an {@code exact} match; else the newest is {@code probable}. A deleted object's actor is the newest delete, an
 * extra object's its create.
 *
 * <p>Causes: a controller identity's change becomes {@code controller} unless the applier or Git explain it
 * ({@code pending-sync}, {@code admission}); an out-of-band identity's {@code unknown-manager} or {@code unknown}
 * change becomes {@code out-of-band}.
 */
public final class Attributor {

    private static final Set<String> CHANGING_VERBS = Set.of("create", "update", "patch");
    private static final Set<String> DELETING_VERBS = Set.of("delete", "deletecollection");
    private static final Duration SKEW = Duration.ofSeconds(1);

    private final AuditIndex index;
    private final Identity identity;

    public Attributor(AuditIndex index, Identity identity) {
        this.index = index;
        this.identity = identity;
    }

    /**
     * @param live the live object (null when missing)
     * @param resource the kind's resource name (plural), as audit events name it
     */
    public Drift attribute(Drift drift, JsonNode live, String resource) {
        ObjectKey key = drift.key();
        AuditWrite.ObjectRef ref = new AuditWrite.ObjectRef(key.group(), resource, "", key.namespace(), key.name());
        List<AuditWrite> writes = index.writes(ref);
        if (drift.type() == DriftType.MISSING) {
            List<AuditWrite> deletes = new ArrayList<>(writes);
            deletes.addAll(index.writes(new AuditWrite.ObjectRef(key.group(), resource, "", key.namespace(), "")));
            Optional<Actor> who =
                    newest(deletes, w -> DELETING_VERBS.contains(w.verb())).map(w -> w.actor(Actor.Match.PROBABLE));
            return drift.attributed(drift.changes(), who.orElse(null), drift.cause());
        }
        String liveRv = live == null
                ? null
                : live.path("metadata").path("resourceVersion").asText(null);
        if (drift.type() == DriftType.EXTRA) {
            Optional<Actor> who = match(
                    writes,
                    w -> w.verb().equals("create") && w.object().subresource().isEmpty(),
                    liveRv);
            return drift.attributed(
                    drift.changes(),
                    who.orElse(null),
                    who.map(a -> cause(drift.cause(), a)).orElse(drift.cause()));
        }
        List<Change> changes = new ArrayList<>(drift.changes().size());
        boolean any = false;
        for (Change c : drift.changes()) {
            Optional<Actor> who = writes.isEmpty() ? Optional.empty() : match(writes, candidate(c), liveRv);
            any |= who.isPresent();
            changes.add(who.map(a -> c.attributed(a, cause(c.cause(), a))).orElse(c));
        }
        return any ? drift.attributed(changes, null, drift.cause()) : drift;
    }

    /** Which writes could have made a change. */
    private static Predicate<AuditWrite> candidate(Change c) {
        if (c.manager() != null) {
            String subresource = c.subresource() == null ? "" : c.subresource();
            return w -> CHANGING_VERBS.contains(w.verb())
                    && w.object().subresource().equals(subresource)
                    && managedBy(w, c.manager())
                    && (c.time() == null || spans(w, c.time()));
        }
        if (c.op() == Op.ADDED && Change.UNRECORDED_SCALE_NOTE.equals(c.note())) {
            return w -> CHANGING_VERBS.contains(w.verb())
                    && w.object().subresource().equals("scale");
        }
        return w -> (w.verb().equals("update") || w.verb().equals("patch"))
                && w.object().subresource().isEmpty();
    }

    /** The write whose response is the live object's version (exact), else the newest candidate (probable). */
    private static Optional<Actor> match(List<AuditWrite> writes, Predicate<AuditWrite> candidate, String liveRv) {
        if (liveRv != null) {
            for (AuditWrite w : writes) {
                if (liveRv.equals(w.responseResourceVersion()) && candidate.test(w)) {
                    return Optional.of(w.actor(Actor.Match.EXACT));
                }
            }
        }
        return newest(writes, candidate).map(w -> w.actor(Actor.Match.PROBABLE));
    }

    private static Optional<AuditWrite> newest(List<AuditWrite> writes, Predicate<AuditWrite> candidate) {
        AuditWrite best = null;
        for (AuditWrite w : writes) {
            if (candidate.test(w) && (best == null || !w.completed().isBefore(best.completed()))) {
                best = w;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The manager a write recorded: its fieldManager parameter, else the user agent's product (the API default). */
    static boolean managedBy(AuditWrite w, String manager) {
        if (w.fieldManager() != null && !w.fieldManager().isEmpty()) {
            return w.fieldManager().equals(manager);
        }
        if (w.userAgent() == null) {
            return false;
        }
        int slash = w.userAgent().indexOf('/');
        String product = slash < 0 ? w.userAgent() : w.userAgent().substring(0, slash);
        return product.equals(manager);
    }

    /** managedFields times are whole seconds, set while the request ran. */
    private static boolean spans(AuditWrite w, Instant entryTime) {
        Instant from = w.received().truncatedTo(ChronoUnit.SECONDS).minus(SKEW);
        Instant to = w.completed().plus(SKEW);
        return !entryTime.isBefore(from) && !entryTime.isAfter(to);
    }

    private Cause cause(Cause byManager, Actor actor) {
        if (identity.controller(actor)) {
            return switch (byManager) {
                case OUT_OF_BAND, UNKNOWN_MANAGER, UNKNOWN -> Cause.CONTROLLER;
                default -> byManager;
            };
        }
        return switch (byManager) {
            case UNKNOWN_MANAGER, UNKNOWN -> Cause.OUT_OF_BAND;
            default -> byManager;
        };
    }
}
