package io.driftwatch.wire;

import java.util.Map;

/** The leader's heartbeat: who it is, its version, its labels and each app's {@link SourceReport}. */
public record HeartbeatMessage(
        String agentId, String version, Map<String, String> labels, Map<String, SourceReport> sources) {}
