package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.audit.Attributor;
import io.driftwatch.audit.AuditEvents;
import io.driftwatch.audit.AuditIndex;
import io.driftwatch.audit.AuditLogTailer;
import io.driftwatch.audit.Identity;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftReport;
import io.driftwatch.diff.ObjectKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code diff --audit-log FILE}: names the actor of each reported change from an audit log file as the API server's
 * log backend writes it (one {@code audit.k8s.io/v1} Event a line), read once from its start with the agent's parser,
 * bounds and matching. Only writes of the drifted objects' kinds are kept; every event in the file counts, however old
 * (a one-shot report looks back as far as the file goes). A final line still being written is not read; lines that are
 * not events, or longer than {@link #MAX_LINE_BYTES}, are skipped and counted in a warning.
 */
final class AuditLogAttribution {

    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    private static final long MAX_WRITES = 1_000_000;
    private static final Duration EVERYTHING = Duration.ofDays(3650);

    private AuditLogAttribution() {}

    /** The file's problem as a user error, or null when it can be read. */
    static String problem(Path file) {
        if (Files.isDirectory(file)) {
            return "--audit-log " + file + " is a directory; it takes the audit log file (kube-apiserver "
                    + "--audit-log-path)";
        }
        return Files.isReadable(file) ? null : "--audit-log " + file + " does not exist or is not readable";
    }

    /**
     * @param live the live objects by key (for the exact resourceVersion match)
     * @param plural the resource name (plural) of a key's kind, as audit events name it; null when unknown
     */
    static DriftReport attribute(
            Path file,
            DriftReport report,
            Map<ObjectKey, JsonNode> live,
            Function<ObjectKey, String> plural,
            boolean countAdmission,
            PrintWriter err) {
        Map<ObjectKey, String> resources = new HashMap<>();
        Set<String> kinds = new HashSet<>();
        for (Drift d : report.drifts()) {
            String resource = plural.apply(d.key());
            if (resource != null) {
                resources.put(d.key(), resource);
                kinds.add(d.key().group() + "/" + resource);
            }
        }
        AuditIndex index = new AuditIndex(MAX_WRITES, EVERYTHING, Clock.systemUTC());
        AuditLogTailer reader = new AuditLogTailer(
                file,
                new AuditEvents((group, resource) -> kinds.contains(group + "/" + resource)),
                index,
                MAX_LINE_BYTES,
                Clock.systemUTC(),
                writes -> {});
        reader.poll();
        reader.close();
        long skipped = reader.lines("malformed") + reader.lines("too-large");
        if (skipped > 0) {
            err.println("warning: --audit-log " + file + ": " + reader.lines("malformed")
                    + " lines that are not audit.k8s.io/v1 events and " + reader.lines("too-large") + " lines over "
                    + MAX_LINE_BYTES + " bytes skipped");
        }
        Attributor attributor = new Attributor(index, new Identity(List.of()));
        List<Drift> attributed = new ArrayList<>(report.drifts().size());
        for (Drift d : report.drifts()) {
            String resource = resources.get(d.key());
            attributed.add(resource == null ? d : attributor.attribute(d, live.get(d.key()), resource));
        }
        return DriftReport.of(report.summary().desired(), attributed, countAdmission);
    }
}
