package io.driftwatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.Op;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributorTest {

    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    private static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditIndex index = new AuditIndex(1000, Duration.ofMinutes(10), Clock.fixed(T0, ZoneOffset.UTC));
    private final Attributor attributor =
            new Attributor(index, new Identity(List.of("system:serviceaccount:platform:deployer")));

    private static AuditWrite write(
            String id,
            String verb,
            String subresource,
            String user,
            String as,
            String manager,
            Instant received,
            String responseRv) {
        return new AuditWrite(
                id,
                verb,
                new AuditWrite.ObjectRef("apps", "deployments", subresource, "shop", "web"),
                user,
                List.of("ops", "system:authenticated"),
                as,
                as == null ? null : List.of("system:authenticated"),
                "10.0.0.7",
                AuditSamples.KUBECTL,
                manager,
                received,
                received.plusMillis(30),
                responseRv);
    }

    private static Change change(String field, Op op, Cause cause, String manager, String sub, Instant time) {
        return new Change(
                field,
                "/" + field,
                op,
                cause,
                IntNode.valueOf(1),
                IntNode.valueOf(2),
                manager,
                manager == null ? null : "Update",
                sub,
                time);
    }

    private static Drift modified(Change... changes) {
        return new Drift(WEB, "apps/v1", "shop", DriftType.MODIFIED, Cause.UNKNOWN, "s", List.of(changes), null);
    }

    private static JsonNode live(String rv) throws Exception {
        return JSON.readTree(
                "{\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\",\"resourceVersion\":\"" + rv + "\"}}");
    }

    @Test
    void anEditTiedByResourceVersionIsExact() throws Exception {
        index.add(write("old", "patch", "", "bob", null, "kubectl-edit", T0.minusSeconds(60), "400"));
        index.add(write("a1", "patch", "", "alice", null, "kubectl-edit", T0.plusMillis(200), "500"));

        Drift out = attributor.attribute(
                modified(change("image", Op.CHANGED, Cause.OUT_OF_BAND, "kubectl-edit", "", T0)),
                live("500"),
                "deployments");

        Actor a = out.changes().get(0).actor();
        assertThat(a.username()).isEqualTo("alice");
        assertThat(a.match()).isEqualTo(Actor.Match.EXACT);
        assertThat(a.auditID()).isEqualTo("a1");
        assertThat(out.changes().get(0).cause()).isEqualTo(Cause.OUT_OF_BAND);
    }

    @Test
    void withoutATieTheWriteByTheSameManagerAtTheEntrysTimeIsProbable() throws Exception {
        index.add(write("a1", "patch", "", "alice", null, "kubectl-edit", T0.minusSeconds(30), null));
        index.add(write("b1", "patch", "", "bob", null, "kubectl-patch", T0.plusMillis(100), null));
        index.add(write(
                "a2",
                "update",
                "status",
                "system:serviceaccount:kube-system:deployment-controller",
                null,
                null,
                T0.plusSeconds(3),
                "600"));

        Drift out = attributor.attribute(
                modified(change("image", Op.CHANGED, Cause.OUT_OF_BAND, "kubectl-patch", "", T0)),
                live("600"),
                "deployments");

        Actor a = out.changes().get(0).actor();
        assertThat(a.username()).isEqualTo("bob");
        assertThat(a.match()).isEqualTo(Actor.Match.PROBABLE);
    }

    @Test
    void aScaleThroughImpersonationNamesBoth() throws Exception {
        // no fieldManager parameter: the manager the API server records is the user agent's product, "kubectl"
        index.add(write("c1", "patch", "scale", "alice", "carol", null, T0.plusMillis(5), null));

        Drift out = attributor.attribute(
                modified(change("replicas", Op.CHANGED, Cause.OUT_OF_BAND, "kubectl", "scale", T0)),
                live("700"),
                "deployments");

        Actor a = out.changes().get(0).actor();
        assertThat(a.username()).isEqualTo("carol");
        assertThat(a.impersonatedBy()).isEqualTo("alice");
        assertThat(a.groups()).containsExactly("system:authenticated");
    }

    /** kubectl's scale entry has no time (the API server records none): the resourceVersion ties it, else the newest. */
    @Test
    void aScaleEntryWithoutATimeIsTiedByResourceVersionOrIsTheNewestScale() throws Exception {
        index.add(write("b1", "patch", "scale", "bob", null, null, T0.minusSeconds(120), "650"));
        index.add(write("c1", "patch", "scale", "alice", "carol", null, T0.minusSeconds(60), "700"));
        Change untimed = change("replicas", Op.CHANGED, Cause.OUT_OF_BAND, "kubectl", "scale", null);

        Actor tied = attributor
                .attribute(modified(untimed), live("650"), "deployments")
                .changes()
                .get(0)
                .actor();
        Actor newest = attributor
                .attribute(modified(untimed), live("800"), "deployments")
                .changes()
                .get(0)
                .actor();

        assertThat(tied.username()).isEqualTo("bob");
        assertThat(tied.match()).isEqualTo(Actor.Match.EXACT);
        assertThat(newest.username()).isEqualTo("carol");
        assertThat(newest.match()).isEqualTo(Actor.Match.PROBABLE);
    }

    @Test
    void anUnrecordedScaleMatchesTheScaleWrite() throws Exception {
        index.add(write("s1", "update", "scale", "bob", null, null, T0, null));
        index.add(write("p1", "patch", "", "alice", null, "kubectl-patch", T0.plusSeconds(5), null));
        Change scaled = new Change(
                "spec.replicas",
                "/spec/replicas",
                Op.ADDED,
                Cause.UNKNOWN,
                null,
                IntNode.valueOf(5),
                null,
                null,
                null,
                null,
                Change.UNRECORDED_SCALE_NOTE);

        Drift out = attributor.attribute(modified(scaled), live("9"), "deployments");

        assertThat(out.changes().get(0).actor().username()).isEqualTo("bob");
        assertThat(out.changes().get(0).cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(out.cause()).isEqualTo(Cause.OUT_OF_BAND);
    }

    @Test
    void aRemovalGetsTheWriteThatProducedTheLiveObjectOrTheNewestUpdate() throws Exception {
        index.add(write("b1", "patch", "", "bob", null, "kubectl-patch", T0, "800"));
        index.add(write(
                "st",
                "update",
                "status",
                "system:serviceaccount:kube-system:deployment-controller",
                null,
                null,
                T0.plusSeconds(1),
                "801"));
        Change removed = new Change(
                "ports[containerPort=9090]",
                "/ports/1",
                Op.REMOVED,
                Cause.UNKNOWN,
                IntNode.valueOf(9090),
                null,
                null,
                null,
                null,
                null,
                Change.REMOVAL_NOTE);

        assertThat(attributor
                        .attribute(modified(removed), live("800"), "deployments")
                        .changes()
                        .get(0)
                        .actor())
                .extracting(Actor::username, Actor::match)
                .containsExactly("bob", Actor.Match.EXACT);
        Drift later = attributor.attribute(modified(removed), live("801"), "deployments");
        assertThat(later.changes().get(0).actor())
                .extracting(Actor::username, Actor::match)
                .containsExactly("bob", Actor.Match.PROBABLE);
        assertThat(later.changes().get(0).cause()).isEqualTo(Cause.OUT_OF_BAND);
    }

    @Test
    void identityDecidesUnknownManagers() throws Exception {
        index.add(write(
                "k1", "patch", "", "system:serviceaccount:kube-system:replicaset-controller", null, "tuner", T0, null));
        index.add(write("k2", "patch", "", "system:serviceaccount:ci:pipeline", null, "rollout-bot", T0, null));
        index.add(write("k3", "patch", "", "system:serviceaccount:platform:deployer", null, "kubectl-patch", T0, null));

        Drift out = attributor.attribute(
                modified(
                        change("a", Op.CHANGED, Cause.UNKNOWN_MANAGER, "tuner", "", T0),
                        change("b", Op.CHANGED, Cause.UNKNOWN_MANAGER, "rollout-bot", "", T0),
                        change("c", Op.CHANGED, Cause.OUT_OF_BAND, "kubectl-patch", "", T0),
                        change("d", Op.CHANGED, Cause.PENDING_SYNC, "unmatched", "", T0)),
                live("1"),
                "deployments");

        assertThat(out.changes())
                .extracting(Change::cause)
                .containsExactly(Cause.CONTROLLER, Cause.OUT_OF_BAND, Cause.CONTROLLER, Cause.PENDING_SYNC);
        assertThat(out.changes().get(3).actor()).isNull();
        assertThat(out.cause()).isEqualTo(Cause.OUT_OF_BAND);
    }

    @Test
    void aPersonImpersonatingAControllerIsNotAController() {
        Identity identity = new Identity(List.of());
        Actor asController = new Actor(
                "system:serviceaccount:kube-system:x", List.of(), "alice", null, null, "i", Actor.Match.EXACT);
        assertThat(identity.controller(asController)).isFalse();
        assertThat(identity.controller(new Actor(
                        "system:kube-controller-manager", List.of(), null, null, null, "i", Actor.Match.EXACT)))
                .isTrue();
        assertThat(identity.controller(
                        new Actor("system:anonymous", List.of(), null, null, null, "i", Actor.Match.EXACT)))
                .isFalse();
    }

    @Test
    void aDeletedObjectNamesWhoDeletedIt() {
        index.add(write("d1", "delete", "", "bob", null, null, T0, null));
        Drift missing = new Drift(WEB, "apps/v1", "shop", DriftType.MISSING, Cause.DELETED, "s", List.of(), null);

        Drift out = attributor.attribute(missing, null, "deployments");

        assertThat(out.actor().username()).isEqualTo("bob");
        assertThat(out.cause()).isEqualTo(Cause.DELETED);
    }

    @Test
    void withoutWritesTheDriftIsUnchanged() throws Exception {
        Drift d = modified(change("image", Op.CHANGED, Cause.OUT_OF_BAND, "kubectl-edit", "", T0));
        assertThat(attributor.attribute(d, live("1"), "deployments")).isSameAs(d);
    }
}
