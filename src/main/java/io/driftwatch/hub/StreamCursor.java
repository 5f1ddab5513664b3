package io.driftwatch.hub;

/**
 * Where a cluster's current (open-drift) state stands in its agent's event stream: the stream (one per agent outbox
 * lifetime) and the highest sequence number reflected in the state. Pure decisions about what a new event or snapshot
 * does to the state.
 *
 * <ul>
 *   <li>An event of the cursor's stream with a higher seq is applied; any other event is history only (it is older
 *       than the state, or from another stream whose snapshot has not arrived yet).</li>
 *   <li>A snapshot of the cursor's stream replaces the state unless it is older than the cursor; a snapshot of another
 *       stream (the agent restarted, or a new leader) replaces it unless it was taken before the current state's
 *       snapshot.</li>
 *   <li>A seq that skips numbers (events dropped from a full outbox) or an event of a foreign stream asks the agent
 *       for a snapshot.</li>
 * </ul>
 */
public record StreamCursor(String stream, long seq, long snapshotTakenMs) {

    public static final StreamCursor NONE = new StreamCursor(null, 0, 0);

    public enum EventDecision {
        APPLY,
        HISTORY_ONLY
    }

    public EventDecision forEvent(String eventStream, long eventSeq) {
        if (stream == null) {
            return EventDecision.APPLY;
        }
        return stream.equals(eventStream) && eventSeq > seq ? EventDecision.APPLY : EventDecision.HISTORY_ONLY;
    }

    /** True when applying this event leaves a hole before it, or it belongs to a stream the state does not follow. */
    public boolean wantsSnapshot(String eventStream, long eventSeq) {
        if (stream == null) {
            return true;
        }
        return !stream.equals(eventStream) || eventSeq > seq + 1;
    }

    public boolean snapshotReplaces(String snapshotStream, long snapshotSeq, long takenMs) {
        if (stream == null) {
            return true;
        }
        if (stream.equals(snapshotStream)) {
            return snapshotSeq >= seq;
        }
        return takenMs >= snapshotTakenMs;
    }

    public StreamCursor advancedTo(long newSeq) {
        return new StreamCursor(stream, Math.max(seq, newSeq), snapshotTakenMs);
    }
}
