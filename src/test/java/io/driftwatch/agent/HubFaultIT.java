package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestHub;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real agent (real API server, real drift churn) reporting to a real hub that goes away: after recovery the hub's
 * open drifts equal the agent's exactly, and every event the agent emitted is in the hub's history exactly once. And
 * whole-object diffs: a small drift's reaches the hub whole, and snapshots of large ones stay under the hub's body limit.
 */
@WithKubeApiServer
class HubFaultIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OBJECTS = 6;
    private static final int LARGE = 8;

    private ListAppender<ILoggingEvent> driftLog;

    @BeforeEach
    void captureDriftLog() {
        driftLog = new ListAppender<>();
        driftLog.start();
        ((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).addAppender(driftLog);
    }

    @AfterEach
    void releaseDriftLog() {
        ((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).detachAppender(driftLog);
    }

    @Test
    void hubOutageUnderDriftChurnEndsWithTheAgentsStateAndEveryEventOnce(
            LocalKubeCluster cluster, TestNamespace ns, @TempDir Path tmp) throws Exception {
        String name = "it-" + ns.name();
        Kubectl kubectl = new Kubectl(cluster);
        Path desired = desiredConfigMaps(tmp, ns);
        kubectl.run("apply", "-n", ns.name(), "-f", desired.toString());
        Path db = tmp.resolve("hub.db");
        TestHub hub = TestHub.start(TestHub.sqlite(db), List.of(name));
        int port = hub.port();
        try (AgentRunner runner =
                AgentRunner.start(agentConfig(ns, desired, tmp, hub.url(), "outbox.jsonl"), cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            TestHub first = hub;
            Eventually.await("first snapshot at the hub", WAIT, () -> hasSnapshot(first, name));

            churn(kubectl, ns, 0, 3); // hub up
            Eventually.await(
                    "events reached the hub",
                    WAIT,
                    () -> outboxEmpty(agent) && sameState(first, agent, name),
                    () -> describe(first, agent, name));

            hub.close(); // hub down
            churn(kubectl, ns, 3, 9);
            Eventually.await(
                    "events queued while the hub is down",
                    WAIT,
                    () -> agent.metric("driftwatch_hub_outbox_events", Map.of()).orElse(0) > 0,
                    agent::metrics);
            // whichever push is due first (heartbeat, snapshot or events) fails and backs off the whole round
            Eventually.await(
                    "a push to the stopped hub failed and was counted",
                    WAIT,
                    () -> agent.metrics()
                                    .lines()
                                    .filter(l -> l.startsWith("driftwatch_hub_pushes_total{")
                                            && l.contains("result=\"error\""))
                                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                                    .sum()
                            > 0,
                    agent::metrics);

            hub = TestHub.start(TestHub.sqlite(db), List.of(name), port, Clock.systemUTC()); // hub back
            TestHub up = hub;
            Eventually.await(
                    "hub converged on the agent's state",
                    WAIT,
                    () -> outboxEmpty(agent) && sameState(up, agent, name),
                    () -> describe(up, agent, name));

            assertThat(agent.metric("driftwatch_hub_outbox_dropped_events_total", Map.of()))
                    .hasValue(0.0);
            assertEveryEmittedEventStoredOnce(hub, name);
        } finally {
            hub.close();
        }
    }

    @Test
    void agentRestartedWhileTheHubIsDownConverges(LocalKubeCluster cluster, TestNamespace ns, @TempDir Path tmp)
            throws Exception {
        String name = "it-" + ns.name();
        Kubectl kubectl = new Kubectl(cluster);
        Path desired = desiredConfigMaps(tmp, ns);
        kubectl.run("apply", "-n", ns.name(), "-f", desired.toString());
        Path db = tmp.resolve("hub.db");
        TestHub hub = TestHub.start(TestHub.sqlite(db), List.of(name));
        int port = hub.port();
        String config = agentConfig(ns, desired, tmp, hub.url(), "outbox.jsonl");
        try {
            try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
                Eventually.await("agent ready", WAIT, runner.endpoint::ready, runner.endpoint::readiness);
                churn(kubectl, ns, 0, 2);
                TestHub first = hub;
                Eventually.await(
                        "hub in sync",
                        WAIT,
                        () -> outboxEmpty(runner.endpoint) && sameState(first, runner.endpoint, name),
                        () -> describe(first, runner.endpoint, name));
                hub.close();
                churn(kubectl, ns, 2, 5);
                Eventually.await(
                        "events queued",
                        WAIT,
                        () -> runner.endpoint
                                        .metric("driftwatch_hub_outbox_events", Map.of())
                                        .orElse(0)
                                > 0);
            }
            churn(kubectl, ns, 5, 7); // both down: the restarted agent finds these on its own
            try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
                AgentEndpoint agent = runner.endpoint;
                Eventually.await("agent ready again", WAIT, agent::ready, agent::readiness);
                hub = TestHub.start(TestHub.sqlite(db), List.of(name), port, Clock.systemUTC());
                TestHub up = hub;
                Eventually.await(
                        "hub converged on the restarted agent's state",
                        WAIT,
                        () -> outboxEmpty(agent) && sameState(up, agent, name),
                        () -> describe(up, agent, name));
                assertEveryEmittedEventStoredOnce(hub, name);
            }
        } finally {
            hub.close();
        }
    }

    /**
     * With {@code diff.fullContextLines} at its default, a small object's drift reaches the hub whole (one hunk with
     * every line of the object, so the console can unfold every unchanged run); eight large drifts (600 keys) whose whole diffs
     * add up to more than the hub's body limit (set to 256 KiB here) still go in accepted snapshots, because the agent
     * sends whole diffs only up to {@code hub.snapshotFullDiffBytes} (96 KiB here) and 3 lines for the rest.
     */
    @Test
    void aSmallDriftReachesTheHubWholeAndSnapshotsOfLargeOnesStayUnderTheBodyLimit(
            LocalKubeCluster cluster, TestNamespace ns, @TempDir Path tmp) throws Exception {
        String name = "it-" + ns.name();
        Kubectl kubectl = new Kubectl(cluster);
        Path dir = Files.createDirectories(tmp.resolve("desired"));
        Files.writeString(dir.resolve("small.yaml"), configMap("small", ns, 20, "value %d"));
        for (int i = 0; i < LARGE; i++) {
            Files.writeString(
                    dir.resolve("large-" + i + ".yaml"),
                    configMap("large-" + i, ns, 600, "a value long enough to make each line about a hundred bytes %d"));
        }
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
        for (String cm : Stream.concat(
                        Stream.of("small"), IntStream.range(0, LARGE).mapToObj(i -> "large-" + i))
                .toList()) {
            kubectl.run(
                    "-n",
                    ns.name(),
                    "patch",
                    "configmap",
                    cm,
                    "--type=merge",
                    "-p",
                    "{\"data\":{\"key-010\":\"edited\"}}");
        }
        long bodyLimit = 256 << 10;
        long budget = 96 << 10;
        try (TestHub hub = TestHub.start(
                        TestHub.sqlite(tmp.resolve("hub.db")) + "limits: {maxBodyBytes: " + bodyLimit + "}\n",
                        List.of(name));
                AgentRunner runner = AgentRunner.start(
                        agentConfig(ns, dir, tmp, hub.url(), "outbox.jsonl")
                                        .replace("snapshotInterval: 1h", "snapshotInterval: 2s")
                                + "  batchSize: 1\n  snapshotFullDiffBytes: " + budget + "\n",
                        cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            Eventually.await(
                    "the hub holds the agent's drifts and the outbox is empty",
                    WAIT,
                    () -> outboxEmpty(agent)
                            && sameState(hub, agent, name)
                            && hubDiffs(hub, name).size() == 1 + LARGE,
                    () -> describe(hub, agent, name));

            // every opened event carried its whole diff (one event a batch, each under the limit)
            Map<String, String> whole = new TreeMap<>();
            for (JsonNode h : hub.history("cluster=" + name)) {
                if (h.path("type").asText().equals("opened")) {
                    whole.put(
                            h.path("name").asText(),
                            h.path("drift").path("diff").asText());
                }
            }
            assertThat(whole).hasSize(1 + LARGE);
            String small = whole.get("small");
            assertThat(small.lines().filter(l -> l.startsWith("@@"))).hasSize(1);
            assertThat(small)
                    .contains(
                            "\n apiVersion: v1\n",
                            "\n kind: ConfigMap\n",
                            "\n   key-000: value 0\n",
                            "\n   key-019: value 19\n")
                    .contains("\n-  key-010: value 10\n+  key-010: edited\n")
                    .doesNotContain("managedFields");
            long wholeBytes = whole.values().stream()
                    .mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length)
                    .sum();
            assertThat(wholeBytes)
                    .as("the whole diffs alone are over the hub's body limit")
                    .isGreaterThan(bodyLimit);

            // a snapshot taken after every event: the hub's open drifts are the snapshot's, bounded
            double before = snapshots(agent, "success");
            Eventually.await(
                    "a later snapshot accepted", WAIT, () -> snapshots(agent, "success") >= before + 2, agent::metrics);
            assertThat(snapshots(agent, "rejected")).as("no snapshot refused").isZero();
            Map<String, String> sent = hubDiffs(hub, name);
            assertThat(sent.get("small"))
                    .as("the smallest diff is whole in the snapshot too")
                    .isEqualTo(small);
            long wholeInSnapshot = 0;
            int narrowed = 0;
            for (Map.Entry<String, String> e : sent.entrySet()) {
                String diff = e.getValue();
                assertThat(diff).contains("-  key-010: ", "+  key-010: edited");
                if (diff.equals(whole.get(e.getKey()))) {
                    wholeInSnapshot += diff.getBytes(StandardCharsets.UTF_8).length;
                } else {
                    narrowed++;
                    assertThat(diff.lines().filter(l -> l.startsWith("@@"))).hasSize(1);
                    assertThat(diff.lines())
                            .as("3 lines either side of the change")
                            .hasSize(2 + 1 + 8);
                }
            }
            assertThat(wholeInSnapshot).isLessThanOrEqualTo(budget);
            assertThat(narrowed)
                    .as("some large diffs whole, the rest cut to 3 lines")
                    .isBetween(1, LARGE - 1);
        }
    }

    /** The hub's open drifts of {@code cluster}: ConfigMap name → its diff. */
    private static Map<String, String> hubDiffs(TestHub hub, String cluster) {
        Map<String, String> diffs = new TreeMap<>();
        for (JsonNode d : hub.openDrifts("cluster=" + cluster)) {
            JsonNode full = hub.read(
                    "/api/v1/clusters/" + cluster + "/drifts/" + d.path("id").asText());
            diffs.put(d.path("name").asText(), full.path("drift").path("diff").asText());
        }
        return diffs;
    }

    private static double snapshots(AgentEndpoint agent, String result) {
        return agent.metric("driftwatch_hub_pushes_total", Map.of("kind", "snapshot", "result", result))
                .orElse(0);
    }

    /** A ConfigMap of the app with {@code keys} keys {@code key-NNN}, each value {@code format} of its number. */
    private static String configMap(String name, TestNamespace ns, int keys, String format) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < keys; i++) {
            data.append(String.format("  key-%03d: %s%n", i, String.format(format, i)));
        }
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app.kubernetes.io/instance: %s}
                data:
                %s""".formatted(name, ns.name(), ns.name(), data);
    }

    /** Six ConfigMaps an app "hub" wants; churn step i edits, edits again, or restores one of them. */
    private static Path desiredConfigMaps(Path tmp, TestNamespace ns) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("desired"));
        for (int i = 0; i < OBJECTS; i++) {
            Files.writeString(dir.resolve("cm-" + i + ".yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: cm-%d
                      namespace: %s
                      labels: {app.kubernetes.io/instance: %s}
                    data: {level: info}
                    """.formatted(i, ns.name(), ns.name()));
        }
        return dir;
    }

    private static void churn(Kubectl kubectl, TestNamespace ns, int from, int to) {
        for (int step = from; step < to; step++) {
            for (int i = 0; i < OBJECTS; i++) {
                int phase = (step + i) % 3; // 0: drift opens, 1: drift changes, 2: drift resolves
                String value = phase == 0 ? "debug" : phase == 1 ? "trace-" + step : "info";
                kubectl.run(
                        "-n",
                        ns.name(),
                        "patch",
                        "configmap",
                        "cm-" + i,
                        "--type=merge",
                        "-p",
                        "{\"data\":{\"level\":\"" + value + "\"}}");
            }
            try {
                Thread.sleep(700); // let the agent see most intermediate states
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String agentConfig(TestNamespace ns, Path dir, Path tmp, String hubUrl, String outbox)
            throws IOException {
        Path token = tmp.resolve("hub-token");
        Files.writeString(token, TestHub.token("it-" + ns.name()) + "\n");
        return """
                cluster: it-%1$s
                clusterLabels: {env: test, region: local}
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                events: {enabled: false}
                sources:
                  directories:
                  - {name: %1$s, path: %2$s, targetNamespace: %1$s, pollInterval: 2s}
                hub:
                  url: %3$s
                  tokenFile: %4$s
                  outboxPath: %5$s
                  snapshotInterval: 1h
                  heartbeatInterval: 2s
                  requestTimeout: 2s
                """.formatted(ns.name(), dir, hubUrl, token, tmp.resolve(outbox));
    }

    private static boolean hasSnapshot(TestHub hub, String cluster) {
        for (JsonNode c : hub.read("/api/v1/clusters").path("clusters")) {
            if (c.path("name").asText().equals(cluster)
                    && !c.path("snapshotTakenAt").isNull()) {
                return true;
            }
        }
        return false;
    }

    private static boolean outboxEmpty(AgentEndpoint agent) {
        return agent.metric("driftwatch_hub_outbox_events", Map.of()).orElse(-1) == 0;
    }

    /** Open drifts by id → (onset, summary, changes), the same shape from the agent's API and the hub's. */
    private static Map<String, String> agentState(AgentEndpoint agent) {
        Map<String, String> state = new TreeMap<>();
        for (JsonNode d : agent.drifts()) {
            state.put(
                    d.path("id").asText(),
                    d.path("onset").asText() + " " + d.path("summary").asText() + " " + d.path("changes"));
        }
        return state;
    }

    private static Map<String, String> hubState(TestHub hub, String cluster) {
        Map<String, String> state = new TreeMap<>();
        for (JsonNode d : hub.openDrifts("cluster=" + cluster)) {
            JsonNode full = hub.read(
                    "/api/v1/clusters/" + cluster + "/drifts/" + d.path("id").asText());
            state.put(
                    d.path("id").asText(),
                    d.path("onset").asText() + " " + d.path("summary").asText() + " "
                            + full.path("drift").path("changes"));
        }
        return state;
    }

    private static boolean sameState(TestHub hub, AgentEndpoint agent, String cluster) {
        try {
            return agentState(agent).equals(hubState(hub, cluster));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String describe(TestHub hub, AgentEndpoint agent, String cluster) {
        String hubSide;
        try {
            hubSide = hubState(hub, cluster).keySet().toString();
        } catch (RuntimeException e) {
            hubSide = e.toString();
        }
        return "agent " + agentState(agent).keySet() + "\nhub   " + hubSide + "\noutbox "
                + agent.metric("driftwatch_hub_outbox_events", Map.of());
    }

    /** Every drift event the agent logged (cluster, drift id, type) is in the hub's history once; nothing else is. */
    private void assertEveryEmittedEventStoredOnce(TestHub hub, String cluster) throws Exception {
        List<String> emitted = new ArrayList<>();
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).getLoggerContext());
        encoder.start();
        for (ILoggingEvent e : List.copyOf(driftLog.list)) {
            JsonNode line = JSON.readTree(new String(encoder.encode(e), StandardCharsets.UTF_8));
            if (cluster.equals(line.path("cluster").asText()) && line.has("driftId")) {
                emitted.add(
                        line.path("driftId").asText() + " " + line.path("event").asText());
            }
        }
        List<JsonNode> history = hub.history("cluster=" + cluster);
        List<String> stored = history.stream()
                .map(h -> h.path("driftId").asText() + " " + h.path("type").asText())
                .toList();
        Set<String> keys = new HashSet<>();
        history.forEach(h -> assertThat(
                        keys.add(h.path("stream").asText() + "#" + h.path("seq").asLong()))
                .as("(stream, seq) stored once")
                .isTrue());
        assertThat(emitted).as("the churn produced events").hasSizeGreaterThan(10);
        assertThat(stored).containsExactlyInAnyOrderElementsOf(emitted);
    }
}
