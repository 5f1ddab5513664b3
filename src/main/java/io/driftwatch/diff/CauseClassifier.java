package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.diff.ManagerRules.ManagerGroup;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides the cause of one change from the evidence on the live object.
 * <ol>
 *   <li>owned by an out-of-band manager → {@code out-of-band}; by an unknown manager → {@code unknown-manager};</li>
 *   <li>a removed field has no owner (managedFields cannot say who removed it): only the evidence below decides;</li>
 *   <li>with a {@code last-applied-configuration} annotation: the applier last applied something else than desired
 *       → {@code pending-sync}; it applied exactly desired and still owns the field → {@code admission};</li>
 *   <li>without it: the applier's last write is older than the desired content → {@code pending-sync}; the applier owns
 *       the field and wrote after the desired content changed → {@code admission};</li>
 *   <li>owned by a controller → {@code controller}; anything else → {@code unknown}.</li>
 * </ol>
 */
final class CauseClassifier {

    private final ManagerRules rules;
    private final ManagedFields managedFields;
    private final Supplier<? extends JsonNode> lastApplied;
    private final Instant contentChangedAt;
    private final Comparer comparer;

    /**
     * @param lastApplied the normalised last-applied configuration, supplying null when the live object has none; asked
     *                    only when a change is classified
     */
    CauseClassifier(
            ManagerRules rules,
            ManagedFields managedFields,
            Supplier<? extends JsonNode> lastApplied,
            Instant contentChangedAt,
            Comparer comparer) {
        this.rules = rules;
        this.managedFields = managedFields;
        this.lastApplied = lastApplied;
        this.contentChangedAt = contentChangedAt;
        this.comparer = comparer;
    }

    Cause classify(Comparer.RawChange change, Optional<ManagedFields.Entry> owner) {
        ManagerGroup ownerGroup = owner.map(e -> rules.classify(e.manager())).orElse(null);
        if (ownerGroup == ManagerGroup.OUT_OF_BAND) {
            return Cause.OUT_OF_BAND;
        }
        if (ownerGroup == ManagerGroup.UNKNOWN) {
            return Cause.UNKNOWN_MANAGER;
        }
        if (change.op() == Op.ADDED) {
            return Cause.UNKNOWN;
        }
        JsonNode lastAppliedObject = lastApplied.get();
        if (lastAppliedObject != null) {
            JsonNode applied = JsonPaths.valueAt(lastAppliedObject, change.path(), comparer);
            if (applied == null || !comparer.satisfies(change.path(), change.desired(), applied)) {
                return Cause.PENDING_SYNC;
            }
            if (ownerGroup == ManagerGroup.APPLIER) {
                return Cause.ADMISSION;
            }
            return ownerGroup == ManagerGroup.CONTROLLER ? Cause.CONTROLLER : Cause.UNKNOWN;
        }
        if (ownerGroup == ManagerGroup.APPLIER) {
            Instant applied = owner.get().time();
            if (contentChangedAt == null || applied == null) {
                return Cause.UNKNOWN;
            }
            return applied.isBefore(contentChangedAt) ? Cause.PENDING_SYNC : Cause.ADMISSION;
        }
        if (ownerGroup == ManagerGroup.CONTROLLER) {
            return Cause.CONTROLLER;
        }
        Optional<Instant> lastApply = managedFields
                .latest(m -> rules.classify(m) == ManagerGroup.APPLIER)
                .map(ManagedFields.Entry::time);
        if (contentChangedAt != null && lastApply.isPresent() && lastApply.get().isBefore(contentChangedAt)) {
            return Cause.PENDING_SYNC;
        }
        return Cause.UNKNOWN;
    }
}
