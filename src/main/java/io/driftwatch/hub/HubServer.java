package io.driftwatch.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.config.HubConfig;
import io.driftwatch.config.HubConfigLoader;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub: one visible start-up chain — HTTP listener (probes, metrics, API; ingest answers 503 until the store is
 * open), then the store (pool, migrations), then the timers (fleet metrics, retention, event stream) — and one bounded
 * shutdown. JDBC and body parsing run on the named, bounded worker pool "driftwatch-hub-db"; the event loop only routes.
 */
public final class HubServer {

    private static final Logger LOG = LoggerFactory.getLogger(HubServer.class);
    private static final long STREAM_POLL_MS = 500;
    private static final long STATE_REFRESH_MS = 1000;

    private final HubConfig config;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HubMetrics metrics;
    private final MetricsRelay relay;
    private final PrometheusRegistry agentMetrics = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean refreshRunning = new AtomicBoolean();
    private final AtomicBoolean stateChanged = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();
    private Vertx vertx;
    private WorkerExecutor dbPool;
    private WorkerExecutor relayPool;
    private HttpServer server;
    private EventStream stream;
    private volatile Database database;
    private volatile HubStore store;

    public HubServer(HubConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.metrics = new HubMetrics(
                registry,
                config.metrics().clusterInfoLabels(),
                config.clusters().stream().map(HubConfig.ClusterToken::name).toList(),
                config.metrics().maxDriftSeries());
        this.relay = new MetricsRelay(
                config.metrics().relayStaleAfter().toMillis(),
                config.metrics().relayMaxSeriesPerCluster(),
                clock::millis);
        agentMetrics.register(relay);
        if (config.console().consoleUrl() != null) {
            metrics.consoleUrl(config.console().consoleUrl());
        }
    }

