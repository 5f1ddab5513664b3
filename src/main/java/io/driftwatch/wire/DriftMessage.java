package io.driftwatch.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One drift as sent: its id, times, and the drift object of docs/diff.md (Secret values redacted). */
public record DriftMessage(String driftId, Instant onset, Instant lastSeen, JsonNode drift) {}
