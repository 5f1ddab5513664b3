package io.driftwatch.drift;

import java.util.Locale;

/** A step in a drift's life: it opened, its changes changed, or it resolved. */
public record DriftEvent(Type type, DriftRecord record) {

    public enum Type {
        OPENED,
        UPDATED,
        RESOLVED;

        /** Lower-case name used in metrics, logs and the hub protocol. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
