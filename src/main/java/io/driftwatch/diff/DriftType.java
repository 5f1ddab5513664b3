package io.driftwatch.diff;

import java.util.List;
import java.util.Locale;

/** What kind of difference an object has. */
public enum DriftType {
    /** A desired field differs, or a field was added out of band. */
    MODIFIED,
    /** Desired but not live. */
    MISSING,
    /** Live, tracked as belonging to the app, but not desired. */
    EXTRA;

    /** "modified", "missing" or "extra". */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The causes {@link DiffEngine} gives an object of this type: what metrics create at zero per app or cluster
     * (a closed set, so labels by type and cause stay small).
     */
    public List<Cause> causes() {
        return switch (this) {
            case MODIFIED ->
                List.of(
                        Cause.OUT_OF_BAND,
                        Cause.UNKNOWN_MANAGER,
                        Cause.UNKNOWN,
                        Cause.CONTROLLER,
                        Cause.PENDING_SYNC,
                        Cause.ADMISSION);
            case MISSING -> List.of(Cause.DELETED, Cause.NOT_YET_APPLIED);
            case EXTRA ->
                List.of(Cause.OUT_OF_BAND, Cause.UNKNOWN_MANAGER, Cause.UNKNOWN, Cause.PENDING_SYNC, Cause.ORPHANED);
        };
    }
}
