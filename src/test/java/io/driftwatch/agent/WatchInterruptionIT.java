package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away and comes back (every watch breaks, informers reconnect and relist): no object may look
 * missing in between or after, and changes made after the outage are still caught. Uses its own API server, since
 * restarting the shared one would disturb other tests.
 */
class WatchInterruptionIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static LocalKubeCluster cluster;

    @BeforeAll
    static void startOwnCluster() {
        cluster = LocalKubeCluster.start();
    }

    @AfterAll
    static void stopOwnCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void apiServerRestartCausesNoSpuriousMissingDriftAndWatchingResumes() {
        TestNamespace ns = new TestNamespace("watch-interruption");
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("create", "namespace", ns.name());
        Path dir = Corpus.materialize(
                ns,
                "08-configmap-api-config.yaml",
                "09-configmap-node-cache.yaml",
                "15-service-api.yaml",
                "18-statefulset-postgres.yaml",
                "17-service-postgres.yaml");
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());

        try (AgentRunner runner = AgentRunner.start(AgentIT.config(ns, dir), cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            assertThat(agent.drifts()).isEmpty();

            cluster.restartApiServer();
            // informers notice, back off, reconnect and relist; a full resync runs over the same store meanwhile
            runner.agent.state().reconciler().fullResync();

            Eventually.await(
                    "informers watching again",
                    WAIT,
                    () -> runner.agent.state().reconciler().live().notWatching().isEmpty());
            assertThat(agent.drifts()).as("no drift after the outage").isEmpty();
            assertNoMissingDriftOpened(agent);

            kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=2");
            Eventually.await(
                    "a change after the outage is caught",
                    WAIT,
                    () -> agent.drifts().size() == 1,
                    () -> agent.drifts().toString());
            assertNoMissingDriftOpened(agent);
        }
    }

    /** Every cause a missing drift can have: its opened counter is still 0. */
    private static void assertNoMissingDriftOpened(AgentEndpoint agent) {
        for (io.driftwatch.diff.Cause cause : io.driftwatch.diff.DriftType.MISSING.causes()) {
            assertThat(agent.metric(
                            "driftwatch_drift_events_total",
                            Map.of("event", "opened", "type", "missing", "cause", cause.json())))
                    .as("no missing drift (%s) ever opened", cause.json())
                    .hasValue(0.0);
        }
    }
}
