package io.driftwatch.source.git;

import java.time.Instant;

/** A revision resolved to a commit: its full SHA and when it was committed. */
public record ResolvedCommit(String sha, Instant commitTime) {}
