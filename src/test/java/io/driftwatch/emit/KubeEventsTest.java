package io.driftwatch.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
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
}
