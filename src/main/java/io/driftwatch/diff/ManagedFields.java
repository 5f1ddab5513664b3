package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The live object's {@code metadata.managedFields}, answering "who owns this path". Not thread-safe: one instance serves
 * one comparison.
 */
final class ManagedFields {

    /**
     * One managedFields entry. Its {@code fieldsV1} is decoded, and its time parsed, on first use: most objects have no
     * drift, and then nobody asks who owns what.
     */
    static final class Entry {
        private final String manager;
        private final String operation;
        private final String subresource;
        private final String timeText;
        private final JsonNode fieldsV1;
        private Instant time;
        private boolean timeParsed;
        private FieldSet fields;

        Entry(String manager, String operation, String subresource, String timeText, JsonNode fieldsV1) {
            this.manager = manager;
            this.operation = operation;
            this.subresource = subresource;
            this.timeText = timeText;
            this.fieldsV1 = fieldsV1;
        }

        String manager() {
            return manager;
        }

        String operation() {
            return operation;
        }

        String subresource() {
            return subresource;
        }

        /** When the manager last wrote; null when absent or unreadable. */
        Instant time() {
            if (!timeParsed) {
                time = parseTime(timeText);
                timeParsed = true;
            }
            return time;
        }

        FieldSet fields() {
            if (fields == null) {
                fields = FieldSet.decode(fieldsV1);
            }
            return fields;
        }

        @Override
        public String toString() {
            return manager + " (" + operation + (subresource.isEmpty() ? "" : ", " + subresource) + ")";
        }
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
                entries.add(new Entry(
                        e.path("manager").asText(""),
                        e.path("operation").asText(""),
                        e.path("subresource").asText(""),
                        e.path("time").asText(null),
                        e.path("fieldsV1")));
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
