package io.driftwatch.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.config.ConfigLoader;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.live.ApiDiscovery;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driftwatch agent: one visible start-up chain, each stage handing the next its inputs — listen (probes and
 * metrics first), connect (client and discovery), assemble ({@link AgentAssembly}: every part, nothing started), start
 * (apps, Argo CD, leader election, resyncs, hub) — and one bounded shutdown in reverse. Blocking work runs on the named
 * pools of {@link AgentPools}; Vert.x serves HTTP and fires timers, and its event loop never blocks.
 */
public final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final long WEBHOOK_BODY_LIMIT = 5L << 20; // GitHub caps payloads at 25 MB; pushes are far smaller

    private final AgentConfig config;
    private final Config clientConfig;
    private final Clock clock;
    private final String identity;
    private final AgentRegistries registries;
    private final AgentPools pools = AgentPools.create();
    private final Vertx vertx;
    private final AgentMetrics metrics;
    private final AgentHttpServer http;
    private final AgentAudit audit;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** The assembled parts; null until the assemble stage is done. */
    private volatile AgentAssembly.Parts parts;

    /** The client and what the API server serves: the connect stage's result. */
    private record Cluster(KubernetesClient client, ApiDiscovery discovery) {}

    public Agent(AgentConfig config, Config clientConfig, Clock clock) {
        this.config = config;
        this.clientConfig = clientConfig;
        this.clock = clock;
        this.identity = System.getenv().getOrDefault("HOSTNAME", "agent") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        this.registries = new AgentRegistries(config, identity);
        // a blocked event loop is a bug: log where it is stuck as soon as it is reported (default: only after 5 s)
        this.vertx = Vertx.vertx(new VertxOptions()
                .setWarningExceptionTime(2)
                .setWarningExceptionTimeUnit(TimeUnit.SECONDS)
                .setMetricsOptions(registries.vertxMetrics()));
        registries.bindJvmMetrics();
        this.metrics = new AgentMetrics(registries.meters(), config.metrics().maxDriftSeries());
        metrics.clusterInfo(config.clusterLabels());
        this.http = new AgentHttpServer(
                vertx,
                pools.http(),
                registries.prometheus(),
                this::notReadyReasons,
                this::openDrifts,
                this::status,
                clock);
        this.audit = config.audit().enabled() ? new AgentAudit(config.audit(), clock, this::reconciler) : null;
        if (audit != null) {
            audit.mount(http.router(), pools.http(), registries.meters());
        }
        http.router()
                .post("/hooks/git")
                .handler(BodyHandler.create().setBodyLimit(WEBHOOK_BODY_LIMIT))
                .handler(ctx -> {
                    AgentAssembly.Parts p = parts;
                    if (p == null) {
                        ctx.response().setStatusCode(503).end("the agent is starting\n");
                    } else {
                        p.webhook().handle(ctx);
                    }
                });
    }

    /** Starts everything; the future completes when the agent runs (not when it is ready). */
    public Future<Void> start() {
        LOG.info(
                "starting driftwatch agent {} for cluster {} with configuration:\n{}",
                identity,
                config.cluster(),
                ConfigLoader.describe(config));
        Context context = vertx.getOrCreateContext();
        return listen().compose(port -> AgentPools.call(pools.diff(), context, this::connect))
                .compose(cluster -> AgentPools.call(pools.diff(), context, () -> assemble(cluster)))
                .compose(this::startParts);
    }

    private Future<Integer> listen() {
        return http.listen(config.http().host(), config.http().port()).map(server -> {
            LOG.info(
                    "listening on {}:{} (/healthz /readyz /metrics /api/v1/drifts)",
                    config.http().host(),
                    server.actualPort());
            return server.actualPort();
        });
    }

    private Cluster connect() {
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(clientConfig).build();
        try {
            LOG.info(
                    "connected to {} (Kubernetes {})",
                    clientConfig.getMasterUrl(),
                    client.getKubernetesVersion().getGitVersion());
            return new Cluster(client, ApiDiscovery.discover(client));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private AgentAssembly.Parts assemble(Cluster cluster) {
        try {
            parts = new AgentAssembly(config, identity, clock, vertx, pools, registries, metrics)
                    .assemble(cluster.client(), cluster.discovery());
            if (audit != null) {
                parts.reconciler().attributeWith(audit.attributor());
            }
            return parts;
        } catch (RuntimeException e) {
            cluster.client().close();
            throw e;
        }
    }

    private Reconciler reconciler() {
        AgentAssembly.Parts p = parts;
        return p == null ? null : p.reconciler();
    }

    private Future<Void> startParts(AgentAssembly.Parts p) {
        p.configuredApps().forEach(app -> p.apps().add(app.source(), app.pollMillis()));
        if (p.argocd() != null) {
            p.argocd().start();
        }
        if (p.election() != null) {
            p.election().start();
        } else {
            p.reconciler().leading(true);
        }
        p.resyncs().start();
        if (p.hub() != null) {
            p.hub().start();
            LOG.info(
                    "reporting to the hub at {} ({} outbox)",
                    config.hub().url(),
                    config.hub().outboxPath() == null
                            ? "in-memory"
                            : config.hub().outboxPath());
        }
        p.readiness().started();
        return Future.succeededFuture();
    }

    public int httpPort() {
        return http.port();
    }

    /** True when the agent is ready ({@code /readyz} answers 200): sources loaded, informers synced, first diff done. */
    public boolean ready() {
        return notReadyReasons().isEmpty();
    }

    /** The drifts open now, as {@code /api/v1/drifts} serves them (embedders such as {@code driftwatch demo}). */
    public List<DriftRecord> openDrifts() {
        AgentAssembly.Parts p = parts;
        return p == null ? List.of() : p.reconciler().openDrifts();
    }

    /** True when every informer's watch is connected (tests and diagnostics). */
    boolean watchingAll() {
        AgentAssembly.Parts p = parts;
        return p != null && p.reconciler().live().notWatching().isEmpty();
    }

    /** Runs a full resync now instead of at the next interval (tests). */
    void fullResyncForTest() {
        parts.reconciler().fullResync();
    }

    /** Why the agent is not ready; empty when it is. */
    List<String> notReadyReasons() {
        AgentAssembly.Parts p = parts;
        if (stopping.get()) {
            return List.of("shutting down");
        }
        return p == null ? List.of("starting") : p.readiness().notReadyReasons();
    }

    private ObjectNode status() {
        AgentAssembly.Parts p = parts;
        return p == null
                ? Readiness.starting(config.cluster(), identity)
                : p.readiness().status(config.cluster(), identity, notReadyReasons());
    }

    /**
     * Stops within the configured timeout: not ready at once, lease released, informers stopped, pending output
     * (Events, state file) flushed, Vert.x closed.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        LOG.info("stopping driftwatch agent {}", identity);
        AgentAssembly.Parts p = parts;
        if (p != null) {
            if (p.election() != null) {
                p.election().stop();
            }
            p.resyncs().close();
            if (p.argocd() != null) {
                p.argocd().close();
            }
            p.apps().close();
            p.reconciler().live().close();
        }
        AgentPools.shutdown(pools.source(), deadline);
        AgentPools.shutdown(pools.render(), deadline);
        AgentPools.shutdown(pools.sweep(), deadline);
        if (p != null && p.repositories() != null) {
            p.repositories().close();
        }
        AgentPools.shutdown(pools.diff(), deadline);
        if (p != null) {
            pools.emit().execute(p.outputs()::saveState);
        }
        AgentPools.shutdown(pools.emit(), deadline);
        if (p != null && p.hub() != null) {
            p.hub().stop(deadline);
        }
        if (p != null) {
            p.client().close();
        }
        // two awaited steps: a callback chained onto the HTTP close would run on an event loop Vert.x has already
        // terminated, and the completion would never arrive
        await(http.close(), deadline, "HTTP listener");
        AgentPools.shutdown(pools.http(), deadline);
        await(vertx.close(), deadline, "Vert.x");
        registries.close();
        LOG.info("driftwatch agent {} stopped", identity);
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
