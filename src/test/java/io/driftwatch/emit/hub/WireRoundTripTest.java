package io.driftwatch.emit.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.driftwatch.BuildInfo;
import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.Op;
import io.driftwatch.diff.ReportJson;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.hub.Protocol;
import io.driftwatch.wire.EventsAck;
import io.driftwatch.wire.MetricsMessage;
import io.driftwatch.wire.SnapshotAck;
import io.driftwatch.wire.Wire;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent's emitter writes is what the hub's strict parser accepts, field for field, for every message. */
class WireRoundTripTest {

    private static final String STREAM = "0b5c7f3e-8a1d-4c2e-9f60-1a2b3c4d5e6f";
    private static final Instant ONSET =
            Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
    private static final Protocol.TimeBounds BOUNDS = Protocol.TimeBounds.around(ONSET, java.time.Duration.ofDays(1));

    private static DriftRecord record(String name, Instant resolvedAt) {
        Change change = new Change(
                "spec.replicas",
                "/spec/replicas",
                Op.CHANGED,
                Cause.OUT_OF_BAND,
                IntNode.valueOf(3),
                IntNode.valueOf(5),
                "kubectl-scale",
                "Update",
                "scale",
                ONSET,
                null);
        Drift drift = new Drift(
                new ObjectKey("apps", "Deployment", "shop", name),
                "apps/v1",
                "shop-app",
                DriftType.MODIFIED,
                Cause.OUT_OF_BAND,
                "replicas 3 -> 5",
                List.of(change),
                null);
        return new DriftRecord("id-" + name, drift, ONSET, ONSET.plusSeconds(60), resolvedAt);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static void sameDrift(Protocol.DriftState got, DriftRecord sent) {
        assertThat(got.driftId()).isEqualTo(sent.id());
        assertThat(got.namespace()).isEqualTo("shop");
        assertThat(got.kind()).isEqualTo("Deployment");
        assertThat(got.name()).isEqualTo(sent.drift().key().name());
        assertThat(got.app()).isEqualTo("shop-app");
        assertThat(got.type()).isEqualTo("modified");
        assertThat(got.cause()).isEqualTo(Cause.OUT_OF_BAND.json());
        assertThat(got.summary()).isEqualTo("replicas 3 -> 5");
        assertThat(got.manager()).isEqualTo("kubectl-scale");
        assertThat(got.onset()).isEqualTo(sent.onset());
        assertThat(got.lastSeen()).isEqualTo(sent.lastSeen());
        assertThat(got.driftJson()).isEqualTo(ReportJson.toJson(sent.drift()).toString());
    }

    @Test
    void eventsTheEmitterQueuesAreAcceptedByTheHub() {
        DriftRecord open = record("api", null);
        DriftRecord resolved = record("api", ONSET.plusSeconds(120));
        List<Outbox.Entry> batch = List.of(
                entry(7, HubReporter.eventJson(7, new DriftEvent(DriftEvent.Type.OPENED, open))),
                entry(8, HubReporter.eventJson(8, new DriftEvent(DriftEvent.Type.RESOLVED, resolved))));

        Protocol.EventBatch got = Protocol.events(bytes(HubReporter.eventsJson(STREAM, batch)), 100, BOUNDS);

        assertThat(got.stream()).isEqualTo(STREAM);
        assertThat(got.events()).extracting(Protocol.Event::seq).containsExactly(7L, 8L);
        assertThat(got.events()).extracting(Protocol.Event::type).containsExactly("opened", "resolved");
        assertThat(got.events()).extracting(Protocol.Event::resolvedAt).containsExactly(null, resolved.resolvedAt());
        sameDrift(got.events().get(0).drift(), open);
        sameDrift(got.events().get(1).drift(), resolved);
    }

    @Test
    void anUpdatedEventCarriesEachChangesActorToTheHub() throws Exception {
        DriftRecord r = record("api", null);
        Actor carol = new Actor(
                "carol", List.of("ops"), "alice", "10.0.0.7", "kubectl/v1.31.0", "audit-1", Actor.Match.EXACT);
        Change change = r.drift().changes().get(0);
        Drift attributed =
                r.drift().attributed(List.of(change.attributed(carol, Cause.OUT_OF_BAND)), null, Cause.OUT_OF_BAND);
        DriftRecord late = new DriftRecord(r.id(), attributed, r.onset(), r.lastSeen(), null);
        List<Outbox.Entry> batch =
                List.of(entry(9, HubReporter.eventJson(9, new DriftEvent(DriftEvent.Type.UPDATED, late))));

        Protocol.EventBatch got = Protocol.events(bytes(HubReporter.eventsJson(STREAM, batch)), 100, BOUNDS);

        Protocol.DriftState state = got.events().get(0).drift();
        assertThat(got.events().get(0).type()).isEqualTo("updated");
        assertThat(state.actors()).containsExactly("carol");
        JsonNode actor =
                Wire.JSON.readTree(state.driftJson()).path("changes").get(0).path("actor");
        assertThat(actor.path("username").asText()).isEqualTo("carol");
        assertThat(actor.path("impersonatedBy").asText()).isEqualTo("alice");
        assertThat(actor.path("groups").get(0).asText()).isEqualTo("ops");
        assertThat(actor.path("sourceIP").asText()).isEqualTo("10.0.0.7");
        assertThat(actor.path("userAgent").asText()).isEqualTo("kubectl/v1.31.0");
        assertThat(actor.path("auditID").asText()).isEqualTo("audit-1");
        assertThat(actor.path("match").asText()).isEqualTo("exact");
    }

    @Test
    void anEventIsWrittenFieldForFieldAsDocumented() {
        DriftRecord r = record("api", null);
        DriftRecord fixed = new DriftRecord(
                r.id(),
                r.drift(),
                Instant.parse("2026-11-21T10:00:00Z"),
                Instant.parse("2026-11-21T10:01:00.123Z"),
                null);

        assertThat(HubReporter.eventJson(3, new DriftEvent(DriftEvent.Type.OPENED, fixed)))
                .isEqualTo("{\"seq\":3,\"type\":\"opened\",\"driftId\":\"id-api\",\"onset\":\"2026-11-21T10:00:00Z\","
                        + "\"lastSeen\":\"2026-11-21T10:01:00.123Z\",\"drift\":" + ReportJson.toJson(r.drift())
                        + ",\"resolvedAt\":null}");
    }

    private static Outbox.Entry entry(long seq, String json) {
        return new Outbox.Entry(seq, json, json.length());
    }

    @Test
    void aSnapshotTheEmitterTakesIsAcceptedByTheHub() {
        List<DriftRecord> open = List.of(record("api", null), record("web", null));
        Instant takenAt = ONSET.plusSeconds(300);

        Protocol.Snapshot got = Protocol.snapshot(
                bytes(HubReporter.snapshotJson(STREAM, new HubReporter.Snapshot(42, open), takenAt)), 100, BOUNDS);

        assertThat(got.stream()).isEqualTo(STREAM);
        assertThat(got.seq()).isEqualTo(42);
        assertThat(got.takenAt()).isEqualTo(takenAt);
        assertThat(got.drifts()).hasSize(2);
        sameDrift(got.drifts().get(0), open.get(0));
        sameDrift(got.drifts().get(1), open.get(1));
    }

    @Test
    void aHeartbeatTheEmitterSendsIsAcceptedByTheHub() {
        JsonNode sources = Wire.JSON
                .createObjectNode()
                .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                        "shop",
                        Wire.JSON
                                .createObjectNode()
                                .put("revision", "9f1c2e4")
                                .put("healthy", true)
                                .put("stale", false))
                .set(
                        "web",
                        Wire.JSON
                                .createObjectNode()
                                .putNull("revision")
                                .put("healthy", false)
                                .put("stale", false)
                                .put("error", "git fetch: timeout"));

        Protocol.Heartbeat got =
                Protocol.heartbeat(bytes(HubReporter.heartbeatJson("agent-1", Map.of("env", "prod"), sources)));

        assertThat(got.agentId()).isEqualTo("agent-1");
        assertThat(got.version()).isEqualTo(BuildInfo.current().version());
        assertThat(got.labels()).isEqualTo(Map.of("env", "prod"));
        assertThat(got.sources())
                .containsExactly(
                        Map.entry("shop", new Protocol.SourceHealth(true, "9f1c2e4", null)),
                        Map.entry("web", new Protocol.SourceHealth(false, null, "git fetch: timeout")));
    }

