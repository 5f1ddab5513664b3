package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agent processes share a Lease: only the leader diffs; when it is killed with SIGKILL (no lease release), the
 * other takes over once the lease expires and reports the same open drift with the same id and onset.
 */
@WithKubeApiServer
class LeaderElectionIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private final List<Process> agents = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killAgents() {
        agents.forEach(Process::destroyForcibly);
    }

    private Process startAgent(String name, LocalKubeCluster cluster, TestNamespace ns, Path dir, int port)
            throws IOException {
        Path config = Files.writeString(tmp.resolve(name + ".yaml"), """
                cluster: it-ha
                http: {host: 127.0.0.1, port: %d}
                leaderElection: {leaseNamespace: %s, leaseName: driftwatch-agent, leaseDuration: 6s,
                                 renewDeadline: 4s, retryPeriod: 1s}
                sources:
                  directories:
                  - {name: shop, path: %s, targetNamespace: %s, pollInterval: 5s}
                """.formatted(port, ns.name(), dir, ns.name()));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-jar",
                        Path.of("target", "driftwatch.jar").toString(),
                        "agent",
                        "--config",
                        config.toString(),
                        "--kubeconfig",
                        cluster.kubeconfig().toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile())
                .start();
        agents.add(p);
        return p;
    }

    @Test
    void followerTakesOverAKilledLeaderAndReportsTheSameDriftWithTheSameOnset(
            LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        Path dir = Corpus.materialize(ns, "17-service-postgres.yaml", "18-statefulset-postgres.yaml");
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
        int portA = freePort();
        int portB = freePort();
        Process a = startAgent("a", cluster, ns, dir, portA);
        AgentEndpoint agentA = new AgentEndpoint(portA);
        Eventually.await(
                "agent a ready and leading",
                WAIT,
                () -> agentA.ready() && agentA.status().path("leader").asBoolean(),
                () -> log("a"));
        startAgent("b", cluster, ns, dir, portB);
        AgentEndpoint agentB = new AgentEndpoint(portB);
        Eventually.await("agent b ready as follower", WAIT, agentB::ready, () -> agentB.readiness() + log("b"));
        assertThat(agentB.status().path("leader").asBoolean()).isFalse();

        kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=3");
        Eventually.await(
                "leader reports the drift",
                WAIT,
                () -> agentA.drifts().size() == 1,
                () -> agentA.drifts().toString());
        JsonNode before = agentA.drifts().get(0);
        assertThat(agentB.drifts()).as("followers do not diff").isEmpty();
        assertThat(agentB.metric("driftwatch_leader", java.util.Map.of())).hasValue(0.0);

        a.destroyForcibly().waitFor(); // SIGKILL: the lease is not released, it must expire

        Eventually.await(
                "b takes over and reports the drift",
                WAIT,
                () -> agentB.status().path("leader").asBoolean()
                        && agentB.drifts().size() == 1,
                () -> agentB.status() + "\n" + agentB.drifts() + log("b"));
        JsonNode after = agentB.drifts().get(0);
        assertThat(after.path("id").asText())
                .as("before: " + before + "\nafter: " + after)
                .isEqualTo(before.path("id").asText());
        assertThat(after.path("onset").asText()).isEqualTo(before.path("onset").asText());
        assertThat(after.path("changes").get(0).path("manager").asText()).isEqualTo("kubectl");
        assertThat(agentB.ready()).isTrue();
    }

    private String log(String name) {
        try {
            List<String> lines = Files.readAllLines(tmp.resolve(name + ".log"));
            return "\n--- " + name + " log tail:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
