package io.driftwatch.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.Op;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriftTrackerTest {

    private static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");
    private static final Instant WRITTEN = Instant.parse("2026-11-21T10:42:00Z");
    private static final Instant T0 = Instant.parse("2026-11-21T10:42:01Z");

    private static Drift modified(String liveImage, Instant writtenAt) {
        Change change = new Change(
                "spec.template.spec.containers[name=web].image",
                "/spec/template/spec/containers/0/image",
                Op.CHANGED,
                Cause.OUT_OF_BAND,
                TextNode.valueOf("web:1"),
                TextNode.valueOf(liveImage),
                "kubectl-set",
                "Update",
                null,
                writtenAt);
        return new Drift(
                WEB, "apps/v1", "shop", DriftType.MODIFIED, Cause.OUT_OF_BAND, "summary", List.of(change), null);
    }

    private static Drift missing() {
        return new Drift(WEB, "apps/v1", "shop", DriftType.MISSING, Cause.DELETED, "gone", List.of(), null);
    }

    private static JsonNode live() {
        return new ObjectMapper().createObjectNode();
    }

    @Test
    void driftOpensWithTheOnsetOfTheDriftingWriteAndResolvesWhenItMatchesAgain() {
        DriftTracker tracker = new DriftTracker("prod");

        List<DriftEvent> opened = tracker.observe(WEB, Optional.of(modified("web:2", WRITTEN)), live(), T0);
        List<DriftEvent> resolved = tracker.observe(WEB, Optional.empty(), live(), T0.plusSeconds(60));

        assertThat(opened).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(DriftEvent.Type.OPENED);
            assertThat(e.record().onset()).isEqualTo(WRITTEN);
            assertThat(e.record().open()).isTrue();
            assertThat(e.record().manager()).isEqualTo("kubectl-set");
        });
        assertThat(resolved).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(DriftEvent.Type.RESOLVED);
            assertThat(e.record().resolvedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(e.record().age(Instant.MAX).getSeconds()).isEqualTo(61);
            assertThat(e.record().id()).isEqualTo(opened.get(0).record().id());
        });
        assertThat(tracker.openDrifts()).isEmpty();
    }

    @Test
    void anActorNamedLaterByTheAuditIsAnUpdateOfTheSameDrift() {
        DriftTracker tracker = new DriftTracker("prod");
        Drift unattributed = modified("web:2", WRITTEN);
        List<DriftEvent> opened = tracker.observe(WEB, Optional.of(unattributed), live(), T0);
        io.driftwatch.diff.Actor alice = new io.driftwatch.diff.Actor(
                "alice",
                List.of("ops"),
                null,
                "10.0.0.7",
                "kubectl/v1.31.0",
                "a1",
                io.driftwatch.diff.Actor.Match.EXACT);
        Drift attributed = unattributed.attributed(
                List.of(unattributed.changes().get(0).attributed(alice, Cause.OUT_OF_BAND)), null, null);

        List<DriftEvent> updated = tracker.observe(WEB, Optional.of(attributed), live(), T0.plusSeconds(3));

        assertThat(updated).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(DriftEvent.Type.UPDATED);
            assertThat(e.record().id()).isEqualTo(opened.get(0).record().id());
            assertThat(e.record().onset()).isEqualTo(WRITTEN);
            assertThat(e.record().drift().changes().get(0).actor()).isEqualTo(alice);
        });
        assertThat(tracker.observe(WEB, Optional.of(attributed), live(), T0.plusSeconds(4)))
                .isEmpty();
    }

    @Test
    void sameVerdictAgainIsNoEventButAChangedFieldIsAnUpdate() {
        DriftTracker tracker = new DriftTracker("prod");
        tracker.observe(WEB, Optional.of(modified("web:2", WRITTEN)), live(), T0);

        assertThat(tracker.observe(WEB, Optional.of(modified("web:2", WRITTEN)), live(), T0.plusSeconds(5)))
                .isEmpty();
        List<DriftEvent> updated = tracker.observe(
                WEB, Optional.of(modified("web:3", WRITTEN.plusSeconds(30))), live(), T0.plusSeconds(40));

        assertThat(updated).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(DriftEvent.Type.UPDATED);
            assertThat(e.record().onset()).as("onset stays").isEqualTo(WRITTEN);
            assertThat(e.record().lastSeen()).isEqualTo(T0.plusSeconds(40));
        });
    }

    @Test
    void twoReplicasSeeingTheSameDriftAgreeOnIdAndOnset() {
        DriftRecord a = new DriftTracker("prod")
                .observe(WEB, Optional.of(modified("web:2", WRITTEN)), live(), T0)
                .get(0)
                .record();
        DriftRecord b = new DriftTracker("prod")
                .observe(WEB, Optional.of(modified("web:2", WRITTEN)), live(), T0.plusSeconds(300))
                .get(0)
                .record();

        assertThat(b.onset()).isEqualTo(a.onset());
        assertThat(b.id()).isEqualTo(a.id());
    }

    @Test
    void missingObjectWithoutEvidenceStartsWhenFirstSeenUnlessRemembered() {
        DriftTracker fresh = new DriftTracker("prod");
        assertThat(fresh.observe(WEB, Optional.of(missing()), null, T0)
                        .get(0)
                        .record()
                        .onset())
                .isEqualTo(T0);

        DriftTracker restarted = new DriftTracker("prod");
        restarted.remember(Map.of(WEB, WRITTEN));
        assertThat(restarted
                        .observe(WEB, Optional.of(missing()), null, T0.plusSeconds(600))
                        .get(0)
                        .record()
                        .onset())
                .isEqualTo(WRITTEN);
    }

    @Test
    void modifiedBecomingMissingResolvesOneDriftAndOpensAnother() {
        DriftTracker tracker = new DriftTracker("prod");
        tracker.observe(WEB, Optional.of(modified("web:2", WRITTEN)), live(), T0);

        List<DriftEvent> events = tracker.observe(WEB, Optional.of(missing()), null, T0.plusSeconds(10));

        assertThat(events)
                .extracting(DriftEvent::type)
                .containsExactly(DriftEvent.Type.RESOLVED, DriftEvent.Type.OPENED);
        assertThat(events.get(1).record().drift().type()).isEqualTo(DriftType.MISSING);
    }

    @Test
    void extraObjectStartsWhenItWasCreated() {
        Drift extra = new Drift(WEB, "apps/v1", "shop", DriftType.EXTRA, Cause.OUT_OF_BAND, "extra", List.of(), null);
        JsonNode live = new ObjectMapper()
                .createObjectNode()
                .set(
                        "metadata",
                        new ObjectMapper().createObjectNode().put("creationTimestamp", "2026-11-20T08:00:00Z"));

        DriftRecord r = new DriftTracker("prod")
                .observe(WEB, Optional.of(extra), live, T0)
                .get(0)
                .record();

        assertThat(r.onset()).isEqualTo(Instant.parse("2026-11-20T08:00:00Z"));
    }

    @Test
    void anExtraObjectWhoseCauseChangesIsAnUpdate() {
        DriftTracker tracker = new DriftTracker("prod");
        JsonNode live = live();
        tracker.observe(WEB, Optional.of(extra(Cause.UNKNOWN_MANAGER)), live, T0);

        assertThat(tracker.observe(WEB, Optional.of(extra(Cause.UNKNOWN_MANAGER)), live, T0.plusSeconds(5)))
                .isEmpty();
        List<DriftEvent> updated =
                tracker.observe(WEB, Optional.of(extra(Cause.PENDING_SYNC)), live, T0.plusSeconds(10));

        assertThat(updated).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(DriftEvent.Type.UPDATED);
            assertThat(e.record().drift().cause()).isEqualTo(Cause.PENDING_SYNC);
        });
    }

    private static Drift extra(Cause cause) {
        return new Drift(WEB, "apps/v1", "shop", DriftType.EXTRA, cause, "extra", List.of(), null);
    }

    @Test
    void clearForgetsWithoutResolving() {
        DriftTracker tracker = new DriftTracker("prod");
        tracker.observe(WEB, Optional.of(modified("web:2", WRITTEN)), live(), T0);
        tracker.clear();
        assertThat(tracker.openDrifts()).isEmpty();
        assertThat(tracker.observe(WEB, Optional.empty(), live(), T0)).isEmpty();
    }
}
