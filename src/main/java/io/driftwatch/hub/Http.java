package io.driftwatch.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Small HTTP helpers shared by the hub's handlers: JSON responses, JSON errors, bearer authentication. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private Http() {}

    static void json(RoutingContext ctx, int status, JsonNode body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(body.toString());
    }

    /** {@code {"error": code, "message": ...}}: every 4xx/5xx the hub answers has this shape. */
    static void error(RoutingContext ctx, int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode().put("error", code).put("message", message);
        if (status == 401 && !ctx.response().headWritten()) {
            ctx.response().putHeader("www-authenticate", "Bearer realm=\"driftwatch-hub\"");
        }
        json(ctx, status, body);
    }

    static void error(RoutingContext ctx, BadRequest e) {
        error(ctx, e.status(), e.code(), e.getMessage());
    }

    /**
     * A request whose head could not be decoded (a control character in a header, a garbage request line, a line or
     * head over the limits): 414, 431 or else 400, as Vert.x's default handler answers, but with the JSON error naming
     * what was wrong; then the connection is closed.
     */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String problem = cause == null || cause.getMessage() == null ? "malformed request" : cause.getMessage();
        int status = 400;
        if (cause instanceof TooLongFrameException && problem.startsWith("An HTTP line is larger than")) {
            status = 414;
        } else if (cause instanceof TooLongFrameException && problem.startsWith("HTTP header is larger than")) {
            status = 431;
        }
        String code = status == 414 ? "uri_too_long" : status == 431 ? "header_too_large" : "bad_request";
        String message = "the request head could not be read: " + problem.substring(0, Math.min(200, problem.length()));
        request.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader("connection", "close")
                .end(JSON.createObjectNode()
                        .put("error", code)
                        .put("message", message)
                        .toString())
                .onComplete(ar -> request.connection().close());
    }

    /** Whether a Content-Type header names JSON ({@code application/json}, parameters such as a charset allowed). */
    static boolean isJson(String contentType) {
        return contentType.split(";", 2)[0].strip().equalsIgnoreCase("application/json");
    }

    /** The principal of the request's bearer token, or a 401 answered and empty. */
    static Optional<Principal> authenticate(RoutingContext ctx, Tokens tokens) {
        String header = ctx.request().getHeader("authorization");
        Optional<Principal> principal = tokens.authenticate(header);
        if (principal.isEmpty()) {
            error(
                    ctx,
                    401,
                    "unauthorized",
                    header == null
                            ? "missing bearer token (Authorization: Bearer ...)"
                            : "unknown or malformed bearer token");
        }
        return principal;
    }

    /** Runs blocking work (JDBC, JSON parsing of large bodies) on the hub's bounded database pool. */
    static <T> Future<T> blocking(WorkerExecutor pool, Callable<T> work) {
        return pool.executeBlocking(work, false);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