    @Test
    void theHubsAcknowledgementsKeepTheirFieldNames() throws Exception {
        assertThat(Wire.JSON.readTree(Wire.write(new EventsAck(8L, 2, 0, true))).toString())
                .isEqualTo("{\"ack\":8,\"stored\":2,\"duplicates\":0,\"snapshotWanted\":true}");
        assertThat(Wire.write(new SnapshotAck(42, true))).isEqualTo("{\"ack\":42,\"applied\":true}");
        EventsAck read = Wire.read(
                Wire.JSON.readTree(
                        "{\"ack\":8,\"stored\":2,\"duplicates\":0," + "\"snapshotWanted\":true,\"addedLater\":1}"),
                EventsAck.class);
        assertThat(read).isEqualTo(new EventsAck(8L, 2, 0, true));
    }

    @Test
    void metricsTheEmitterPushesAreAcceptedByTheHubFieldForField() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("cluster", "prod");
        Counter.builder("driftwatch.drift.events")
                .description("Drift lifecycle events")
                .tags("app", "shop", "event", "opened")
                .register(registry)
                .increment(3);
        Gauge.builder("driftwatch.open.drifts", () -> 2).register(registry);
        Gauge.builder("driftwatch.gone", () -> Double.NaN).register(registry);
        Timer latency = Timer.builder("driftwatch.drift.detection.latency")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100))
                .register(registry);
        latency.record(Duration.ofMillis(5));
        latency.record(Duration.ofSeconds(1));
        Timer.builder("jvm.gc.pause").register(registry).record(Duration.ofMillis(250));
        Gauge.builder("driftwatch.build.info", () -> 1).tags("version", "1.2.3").register(registry);
        Counter.builder("http.unrelated").register(registry).increment();
        Instant startedAt = Instant.parse("2026-11-21T08:40:00Z");
        MetricsMessage sent = MetricsSnapshot.message(registry.getPrometheusRegistry(), "agent-a", startedAt, false);

        MetricsMessage got = Protocol.metrics(
                bytes(MetricsSnapshot.json(registry.getPrometheusRegistry(), "agent-a", startedAt, false)), 1000);

        assertThat(got.instance()).isEqualTo("agent-a");
        assertThat(got.startedAt()).isEqualTo(startedAt);
        assertThat(got.last()).isFalse();
        assertThat(got.families())
                .extracting(MetricsMessage.Family::name)
                .containsExactly(
                        "driftwatch_build",
                        "driftwatch_drift_detection_latency_seconds",
                        "driftwatch_drift_detection_latency_seconds_max",
                        "driftwatch_drift_events",
                        "driftwatch_gone",
                        "driftwatch_open_drifts",
                        "jvm_gc_pause_seconds");
        assertThat(got.families())
                .extracting(MetricsMessage.Family::type)
                .containsExactly("info", "histogram", "gauge", "counter", "gauge", "gauge", "summary");
        for (int i = 0; i < sent.families().size(); i++) {
            MetricsMessage.Family family = sent.families().get(i);
            MetricsMessage.Family parsed = got.families().get(i);
            assertThat(parsed.name()).isEqualTo(family.name());
            assertThat(parsed.help()).isEqualTo(family.help() == null ? "" : family.help());
            assertThat(parsed.series()).as(family.name()).isEqualTo(family.series());
        }
        assertThat(got.families().get(1).series().get(0).buckets())
                .extracting(MetricsMessage.Bucket::cumulativeCount)
                .containsExactly(1L, 1L);
        assertThat(got.families().get(3).series().get(0).labels()).isEqualTo(Map.of("app", "shop", "event", "opened"));
        assertThat(got.families().get(3).series().get(0).value()).isEqualTo(3.0);
        assertThat(got.families().get(4).series())
                .as("a gauge reading NaN has no sample")
                .isEmpty();
    }

    @Test
    void metricsAreWrittenFieldForFieldAsDocumentedAndReadBackAsTheSameRecord() throws Exception {
        MetricsMessage message = new MetricsMessage(
                "agent-a",
                Instant.parse("2026-11-21T08:40:00Z"),
                false,
                List.of(
                        new MetricsMessage.Family(
                                "driftwatch_drift_events",
                                "counter",
                                "Drift lifecycle events",
                                List.of(MetricsMessage.Series.value(Map.of("app", "shop"), 3))),
                        new MetricsMessage.Family(
                                "driftwatch_drift_detection_latency_seconds",
                                "histogram",
                                null,
                                List.of(MetricsMessage.Series.histogram(
                                        Map.of(), List.of(new MetricsMessage.Bucket(0.005, 3)), 12, 0.31))),
                        new MetricsMessage.Family(
                                "jvm_gc_pause_seconds",
                                "summary",
                                "GC pauses",
                                List.of(MetricsMessage.Series.summary(Map.of("gc", "G1"), 40, 0.12))),
                        new MetricsMessage.Family(
                                "driftwatch_build",
                                "info",
                                null,
                                List.of(MetricsMessage.Series.info(Map.of("version", "1.2.3"))))));

        String json = Wire.write(message);

        assertThat(json)
                .isEqualTo("{\"instance\":\"agent-a\",\"startedAt\":\"2026-11-21T08:40:00Z\",\"final\":false,"
                        + "\"families\":[{\"name\":\"driftwatch_drift_events\",\"type\":\"counter\","
                        + "\"help\":\"Drift lifecycle events\",\"series\":[{\"labels\":{\"app\":\"shop\"},\"value\":3.0}]},"
                        + "{\"name\":\"driftwatch_drift_detection_latency_seconds\",\"type\":\"histogram\","
                        + "\"series\":[{\"labels\":{},\"buckets\":[[0.005,3]],\"count\":12,\"sum\":0.31}]},"
                        + "{\"name\":\"jvm_gc_pause_seconds\",\"type\":\"summary\",\"help\":\"GC pauses\","
                        + "\"series\":[{\"labels\":{\"gc\":\"G1\"},\"count\":40,\"sum\":0.12}]},"
                        + "{\"name\":\"driftwatch_build\",\"type\":\"info\","
                        + "\"series\":[{\"labels\":{\"version\":\"1.2.3\"}}]}]}");
        assertThat(Wire.read(Wire.JSON.readTree(json), MetricsMessage.class)).isEqualTo(message);
        assertThat(Protocol.metrics(bytes(json), 100).families()).hasSize(4);
    }

    @Test
    void theLastMetricsPushCarriesNoFamilies() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("driftwatch.drift.events").register(registry).increment();

        String json = MetricsSnapshot.json(
                registry.getPrometheusRegistry(), "agent-a", Instant.parse("2026-11-21T08:40:00Z"), true);

        assertThat(json)
                .isEqualTo(
                        "{\"instance\":\"agent-a\",\"startedAt\":\"2026-11-21T08:40:00Z\",\"final\":true,\"families\":[]}");
        assertThat(Protocol.metrics(bytes(json), 100).last()).isTrue();
    }
}
