package io.driftwatch.hub;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the store returns and how it is asked: plain records, no JDBC types. */
public final class StoreModel {

    private StoreModel() {}

    /** {@code fresh}: the events of the batch stored now (not duplicates), in batch order. */
    public record IngestResult(long ack, List<Protocol.Event> fresh, int duplicates, boolean snapshotWanted) {
        public int stored() {
            return fresh.size();
        }
    }

    public record SnapshotResult(long ack, boolean applied, int drifts, int replayed) {}

    public record ClusterRow(
            String name,
            String agentId,
            String version,
            String labelsJson,
            String sourcesJson,
            Long lastSeenMs,
            String stream,
            long stateSeq,
            long snapshotMs,
            long openDrifts) {}

    public record DriftRow(
            String cluster,
            String driftId,
            String namespace,
            String kind,
            String name,
            String app,
            String type,
            String summary,
            long onsetMs,
            long lastSeenMs,
            String driftJson,
            String cause) {}

    public record EventRow(
            long id,
            String cluster,
            String stream,
            long seq,
            String type,
            String driftId,
            String namespace,
            String kind,
            String name,
            String app,
            String driftType,
            String summary,
            long onsetMs,
            long lastSeenMs,
            Long resolvedAtMs,
            long receivedMs,
            String driftJson) {}

    /**
     * Filters for the open-drift list; null means any. {@code clusters} null = every cluster, empty = none; {@code
     * actor}: an audit user name some change (or the object's deletion or creation) is attributed to, exactly.
     */
    public record DriftQuery(
            Set<String> clusters,
            String namespace,
            String app,
            String kind,
            String type,
            String cause,
            String actor,
            String afterCluster,
            String afterDriftId,
            int limit) {}

    /** Filters for history, newest first; {@code beforeId} pages back. */
    public record HistoryQuery(
            Set<String> clusters, String driftId, String type, Long sinceMs, Long beforeId, int limit) {}

    public record Page<T>(List<T> items, boolean more) {}

    public record OpenCount(
            String cluster, String namespace, String kind, String app, String type, String cause, long count) {}

    /** One open drift as a per-drift series: its labels and onset. */
    public record DriftSeries(
            String cluster,
            String namespace,
            String kind,
            String name,
            String app,
            String type,
            String cause,
            String manager,
            long onsetMs) {}

    /** Everything the fleet gauges need, read in one pass. */
    public record Stats(List<OpenCount> open, Map<String, Long> oldestOnsetMs, long events, long sizeBytes) {}
}