    public Future<Void> start() {
        LOG.info("starting driftwatch hub: {}", HubConfigLoader.describe(config));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        vertx = Vertx.vertx();
        dbPool = vertx.createSharedWorkerExecutor(
                "driftwatch-hub-db", config.storage().poolSize(), 60, TimeUnit.SECONDS);
        relayPool = vertx.createSharedWorkerExecutor("driftwatch-hub-relay", 2, 60, TimeUnit.SECONDS);
        stream = new EventStream(
                vertx,
                dbPool,
                () -> store,
                metrics,
                config.listen().idleTimeout().toMillis());
        return listen().compose(s -> Http.blocking(dbPool, () -> Database.open(config.storage())))
                .compose(this::useStore)
                .compose(v -> {
                    startTimers();
                    LOG.info(
                            "driftwatch hub ready on {}:{} with {} storage",
                            config.listen().host(),
                            port(),
                            config.storage().type());
                    return Future.<Void>succeededFuture();
                });
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private Future<HttpServer> listen() {
        Router router = Router.router(vertx);
        Tokens tokens = new Tokens(config);
        ConnectionTimeouts timeouts = new ConnectionTimeouts(vertx, config.listen());
        router.route().order(-1).handler(timeouts::requestDeadline);
        IngestApi ingest = new IngestApi(
                tokens,
                config.limits(),
                () -> store,
                dbPool,
                metrics,
                () -> stateChanged.set(true),
                relay,
                relayPool,
                clock);
        router.get("/healthz")
                .handler(ctx ->
                        ctx.response().putHeader("content-type", "text/plain").end("ok\n"));
        router.get("/readyz").handler(this::readyz);
        router.get("/metrics").handler(this::scrape);
        router.get("/metrics/agents").handler(this::scrapeAgents);
        ingest.mount(router);
        Sessions sessions = new Sessions(config.console().sessionTtl().toMillis(), clock::millis);
        HubConfig.Oidc oidcConfig = config.console().oidc();
        OidcLogin oidc = oidcConfig == null
                ? null
                : new OidcLogin(
                        vertx,
                        oidcConfig,
                        OidcLogin.readSecret(oidcConfig.clientSecretFile()),
                        sessions,
                        config.console().secureCookies(),
                        clock::millis);
        Console console = new Console(tokens, sessions, config.console(), oidc);
        console.mount(router);
        new ReadApi(console, () -> store, dbPool, clock, config.agentDownAfter().toMillis()).mount(router, stream);
        router.errorHandler(
                404,
                ctx -> Http.error(
                        ctx,
                        404,
                        "not_found",
                        "no such endpoint: " + ctx.request().method() + " "
                                + ctx.request().path()));
        router.errorHandler(405, ctx -> {
            ctx.response()
                    .putHeader(
                            "allow",
                            String.join(
                                    ", ", Routes.allowed(router, ctx.request().path())));
            Http.error(
                    ctx,
                    405,
                    "method_not_allowed",
                    ctx.request().method() + " is not allowed on "
                            + ctx.request().path());
        });
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (status == 413) {
                Http.error(
                        ctx,
                        413,
                        "body_too_large",
                        "the request body exceeds limits.maxBodyBytes ("
                                + config.limits().maxBodyBytes() + " bytes)");
                ingest.finish(ctx, "too_large");
            } else if (status >= 400 && status < 500) {
                Http.error(ctx, status, "bad_request", "the request could not be read");
                ingest.finish(ctx, "invalid");
            } else {
                LOG.error(
                        "request {} {} failed",
                        ctx.request().method(),
                        ctx.request().path(),
                        ctx.failure());
                Http.error(ctx, 500, "internal", "internal error; see the hub's log");
                ingest.finish(ctx, "error");
            }
        });
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.listen().host())
                .setPort(config.listen().port())
                .setMaxHeaderSize(config.listen().maxHeaderBytes())
                .setIdleTimeout((int) config.listen().idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setCompressionSupported(true);
        if (config.listen().tls()) {
            options.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(config.listen().tlsCertFile().toString())
                            .setKeyPath(config.listen().tlsKeyFile().toString()));
        }
        return vertx.createHttpServer(options)
                .connectionHandler(timeouts::connected)
                .invalidRequestHandler(Http::invalidRequest)
                .requestHandler(request -> {
                    timeouts.requestHeadReceived(request);
                    router.handle(request);
                })
                .listen()
                .onSuccess(s -> {
                    server = s;
                    LOG.info(
                            "listening on {}:{} ({})",
                            config.listen().host(),
                            s.actualPort(),
                            config.listen().tls() ? "TLS" : "plain HTTP; terminate TLS in front of it");
                });
    }

    private Future<Void> useStore(Database db) {
        database = db;
        HubStore s = new HubStore(db, clock);
        return Http.blocking(dbPool, s::lastEventId).map(last -> {
            stream.startAt(last);
            store = s;
            return null;
        });
    }

    private void startTimers() {
        refreshSoon();
        timers.add(vertx.setPeriodic(config.metrics().refreshInterval().toMillis(), id -> refreshSoon()));
        // after pushes, the gauges follow within a second, at most one refresh per second however busy the hub is
        timers.add(vertx.setPeriodic(STATE_REFRESH_MS, id -> {
            if (stateChanged.getAndSet(false)) {
                refreshSoon();
            }
        }));
        timers.add(vertx.setPeriodic(STREAM_POLL_MS, id -> stream.poll()));
        timers.add(vertx.setPeriodic(1000, config.retention().pruneInterval().toMillis(), id -> prune()));
    }

    /** Recomputes the fleet gauges from the store (at most one refresh at a time); forgets silent agent processes. */
    private void refreshSoon() {
        relayPool.executeBlocking(
                () -> {
                    relay.sweep(clock.millis());
                    metrics.relaySeries(relay.seriesByCluster());
                    return null;
                },
                false);
        HubStore s = store;
        if (s == null || stopping.get() || !refreshRunning.compareAndSet(false, true)) {
            return;
        }
        Http.blocking(dbPool, () -> {
                    var clusters = s.clusters();
                    Map<String, Map<String, String>> labels = new HashMap<>();
                    for (var c : clusters) {
                        JsonNode node = Http.parse(c.labelsJson());
                        Map<String, String> l = new HashMap<>();
                        node.fields()
                                .forEachRemaining(
                                        f -> l.put(f.getKey(), f.getValue().asText()));
                        labels.put(c.name(), l);
                    }
                    metrics.refresh(
                            clusters,
                            labels,
                            s.stats(),
                            s.driftSeries(metrics.maxDriftSeries()),
                            clock.millis(),
                            config.agentDownAfter().toMillis());
                    return null;
                })
                .onComplete(ar -> {
                    refreshRunning.set(false);
                    if (ar.failed()) {
                        LOG.warn(
                                "refreshing fleet metrics failed: {}",
                                ar.cause().toString());
                    }
                });
    }

    private void prune() {
        HubStore s = store;
        if (s == null || stopping.get()) {
            return;
        }
        long cutoff = clock.millis() - config.retention().history().toMillis();
        Http.blocking(dbPool, () -> s.prune(cutoff)).onComplete(ar -> {
            if (ar.succeeded() && ar.result() > 0) {
                metrics.pruned(ar.result());
                LOG.info(
                        "retention: deleted {} history events older than {}",
                        ar.result(),
                        Instant.ofEpochMilli(cutoff));
            } else if (ar.failed()) {
                LOG.warn("retention: pruning history failed: {}", ar.cause().toString());
            }
        });
    }

    private void readyz(RoutingContext ctx) {
        if (store != null && !stopping.get()) {
            ctx.response().putHeader("content-type", "text/plain").end("ok\n");
        } else {
            ctx.response()
                    .setStatusCode(503)
                    .putHeader("content-type", "text/plain")
                    .end(stopping.get() ? "not ready: shutting down\n" : "not ready: opening the store\n");
        }
    }

    private void scrape(RoutingContext ctx) {
        String accept = ctx.request().getHeader("accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        ctx.response().putHeader("content-type", contentType).end(registry.scrape(contentType));
    }

    /**
     * {@code GET /metrics/agents}: the relayed agent metrics (text format, or OpenMetrics when asked), written by the
     * client library off the event loop.
     */
    private void scrapeAgents(RoutingContext ctx) {
        var writer = formats.findWriter(ctx.request().getHeader("accept"));
        Http.blocking(relayPool, () -> {
                    var out = new ByteArrayOutputStream(64 << 10);
                    writer.write(out, agentMetrics.scrape()); // forgets silent processes first
                    metrics.relaySeries(relay.seriesByCluster());
                    return Buffer.buffer(out.toByteArray());
                })
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        ctx.response()
                                .putHeader("content-type", writer.getContentType())
                                .end(ar.result());
                    } else {
                        LOG.error("writing /metrics/agents failed", ar.cause());
                        Http.error(ctx, 500, "internal", "internal error; see the hub's log");
                    }
                });
    }

    /** Stops within the configured timeout: not ready, timers and streams stopped, listener, pool and store closed. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        LOG.info("stopping driftwatch hub");
        if (vertx != null) {
            timers.forEach(vertx::cancelTimer);
            vertx.runOnContext(v -> stream.close());
            if (server != null) {
                await(server.close(), deadline, "HTTP listener");
            }
            await(dbPool.close(), deadline, "database pool");
            await(relayPool.close(), deadline, "relay pool");
        }
        if (database != null) {
            database.close();
        }
        if (vertx != null) {
            await(vertx.close(), deadline, "Vert.x");
        }
        registry.close();
        LOG.info("driftwatch hub stopped");
    }

    private static void await(Future<Void> future, long deadlineNanos, String what) {
        try {
            future.toCompletionStage()
                    .toCompletableFuture()
                    .get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            LOG.warn("{} did not close before the shutdown deadline: {}", what, e.toString());
        }
    }
}
