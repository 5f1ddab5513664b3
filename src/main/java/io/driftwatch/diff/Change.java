package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One drifted field.
 *
 * @param field readable path, e.g. {@code spec.template.spec.containers[name=web].image}
 * @param path JSON pointer into the live object (list index); for a desired list element live lacks, the list's pointer + "/-"
 * @param desired desired value, null when desired does not set it (op ADDED); Secret values are redacted
 * @param live live value, null when live lacks it (op REMOVED); Secret values are redacted
 * @param manager field manager owning the live field, null when none owns it
 * @param operation "Apply" or "Update" of that manager's entry
 * @param subresource subresource of that entry ("" or e.g. "scale"), null when no owner
 * @param time time of that entry, null when unknown
 * @param note plain-English note for the reader, null when none: for a removal that managedFields cannot attribute
 *             ({@link #REMOVAL_NOTE}), for replicas scaled with no owner ({@link #UNRECORDED_SCALE_NOTE}), for an unknown manager the configuration that would classify it
 * @param actor who made the change, from the audit event of the write that made it; null when audit is off or no
 *              write matched
 */
public record Change(
        String field,
        String path,
        Op op,
        Cause cause,
        JsonNode desired,
        JsonNode live,
        String manager,
        String operation,
        String subresource,
        Instant time,
        String note,
        Actor actor) {

    /** What every output says about a removed field: the object does not record who removed it. */
    public static final String REMOVAL_NOTE = "removed; not recorded in the object who removed it";
    /** What every output says about {@code spec.replicas} set through {@code scale} with no owner ({@link UnrecordedScale}). */
    public static final String UNRECORDED_SCALE_NOTE = "added; not recorded in the object who set it "
            + "(a write through the scale subresource to a field no one owned records no manager)";
    /** What every output says about a live list element that repeats a desired element's merge key. */
    public static final String DUPLICATE_NOTE = "a second element with the same merge key as a desired element; "
            + "managedFields cannot tell elements with the same key apart: the manager is the latest writer of that key";

    /** A change without an actor. */
    public Change(
            String field,
            String path,
            Op op,
            Cause cause,
            JsonNode desired,
            JsonNode live,
            String manager,
            String operation,
            String subresource,
            Instant time,
            String note) {
        this(field, path, op, cause, desired, live, manager, operation, subresource, time, note, null);
    }

    /** This change made by {@code who}, with the cause that identity gives it. */
    public Change attributed(Actor who, Cause newCause) {
        return new Change(field, path, op, newCause, desired, live, manager, operation, subresource, time, note, who);
    }

    /** A change without a note. */
    public Change(
            String field,
            String path,
            Op op,
            Cause cause,
            JsonNode desired,
            JsonNode live,
            String manager,
            String operation,
            String subresource,
            Instant time) {
        this(field, path, op, cause, desired, live, manager, operation, subresource, time, null, null);
    }
}
