package io.driftwatch.hub;

import static io.driftwatch.hub.HubBodies.D;
import static io.driftwatch.hub.HubBodies.T0;
import static io.driftwatch.hub.HubBodies.drift;
import static io.driftwatch.hub.HubBodies.event;
import static io.driftwatch.hub.HubBodies.events;
import static io.driftwatch.hub.HubBodies.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Promtool;
import io.driftwatch.testing.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The hub's store, ingest and read API, run unchanged against each database ({@link SqliteHubIT},
 * {@link PostgresHubIT}): a real hub on loopback, real HTTP, a real database.
 */
abstract class HubContract {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final List<String> CLUSTERS = List.of("prod-eu", "prod-us", "staging");

    /** Storage settings of a fresh, empty database. */
    abstract String storage();

    /** Storage settings of the database used by the previous {@link #storage()} call (restart tests). */
    abstract String sameStorage();

    /** A JDBC connection to the database of the previous {@link #storage()} call. */
    abstract java.sql.Connection connect() throws java.sql.SQLException;

    TestHub hub() {
        return TestHub.start(storage(), CLUSTERS);
    }

    static List<String> ids(List<JsonNode> drifts) {
        return drifts.stream().map(d -> d.path("id").asText()).sorted().toList();
    }

    @Test
    void resentBatchIsStoredOnceAndChangesNothing() {
        try (TestHub hub = hub()) {
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Service", "api");
            String batch = events(
                    "s1",
                    List.of(event(1, "opened", a, "3"), event(2, "opened", b, "2"), event(3, "resolved", b, "2")));
            HttpResponse<String> first = hub.post("prod-eu", "events", batch);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(first.body()).contains("\"ack\":3", "\"stored\":3", "\"duplicates\":0");
            HttpResponse<String> again = hub.post("prod-eu", "events", batch);
            assertThat(again.body()).contains("\"ack\":3", "\"stored\":0", "\"duplicates\":3");

            assertThat(ids(hub.openDrifts(""))).containsExactly("a");
            assertThat(hub.history("")).hasSize(3);
            assertThat(hub.history("").stream().map(e -> e.path("seq").asLong()).toList())
                    .containsExactly(3L, 2L, 1L);
            assertThat(hub.metric("driftwatch_hub_ingest_events_total", Map.of("result", "duplicate")))
                    .hasValue(3.0);
        }
    }

