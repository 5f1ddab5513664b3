package io.driftwatch.emit.hub;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.driftwatch.BuildInfo;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.diff.ReportJson;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.net.Backoff;
import io.driftwatch.wire.DriftMessage;
import io.driftwatch.wire.EventBatchMessage;
import io.driftwatch.wire.EventMessage;
import io.driftwatch.wire.EventsAck;
import io.driftwatch.wire.HeartbeatMessage;
import io.driftwatch.wire.SnapshotMessage;
import io.driftwatch.wire.SourceReport;
import io.driftwatch.wire.Wire;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports this cluster to the hub (docs/hub-protocol.md). Drift events get the next sequence number and go to the
 * {@link Outbox} synchronously, on the thread that produced them ({@link HubEvents}); one thread ("driftwatch-hub")
 * pushes: a snapshot
 * when one is due, asked for by the hub, or needed because events were dropped; a heartbeat every interval; then the
 * outbox in batches, removing what the hub acknowledges. A failed push waits per {@link Backoff}. Snapshots and
 * heartbeats come only from the leader; every replica pushes its own metrics ({@link MetricsSnapshot}) every
 * {@code hub.metricsInterval}, and a last, empty one when it stops, so that the hub drops its series at once.
 */
public final class HubReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubReporter.class);
    private static final TypeReference<Map<String, SourceReport>> SOURCES = new TypeReference<>() {};
    private static final long TICK_MS = 250;
    private static final long MAX_BATCH_BYTES = 4L << 20; // half the hub's default body limit

    /** Open drifts and the seq they reflect, taken together on the thread that produces events. */
    public record Snapshot(long seq, List<DriftRecord> drifts) {}

    /** What the reporter needs to know about the agent. */
    public interface AgentState {
        boolean leading();

        /** A consistent snapshot, or a future of null while there is no complete picture yet. */
        CompletableFuture<Snapshot> snapshot(Outbox outbox);

        /** Per-app source health: {@code {app: {healthy, revision, error}}}. */
        JsonNode sources();
    }

    private final AgentConfig.Hub config;
    private final String cluster;
    private final Map<String, String> labels;
    private final String agentId;
    private final Outbox outbox;
    private final HubClient client;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final AgentState state;
    private final PrometheusRegistry metricsSource;
    private final Instant startedAt;
    private final Backoff backoff = new Backoff(Math::random);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "driftwatch-hub");
        t.setDaemon(true);
        return t;
    });
    private Instant nextAttempt = Instant.EPOCH;
    private Instant nextSnapshot = Instant.EPOCH;
    private Instant nextHeartbeat = Instant.EPOCH;
    private Instant nextMetrics = Instant.EPOCH;
    private volatile boolean snapshotWanted = true;
    private volatile boolean metricsRelayed = true;
    private int failuresLogged;

    public HubReporter(
            AgentConfig.Hub config,
            String cluster,
            Map<String, String> labels,
            String agentId,
            Outbox outbox,
            HubClient client,
            AgentMetrics metrics,
            Clock clock,
            AgentState state,
            PrometheusRegistry metricsSource) {
        this.config = config;
        this.cluster = cluster;
        this.labels = Map.copyOf(labels);
        this.agentId = agentId;
        this.outbox = outbox;
        this.client = client;
        this.metrics = metrics;
        this.clock = clock;
        this.state = state;
        this.metricsSource = metricsSource;
        this.startedAt = clock.instant();
        metrics.hubOutbox(outbox::size, outbox::bytes);
    }

    public void start() {
        LOG.info(
                "reporting to the hub at {} ({} outbox)",
                config.url(),
                config.outboxPath() == null ? "in-memory" : config.outboxPath());
        thread.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** One round: snapshot and heartbeat when due, then everything queued. Never throws. */
    void tick() {
        Instant now = clock.instant();
        if (now.isBefore(nextAttempt)) {
            return;
        }
        try {
            if (outbox.takeDropped()) {
                snapshotWanted = true;
            }
            if (state.leading() && (snapshotWanted || !now.isBefore(nextSnapshot))) {
                pushSnapshot(now);
            }
            if (state.leading() && !now.isBefore(nextHeartbeat)) {
                pushHeartbeat();
                nextHeartbeat = now.plus(config.heartbeatInterval());
            }
            if (config.metricsEnabled() && metricsRelayed && !now.isBefore(nextMetrics)) {
                pushMetrics(false);
                nextMetrics = now.plus(config.metricsInterval());
            }
            while (outbox.size() > 0) {
                pushEvents();
            }
            backoff.succeeded();
            if (failuresLogged > 0) {
                LOG.info("hub reachable again; outbox drained");
                failuresLogged = 0;
            }
        } catch (PushFailed e) {
            Duration wait = backoff.failed();
            nextAttempt = clock.instant().plus(wait);
            if (failuresLogged++ < 3 || backoff.failures() % 20 == 0) {
                LOG.warn(
                        "hub push failed ({} consecutive): {}; {} events queued, retrying in {} ms",
                        backoff.failures(),
                        e.getMessage(),
                        outbox.size(),
                        wait.toMillis());
            }
        } catch (RuntimeException e) {
            LOG.error("hub reporter: unexpected failure", e);
            nextAttempt = clock.instant().plus(backoff.failed());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pushSnapshot(Instant now) throws PushFailed, InterruptedException {
        Snapshot snapshot;
        try {
            snapshot = state.snapshot(outbox).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("hub: could not take a snapshot: {}", e.toString());
            return;
        }
        if (snapshot == null) {
            return; // no complete picture yet (first diff running, or not leading)
        }
        SnapshotDiffs.Bounded bounded = SnapshotDiffs.bound(snapshot.drifts(), config.snapshotFullDiffBytes());
        if (bounded.narrowed() > 0) {
            LOG.info(
                    "hub snapshot: {} drift diff(s) sent with 3 lines of context (hub.snapshotFullDiffBytes {} reached)",
                    bounded.narrowed(),
                    config.snapshotFullDiffBytes());
        }
        HubClient.Response response =
                post("snapshot", snapshotJson(outbox.stream(), snapshot.seq(), bounded.drifts(), now));
        if (!response.ok()) {
            metrics.hubPush("snapshot", "rejected");
            LOG.error("hub refused a snapshot with {}: {}", response.status(), response.body());
            nextSnapshot = now.plus(config.snapshotInterval());
            return;
        }
        metrics.hubPush("snapshot", "success");
        metrics.hubLastSuccess(clock.instant());
        snapshotWanted = false;
        nextSnapshot = now.plus(config.snapshotInterval());
    }

    private void pushHeartbeat() throws PushFailed, InterruptedException {
        HubClient.Response response = post("heartbeat", heartbeatJson(agentId, labels, state.sources()));
        if (!response.ok()) {
            metrics.hubPush("heartbeat", "rejected");
            LOG.error("hub refused a heartbeat with {}: {}", response.status(), response.body());
            return;
        }
        metrics.hubPush("heartbeat", "success");
        metrics.hubLastSuccess(clock.instant());
    }

    /** This replica's metrics; {@code last}: an empty push saying this process stops (its series go at once). */
    private void pushMetrics(boolean last) throws PushFailed, InterruptedException {
        String body = MetricsSnapshot.json(metricsSource, agentId, startedAt, last);
        HubClient.Response response = post("metrics", body);
        if (response.status() == 404) {
            metrics.hubPush("metrics", "rejected");
            LOG.warn("the hub does not relay agent metrics (an older hub: 404); this replica stops pushing them");
            metricsRelayed = false;
            return;
        }
        if (!response.ok()) {
            metrics.hubPush("metrics", "rejected");
            LOG.error("hub refused the metrics push with {}: {}", response.status(), abbreviate(response.body()));
            return;
        }
        metrics.hubPush("metrics", "success");
        metrics.hubLastSuccess(clock.instant());
    }

    private void pushEvents() throws PushFailed, InterruptedException {
        List<Outbox.Entry> batch = outbox.peek(config.batchSize(), MAX_BATCH_BYTES);
        long last = batch.get(batch.size() - 1).seq();
        HubClient.Response response = post("events", eventsJson(outbox.stream(), batch));
        try {
            if (response.ok()) {
                JsonNode tree = Wire.JSON.readTree(response.body());
                EventsAck answer =
                        tree.isObject() ? Wire.read(tree, EventsAck.class) : new EventsAck(null, 0, 0, false);
                outbox.ack(answer.ack() == null ? last : answer.ack());
                if (answer.snapshotWanted()) {
                    snapshotWanted = true;
                }
                metrics.hubPush("events", "success");
                metrics.hubLastSuccess(clock.instant());
            } else {
                // refused for good (malformed or over a limit): never retried, or it would block the outbox forever
                metrics.hubPush("events", "rejected");
                LOG.error(
                        "hub refused {} events (seq {}..{}) with {}: {}; dropping them",
                        batch.size(),
                        batch.get(0).seq(),
                        last,
                        response.status(),
                        response.body());
                outbox.discard(last);
                snapshotWanted = true;
            }
        } catch (IOException e) {
            throw new PushFailed("hub outbox: " + e);
        }
    }

    /** Transport failures, 5xx, 401/403 and 429 are retried; other 4xx are returned to the caller. */
    private HubClient.Response post(String what, String json) throws PushFailed, InterruptedException {
        HubClient.Response response;
        try {
            response = client.post(cluster, what, json);
        } catch (IOException e) {
            metrics.hubPush(what, "error");
            throw new PushFailed(what + ": " + e);
        }
        int s = response.status();
        if (s >= 500 || s == 401 || s == 403 || s == 429 || s == 408) {
            metrics.hubPush(what, "error");
            throw new PushFailed(what + ": hub answered " + s + " " + abbreviate(response.body()));
        }
        return response;
    }

    /** Stops pushing; one last attempt to deliver what is queued, within {@code deadline}. */
    public void stop(long deadlineNanos) {
        thread.shutdownNow();
        try {
            thread.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()) / 2, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (config.metricsEnabled() && metricsRelayed && !Thread.currentThread().isInterrupted()) {
            try {
                pushMetrics(true);
            } catch (PushFailed | RuntimeException e) {
                LOG.info("hub: could not say goodbye ({}); this replica's series go stale at the hub", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (outbox.size() > 0 && !Thread.currentThread().isInterrupted()) {
            try {
                pushEvents();
            } catch (PushFailed | RuntimeException e) {
                LOG.info(
                        "hub: {} events stay queued{}",
                        outbox.size(),
                        config.outboxPath() == null
                                ? " and are lost (no outboxPath); the next snapshot carries the state"
                                : " on disk");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        outbox.close();
    }

    static String snapshotJson(String stream, Snapshot snapshot, Instant takenAt) {
        return snapshotJson(
                stream,
                snapshot.seq(),
                snapshot.drifts().stream().map(HubReporter::drift).toList(),
                takenAt);
    }

    private static String snapshotJson(String stream, long seq, List<DriftMessage> drifts, Instant takenAt) {
        return Wire.write(new SnapshotMessage(stream, seq, takenAt, drifts));
    }

    /** {@code sources}: per app {@code {healthy, revision, error}} (other fields of the agent's status stay home). */
    static String heartbeatJson(String agentId, Map<String, String> labels, JsonNode sources) {
        return Wire.write(new HeartbeatMessage(
                agentId, BuildInfo.current().version(), labels, Wire.JSON.convertValue(sources, SOURCES)));
    }

    /** A batch of queued events, as they were written by {@link #eventJson(long, DriftEvent)}. */
    static String eventsJson(String stream, List<Outbox.Entry> batch) {
        return Wire.write(new EventBatchMessage(
                stream, batch.stream().map(e -> new RawValue(e.json())).toList()));
    }

    static String eventJson(long seq, DriftEvent event) {
        DriftRecord r = event.record();
        return Wire.write(EventMessage.of(seq, event.type().label(), drift(r), r.resolvedAt()));
    }

    private static DriftMessage drift(DriftRecord r) {
        return new DriftMessage(r.id(), r.onset(), r.lastSeen(), ReportJson.toJson(r.drift()));
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** A push that should be retried later. */
    static final class PushFailed extends Exception {
        private static final long serialVersionUID = 1L;

        PushFailed(String message) {
            super(message, null, false, false);
        }
    }
}
