package io.driftwatch.hub;

import static io.driftwatch.hub.HubBodies.D;
import static io.driftwatch.hub.HubBodies.event;
import static io.driftwatch.hub.HubBodies.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolTest {

    private static final D A = D.of("a", "shop", "Deployment", "api");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void rejected(String body, String message) {
        assertThatThrownBy(() -> Protocol.events(bytes(body), 100))
                .isInstanceOf(BadRequest.class)
                .hasMessageContaining(message);
    }

    @Test
    void parsesABatchWithItsDriftFieldsAndKeepsTheDriftJson() {
        Protocol.EventBatch batch = Protocol.events(
                bytes(events("s1", List.of(event(1, "opened", A, "3"), event(2, "resolved", A, "3")))), 100);
        assertThat(batch.stream()).isEqualTo(HubBodies.streamId("s1"));
        assertThat(batch.lastSeq()).isEqualTo(2);
        Protocol.Event first = batch.events().get(0);
        assertThat(first.drift().kind()).isEqualTo("Deployment");
        assertThat(first.drift().namespace()).isEqualTo("shop");
        assertThat(first.drift().summary()).isEqualTo("Deployment shop/api: 3");
        assertThat(first.drift().driftJson()).contains("\"changes\"", "\"diff\"");
        assertThat(first.resolvedAt()).isNull();
        assertThat(batch.events().get(1).resolvedAt()).isNotNull();
    }

    @Test
    void theManagerIsTheFirstChangeThatNamesOneAndEmptyWhenNoneDoes() {
        assertThat(Protocol.events(bytes(events("s1", List.of(event(1, "opened", A, "3")))), 100)
                        .events()
                        .get(0)
                        .drift()
                        .manager())
                .isEqualTo("kubectl");
        assertThat(Protocol.manager("{\"changes\":[{\"manager\":null},{\"manager\":\"kubectl-edit\"},"
                        + "{\"manager\":\"helm\"}]}"))
                .isEqualTo("kubectl-edit");
        assertThat(Protocol.manager("{\"changes\":[{\"field\":\"spec.replicas\"}]}"))
                .isEmpty();
        assertThat(Protocol.manager("{\"changes\":null}")).isEmpty();
        assertThat(Protocol.manager("{\"changes\":[{\"manager\":\"" + "m".repeat(300) + "\"}]}"))
                .hasSize(128);
    }

    @Test
    void duplicateKeysControlCharactersAndPathLikeDriftIdsAreRefusedNamingTheField() {
        String good = events("s1", List.of(event(1, "opened", A, "3")));
        rejected(good.replace("{\"stream\":", "{\"stream\":\"x\",\"stream\":"), "duplicate key 'stream'");
        rejected(
                good.replace("\"driftId\":\"a\"", "\"driftId\":\"../../etc/passwd\""),
                "events[0].driftId: '../../etc/passwd' is not an id");
        rejected(
                good.replace("\"driftId\":\"a\"", "\"driftId\":\"a\\u0000b\""),
                "events[0].driftId: control character U+0000 at index 1");
        rejected(
                good.replace("\"name\":\"api\"", "\"name\":\"a\\r\\nb\""),
                "events[0].drift.name: control character U+000D at index 1 (an identifier holds none)");
        rejected(
                good.replace("\"namespace\":\"shop\"", "\"namespace\":\"\\u0000\""),
                "events[0].drift.namespace: control character U+0000");
        rejected(
                good.replace("\"summary\":\"", "\"summary\":\"\\u0000"),
                "events[0].drift.summary: control character U+0000");
        rejected(good.replace("\"seq\":1", "\"seq\":NaN"), "Non-standard token 'NaN'");
        rejected(good.replace("\"seq\":1", "\"seq\":" + "9".repeat(2000)), "a number longer than 1000 digits");
        rejected("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", "nested deeper than 200 levels");
        assertThatThrownBy(() -> Protocol.events(bytes(good.replace("\"seq\":1", "\"seq\":NaN")), 100))
                .hasMessageNotContaining("`")
                .hasMessageNotContaining("JsonReadFeature");
        assertThat(Protocol.events(bytes(good.replace("\"summary\":\"", "\"summary\":\"line\\n\\tnext ")), 100)
                        .events()
                        .get(0)
                        .drift()
                        .summary())
                .startsWith("line\n\tnext");
    }

    @Test
    void namesTheFieldThatIsWrong() {
        String good = events("s1", List.of(event(1, "opened", A, "3")));
        rejected("{", "malformed JSON");
        rejected("[]", "expected a JSON object");
        rejected(
                good.replace("\"stream\":\"" + HubBodies.streamId("s1") + "\"", "\"stream\":7"),
                "stream: must be a string");
        rejected(good.replace("\"seq\":1", "\"seq\":0"), "events[0].seq");
        rejected(good.replace("\"seq\":1", "\"seq\":1.5"), "events[0].seq");
        rejected(good.replace("\"opened\"", "\"closed\""), "events[0].type");
        rejected(good.replace("\"kind\":\"Deployment\"", "\"kind\":null"), "events[0].drift.kind: required");
        rejected(good.replace("\"type\":\"modified\"", "\"type\":\"odd\""), "events[0].drift.type");
        rejected(
                good.replace("\"resolvedAt\":null", "\"resolvedAt\":\"2026-11-21T08:02:00Z\""), "only resolved events");
        rejected(
                events("s1", List.of(event(1, "resolved", A, "3").putNull("resolvedAt"))),
                "events[0].resolvedAt: required");
        rejected(events("s1", List.of(event(3, "opened", A, "3"), event(2, "opened", A, "3"))), "does not increase");
        rejected("{\"stream\":\"" + HubBodies.streamId("s") + "\",\"events\":[]}", "empty batch");
        rejected("{\"stream\":\"../../etc/passwd\",\"events\":[]}", "stream: '../../etc/passwd' is not a UUID");
        rejected(
                good.replace("\"onset\":\"2026", "\"onset\":\"9999"),
                "events[0].onset: 9999-11-21T08:00:00Z is outside " + "2000-01-01T00:00:00Z .. ");
        rejected(good.replace("\"lastSeen\":\"2026", "\"lastSeen\":\"1999"), "events[0].lastSeen: 1999-");
    }

    @Test
    void aBatchOverTheLimitIsTooLarge() {
        String body = events("s1", List.of(event(1, "opened", A, "1"), event(2, "opened", A, "1")));
        assertThatThrownBy(() -> Protocol.events(bytes(body), 1))
                .isInstanceOfSatisfying(
                        BadRequest.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void snapshotsRejectDuplicateDriftIds() {
        String body =
                HubBodies.snapshot("s", 3, HubBodies.T0, List.of(HubBodies.drift(A, "1"), HubBodies.drift(A, "2")));
        assertThatThrownBy(() -> Protocol.snapshot(bytes(body), 100)).hasMessageContaining("appears twice");
        assertThat(Protocol.snapshot(
                                bytes(HubBodies.snapshot("s", 3, HubBodies.T0, List.of(HubBodies.drift(A, "1")))), 100)
                        .drifts())
                .hasSize(1);
    }

    @Test
    void heartbeatsCarryLabelsAndSourceHealth() {
        Protocol.Heartbeat hb = Protocol.heartbeat(bytes(HubBodies.heartbeat("agent-1", "{\"env\":\"prod\"}")));
        assertThat(hb.labels()).containsEntry("env", "prod");
        assertThat(hb.sources().get("billing").healthy()).isFalse();
        assertThat(hb.sources().get("billing").error()).isEqualTo("fetch: timeout");
        assertThatThrownBy(() -> Protocol.heartbeat(
                        bytes("{\"agentId\":\"a\",\"version\":\"1\",\"sources\":" + "{\"x\":{\"healthy\":\"yes\"}}}")))
                .hasMessageContaining("sources.x");
    }

    @Test
    void acceptsEveryCauseTheEngineReportsIncludingUnknownManager() {
        for (io.driftwatch.diff.Cause cause : io.driftwatch.diff.Cause.values()) {
            String body = events("s1", List.of(event(1, "opened", A, "3"))).replace("out-of-band", cause.json());
            Protocol.DriftState drift =
                    Protocol.events(bytes(body), 100).events().get(0).drift();
            assertThat(drift.driftJson()).contains("\"cause\":\"" + cause.json() + "\"");
            assertThat(drift.cause()).isEqualTo(cause.json());
            assertThat(Protocol.cause(drift.driftJson()))
                    .as("replayed from the stored JSON")
                    .isEqualTo(cause.json());
        }
    }

    @Test
    void aNewerAgentsCauseIsKeptAMissingOneIsEmptyAndAnOverlongOneIsRefused() {
        String good = events("s1", List.of(event(1, "opened", A, "3")));
        String newer = good.replace("\"cause\":\"out-of-band\",\"summary\"", "\"cause\":\"cosmic-ray\",\"summary\"");
        assertThat(Protocol.events(bytes(newer), 100).events().get(0).drift().cause())
                .isEqualTo("cosmic-ray");
        String none = good.replace("\"cause\":\"out-of-band\",\"summary\"", "\"summary\"");
        assertThat(Protocol.events(bytes(none), 100).events().get(0).drift().cause())
                .isEmpty();
        rejected(
                good.replace(
                        "\"cause\":\"out-of-band\",\"summary\"", "\"cause\":\"" + "x".repeat(33) + "\",\"summary\""),
                "events[0].drift.cause: longer than 32 characters");
        rejected(
                good.replace("\"cause\":\"out-of-band\",\"summary\"", "\"cause\":7,\"summary\""),
                "events[0].drift.cause: must be a string");
    }
}
