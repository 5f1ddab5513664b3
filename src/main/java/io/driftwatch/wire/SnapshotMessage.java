package io.driftwatch.wire;

import java.time.Instant;
import java.util.List;

/** Every open drift of a stream as of {@code seq}, taken at {@code takenAt}. */
public record SnapshotMessage(String stream, long seq, Instant takenAt, List<DriftMessage> drifts) {}
