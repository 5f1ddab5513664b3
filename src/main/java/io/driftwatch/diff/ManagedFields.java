package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The live object's {@code metadata.managedFields}, decoded, answering "who owns this path". */
final class ManagedFields {

    /** One managedFields entry. */
    record Entry(String manager, String operation, String subresource, Instant time, FieldSet fields) {
    }

    private final List<Entry> entries;

    private ManagedFields(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static ManagedFields of(JsonNode liveObject) {
        List<Entry> entries = new ArrayList<>();
        if (liveObject != null) {
            for (JsonNode e : liveObject.path("metadata").path("managedFields")) {
                if (!"FieldsV1".equals(e.path("fieldsType").asText("FieldsV1"))) {
                    continue;
                }
                entries.add(new Entry(e.path("manager").asText(""), e.path("operation").asText(""),
                        e.path("subresource").asText(""), parseTime(e.path("time").asText(null)),
                        FieldSet.decode(e.path("fieldsV1"))));
            }
        }
        return new ManagedFields(entries);
    }

    private static Instant parseTime(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    List<Entry> entries() {
        return entries;
    }

    /**
     * The entry owning {@code path}: the most specific owner (exact path over an atomic ancestor); among equally specific
     * owners the most recent.
     */
    Optional<Entry> owner(List<PathElement> path) {
        Entry best = null;
        int bestScore = 0;
        for (Entry e : entries) {
            int score = e.fields().ownershipScore(path);
            if (score == 0) {
                continue;
            }
            if (score > bestScore || (score == bestScore && isLater(e.time(), best.time()))) {
                best = e;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The most recent entry whose manager satisfies {@code filter}. */
    Optional<Entry> latest(Predicate<String> managerFilter) {
        return entries.stream()
                .filter(e -> managerFilter.test(e.manager()))
                .max(Comparator.comparing(Entry::time, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    private static boolean isLater(Instant a, Instant b) {
        return a != null && (b == null || a.isAfter(b));
    }
}
