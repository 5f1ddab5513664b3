package io.driftwatch.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's {@code driftwatch_watch_events_total{group,kind,event}} read from a {@code /metrics} scrape, as
 * kind ({@code apps/Deployment}, core kinds without a group) → event → count, and the difference of two scrapes: how
 * many watch notifications the agent received in between, i.e. whether the cluster was idle or its controllers were
 * still writing.
 */
final class WatchEventTally {

    static final String METRIC = "driftwatch_watch_events_total";

    private WatchEventTally() {}

    /** Every series of the metric in a Prometheus text exposition. */
    static Map<String, Map<String, Long>> read(String exposition) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (String line : exposition.lines().toList()) {
            if (!line.startsWith(METRIC + "{")) {
                continue;
            }
            String labels = line.substring(METRIC.length() + 1, line.lastIndexOf('}'));
            String group = label(labels, "group");
            String kind = group.isEmpty() ? label(labels, "kind") : group + "/" + label(labels, "kind");
            long value = Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            out.computeIfAbsent(kind, k -> new TreeMap<>()).merge(label(labels, "event"), value, Long::sum);
        }
        return out;
    }

    private static String label(String labels, String name) {
        String start = name + "=\"";
        int from = labels.startsWith(start) ? 0 : labels.indexOf("," + start) + 1;
        if (from == 0 && !labels.startsWith(start)) {
            throw new IllegalArgumentException("no label " + name + " in {" + labels + "}");
        }
        int valueStart = from + start.length();
        return labels.substring(valueStart, labels.indexOf('"', valueStart));
    }

    /** What rose from {@code before} to {@code after}, non-zero entries only (a kind new in {@code after} counts whole). */
    static Map<String, Map<String, Long>> minus(
            Map<String, Map<String, Long>> after, Map<String, Map<String, Long>> before) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        after.forEach((kind, events) -> events.forEach((event, n) -> {
            long rose = n - before.getOrDefault(kind, Map.of()).getOrDefault(event, 0L);
            if (rose != 0) {
                out.computeIfAbsent(kind, k -> new TreeMap<>()).put(event, rose);
            }
        }));
        return out;
    }

    static long total(Map<String, Map<String, Long>> tally) {
        return tally.values().stream()
                .flatMap(e -> e.values().stream())
                .mapToLong(Long::longValue)
                .sum();
    }
}
