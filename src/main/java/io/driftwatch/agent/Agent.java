package io.driftwatch.agent;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.config.ConfigLoader;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.live.ApiDiscovery;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driftwatch agent: one visible start-up chain, each stage handing the next its inputs — listen (probes and
 * metrics first), connect (client and discovery), assemble ({@link AgentAssembly}: every part, nothing started), start
 * ({@link AgentParts#start}: apps, Argo CD, leader election, resyncs, hub) — and one bounded shutdown in reverse.
 * Where it is in that chain is its {@link AgentState}, which the HTTP endpoints read. Blocking work runs on the named
 * pools of {@link AgentPools}; Vert.x serves HTTP and fires timers, and its event loop never blocks.
 */
public final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final Config clientConfig;
    private final Clock clock;
    private final String identity;
    private final AgentState state;
    private final AgentAssembly.Runtime runtime;
    private final AgentHttpServer http;

    /** The client and what the API server serves: the connect stage's result. */
    private record Cluster(KubernetesClient client, ApiDiscovery discovery) {}

    public Agent(AgentConfig config, Config clientConfig, Clock clock) {
        this.config = config;
        this.clientConfig = clientConfig;
        this.clock = clock;
        this.identity = System.getenv().getOrDefault("HOSTNAME", "agent") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        this.state = new AgentState(config.cluster(), identity);
        this.runtime = AgentAssembly.runtime(config, identity, clock, state::reconciler);
        this.http = new AgentHttpServer(runtime, state, clock);
    }

    /** Starts everything; the future completes when the agent runs (not when it is ready). */
    public Future<Void> start() {
        LOG.info(
                "starting driftwatch agent {} for cluster {} with configuration:\n{}",
                identity,
                config.cluster(),
                ConfigLoader.describe(config));
        Context context = runtime.vertx().getOrCreateContext();
        if (runtime.audit() != null) {
            runtime.audit().startLog();
        }
        return listen().compose(port -> AgentPools.call(runtime.pools().diff(), context, this::connect))
                .compose(cluster -> AgentPools.call(runtime.pools().diff(), context, () -> assemble(cluster)))
                .map(parts -> {
                    parts.start();
                    return null;
                });
    }

    private Future<Integer> listen() {
        return http.listen(config.http()).map(server -> {
            LOG.info(
                    "listening on {}:{} ({}; /healthz /readyz /metrics /api/v1/drifts)",
                    config.http().host(),
                    server.actualPort(),
                    config.http().tls() ? "TLS" : "plain HTTP");
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

    private AgentParts assemble(Cluster cluster) {
        try {
            AgentParts parts =
                    new AgentAssembly(config, identity, clock, runtime).assemble(cluster.client(), cluster.discovery());
            if (!state.assembled(parts)) {
                parts.closeRepositories();
                throw new IllegalStateException("the agent was stopped while it was starting");
            }
            return parts;
        } catch (RuntimeException e) {
            cluster.client().close();
            throw e;
        }
    }

    public int httpPort() {
        return http.port();
    }

    /** True when the agent is ready ({@code /readyz} answers 200): sources loaded, informers synced, first diff done. */
    public boolean ready() {
        return state.notReadyReasons().isEmpty();
    }

    /** The drifts open now, as {@code /api/v1/drifts} serves them (embedders such as {@code driftwatch demo}). */
    public List<DriftRecord> openDrifts() {
        return state.openDrifts();
    }

    /** Where the agent is: starting, running (its parts) or stopping (tests in this package reach the parts here). */
    AgentState state() {
        return state;
    }

    /**
     * Stops within the configured timeout, in reverse: not ready at once, inputs stopped (lease released, timers,
     * streams, informers), their pools drained, pending output (state file, Events, hub) flushed, HTTP and Vert.x closed.
     */
    public void stop() {
        if (!state.markStopping()) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        LOG.info("stopping driftwatch agent {}", identity);
        AgentParts parts = state.parts();
        AgentPools pools = runtime.pools();
        if (parts != null) {
            parts.stopInputs();
        }
        if (runtime.audit() != null) {
            runtime.audit().stopLog(deadline);
        }
        AgentPools.shutdown(pools.source(), deadline);
        AgentPools.shutdown(pools.render(), deadline);
        AgentPools.shutdown(pools.sweep(), deadline);
        if (parts != null) {
            parts.closeRepositories();
        }
        AgentPools.shutdown(pools.diff(), deadline);
        if (parts != null) {
            pools.emit().execute(parts.outputs()::saveState);
        }
        AgentPools.shutdown(pools.emit(), deadline);
        if (parts != null) {
            parts.stopOutputs(deadline);
        }
        // two awaited steps: a callback chained onto the HTTP close would run on an event loop Vert.x has already
        // terminated, and the completion would never arrive
        AgentPools.await(http.close(), deadline, "HTTP listener");
        AgentPools.shutdown(pools.http(), deadline);
        AgentPools.await(runtime.vertx().close(), deadline, "Vert.x");
        runtime.registries().close();
        LOG.info("driftwatch agent {} stopped", identity);
    }
}
