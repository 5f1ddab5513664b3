package io.driftwatch.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.Op;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeEventsTest {

    private static final Instant ONSET = Instant.parse("2026-11-21T10:00:00Z");

    private static DriftRecord record(Cause cause, Instant resolvedAt) {
        ObjectKey key = new ObjectKey("", "ConfigMap", "shop", "settings");
        return new DriftRecord(
                "id",
                new Drift(
                        key,
                        "v1",
                        "shop",
                        DriftType.EXTRA,
                        cause,
                        "ConfigMap shop/settings: extra, tracked by app shop but not in Git (created by python-requests)",
                        List.of(),
                        null),
                ONSET,
                ONSET,
                resolvedAt);
    }

    @Test
    void detectedEventsStartWithTheCause() {
        String message =
                KubeEvents.message(new DriftEvent(DriftEvent.Type.OPENED, record(Cause.UNKNOWN_MANAGER, null)), ONSET);

        assertThat(message)
                .isEqualTo("Cause unknown-manager: ConfigMap shop/settings: extra, tracked by app shop but "
                        + "not in Git (created by python-requests)");
    }

    @Test
    void resolvedEventsSayHowLongAndWhatTheCauseWas() {
        Instant end = ONSET.plusSeconds(300);
        String message =
                KubeEvents.message(new DriftEvent(DriftEvent.Type.RESOLVED, record(Cause.OUT_OF_BAND, end)), end);

        assertThat(message).startsWith("Drift resolved after 5m (cause out-of-band): ConfigMap shop/settings: extra");
    }

    @Test
    void messagesLinkToTheDriftInTheConsoleWhenItsUrlIsSet() {
        String drifts = KubeEvents.consoleDrifts("https://driftwatch.example.com/console/", "prod-eu");

        assertThat(drifts).isEqualTo("https://driftwatch.example.com/console/#/drift/prod-eu/");
        assertThat(KubeEvents.consoleDrifts("https://driftwatch.example.com/console", "prod-eu"))
                .isEqualTo(drifts);
        assertThat(KubeEvents.withLink("Cause out-of-band: x", drifts, "d-1"))
                .isEqualTo("Cause out-of-band: x Console: https://driftwatch.example.com/console/#/drift/prod-eu/d-1");
        assertThat(KubeEvents.withLink("Cause out-of-band: x", null, "d-1")).isEqualTo("Cause out-of-band: x");
        assertThat(KubeEvents.consoleDrifts(null, "prod-eu")).isNull();
    }

    @Test
    void aLongMessageIsCutSoThatTheLinkStaysWhole() {
        String drifts = KubeEvents.consoleDrifts("https://driftwatch.example.com/console/", "prod-eu");

        String message = KubeEvents.withLink("x".repeat(5000), drifts, "d-1");

        assertThat(message)
                .hasSize(1024)
                .endsWith("… Console: https://driftwatch.example.com/console/#/drift/prod-eu/d-1");
    }

    @Test
    void detectedEventsNameWhoMadeEachChangeAfterTheCause() {
        ObjectKey key = new ObjectKey("apps", "Deployment", "shop", "web");
        Actor carol =
                new Actor("carol", List.of("ops"), "alice", "10.0.0.7", "kubectl/v1.31.0", "a-1", Actor.Match.EXACT);
        Actor bob = new Actor("bob", List.of("ops"), null, "10.0.0.8", "kubectl/v1.31.0", "a-2", Actor.Match.PROBABLE);
        Drift drift = new Drift(
                key,
                "apps/v1",
                "shop",
                DriftType.MODIFIED,
                Cause.OUT_OF_BAND,
                "Deployment shop/web: replicas 3 → 5",
                List.of(
                        change("spec.replicas", carol),
                        change("metadata.labels.a", bob),
                        change("metadata.labels.b", bob)),
                null);

        String message = KubeEvents.message(
                new DriftEvent(DriftEvent.Type.UPDATED, new DriftRecord("id", drift, ONSET, ONSET, null)), ONSET);

        assertThat(message)
                .isEqualTo("Cause out-of-band, by carol (impersonated by alice; exact: spec.replicas), bob (probable: "
                        + "metadata.labels.a, metadata.labels.b): Deployment shop/web: replicas 3 → 5");
        assertThat(message).doesNotContain("10.0.0.7").doesNotContain("a-1").doesNotContain("ops");
    }

    @Test
    void aDeletedObjectNamesWhoDeletedIt() {
        ObjectKey key = new ObjectKey("", "ConfigMap", "shop", "settings");
        Actor alice = new Actor("alice", List.of(), null, null, null, "a-3", Actor.Match.PROBABLE);
        Drift drift = new Drift(
                key,
                "v1",
                "shop",
                DriftType.MISSING,
                Cause.DELETED,
                "ConfigMap shop/settings: missing",
                List.of(),
                null,
                alice);

        String message = KubeEvents.message(
                new DriftEvent(
                        DriftEvent.Type.RESOLVED, new DriftRecord("id", drift, ONSET, ONSET, ONSET.plusSeconds(90))),
                ONSET.plusSeconds(90));

        assertThat(message)
                .isEqualTo("Drift resolved after 90s (cause deleted, by alice (probable: missing)): "
                        + "ConfigMap shop/settings: missing");
    }

    private static Change change(String field, Actor who) {
        return new Change(field, "/x", Op.CHANGED, Cause.OUT_OF_BAND, null, null, "kubectl", "Update", "", ONSET)
                .attributed(who, Cause.OUT_OF_BAND);
    }
}
