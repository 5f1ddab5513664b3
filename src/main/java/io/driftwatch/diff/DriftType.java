package io.driftwatch.diff;

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
}
