package io.driftwatch.audit;

import static io.driftwatch.audit.AuditSamples.event;
import static io.driftwatch.audit.AuditSamples.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.diff.Actor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEventsTest {

    private final AuditEvents events = new AuditEvents((group, resource) -> !resource.equals("leases"));

    @Test
    void keepsSuccessfulWritesWithWhoAndWhatButNoBody() throws Exception {
        String body = list(
                event(
                        "a1",
                        "patch",
                        "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=kubectl-edit",
                        "alice",
                        null,
                        "deployments",
                        "",
                        "web",
                        "2026-05-01T10:00:00.123456Z",
                        "2026-05-01T10:00:00.140000Z",
                        200,
                        "4711"),
                event(
                        "a2",
                        "patch",
                        "/apis/apps/v1/namespaces/shop/deployments/web/scale?fieldManager=kubectl-scale",
                        "alice",
                        "carol",
                        "deployments",
                        "scale",
                        "web",
                        "2026-05-01T10:00:01Z",
                        "2026-05-01T10:00:01.01Z",
                        200,
                        null));
        AuditEvents.Batch batch = events.parseList(body.getBytes(StandardCharsets.UTF_8));

        assertThat(batch.ignored()).isZero();
        AuditWrite edit = batch.writes().get(0);
        assertThat(edit.auditID()).isEqualTo("a1");
        assertThat(edit.object()).isEqualTo(new AuditWrite.ObjectRef("apps", "deployments", "", "shop", "web"));
        assertThat(edit.fieldManager()).isEqualTo("kubectl-edit");
        assertThat(edit.responseResourceVersion()).isEqualTo("4711");
        assertThat(edit.received()).isEqualTo(Instant.parse("2026-05-01T10:00:00.123456Z"));
        assertThat(edit.actor(Actor.Match.EXACT))
                .isEqualTo(new Actor(
                        "alice",
                        java.util.List.of("ops", "system:authenticated"),
                        null,
                        "10.0.0.7",
                        AuditSamples.KUBECTL,
                        "a1",
                        Actor.Match.EXACT));
        Actor scaled = batch.writes().get(1).actor(Actor.Match.PROBABLE);
        assertThat(scaled.username()).isEqualTo("carol");
        assertThat(scaled.impersonatedBy()).isEqualTo("alice");
        assertThat(scaled.display()).isEqualTo("carol (impersonated by alice)");
        assertThat(batch.writes().get(1).object().subresource()).isEqualTo("scale");
    }

    @Test
    void ignoresReadsFailuresDryRunsOtherStagesAndUnwatchedKinds() throws Exception {
        String t = "2026-05-01T10:00:00Z";
        String get = event(
                "r",
                "get",
                "/apis/apps/v1/namespaces/shop/deployments/web",
                "alice",
                null,
                "deployments",
                "",
                "web",
                t,
                t,
                200,
                null);
        String forbidden = event(
                "f",
                "patch",
                "/apis/apps/v1/namespaces/shop/deployments/web",
                "bob",
                null,
                "deployments",
                "",
                "web",
                t,
                t,
                403,
                null);
        String dryRun = event(
                "d",
                "patch",
                "/apis/apps/v1/namespaces/shop/deployments/web?dryRun=All",
                "bob",
                null,
                "deployments",
                "",
                "web",
                t,
                t,
                200,
                null);
        String lease = event(
                "l",
                "update",
                "/apis/coordination.k8s.io/v1/namespaces/shop/leases/x",
                "bob",
                null,
                "leases",
                "",
                "x",
                t,
                t,
                200,
                null);
        String started = event(
                        "s",
                        "patch",
                        "/apis/apps/v1/namespaces/shop/deployments/web",
                        "bob",
                        null,
                        "deployments",
                        "",
                        "web",
                        t,
                        t,
                        200,
                        null)
                .replace("ResponseComplete", "ResponseStarted");

        AuditEvents.Batch batch =
                events.parseList(list(get, forbidden, dryRun, lease, started).getBytes(StandardCharsets.UTF_8));

        assertThat(batch.writes()).isEmpty();
        assertThat(batch.ignored()).isEqualTo(5);
    }

    @Test
    void malformedBodiesAreRefusedWithEveryProblemNamed() {
        assertThatThrownBy(() -> events.parseList("{\"kind\":\"EventList\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuditEvents.MalformedAuditException.class)
                .hasMessageStartingWith("not JSON");
        String noIds = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"stage\":\"ResponseComplete\","
                + "\"verb\":\"patch\",\"requestReceivedTimestamp\":\"yesterday\",\"stageTimestamp\":\"2026-05-01T10:00:00Z\"}";
        assertThatThrownBy(
                        () -> events.parseList(("{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[" + noIds + "]}")
                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuditEvents.MalformedAuditException.class)
                .hasMessageContaining("kind is 'List', expected 'EventList'")
                .hasMessageContaining("apiVersion is 'v1', expected 'audit.k8s.io/v1'")
                .hasMessageContaining("items[0].auditID is missing")
                .hasMessageContaining("items[0].requestReceivedTimestamp is not an RFC 3339 time: 'yesterday'")
                .hasMessageContaining("items[0].user is missing");
    }

    @Test
    void aLogLineIsOneEvent() throws Exception {
        String t = "2026-05-01T10:00:00Z";
        AuditWrite w = events.parseLine(event(
                "x",
                "delete",
                "/api/v1/namespaces/shop/configmaps/cfg",
                "bob",
                null,
                "configmaps",
                "",
                "cfg",
                t,
                t,
                200,
                null));
        assertThat(w.verb()).isEqualTo("delete");
        assertThat(w.object().group()).isEmpty();
        assertThatThrownBy(() -> events.parseLine(list())).hasMessageContaining("expected 'Event' 'audit.k8s.io/v1'");
    }

    @Test
    void aSecretValueInABodyIsNotKept() throws Exception {
        String t = "2026-05-01T10:00:00Z";
        String withBody = event(
                        "s1",
                        "update",
                        "/api/v1/namespaces/shop/secrets/db",
                        "bob",
                        null,
                        "secrets",
                        "",
                        "db",
                        t,
                        t,
                        200,
                        "99")
                .replace(
                        "\"metadata\":{\"name\"",
                        "\"data\":{\"password\":\"Y2FuYXJ5LTQyNDI=\"},\"metadata\":{\"name\"");
        AuditWrite w = events.parseLine(withBody);
        assertThat(w.toString()).doesNotContain("Y2FuYXJ5LTQyNDI=").contains("99");
    }

    @Test
    void queryParametersAreDecoded() {
        assertThat(AuditEvents.query("/api/v1/x?a=1&fieldManager=my%20tool", "fieldManager"))
                .isEqualTo("my tool");
        assertThat(AuditEvents.query("/api/v1/x", "fieldManager")).isNull();
    }
}
