package io.driftwatch.hub;

import static io.driftwatch.hub.HubBodies.D;
import static io.driftwatch.hub.HubBodies.T0;
import static io.driftwatch.hub.HubBodies.drift;
import static io.driftwatch.hub.HubBodies.event;
import static io.driftwatch.hub.HubBodies.events;
import static io.driftwatch.hub.HubBodies.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.testing.PostgresServer;
import io.driftwatch.testing.TestHub;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two hub replicas on one PostgreSQL database, simulated agents pushing to either at random — concurrently, re-sending
 * batches through the other replica, snapshotting through either — end with one consistent state: both replicas serve
 * the state the agents' event streams define, and history holds every event once.
 */
class HubReplicasIT {

    private static final List<String> CLUSTERS = List.of("c1", "c2", "c3", "c4");
    private static final int BATCHES = 30;
    private static final int BATCH = 10;

    @Test
    void agentsPushingToEitherReplicaYieldOneConsistentState() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String storage = TestHub.postgres(pg.newDatabase("replicas"), pg.user());
        try (TestHub a = TestHub.start(storage, CLUSTERS);
                TestHub b = TestHub.start(storage, CLUSTERS)) {
            List<TestHub> replicas = List.of(a, b);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Set<String>>> results = new ArrayList<>();
            for (int i = 0; i < CLUSTERS.size(); i++) {
                String cluster = CLUSTERS.get(i);
                long seed = 42 + i;
                results.add(pool.submit(() -> simulateAgent(cluster, seed, replicas, pool)));
            }
            Map<String, Set<String>> expected = new TreeMap<>();
            for (int i = 0; i < CLUSTERS.size(); i++) {
                expected.put(CLUSTERS.get(i), results.get(i).get());
            }
            pool.shutdown();

            for (TestHub replica : replicas) {
                for (String cluster : CLUSTERS) {
                    Set<String> open = new TreeSet<>();
                    replica.openDrifts("cluster=" + cluster)
                            .forEach(d -> open.add(d.path("id").asText()));
                    assertThat(open)
                            .as(cluster + " through replica " + replica.port())
                            .isEqualTo(expected.get(cluster));
                }
                List<JsonNode> history = replica.history("");
                assertThat(history).hasSize(CLUSTERS.size() * BATCHES * BATCH);
                Set<String> keys = new HashSet<>();
                history.forEach(h -> keys.add(h.path("cluster").asText() + "/"
                        + h.path("stream").asText() + "#" + h.path("seq").asLong()));
                assertThat(keys).as("(cluster, stream, seq) unique").hasSize(history.size());
                Set<Long> ids = new HashSet<>();
                history.forEach(h -> ids.add(h.path("id").asLong()));
                assertThat(ids)
                        .as("fleet-wide event ids unique across replicas")
                        .hasSize(history.size());
            }
        }
    }

    /** Pushes one agent's stream through random replicas; returns the open drift ids its events define. */
    private static Set<String> simulateAgent(String cluster, long seed, List<TestHub> replicas, ExecutorService pool)
            throws Exception {
        Random random = new Random(seed);
        String stream = "stream-" + cluster;
        Set<String> open = new TreeSet<>();
        long seq = 0;
        String previous = null;
        for (int b = 0; b < BATCHES; b++) {
            List<ObjectNode> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String id = cluster + "-d" + random.nextInt(15);
                D d = D.of(id, "ns" + random.nextInt(3), "Deployment", id);
                String type = !open.contains(id) ? "opened" : random.nextBoolean() ? "updated" : "resolved";
                if (type.equals("resolved")) {
                    open.remove(id);
                } else {
                    open.add(id);
                }
                batch.add(event(++seq, type, d, "v" + seq));
            }
            String body = events(stream, batch);
            TestHub target = replicas.get(random.nextInt(2));
            TestHub other = replicas.get(0) == target ? replicas.get(1) : replicas.get(0);
            // the same batch through both replicas at once: one stores it, the other finds duplicates
            Future<HttpResponse<String>> twin = pool.submit(() -> other.post(cluster, "events", body));
            HttpResponse<String> r = target.post(cluster, "events", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(twin.get().statusCode()).isEqualTo(200);
            if (previous != null && random.nextInt(4) == 0) {
                assertThat(other.post(cluster, "events", previous).body()).contains("\"stored\":0");
            }
            if (b == BATCHES / 2) {
                List<ObjectNode> drifts = open.stream()
                        .map(id -> drift(D.of(id, "ns0", "Deployment", id), "snap"))
                        .toList();
                assertThat(other.post(cluster, "snapshot", snapshot(stream, seq, T0.plusSeconds(b), drifts))
                                .statusCode())
                        .isEqualTo(200);
            }
            previous = body;
        }
        return open;
    }
}
