package io.driftwatch.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One drift event: {@code seq} (per stream, increasing), {@code type} (opened, updated, resolved), the drift's fields
 * of {@link DriftMessage} inline, and {@code resolvedAt} (null unless resolved; always written).
 */
public record EventMessage(
        long seq, String type, String driftId, Instant onset, Instant lastSeen, JsonNode drift, Instant resolvedAt) {

    public static EventMessage of(long seq, String type, DriftMessage d, Instant resolvedAt) {
        return new EventMessage(seq, type, d.driftId(), d.onset(), d.lastSeen(), d.drift(), resolvedAt);
    }

    /** The drift this event is about. */
    public DriftMessage asDrift() {
        return new DriftMessage(driftId, onset, lastSeen, drift);
    }
}
