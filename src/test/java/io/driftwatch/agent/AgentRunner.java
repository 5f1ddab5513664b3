package io.driftwatch.agent;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.config.ConfigLoader;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.testing.AgentEndpoint;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the real agent in this JVM with a YAML configuration, as {@code driftwatch agent} would. Public for the
 * observability ITs (io.driftwatch.observability), which scrape it with a real Prometheus.
 */
public final class AgentRunner implements AutoCloseable {

    final Agent agent;
    public final AgentEndpoint endpoint;

    private AgentRunner(Agent agent, Path caCert) {
        this.agent = agent;
        this.endpoint =
                caCert == null ? new AgentEndpoint(agent.httpPort()) : new AgentEndpoint(agent.httpPort(), caCert);
    }

    public static AgentRunner start(String yaml, Config clientConfig) {
        return start(yaml, clientConfig, null);
    }

    /** An agent whose listener has TLS (http.tlsCertFile, http.tlsKeyFile), its certificate signed by {@code caCert}. */
    public static AgentRunner start(String yaml, Config clientConfig, Path caCert) {
        try {
            Path file = Files.createTempFile("agent-", ".yaml");
            Files.writeString(file, yaml);
            AgentConfig config = ConfigLoader.load(file, Map.of(), AgentMetrics.VERTX_DROPPED_LABELS);
            Agent agent = new Agent(config, clientConfig, Clock.systemUTC());
            agent.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            return new AgentRunner(agent, caCert);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("agent did not start: " + e, e);
        }
    }

    /** The agent's HTTP port (metrics, probes, API). */
    public int agentPort() {
        return agent.httpPort();
    }

    @Override
    public void close() {
        agent.stop();
    }
}
