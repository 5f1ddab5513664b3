package io.driftwatch.diff;

import java.util.Locale;

/** Why a change (or an object) differs from Git. */
public enum Cause {
    /** Written by a person or an ad-hoc tool (an out-of-band field manager). */
    OUT_OF_BAND,
    /** Git changed and the applier has not applied it yet. */
    PENDING_SYNC,
    /** The applier applied the desired value and a mutating webhook changed it in the same request. */
    ADMISSION,
    /** A desired field changed by a manager of the controllers group. */
    CONTROLLER,
    /**
     * Written by a field manager that is neither an applier, nor out-of-band, nor a known or configured controller:
     * counted as drift, reported with the configuration line that would classify the manager.
     */
    UNKNOWN_MANAGER,
    /** The evidence does not decide. */
    UNKNOWN,
    /** Missing and seen live before. */
    DELETED,
    /** Missing and never seen live: new in Git. */
    NOT_YET_APPLIED,
    /**
     * An extra object the applier created, that Git no longer has and that the applier will not delete (a Flux
     * Kustomization with {@code prune: false}, an Argo CD app without automated prune, an object marked to be kept):
     * drift that stays until someone deletes it, unlike {@link #PENDING_SYNC}.
     */
    ORPHANED;

    /** "out-of-band", "pending-sync", ... */
    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Cause fromJson(String value) {
        for (Cause c : values()) {
            if (c.json().equals(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cause '" + value + "'");
    }
}
