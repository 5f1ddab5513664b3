package io.driftwatch.wire;

/** One app's desired-state source in a heartbeat: healthy or not, the revision last read, the last error. */
public record SourceReport(boolean healthy, String revision, String error) {}
