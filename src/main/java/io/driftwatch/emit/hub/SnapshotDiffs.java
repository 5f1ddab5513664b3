package io.driftwatch.emit.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ReportJson;
import io.driftwatch.diff.YamlDiffContext;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.wire.DriftMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot's drifts with their YAML diffs bounded: diffs that carry more than 3 lines of context (the whole object,
 * {@code diff.fullContextLines}) are kept whole, smallest first (ties by drift id), while their total JSON size stays
 * within {@code hub.snapshotFullDiffBytes}; the rest are sent with 3 lines around each change (what they would be
 * without the setting). The same open drifts therefore always get the same diffs, as many of them whole as the budget
 * allows, and the whole objects add at most the budget to a snapshot's body.
 */
final class SnapshotDiffs {

    /** The drifts as sent, and how many diffs were cut to 3 lines. */
    record Bounded(List<DriftMessage> drifts, int narrowed) {}

    private SnapshotDiffs() {}

    static Bounded bound(List<DriftRecord> records, long budget) {
        Map<String, ObjectNode> json = new LinkedHashMap<>();
        for (DriftRecord r : records) {
            json.put(r.id(), ReportJson.toJson(r.drift()));
        }
        record Whole(String id, String diff, String narrowed, long size) {}
        List<Whole> wholes = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : json.entrySet()) {
            JsonNode diff = e.getValue().get("diff");
            if (diff == null || !diff.isTextual()) {
                continue;
            }
            String small = YamlDiffContext.narrowed(diff.asText());
            if (!small.equals(diff.asText())) { // else no more than 3 lines of context: as sent before the setting
                wholes.add(new Whole(e.getKey(), diff.asText(), small, jsonSize(diff.asText())));
            }
        }
        wholes.sort(Comparator.comparingLong(Whole::size).thenComparing(Whole::id));
        long spent = 0;
        int narrowed = 0;
        for (Whole w : wholes) {
            if (spent + w.size() <= budget) {
                spent += w.size();
            } else {
                json.get(w.id()).put("diff", w.narrowed());
                narrowed++;
            }
        }
        List<DriftMessage> out = new ArrayList<>(records.size());
        for (DriftRecord r : records) {
            out.add(new DriftMessage(r.id(), r.onset(), r.lastSeen(), json.get(r.id())));
        }
        return new Bounded(out, narrowed);
    }

    /** Bytes of the string as a JSON string (UTF-8, escapes counted at their longest, quotes included). */
    static long jsonSize(String s) {
        long escapes = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                escapes += 5; // six-character escapes at most (a newline takes 2)
            } else if (c == '"' || c == '\\') {
                escapes += 1;
            }
        }
        return s.getBytes(StandardCharsets.UTF_8).length + escapes;
    }
}
