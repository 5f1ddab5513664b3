package io.driftwatch.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One agent process's key metrics (docs/hub-protocol.md, "Metrics"): {@code instance} (the agent id), when the process
 * started, {@code final} (true on the last, empty push when it stops) and its metric families.
 */
public record MetricsMessage(
        String instance,
        Instant startedAt,
        @JsonProperty("final") boolean last,
        List<Family> families) {

    /** One family by its Prometheus name without type suffix; {@code help} is left out when there is none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Family(String name, String type, String help, List<Series> series) {}

    /**
     * One data point: its labels, and a {@code value} (counter, gauge), cumulative {@code buckets} without {@code +Inf}
     * with {@code count} and {@code sum} (histogram), {@code count} and {@code sum} (summary), or nothing more (info).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Series(Map<String, String> labels, Double value, List<Bucket> buckets, Long count, Double sum) {

        public static Series value(Map<String, String> labels, double value) {
            return new Series(labels, value, null, null, null);
        }

        public static Series histogram(Map<String, String> labels, List<Bucket> buckets, long count, double sum) {
            return new Series(labels, null, buckets, count, sum);
        }

        public static Series summary(Map<String, String> labels, long count, double sum) {
            return new Series(labels, null, null, count, sum);
        }

        public static Series info(Map<String, String> labels) {
            return new Series(labels, null, null, null, null);
        }
    }

    /** {@code [upperBound, cumulativeCount]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"upperBound", "cumulativeCount"})
    public record Bucket(double upperBound, long cumulativeCount) {}
}
