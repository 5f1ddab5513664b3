package io.driftwatch.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.diff.ReportJson;
import io.driftwatch.drift.DriftRecord;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The agent's one HTTP listener (TLS when configured): {@code /healthz} (liveness), {@code /readyz} (readiness, with reasons when not
 * ready), {@code /metrics} (Prometheus text), {@code /api/v1/drifts} (open drifts as JSON, filtered by
 * {@link DriftListFilter}), {@code /api/v1/status},
 * {@code POST /hooks/git} and, with audit on, {@code POST /api/v1/audit}. They read the {@link AgentState}; handlers
 * only read snapshots, so the event loop never blocks; what may wait (readiness, status) runs on the "driftwatch-http"
 * pool.
 */
final class AgentHttpServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final ExecutorService blocking;
    private final PrometheusMeterRegistry registry;
    private final AgentState state;
    private final Clock clock;
    private final Router router;
    private HttpServer server;

    /**
     * Every route, mounted before the agent listens: the probes, metrics and API above, the Git webhook (answering 503
     * until the agent is assembled) and, with audit on, {@code POST /api/v1/audit}.
     */
    AgentHttpServer(AgentAssembly.Runtime runtime, AgentState state, Clock clock) {
        this.vertx = runtime.vertx();
        this.blocking = runtime.pools().http();
        this.registry = runtime.registries().prometheus();
        this.state = state;
        this.clock = clock;
        this.router = Router.router(vertx);
        router.get("/healthz")
                .handler(ctx ->
                        ctx.response().putHeader("content-type", "text/plain").end("ok\n"));
        router.get("/readyz").handler(this::readyz);
        router.get("/metrics").handler(this::metrics);
        router.get("/api/v1/drifts").handler(this::drifts);
        router.get("/api/v1/status")
                .handler(ctx -> AgentPools.call(blocking, vertx.getOrCreateContext(), state::status)
                        .onSuccess(body -> json(ctx, 200, body))
                        .onFailure(ctx::fail));
        GitWebhookRoute.mount(router, state::webhook);
        if (runtime.audit() != null) {
            runtime.audit().mount(router, blocking, runtime.registries().meters());
        }
    }

    /** Listens on plain HTTP, or TLS when {@code http.tlsCertFile} and {@code http.tlsKeyFile} are set (PEM). */
    Future<HttpServer> listen(AgentConfig.Http http) {
        HttpServerOptions options = new HttpServerOptions();
        if (http.tls()) {
            options.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(http.tlsCertFile().toString())
                            .setKeyPath(http.tlsKeyFile().toString()));
        }
        return vertx.createHttpServer(options)
                .requestHandler(router)
                .listen(http.port(), http.host())
                .onSuccess(s -> server = s);
    }

    int port() {
        return server == null ? -1 : server.actualPort();
    }

    Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /**
     * Readiness asks the informers whether they synced, which waits on fabric8's lock while an initial list of tens of
     * thousands of objects is stored: answered from the "driftwatch-http" pool so the event loop never waits.
     */
    private void readyz(RoutingContext ctx) {
        AgentPools.call(blocking, vertx.getOrCreateContext(), state::notReadyReasons)
                .onSuccess(reasons -> answerReadiness(ctx, reasons))
                .onFailure(ctx::fail);
    }

    private static void answerReadiness(RoutingContext ctx, List<String> reasons) {
        if (reasons.isEmpty()) {
            ctx.response().putHeader("content-type", "text/plain").end("ok\n");
        } else {
            ctx.response()
                    .setStatusCode(503)
                    .putHeader("content-type", "text/plain")
                    .end("not ready:\n- " + String.join("\n- ", reasons) + "\n");
        }
    }

    private void metrics(RoutingContext ctx) {
        String accept = ctx.request().getHeader("accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        ctx.response().putHeader("content-type", contentType).end(registry.scrape(contentType));
    }

    /** Open drifts, narrowed by {@link DriftListFilter}'s query parameters (400 naming every bad one). */
    private void drifts(RoutingContext ctx) {
        DriftListFilter filter;
        try {
            filter = DriftListFilter.parse(query(ctx));
        } catch (IllegalArgumentException e) {
            json(ctx, 400, JSON.createObjectNode().put("error", "invalid").put("message", e.getMessage()));
            return;
        }
        ArrayNode drifts = JSON.createArrayNode();
        for (DriftRecord r : state.openDrifts()) {
            if (!filter.test(r.drift())) {
                continue;
            }
            ObjectNode d = ReportJson.toJson(r.drift());
            d.put("id", r.id());
            d.put("onset", r.onset().toString());
            d.put("lastSeen", r.lastSeen().toString());
            d.put("ageSeconds", r.age(clock.instant()).toSeconds());
            drifts.add(d);
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("drifts", drifts);
        json(ctx, 200, body);
    }

    private static Map<String, List<String>> query(RoutingContext ctx) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : ctx.queryParams().names()) {
            query.put(name, ctx.queryParams().getAll(name));
        }
        return query;
    }

    private static void json(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(body.toString());
    }
}
