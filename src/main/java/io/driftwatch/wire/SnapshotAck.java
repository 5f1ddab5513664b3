package io.driftwatch.wire;

/** The hub's answer to a snapshot: the seq it now holds, and whether the snapshot was applied (not older). */
public record SnapshotAck(long ack, boolean applied) {}
