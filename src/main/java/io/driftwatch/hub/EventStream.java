package io.driftwatch.hub;

import io.driftwatch.hub.StoreModel.EventRow;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events/stream}: server-sent events of every new drift event, from any hub replica. While clients
 * are connected, the store is polled for events after the last one sent (ids commit in order), so events ingested by
 * another replica sharing the database reach these clients too. A client that cannot keep up is disconnected rather
 * than buffered without bound; it catches up through {@code GET /api/v1/events}.
 */
final class EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int BATCH = 500;
    /** A comment line at least this often, and at least twice per idle timeout, so the listener never drops a client. */
    private static final long MAX_KEEPALIVE_MS = 15_000;

    private record Subscriber(HttpServerResponse response, Set<String> clusters) {}

    private final Vertx vertx;
    private final WorkerExecutor dbPool;
    private final Supplier<HubStore> store;
    private final HubMetrics metrics;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile long lastId;
    private boolean polling;
    private long lastWriteMs = System.currentTimeMillis();

    private final long keepaliveMs;

    EventStream(Vertx vertx, WorkerExecutor dbPool, Supplier<HubStore> store, HubMetrics metrics, long idleTimeoutMs) {
        this.keepaliveMs = Math.min(MAX_KEEPALIVE_MS, Math.max(50, idleTimeoutMs / 2));
        this.vertx = vertx;
        this.dbPool = dbPool;
        this.store = store;
        this.metrics = metrics;
    }

    void startAt(long id) {
        lastId = id;
    }

    void subscribe(RoutingContext ctx, Set<String> clusters) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true)
                .putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        r.write(": driftwatch hub event stream\n\n");
        Subscriber s = new Subscriber(r, clusters);
        subscribers.add(s);
        metrics.sseClients(subscribers.size());
        r.closeHandler(v -> remove(s));
        r.exceptionHandler(e -> remove(s));
    }

    /** Called by a timer on the event loop: fetch what is new (on the database pool) and send it. */
    void poll() {
        HubStore s = store.get();
        if (subscribers.isEmpty() || polling || s == null) {
            if (subscribers.isEmpty() && s != null && !polling) {
                polling = true; // keep the cursor current so a new client starts at "now"
                Http.blocking(dbPool, s::lastEventId).onComplete(ar -> {
                    polling = false;
                    if (ar.succeeded() && subscribers.isEmpty()) {
                        lastId = ar.result();
                    }
                });
            }
            return;
        }
        polling = true;
        long from = lastId;
        Http.blocking(dbPool, () -> s.eventsAfter(from, BATCH)).onComplete(ar -> {
            polling = false;
            if (ar.failed()) {
                LOG.warn(
                        "event stream: reading new events failed: {}",
                        ar.cause().toString());
                return;
            }
            send(ar.result());
        });
    }

    private void send(List<EventRow> events) {
        long now = System.currentTimeMillis();
        if (events.isEmpty()) {
            if (now - lastWriteMs > keepaliveMs) {
                subscribers.forEach(s -> write(s, ": keepalive\n\n"));
                lastWriteMs = now;
            }
            return;
        }
        for (EventRow e : events) {
            String frame = "id: " + e.id() + "\nevent: drift\ndata: " + ReadApi.event(e, true) + "\n\n";
            for (Subscriber s : subscribers) {
                if (s.clusters() == null || s.clusters().contains(e.cluster())) {
                    write(s, frame);
                }
            }
            lastId = e.id();
        }
        lastWriteMs = now;
        if (events.size() == BATCH) {
            vertx.runOnContext(v -> poll());
        }
    }

    private void write(Subscriber s, String frame) {
        if (s.response().writeQueueFull()) {
            LOG.warn("event stream: a client is too slow; disconnecting it");
            remove(s);
            s.response().reset();
            return;
        }
        s.response().write(frame);
    }

    private void remove(Subscriber s) {
        if (subscribers.remove(s)) {
            metrics.sseClients(subscribers.size());
        }
    }

    void close() {
        subscribers.forEach(s -> {
            if (!s.response().ended()) {
                s.response().end();
            }
        });
        subscribers.clear();
    }
}
