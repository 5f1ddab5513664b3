package io.driftwatch.hub;

import io.driftwatch.config.HubConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Vert.x's idle timeout does not cover: a connection that trickles a request head byte by byte (never idle, never
 * done) is closed {@code headerTimeout} after it connected or after its previous response; a request not answered
 * within {@code requestTimeout} (a body that never finishes arriving, a store that hangs) gets 408 / 503 and its
 * connection is closed. The event stream, which is meant to stay open, has no request deadline.
 */
final class ConnectionTimeouts {

    static final String STREAM_PATH = "/api/v1/events/stream";

    private final Vertx vertx;
    private final long headerMillis;
    private final long requestMillis;
    private final Map<HttpConnection, Long> awaitingHead = new ConcurrentHashMap<>();

    ConnectionTimeouts(Vertx vertx, HubConfig.Listen listen) {
        this.vertx = vertx;
        this.headerMillis = listen.headerTimeout().toMillis();
        this.requestMillis = listen.requestTimeout().toMillis();
    }

    /** A new connection: it has {@code headerTimeout} to send a whole request head. */
    void connected(HttpConnection connection) {
        connection.closeHandler(v -> disarm(connection));
        arm(connection);
    }

    /** A request head arrived: no head deadline until its response is sent. */
    void requestHeadReceived(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        disarm(connection);
        request.response().endHandler(v -> arm(connection));
    }

    /** First route of every request: answers and closes the connection if the request is still open at its deadline. */
    void requestDeadline(RoutingContext ctx) {
        if (ctx.request().path().equals(STREAM_PATH)) {
            ctx.next();
            return;
        }
        long timer = vertx.setTimer(requestMillis, id -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            boolean bodyIncomplete = !ctx.request().isEnded();
            Http.error(
                    ctx,
                    bodyIncomplete ? 408 : 503,
                    "request_timeout",
                    bodyIncomplete
                            ? "the request was not received within listen.requestTimeout"
                            : "the request was not answered within listen.requestTimeout");
            ctx.request().connection().close();
        });
        ctx.addEndHandler(v -> vertx.cancelTimer(timer));
        ctx.next();
    }

    private void arm(HttpConnection connection) {
        long timer = vertx.setTimer(headerMillis, id -> {
            if (awaitingHead.remove(connection, id)) {
                connection.close();
            }
        });
        Long previous = awaitingHead.put(connection, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    private void disarm(HttpConnection connection) {
        Long timer = awaitingHead.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
