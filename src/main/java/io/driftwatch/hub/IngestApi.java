package io.driftwatch.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.HubConfig;
import io.driftwatch.wire.EventsAck;
import io.driftwatch.wire.SnapshotAck;
import io.driftwatch.wire.Wire;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/clusters/{cluster}/events|snapshot|heartbeat|metrics}: authenticated by the cluster's own token
 * before the body is read, size-limited, parsed and stored on the database pool (metrics: parsed and kept in memory by
 * the {@link MetricsRelay}, on the relay pool); the event loop only routes.
 */
final class IngestApi {

    private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);
    static final String KIND = "driftwatch.kind";
    static final String STARTED = "driftwatch.started";
    /** Data points one metrics push may hold (the body limit bounds it too); beyond the cluster's cap they are dropped. */
    private static final int MAX_PUSH_POINTS = 200_000;

    private final Tokens tokens;
    private final HubConfig.Limits limits;
    private final Supplier<HubStore> store;
    private final WorkerExecutor dbPool;
    private final HubMetrics metrics;
    private final Runnable stored;
    private final MetricsRelay relay;
    private final WorkerExecutor relayPool;
    private final Clock clock;

    IngestApi(
            Tokens tokens,
            HubConfig.Limits limits,
            Supplier<HubStore> store,
            WorkerExecutor dbPool,
            HubMetrics metrics,
            Runnable stored,
            MetricsRelay relay,
            WorkerExecutor relayPool,
            Clock clock) {
        this.clock = clock;
        this.tokens = tokens;
        this.limits = limits;
        this.store = store;
        this.dbPool = dbPool;
        this.metrics = metrics;
        this.stored = stored;
        this.relay = relay;
        this.relayPool = relayPool;
    }

    /** The times a push may carry, from the hub's clock now. */
    private Protocol.TimeBounds bounds() {
        return Protocol.TimeBounds.around(clock.instant(), limits.maxClockSkew());
    }

    void mount(Router router) {
        for (String kind : HubMetrics.KINDS) {
            // two routes: Vert.x wants a body handler first on its route, and the token is checked before the body
            // is read (an unauthenticated client cannot make the hub buffer anything)
            router.post("/api/v1/clusters/:cluster/" + kind).handler(ctx -> authorize(ctx, kind));
            router.post("/api/v1/clusters/:cluster/" + kind)
                    .handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()))
                    .handler(ctx -> ingest(ctx, kind));
        }
    }

    private void authorize(RoutingContext ctx, String kind) {
        ctx.put(KIND, kind);
        ctx.put(STARTED, System.nanoTime());
        String cluster = ctx.pathParam("cluster");
        var principal = Http.authenticate(ctx, tokens);
        if (principal.isEmpty()) {
            finish(ctx, "unauthorized");
            return;
        }
        if (!principal.get().mayWrite(cluster)) {
            LOG.warn("refused a {} push for cluster {} from {}", kind, cluster, principal.get());
            Http.error(
                    ctx,
                    403,
                    "forbidden",
                    principal.get().role() == Principal.Role.READER
                            ? "a read token cannot push"
                            : "this token may push only for its own cluster");
            finish(ctx, "forbidden");
            return;
        }
        String type = ctx.request().getHeader("content-type");
        if (type != null && !Http.isJson(type)) {
            Http.error(
                    ctx,
                    415,
                    "unsupported_media_type",
                    "Content-Type " + type.substring(0, Math.min(100, type.length()))
                            + " is not JSON; send application/json");
            finish(ctx, "invalid");
            return;
        }
        ctx.next();
    }

    private void ingest(RoutingContext ctx, String kind) {
        if (kind.equals("metrics")) {
            relay(ctx);
            return;
        }
        HubStore s = store.get();
        if (s == null) {
            Http.error(ctx, 503, "starting", "the hub's store is not open yet");
            finish(ctx, "error");
            return;
        }
        String cluster = ctx.pathParam("cluster");
        byte[] body =
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        Callable<ObjectNode> work = switch (kind) {
            case "events" ->
                () -> {
                    var batch = Protocol.events(body, limits.maxBatchEvents(), bounds());
                    var r = s.ingest(cluster, batch);
                    metrics.events(r.stored(), r.duplicates());
                    metrics.driftEvents(cluster, r.fresh());
                    return Wire.JSON.valueToTree(
                            new EventsAck(r.ack(), r.stored(), r.duplicates(), r.snapshotWanted()));
                };
            case "snapshot" ->
                () -> {
                    var snapshot = Protocol.snapshot(body, limits.maxSnapshotDrifts(), bounds());
                    var r = s.snapshot(cluster, snapshot);
                    if (r.applied()) {
                        LOG.info(
                                "cluster {}: snapshot of {} open drifts at seq {} applied ({} later events replayed)",
                                cluster,
                                r.drifts(),
                                r.ack(),
                                r.replayed());
                    }
                    return Wire.JSON.valueToTree(new SnapshotAck(r.ack(), r.applied()));
                };
            default ->
                () -> {
                    var hb = Protocol.heartbeat(body);
                    s.heartbeat(
                            cluster,
                            hb,
                            Http.JSON.writeValueAsString(hb.labels()),
                            Http.JSON.writeValueAsString(hb.sources()));
                    return Http.JSON.createObjectNode().put("ok", true);
                };
        };
        Http.blocking(dbPool, work).onComplete(ar -> {
            if (ar.succeeded()) {
                Http.json(ctx, 200, ar.result());
                finish(ctx, "ok");
                if (!kind.equals("heartbeat")) {
                    stored.run();
                }
            } else {
                failed(ctx, cluster, kind, ar.cause());
            }
        });
    }

    /** A metrics push: validated and handed to the relay; nothing is stored. */
    private void relay(RoutingContext ctx) {
        String cluster = ctx.pathParam("cluster");
        byte[] body =
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        Http.blocking(relayPool, () -> {
                    var push = Protocol.metrics(body, MAX_PUSH_POINTS);
                    var r = relay.accept(cluster, push);
                    if (r.dropped() > 0) {
                        metrics.relayDropped(cluster, r.dropped());
                    }
                    metrics.relaySeries(relay.seriesByCluster());
                    return Http.JSON
                            .createObjectNode()
                            .put("series", r.series())
                            .put("dropped", r.dropped());
                })
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        Http.json(ctx, 200, ar.result());
                        finish(ctx, "ok");
                    } else {
                        failed(ctx, cluster, "metrics", ar.cause());
                    }
                });
    }

    private void failed(RoutingContext ctx, String cluster, String kind, Throwable cause) {
        if (cause instanceof BadRequest e) {
            Http.error(ctx, e);
            finish(ctx, e.status() == 413 ? "too_large" : "invalid");
        } else {
            LOG.error("cluster {}: storing a {} push failed: {}", cluster, kind, cause.toString(), cause);
            Http.error(ctx, 500, "store_failed", "the hub could not store this push; retry later");
            finish(ctx, "error");
        }
    }

    /** Counts and times a finished ingest request (also called by the router's failure handler). */
    void finish(RoutingContext ctx, String result) {
        String kind = ctx.get(KIND);
        Long started = ctx.get(STARTED);
        if (kind != null && started != null) {
            metrics.ingest(kind, result, started);
            ctx.remove(KIND);
        }
    }
}