    @Test
    void snapshotReplacesTheOpenStateExactly() {
        try (TestHub hub = hub()) {
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Service", "api");
            D c = D.of("c", "web", "ConfigMap", "site");
            hub.post(
                    "prod-eu", "events", events("s1", List.of(event(1, "opened", a, "3"), event(2, "opened", b, "2"))));
            hub.post("prod-us", "events", events("u1", List.of(event(1, "opened", a, "9"))));

            HttpResponse<String> r = hub.post(
                    "prod-eu",
                    "snapshot",
                    snapshot("s1", 5, T0.plusSeconds(600), List.of(drift(b, "4"), drift(c, "x"))));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"applied\":true");

            assertThat(ids(hub.openDrifts("cluster=prod-eu"))).containsExactly("b", "c");
            assertThat(hub.read("/api/v1/clusters/prod-eu/drifts/b")
                            .path("drift")
                            .path("changes")
                            .get(0)
                            .path("live")
                            .asText())
                    .isEqualTo("4");
            assertThat(ids(hub.openDrifts("cluster=prod-us")))
                    .as("other clusters untouched")
                    .containsExactly("a");
            hub.post("prod-eu", "snapshot", snapshot("s1", 6, T0.plusSeconds(700), List.of()));
            assertThat(hub.openDrifts("cluster=prod-eu")).isEmpty();
        }
    }

    @Test
    void eventsAfterASnapshotApplyAndOlderOnesOnlyJoinHistory() {
        try (TestHub hub = hub()) {
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Service", "api");
            hub.post("prod-eu", "snapshot", snapshot("s1", 10, T0, List.of(drift(a, "3"))));
            // seq 9 predates the snapshot: history only, even though it would resolve a
            hub.post("prod-eu", "events", events("s1", List.of(event(9, "resolved", a, "3"))));
            assertThat(ids(hub.openDrifts(""))).containsExactly("a");
            hub.post(
                    "prod-eu",
                    "events",
                    events("s1", List.of(event(11, "opened", b, "2"), event(12, "resolved", a, "3"))));
            assertThat(ids(hub.openDrifts(""))).containsExactly("b");
            assertThat(hub.history("cluster=prod-eu")).hasSize(3);
        }
    }

    @Test
    void eventsThatArriveBeforeTheirStreamsSnapshotAreReplayedOntoIt() {
        try (TestHub hub = hub()) {
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Service", "api");
            hub.post("prod-eu", "snapshot", snapshot("old", 50, T0, List.of(drift(a, "3"))));
            // the agent restarted (new stream); its events race ahead of its first snapshot
            HttpResponse<String> r = hub.post("prod-eu", "events", events("new", List.of(event(4, "opened", b, "2"))));
            assertThat(r.body()).contains("\"snapshotWanted\":true");
            assertThat(ids(hub.openDrifts("")))
                    .as("a foreign stream does not change the state")
                    .containsExactly("a");
            hub.post("prod-eu", "snapshot", snapshot("new", 3, T0.plusSeconds(5), List.of()));
            assertThat(ids(hub.openDrifts(""))).containsExactly("b");
            assertThat(hub.read("/api/v1/clusters")
                            .path("clusters")
                            .get(0)
                            .path("stateSeq")
                            .asLong())
                    .isEqualTo(4);
        }
    }

    @Test
    void skippedSequenceNumbersAskForASnapshot() {
        try (TestHub hub = hub()) {
            D a = D.of("a", "shop", "Deployment", "api");
            hub.post("prod-eu", "snapshot", snapshot("s1", 0, T0, List.of()));
            assertThat(hub.post("prod-eu", "events", events("s1", List.of(event(1, "opened", a, "1"))))
                            .body())
                    .contains("\"snapshotWanted\":false");
            assertThat(hub.post("prod-eu", "events", events("s1", List.of(event(5, "updated", a, "2"))))
                            .body())
                    .contains("\"snapshotWanted\":true");
        }
    }

    @Test
    void heartbeatMakesTheClusterVisibleWithLabelsVersionAndSourceHealth() {
        try (TestHub hub = hub()) {
            HttpResponse<String> r = hub.post(
                    "prod-eu", "heartbeat", HubBodies.heartbeat("agent-1", "{\"env\":\"prod\",\"region\":\"eu\"}"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode cluster = hub.read("/api/v1/clusters").path("clusters").get(0);
            assertThat(cluster.path("name").asText()).isEqualTo("prod-eu");
            assertThat(cluster.path("labels").path("env").asText()).isEqualTo("prod");
            assertThat(cluster.path("version").asText()).isEqualTo("0.1.0");
            assertThat(cluster.path("up").asBoolean()).isTrue();
            assertThat(cluster.path("lastSeen").asText()).isNotBlank();
            assertThat(cluster.path("sources").path("billing").path("healthy").asBoolean())
                    .isFalse();
            assertThat(cluster.path("sources").path("billing").path("error").asText())
                    .isEqualTo("fetch: timeout");
        }
    }

    @Test
    void driftListFiltersByClusterLabelNamespaceAppKindTypeAndCauseAndPagesWithoutGapsOrRepeats() {
        try (TestHub hub = hub()) {
            hub.post("prod-eu", "heartbeat", HubBodies.heartbeat("a1", "{\"env\":\"prod\",\"region\":\"eu\"}"));
            hub.post("prod-us", "heartbeat", HubBodies.heartbeat("a2", "{\"env\":\"prod\",\"region\":\"us\"}"));
            hub.post("staging", "heartbeat", HubBodies.heartbeat("a3", "{\"env\":\"staging\"}"));
            int n = 0;
            for (String cluster : CLUSTERS) {
                List<com.fasterxml.jackson.databind.node.ObjectNode> list = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    D d = new D(
                            cluster + "-" + i,
                            i % 2 == 0 ? "shop" : "web",
                            i % 3 == 0 ? "Service" : "Deployment",
                            "obj-" + i,
                            i % 5 == 0 ? "billing" : "shop",
                            i % 4 == 0 ? "missing" : "modified",
                            i % 4 == 0 ? "deleted" : i % 3 == 1 ? "unknown-manager" : "out-of-band");
                    list.add(event(i + 1, "opened", d, "x"));
                    n++;
                }
                assertThat(hub.post(cluster, "events", events("s-" + cluster, list))
                                .statusCode())
                        .isEqualTo(200);
            }
            List<String> all = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = hub.read("/api/v1/drifts?limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
                assertThat(page.path("drifts").size()).isLessThanOrEqualTo(7);
                page.path("drifts")
                        .forEach(d -> all.add(
                                d.path("cluster").asText() + "/" + d.path("id").asText()));
                cursor = page.path("nextCursor").isNull()
                        ? null
                        : page.path("nextCursor").asText();
            } while (cursor != null);
            assertThat(all).hasSize(n).doesNotHaveDuplicates();

            assertThat(hub.openDrifts("cluster=staging")).hasSize(25);
            assertThat(hub.openDrifts("label=env=prod"))
                    .hasSize(50)
                    .allMatch(d -> d.path("cluster").asText().startsWith("prod-"));
            assertThat(hub.openDrifts("label=env=prod&label=region=us")).hasSize(25);
            assertThat(hub.openDrifts("label=env=nowhere")).isEmpty();
            assertThat(hub.openDrifts("namespace=web"))
                    .hasSize(36)
                    .allMatch(d -> d.path("namespace").asText().equals("web"));
            assertThat(hub.openDrifts("app=billing")).hasSize(15);
            assertThat(hub.openDrifts("kind=Service&cluster=prod-eu")).hasSize(9);
            assertThat(hub.openDrifts("type=missing")).hasSize(21);
            assertThat(hub.openDrifts("cause=unknown-manager"))
                    .hasSize(18)
                    .allMatch(d -> d.path("cause").asText().equals("unknown-manager"));
            assertThat(hub.openDrifts("cause=deleted&type=missing")).hasSize(21);
            assertThat(hub.openDrifts("cause=pending-sync")).isEmpty();
            JsonNode first = hub.openDrifts("cluster=prod-eu&kind=Service&type=missing&app=billing")
                    .get(0);
            assertThat(first.path("summary").asText()).contains("Service");
            assertThat(first.path("cause").asText()).isEqualTo("deleted");
            HttpResponse<String> bad = hub.get("/api/v1/drifts?cause=manual&type=odd", TestHub.READ_TOKEN);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body())
                    .contains(
                            "type: 'odd' is not one of [extra, missing, modified]",
                            "cause: 'manual' is not one of [out-of-band, pending-sync, admission, controller, unknown-manager, "
                                    + "unknown, deleted, not-yet-applied, orphaned]");
            assertThat(first.path("onset").asText()).isEqualTo(T0.toString());

            assertThat(hub.get("/api/v1/drifts?limit=0", TestHub.READ_TOKEN).statusCode())
                    .isEqualTo(400);
            assertThat(hub.get("/api/v1/drifts?cursor=bm9wZQ", TestHub.READ_TOKEN)
                            .statusCode())
                    .isEqualTo(400);
        }
    }

    @Test
    void driftListFiltersByExactActorCombinedWithOtherFiltersWithinTheReadersScope() {
        String prodOnly = "prod-reader-token";
        String readers =
                "- {name: prod, tokenSha256: " + TokenHash.sha256Hex(prodOnly) + ", clusterLabels: {env: prod}}\n";
        try (TestHub hub = TestHub.start(storage(), CLUSTERS, 0, Clock.systemUTC(), readers)) {
            hub.post("prod-eu", "heartbeat", HubBodies.heartbeat("a1", "{\"env\":\"prod\"}"));
            hub.post("staging", "heartbeat", HubBodies.heartbeat("a3", "{\"env\":\"staging\"}"));
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Deployment", "web");
            D c = D.of("c", "shop", "ConfigMap", "settings").type("missing").cause("deleted");
            D d = D.of("d", "web", "Deployment", "front");
            D e = D.of("e", "shop", "Deployment", "api");
            assertThat(hub.post(
                                    "prod-eu",
                                    "events",
                                    events(
                                            "s",
                                            List.of(
                                                    HubBodies.withActor(event(1, "opened", a, "2"), "alice", null),
                                                    HubBodies.withActor(event(2, "opened", b, "2"), "carol", "alice"),
                                                    HubBodies.withActor(event(3, "opened", c, "-"), "alice", null),
                                                    event(4, "opened", d, "2"))))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(hub.post(
                                    "staging",
                                    "events",
                                    events(
                                            "t",
                                            List.of(HubBodies.withActor(event(1, "opened", e, "2"), "alice", null))))
                            .statusCode())
                    .isEqualTo(200);

            assertThat(hub.openDrifts("actor=alice"))
                    .extracting(
                            x -> x.path("cluster").asText() + "/" + x.path("id").asText())
                    .containsExactlyInAnyOrder("prod-eu/a", "prod-eu/c", "staging/e");
            assertThat(ids(hub.openDrifts("actor=carol")))
                    .containsExactly("b"); // the effective user, not the impersonator
            assertThat(hub.openDrifts("actor=ali")).isEmpty(); // exact, not a prefix
            assertThat(hub.openDrifts("actor=Alice")).isEmpty();
            assertThat(ids(hub.openDrifts("actor=alice&type=missing"))).containsExactly("c");
            assertThat(ids(hub.openDrifts("actor=alice&cluster=staging"))).containsExactly("e");
            assertThat(ids(hub.openDrifts("actor=alice&label=env=prod&kind=Deployment")))
                    .containsExactly("a");
            assertThat(hub.openDrifts("cluster=prod-eu&actor=alice").get(0).path("actors"))
                    .hasSize(1);
            JsonNode scoped = read(hub, "/api/v1/drifts?actor=alice", prodOnly);
            assertThat(scoped.path("drifts").findValuesAsText("id")).containsExactlyInAnyOrder("a", "c");
            assertThat(hub.get("/api/v1/drifts?actor=alice&cluster=staging", prodOnly)
                            .statusCode())
                    .isEqualTo(403);

            // late attribution: an updated event names d's actor; a resolved drift leaves the filter
            hub.post(
                    "prod-eu",
                    "events",
                    events(
                            "s",
                            List.of(
                                    HubBodies.withActor(event(5, "updated", d, "2"), "alice", null),
                                    event(6, "resolved", a, "1"))));
            assertThat(ids(hub.openDrifts("actor=alice&cluster=prod-eu"))).containsExactly("c", "d");
            // an update that names someone else replaces the drift's actors
            hub.post(
                    "prod-eu",
                    "events",
                    events("s", List.of(HubBodies.withActor(event(7, "updated", d, "3"), "bob", null))));
            assertThat(ids(hub.openDrifts("actor=alice&cluster=prod-eu"))).containsExactly("c");
            assertThat(ids(hub.openDrifts("actor=bob"))).containsExactly("d");
            // a snapshot replaces the cluster's actors with its own
            assertThat(hub.post(
                                    "prod-eu",
                                    "snapshot",
                                    snapshot(
                                            "s",
                                            7,
                                            T0.plusSeconds(300),
                                            List.of(HubBodies.withActor(drift(b, "2"), "dave", null))))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(hub.openDrifts("actor=bob")).isEmpty();
            assertThat(hub.openDrifts("actor=carol")).isEmpty();
            assertThat(ids(hub.openDrifts("actor=dave"))).containsExactly("b");
            assertThat(ids(hub.openDrifts("actor=alice"))).containsExactly("e");

            HttpResponse<String> bad = hub.get("/api/v1/drifts?actor=&cause=manual", TestHub.READ_TOKEN);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body())
                    .contains("actor: a user name of 1 to 256 characters, matched exactly")
                    .contains("cause: 'manual'");
        }
    }

    private static JsonNode read(TestHub hub, String path, String token) {
        HttpResponse<String> r = hub.get(path, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return HubBodies.JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oneDriftShowsItsChangesSummaryDiffAndHistory() {
        try (TestHub hub = hub()) {
            D a = D.of("a", "shop", "Deployment", "api");
            hub.post(
                    "prod-eu",
                    "events",
                    events("s1", List.of(event(1, "opened", a, "3"), event(2, "updated", a, "5"))));
            JsonNode d = hub.read("/api/v1/clusters/prod-eu/drifts/a");
            assertThat(d.path("open").asBoolean()).isTrue();
            assertThat(d.path("summary").asText()).isEqualTo("Deployment shop/api: 5");
            assertThat(d.path("drift").path("changes").get(0).path("manager").asText())
                    .isEqualTo("kubectl");
            assertThat(d.path("drift").path("diff").asText()).contains("+  replicas: 5");
            assertThat(d.path("events").size()).isEqualTo(2);

            hub.post("prod-eu", "events", events("s1", List.of(event(3, "resolved", a, "5"))));
            JsonNode resolved = hub.read("/api/v1/clusters/prod-eu/drifts/a");
            assertThat(resolved.path("open").asBoolean()).isFalse();
            assertThat(resolved.path("resolvedAt").asText())
                    .isEqualTo(T0.plusSeconds(120).toString());
            assertThat(hub.get("/api/v1/clusters/prod-eu/drifts/nope", TestHub.READ_TOKEN)
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void historyPagesNewestFirstAndFiltersByDriftAndType() {
        try (TestHub hub = hub()) {
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Service", "api");
            List<com.fasterxml.jackson.databind.node.ObjectNode> list = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                list.add(event(i, i % 2 == 0 ? "updated" : "opened", i % 3 == 0 ? b : a, "v" + i));
            }
            hub.post("prod-eu", "events", events("s1", list));
            List<JsonNode> all = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = hub.read("/api/v1/events?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
                page.path("events").forEach(all::add);
                cursor = page.path("nextCursor").isNull()
                        ? null
                        : page.path("nextCursor").asText();
            } while (cursor != null);
            assertThat(all).hasSize(30);
            List<Long> ids = all.stream().map(e -> e.path("id").asLong()).toList();
            assertThat(ids)
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder())
                    .doesNotHaveDuplicates();
            assertThat(hub.history("driftId=b")).hasSize(10);
            assertThat(hub.history("type=updated")).hasSize(15);
            assertThat(hub.history("since=2999-01-01T00:00:00Z")).isEmpty();
            assertThat(hub.get("/api/v1/events?type=exploded", TestHub.READ_TOKEN)
                            .statusCode())
                    .isEqualTo(400);
        }
    }

    @Test
    void aReaderWithSeveralLabelSetsReadsTheUnionOfTheirClustersAndIsRefusedTheRest() {
        String two = "two-teams-token";
        String readers = "- {name: two-teams, tokenSha256: " + TokenHash.sha256Hex(two)
                + ", clusterLabels: [{env: prod, region: eu}, {env: staging}]}\n";
        try (TestHub hub = TestHub.start(storage(), CLUSTERS, 0, Clock.systemUTC(), readers)) {
            hub.post("prod-eu", "heartbeat", HubBodies.heartbeat("a1", "{\"env\":\"prod\",\"region\":\"eu\"}"));
            hub.post("prod-us", "heartbeat", HubBodies.heartbeat("a2", "{\"env\":\"prod\",\"region\":\"us\"}"));
            hub.post("staging", "heartbeat", HubBodies.heartbeat("a3", "{\"env\":\"staging\"}"));
            hub.post(
                    "prod-eu",
                    "events",
                    events("s", List.of(event(1, "opened", D.of("e1", "shop", "Deployment", "a"), "1"))));
            hub.post(
                    "prod-us",
                    "events",
                    events("u", List.of(event(1, "opened", D.of("u1", "shop", "Deployment", "b"), "1"))));
            hub.post(
                    "staging",
                    "events",
                    events("t", List.of(event(1, "opened", D.of("t1", "shop", "Deployment", "c"), "1"))));

            assertThat(read(hub, "/api/v1/clusters", two).path("clusters").findValuesAsText("name"))
                    .containsExactlyInAnyOrder("prod-eu", "staging");
            assertThat(read(hub, "/api/v1/drifts", two).path("drifts").findValuesAsText("id"))
                    .containsExactlyInAnyOrder("e1", "t1");
            assertThat(read(hub, "/api/v1/events", two).path("events").findValuesAsText("cluster"))
                    .containsExactlyInAnyOrder("prod-eu", "staging");
            // a label filter reaching beyond the reader's clusters is narrowed to them
            assertThat(read(hub, "/api/v1/drifts?label=env=prod", two)
                            .path("drifts")
                            .findValuesAsText("id"))
                    .containsExactly("e1");
            assertThat(read(hub, "/api/v1/clusters/staging/drifts/t1", two)
                            .path("id")
                            .asText())
                    .isEqualTo("t1");
            assertThat(read(hub, "/api/v1/me", two).path("clusterScopes").toString())
                    .isEqualTo("[{\"env\":\"prod\",\"region\":\"eu\"},{\"env\":\"staging\"}]");

            for (String path : List.of(
                    "/api/v1/clusters/prod-us/drifts/u1",
                    "/api/v1/drifts?cluster=prod-us",
                    "/api/v1/events?cluster=staging&cluster=prod-us",
                    "/api/v1/events/stream?cluster=prod-us")) {
                HttpResponse<String> r = hub.get(path, two);
                assertThat(r.statusCode()).as(path).isEqualTo(403);
                assertThat(r.body())
                        .as(path)
                        .contains("cluster prod-us: outside the clusters two-teams may read (clusters labelled"
                                + " env=prod,region=eu or env=staging)");
            }
            // the unrestricted reader still sees all three
            assertThat(hub.read("/api/v1/clusters").path("clusters").findValuesAsText("name"))
                    .containsExactlyInAnyOrder("prod-eu", "prod-us", "staging");
        }
    }

    @Test
    void aTrustedProxysUserReadsTheUnionOfItsOwnEntryAndItsGroups() throws Exception {
        String secret = "proxy-shared-secret";
        String console = """
                console:
                  proxyAuth:
                    tokenSha256: %s
                    users: {bob: {env: staging}, root: {}}
                    groupsHeader: X-Forwarded-Groups
                    groups: {eu-oncall: {env: prod, region: eu}, us-oncall: {region: us}}
                """.formatted(TokenHash.sha256Hex(secret));
        try (TestHub hub = TestHub.start(storage() + console, CLUSTERS, 0, Clock.systemUTC())) {
            hub.post("prod-eu", "heartbeat", HubBodies.heartbeat("a1", "{\"env\":\"prod\",\"region\":\"eu\"}"));
            hub.post("prod-us", "heartbeat", HubBodies.heartbeat("a2", "{\"env\":\"prod\",\"region\":\"us\"}"));
            hub.post("staging", "heartbeat", HubBodies.heartbeat("a3", "{\"env\":\"staging\"}"));
            HttpClient http = HttpClient.newHttpClient();
            record Asked(int status, List<String> clusters, String body) {}
            BiFunction<String, Map<String, String>, Asked> ask = (path, headers) -> {
                HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(hub.url() + path));
                headers.forEach(r::header);
                try {
                    HttpResponse<String> a = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
                    List<String> names = a.statusCode() == 200
                            ? HubBodies.JSON.readTree(a.body()).path("clusters").findValuesAsText("name")
                            : List.of();
                    return new Asked(a.statusCode(), names, a.body());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            String user = "X-Forwarded-User";
            String proof = "X-Driftwatch-Proxy-Secret";

            // bob's own entry (staging) and his two groups (prod-eu, prod-us) add up; an unmapped group adds nothing
            assertThat(ask.apply(
                                    "/api/v1/clusters",
                                    Map.of(user, "bob", proof, secret, "X-Forwarded-Groups", "eu-oncall, interns"))
                            .clusters())
                    .containsExactlyInAnyOrder("staging", "prod-eu");
            assertThat(ask.apply(
                                    "/api/v1/clusters",
                                    Map.of(user, "bob", proof, secret, "X-Forwarded-Groups", "us-oncall,eu-oncall"))
                            .clusters())
                    .containsExactlyInAnyOrder("staging", "prod-eu", "prod-us");
            // not listed as a user, in a mapped group only
            Asked erin = ask.apply(
                    "/api/v1/clusters/staging/drifts/x",
                    Map.of(user, "erin", proof, secret, "X-Forwarded-Groups", "us-oncall"));
            assertThat(erin.status()).isEqualTo(403);
            assertThat(erin.body()).contains("outside the clusters proxy:erin may read (clusters labelled region=us)");
            // in no mapped group and not listed; the right groups without the proxy's secret: not signed in
            assertThat(ask.apply(
                                    "/api/v1/clusters",
                                    Map.of(user, "erin", proof, secret, "X-Forwarded-Groups", "interns"))
                            .status())
                    .isEqualTo(401);
            assertThat(ask.apply("/api/v1/clusters", Map.of(user, "bob", "X-Forwarded-Groups", "eu-oncall"))
                            .status())
                    .isEqualTo(401);
            // {} for one user: every cluster
            assertThat(ask.apply("/api/v1/clusters", Map.of(user, "root", proof, secret))
                            .clusters())
                    .containsExactlyInAnyOrder("prod-eu", "prod-us", "staging");
        }
    }

    @Test
    void eventStreamDeliversNewEventsAsServerSentEvents() throws Exception {
        try (TestHub hub = hub()) {
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<Void>> stream = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(hub.url() + "/api/v1/events/stream?cluster=prod-eu"))
                            .header("authorization", "Bearer " + TestHub.READ_TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
                        @Override
                        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                            s.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(String item) {
                            lines.add(item);
                        }

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onComplete() {}
                    }));
            Eventually.await(
                    "subscribed",
                    WAIT,
                    () -> hub.metric("driftwatch_hub_sse_clients", Map.of()).orElse(0) == 1.0);
            D a = D.of("a", "shop", "Deployment", "api");
            hub.post("prod-us", "events", events("u", List.of(event(1, "opened", a, "1"))));
            hub.post(
                    "prod-eu",
                    "events",
                    events("s", List.of(event(1, "opened", a, "2"), event(2, "resolved", a, "2"))));
            List<String> data = new ArrayList<>();
            Eventually.await(
                    "two events streamed",
                    WAIT,
                    () -> {
                        lines.drainTo(data);
                        return data.stream().filter(l -> l.startsWith("data: ")).count() >= 2;
                    },
                    data::toString);
            List<String> payloads =
                    data.stream().filter(l -> l.startsWith("data: ")).toList();
            assertThat(payloads).allMatch(l -> l.contains("\"cluster\":\"prod-eu\""));
            assertThat(payloads.get(0)).contains("\"type\":\"opened\"");
            assertThat(payloads.get(1)).contains("\"type\":\"resolved\"");
            assertThat(data).contains("event: drift");
            stream.cancel(true);
        }
    }

    @Test
    void fleetMetricsShowOpenDriftsAgentsClusterLabelsAndIngest() {
        try (TestHub hub = hub()) {
            hub.post(
                    "prod-eu",
                    "heartbeat",
                    HubBodies.heartbeat("a1", "{\"env\":\"prod\",\"region\":\"eu\",\"team\":\"x\"}"));
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Deployment", "web");
            D c = D.of("c", "shop", "Deployment", "worker").cause("unknown-manager");
            hub.post(
                    "prod-eu",
                    "events",
                    events(
                            "s",
                            List.of(
                                    event(1, "opened", a, "1"),
                                    event(2, "opened", b, "1"),
                                    event(3, "opened", c, "1"))));
            Eventually.await(
                    "gauges refreshed",
                    WAIT,
                    () -> hub.metric(
                                            "driftwatch_hub_open_drifts",
                                            Map.of("cluster", "prod-eu", "kind", "Deployment", "cause", "out-of-band"))
                                    .orElse(0)
                            == 2.0,
                    hub::metrics);
            assertThat(hub.metric(
                            "driftwatch_hub_open_drifts",
                            Map.of(
                                    "cluster",
                                    "prod-eu",
                                    "namespace",
                                    "shop",
                                    "kind",
                                    "Deployment",
                                    "app",
                                    "shop",
                                    "type",
                                    "modified",
                                    "cause",
                                    "unknown-manager")))
                    .hasValue(1.0);
            String m = hub.metrics();
            assertThat(m).contains("driftwatch_hub_cluster_info{cluster=\"prod-eu\",env=\"prod\",region=\"eu\"} 1");
            assertThat(TestHub_metric(m, "driftwatch_hub_agent_up", "prod-eu")).isEqualTo(1.0);
            assertThat(TestHub_metric(m, "driftwatch_hub_agent_last_seen_timestamp_seconds", "prod-eu"))
                    .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
            assertThat(TestHub_metric(m, "driftwatch_hub_oldest_open_drift_age_seconds", "prod-eu"))
                    .isGreaterThan(60.0);
            assertThat(m).contains("driftwatch_hub_ingest_requests_total{kind=\"events\",result=\"ok\"} 1.0");
            assertThat(m).contains("driftwatch_hub_ingest_duration_seconds_bucket{kind=\"events\",le=\"0.05\"}");
            assertThat(m).contains("driftwatch_hub_store_events 3.0");
            assertThat(m).containsPattern("driftwatch_hub_store_size_bytes [1-9]");
            var lint = Promtool.checkMetrics(m);
            assertThat(lint.exitCode()).as(lint.output()).isZero();
        }
    }

    @Test
    void driftEventsTimeToResolveAndCappedPerDriftSeriesFollowPushes() {
        try (TestHub hub = TestHub.start(storage() + "metrics: {maxDriftSeries: 2}\n", CLUSTERS)) {
            // at start every configured cluster has its counters (each cause its type can have) and histogram at 0
            assertThat(hub.metric(
                            "driftwatch_hub_drift_events_total",
                            Map.of("cluster", "staging", "type", "missing", "cause", "deleted", "event", "resolved")))
                    .hasValue(0.0);
            assertThat(hub.metric(
                            "driftwatch_hub_drift_events_total",
                            Map.of(
                                    "cluster",
                                    "staging",
                                    "type",
                                    "modified",
                                    "cause",
                                    "unknown-manager",
                                    "event",
                                    "opened")))
                    .hasValue(0.0);
            assertThat(hub.metric(
                            "driftwatch_hub_drift_events_total",
                            Map.of("cluster", "staging", "type", "missing", "cause", "out-of-band")))
                    .isEmpty();
            assertThat(hub.metric("driftwatch_hub_drift_time_to_resolve_seconds_count", Map.of("cluster", "staging")))
                    .hasValue(0.0);
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Service", "api").type("extra").cause("unknown-manager");
            D c = D.of("c", "web", "ConfigMap", "settings").app("web");
            String batch = events(
                    "s1",
                    List.of(
                            event(1, "opened", a, "3"),
                            event(2, "opened", b, "2"),
                            event(3, "opened", c, "2"),
                            event(4, "resolved", b, "2")));
            assertThat(hub.post("prod-eu", "events", batch).statusCode()).isEqualTo(200);
            assertThat(hub.post("prod-eu", "events", batch).body()).contains("\"duplicates\":4");
            assertThat(hub.post("prod-us", "events", events("s2", List.of(event(1, "opened", a, "5"))))
                            .statusCode())
                    .isEqualTo(200);

            // counted once although sent twice; resolvedAt - onset = 120 s
            assertThat(hub.metric(
                            "driftwatch_hub_drift_events_total",
                            Map.of(
                                    "cluster",
                                    "prod-eu",
                                    "type",
                                    "modified",
                                    "cause",
                                    "out-of-band",
                                    "event",
                                    "opened")))
                    .hasValue(2.0);
            assertThat(hub.metric(
                            "driftwatch_hub_drift_events_total",
                            Map.of(
                                    "cluster",
                                    "prod-eu",
                                    "type",
                                    "extra",
                                    "cause",
                                    "unknown-manager",
                                    "event",
                                    "resolved")))
                    .hasValue(1.0);
            assertThat(hub.metric(
                            "driftwatch_hub_drift_events_total",
                            Map.of(
                                    "cluster",
                                    "prod-us",
                                    "type",
                                    "modified",
                                    "cause",
                                    "out-of-band",
                                    "event",
                                    "opened")))
                    .hasValue(1.0);
            assertThat(hub.metric(
                            "driftwatch_hub_drift_time_to_resolve_seconds_bucket",
                            Map.of("cluster", "prod-eu", "le", "60.0")))
                    .hasValue(0.0);
            assertThat(hub.metric(
                            "driftwatch_hub_drift_time_to_resolve_seconds_bucket",
                            Map.of("cluster", "prod-eu", "le", "120.0")))
                    .hasValue(1.0);
            assertThat(hub.metric("driftwatch_hub_drift_time_to_resolve_seconds_sum", Map.of("cluster", "prod-eu")))
                    .hasValue(120.0);

            // three open drifts, a cap of two: the two oldest (then by cluster, id) are series, one is omitted
            Eventually.await(
                    "per-drift series refreshed",
                    WAIT,
                    () -> hub.metric("driftwatch_hub_drift_series_omitted", Map.of())
                                    .orElse(-1)
                            == 1.0,
                    hub::metrics);
            String m = hub.metrics();
            assertThat(m.lines().filter(l -> l.startsWith("driftwatch_hub_drift_started_timestamp_seconds{")))
                    .hasSize(2);
            assertThat(hub.metric(
                            "driftwatch_hub_drift_started_timestamp_seconds",
                            Map.of(
                                    "cluster",
                                    "prod-eu",
                                    "namespace",
                                    "shop",
                                    "kind",
                                    "Deployment",
                                    "name",
                                    "api",
                                    "app",
                                    "shop",
                                    "type",
                                    "modified",
                                    "cause",
                                    "out-of-band",
                                    "manager",
                                    "kubectl")))
                    .hasValue((double) T0.getEpochSecond());
            assertThat(hub.metric(
                            "driftwatch_hub_drift_started_timestamp_seconds",
                            Map.of(
                                    "cluster",
                                    "prod-eu",
                                    "namespace",
                                    "web",
                                    "kind",
                                    "ConfigMap",
                                    "name",
                                    "settings",
                                    "app",
                                    "web",
                                    "type",
                                    "modified",
                                    "manager",
                                    "kubectl")))
                    .hasValue((double) T0.getEpochSecond());
            assertThat(hub.metric("driftwatch_hub_drift_series_limit", Map.of()))
                    .hasValue(2.0);
            var lint = Promtool.checkMetrics(m);
            assertThat(lint.exitCode()).as(lint.output()).isZero();

            // one resolved: everything fits again, and the resolved drift's series is gone
            hub.post("prod-eu", "events", events("s1", List.of(event(5, "resolved", a, "3"))));
            Eventually.await(
                    "series follow the resolution",
                    WAIT,
                    () -> hub.metric("driftwatch_hub_drift_series_omitted", Map.of())
                                            .orElse(-1)
                                    == 0.0
                            && hub.metric(
                                            "driftwatch_hub_drift_started_timestamp_seconds",
                                            Map.of("cluster", "prod-eu", "name", "api"))
                                    .isEmpty(),
                    hub::metrics);
            assertThat(hub.metric(
                            "driftwatch_hub_drift_started_timestamp_seconds",
                            Map.of("cluster", "prod-us", "name", "api")))
                    .hasValue((double) T0.getEpochSecond());
        }
    }

    private static double TestHub_metric(String exposition, String name, String cluster) {
        return io.driftwatch.testing.AgentEndpoint.sample(exposition, name, Map.of("cluster", cluster))
                .orElseThrow(() -> new AssertionError(name + " missing in\n" + exposition));
    }

    @Test
    void retentionPrunesOldHistoryButKeepsOpenDrifts() {
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        try (TestHub hub =
                TestHub.start(storage() + "retention: {history: 30d, pruneInterval: 1s}\n", CLUSTERS, 0, clock)) {
            D a = D.of("a", "shop", "Deployment", "api");
            D b = D.of("b", "shop", "Service", "api");
            hub.post("prod-eu", "events", events("s", List.of(event(1, "opened", a, "1"), event(2, "opened", b, "1"))));
            now.addAndGet(Duration.ofDays(31).toMillis());
            hub.post("prod-eu", "events", events("s", List.of(event(3, "resolved", b, "1"))));
            Eventually.await(
                    "old history pruned",
                    WAIT,
                    () -> hub.history("").size() == 1,
                    () -> hub.history("").toString());
            assertThat(hub.history("").get(0).path("seq").asLong()).isEqualTo(3);
            assertThat(ids(hub.openDrifts(""))).containsExactly("a");
            assertThat(hub.metric("driftwatch_hub_pruned_events_total", Map.of()))
                    .hasValue(2.0);
        }
    }

    @Test
    void stateAndHistorySurviveAHubRestartAndMigrationsRunOnce() {
        D a = D.of("a", "shop", "Deployment", "api");
        try (TestHub hub = hub()) {
            hub.post("prod-eu", "events", events("s", List.of(event(1, "opened", a, "1"))));
        }
        try (TestHub hub = TestHub.start(sameStorage(), CLUSTERS)) {
            assertThat(ids(hub.openDrifts(""))).containsExactly("a");
            assertThat(hub.post("prod-eu", "events", events("s", List.of(event(1, "opened", a, "1"))))
                            .body())
                    .contains("\"duplicates\":1");
            assertThat(hub.history("")).hasSize(1);
        }
    }

    @Test
    void driftsOpenedBeforeMigrationFourHaveAnEmptyCauseUntilTheirNextEvent() throws Exception {
        D a = D.of("a", "shop", "Deployment", "api").cause("unknown-manager");
        D b = D.of("b", "shop", "Deployment", "web").cause("unknown-manager");
        try (TestHub hub = hub()) {
            hub.post("prod-eu", "events", events("s", List.of(event(1, "opened", a, "1"), event(2, "opened", b, "1"))));
        }
        // the database as a hub from before migration 4 left it
        try (java.sql.Connection c = connect();
                java.sql.Statement s = c.createStatement()) {
            s.execute("ALTER TABLE open_drifts DROP COLUMN cause");
            s.execute("DELETE FROM schema_migrations WHERE version = 4");
        }
        try (TestHub hub = TestHub.start(sameStorage(), CLUSTERS)) {
            assertThat(hub.openDrifts(""))
                    .extracting(d -> d.path("cause").asText())
                    .containsExactly("", "");
            assertThat(hub.post("prod-eu", "events", events("s", List.of(event(3, "updated", a, "2"))))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(ids(hub.openDrifts("cause=unknown-manager"))).containsExactly("a");
            Eventually.await(
                    "gauges refreshed",
                    WAIT,
                    () -> hub.metric(
                                            "driftwatch_hub_open_drifts",
                                            Map.of("cluster", "prod-eu", "cause", "unknown-manager"))
                                    .orElse(0)
                            == 1.0,
                    hub::metrics);
            assertThat(hub.metric("driftwatch_hub_open_drifts", Map.of("cluster", "prod-eu", "cause", "")))
                    .hasValue(1.0);
        }
    }

    @Test
    void badInputIsRejectedWithTheRightStatusStoresNothingAndKeepsMemoryBounded() {
        try (TestHub hub = TestHub.start(storage() + "limits: {maxBodyBytes: 65536, maxBatchEvents: 50}\n", CLUSTERS)) {
            D a = D.of("a", "shop", "Deployment", "api");
            String good = events("s", List.of(event(1, "opened", a, "1")));
            String huge = events(
                    "s",
                    java.util.stream.LongStream.rangeClosed(1, 51)
                            .mapToObj(i -> event(i, "opened", a, "1"))
                            .toList());
            String big = "{\"stream\":\"s\",\"events\":[" + "x".repeat(70_000) + "]}";
            record Case(String what, String cluster, String token, String path, String body, int status) {}
            List<Case> cases = List.of(
                    new Case(
                            "malformed JSON",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "events",
                            "{\"stream\": \"s\",",
                            400),
                    new Case("not an object", "prod-eu", TestHub.token("prod-eu"), "events", "[1,2]", 400),
                    new Case("empty body", "prod-eu", TestHub.token("prod-eu"), "events", "", 400),
                    new Case(
                            "seq is a string",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "events",
                            good.replace("\"seq\":1", "\"seq\":\"1\""),
                            400),
                    new Case(
                            "seq not increasing",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "events",
                            events("s", List.of(event(2, "opened", a, "1"), event(2, "opened", a, "1"))),
                            400),
                    new Case(
                            "unknown event type",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "events",
                            good.replace("\"opened\"", "\"exploded\""),
                            400),
                    new Case(
                            "drift is a number",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "events",
                            events("s", List.of(event(1, "opened", a, "1").put("drift", 7))),
                            400),
                    new Case(
                            "bad time",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "events",
                            good.replace(T0.toString(), "yesterday"),
                            400),
                    new Case(
                            "deeply nested",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "heartbeat",
                            "[".repeat(5000) + "]".repeat(5000),
                            400),
                    new Case(
                            "snapshot without drifts",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "snapshot",
                            "{\"stream\":\"s\",\"seq\":1,\"takenAt\":\"" + T0 + "\"}",
                            400),
                    new Case(
                            "heartbeat labels of wrong type",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "heartbeat",
                            "{\"agentId\":\"a\",\"version\":\"1\",\"labels\":{\"env\":3}}",
                            400),
                    new Case(
                            "stream id not a UUID",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "events",
                            good.replace(HubBodies.streamId("s"), "../../etc/passwd"),
                            400),
                    new Case(
                            "onset in year 9999",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "events",
                            good.replace("\"onset\":\"" + T0, "\"onset\":\"9999-12-31T23:59:59Z"),
                            400),
                    new Case(
                            "onset before 2000",
                            "prod-eu",
                            TestHub.token("prod-eu"),
                            "snapshot",
                            snapshot("s", 1, T0, List.of(drift(a, "1").put("onset", "1970-01-01T00:00:00Z"))),
                            400),
                    new Case("oversized body", "prod-eu", TestHub.token("prod-eu"), "events", big, 413),
                    new Case("huge batch", "prod-eu", TestHub.token("prod-eu"), "events", huge, 413),
                    new Case("missing token", "prod-eu", null, "events", good, 401),
                    new Case("wrong token", "prod-eu", "guess", "events", good, 401),
                    new Case("cluster A writing cluster B", "prod-us", TestHub.token("prod-eu"), "events", good, 403),
                    new Case("read token writing", "prod-eu", TestHub.READ_TOKEN, "events", good, 403),
                    new Case("unknown cluster", "elsewhere", TestHub.token("prod-eu"), "snapshot", good, 403));
            for (Case c : cases) {
                HttpResponse<String> r = hub.post(c.cluster(), c.path(), c.token(), c.body());
                assertThat(r.statusCode()).as(c.what() + ": " + r.body()).isEqualTo(c.status());
                assertThat(r.body()).as(c.what()).contains("\"error\":");
            }
            assertThat(hub.get("/api/v1/drifts", null).statusCode()).isEqualTo(401);
            assertThat(hub.get("/api/v1/drifts", TestHub.token("prod-eu")).statusCode())
                    .as("cluster tokens cannot read")
                    .isEqualTo(403);

            long before = usedHeapAfterGc();
            for (int i = 0; i < 1200; i++) {
                Case c = cases.get(i % cases.size());
                assertThat(hub.post(c.cluster(), c.path(), c.token(), c.body()).statusCode())
                        .as(c.what())
                        .isEqualTo(c.status());
            }
            long after = usedHeapAfterGc();
            assertThat(after - before)
                    .as("heap growth after 1200 bad requests (bytes)")
                    .isLessThan(64L << 20);

            assertThat(hub.history("")).as("nothing stored").isEmpty();
            assertThat(hub.openDrifts("")).isEmpty();
            assertThat(hub.read("/api/v1/clusters").path("clusters").size())
                    .as("no cluster row created")
                    .isZero();
            HttpResponse<String> ok = hub.post("prod-eu", "events", good);
            assertThat(ok.statusCode()).as("still serving: " + ok.body()).isEqualTo(200);
            assertThat(hub.get("/readyz", null).statusCode()).isEqualTo(200);
            assertThat(hub.metric(
                                    "driftwatch_hub_ingest_requests_total",
                                    Map.of("kind", "events", "result", "unauthorized"))
                            .orElse(0))
                    .isGreaterThan(100);
            assertThat(hub.metric(
                                    "driftwatch_hub_ingest_requests_total",
                                    Map.of("kind", "events", "result", "too_large"))
                            .orElse(0))
                    .isGreaterThan(100);
        }
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static Set<String> set(List<String> l) {
        return new HashSet<>(l);
    }
}
