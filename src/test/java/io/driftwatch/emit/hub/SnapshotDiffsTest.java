package io.driftwatch.emit.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.YamlDiffContext;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.wire.DriftMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotDiffsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ONSET = Instant.parse("2026-12-04T10:00:00Z");
    private static final DiffEngine WHOLE = DiffEngine.withDefaults(
            DiffOptions.defaults().withIncludeYamlDiff(true).withYamlDiffContextLines(2_000));

    /** A real engine drift: a ConfigMap of {@code keys} keys with one value edited. */
    private static DriftRecord record(String name, int keys) {
        ObjectNode desired = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        desired.putObject("metadata").put("name", name).put("namespace", "shop");
        ObjectNode data = desired.putObject("data");
        for (int i = 0; i < keys; i++) {
            data.put("key-" + i, "value \"" + i + "\" with some text to make the line longer");
        }
        ObjectNode live = desired.deepCopy();
        ((ObjectNode) live.get("data")).put("key-0", "edited");
        Drift drift =
                WHOLE.diff(new DesiredObject(desired, "shop", null), live, true).orElseThrow();
        return new DriftRecord("id-" + name, drift, ONSET, ONSET.plusSeconds(60), null);
    }

    private static String diff(DriftMessage m) {
        return m.drift().get("diff").asText();
    }

    @Test
    void keepsWholeDiffsWithinTheBudgetSmallestFirstThenByDriftIdAndNarrowsTheRest() {
        List<DriftRecord> records = new ArrayList<>();
        for (int i = 9; i >= 0; i--) { // not in id order
            records.add(record("cm-" + i, 100));
        }
        long one = SnapshotDiffs.jsonSize(records.get(0).drift().yamlDiff());

        SnapshotDiffs.Bounded bounded = SnapshotDiffs.bound(records, 3 * one + one / 2);

        assertThat(bounded.narrowed()).isEqualTo(7);
        assertThat(bounded.drifts())
                .extracting(DriftMessage::driftId)
                .containsExactlyElementsOf(records.stream().map(DriftRecord::id).toList());
        List<String> whole = bounded.drifts().stream()
                .filter(m -> diff(m).lines().count() > 100)
                .map(DriftMessage::driftId)
                .sorted()
                .toList();
        assertThat(whole).containsExactly("id-cm-0", "id-cm-1", "id-cm-2");
        for (int i = 0; i < records.size(); i++) {
            String sent = diff(bounded.drifts().get(i));
            String original = records.get(i).drift().yamlDiff();
            assertThat(sent).isIn(original, YamlDiffContext.narrowed(original));
            assertThat(sent).contains("-  key-0: value \"0\"", "+  key-0: edited");
        }
        assertThat(records.get(0).drift().yamlDiff())
                .as("the open drift itself is untouched")
                .hasLineCount(110);
    }

    @Test
    void smallerWholeDiffsGoFirstWhateverTheirId() {
        List<DriftRecord> records = List.of(record("a-large", 200), record("b-large", 200), record("z-small", 20));
        long large = SnapshotDiffs.jsonSize(records.get(0).drift().yamlDiff());
        long small = SnapshotDiffs.jsonSize(records.get(2).drift().yamlDiff());

        SnapshotDiffs.Bounded bounded = SnapshotDiffs.bound(records, large + small);

        assertThat(bounded.narrowed()).isEqualTo(1);
        assertThat(diff(bounded.drifts().get(0)))
                .isEqualTo(records.get(0).drift().yamlDiff());
        assertThat(diff(bounded.drifts().get(1)))
                .isEqualTo(YamlDiffContext.narrowed(records.get(1).drift().yamlDiff()));
        assertThat(diff(bounded.drifts().get(2)))
                .isEqualTo(records.get(2).drift().yamlDiff());
    }

    @Test
    void aZeroBudgetSendsThreeLinesEverywhere() {
        List<DriftRecord> records = List.of(record("a", 100), record("b", 2));
        SnapshotDiffs.Bounded none = SnapshotDiffs.bound(records, 0);
        assertThat(none.narrowed()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            String original = records.get(i).drift().yamlDiff();
            assertThat(diff(none.drifts().get(i)))
                    .isEqualTo(YamlDiffContext.narrowed(original))
                    .isNotEqualTo(original);
        }
    }

    @Test
    void theJsonSizeIsAtLeastWhatJacksonWrites() throws Exception {
        String diff = record("sized", 50).drift().yamlDiff() + "tab\there \u00e9\u0001\\";
        assertThat(SnapshotDiffs.jsonSize(diff)).isGreaterThanOrEqualTo(JSON.writeValueAsBytes(diff).length);
    }
}
