package io.driftwatch.diff;

import java.util.Locale;

/** How one field differs: live value differs from desired, live has a field desired lacks, or live lacks a desired field. */
public enum Op {
    CHANGED,
    ADDED,
    REMOVED;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
