package io.driftwatch.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.testing.PrometheusServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The committed Grafana dashboards (dashboards/*.json) and the PromQL in them. */
final class Dashboards {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$", Pattern.DOTALL);

    private Dashboards() {}

    /** A panel query: which dashboard and panel it belongs to, and its PromQL with Grafana variables. */
    record Query(String dashboard, String panel, String refId, String expr) {
        @Override
        public String toString() {
            return dashboard + " / " + panel + " / " + refId + ": " + expr;
        }
    }

    /** A query variable {@code label_values(expr, label)}: the values of {@code label} in the result of expr. */
    record LabelValues(String variable, String expr, String label) {}

    static List<Path> files() {
        try (Stream<Path> files = Files.list(Path.of("dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dashboards on agent metrics (job driftwatch-agent): every one but the fleet overview, which reads the hub's. */
    static List<Path> agentFiles() {
        return files().stream()
                .filter(p -> !p.getFileName().toString().equals("fleet-overview.json"))
                .toList();
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            out.add(panel);
            panel.path("panels").forEach(out::add);
        }
        return out;
    }

    static List<Query> queries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                out.add(new Query(
                        dashboard.path("uid").asText(),
                        panel.path("title").asText(),
                        target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        return out;
    }

    static List<LabelValues> labelValueVariables(JsonNode dashboard) {
        List<LabelValues> out = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            String query = variable.path("query").isObject()
                    ? variable.path("query").path("query").asText()
                    : variable.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(query.trim());
            if (!m.matches()) {
                throw new AssertionError("variable " + variable.path("name").asText()
                        + ": only label_values(expr, label) queries are supported, got " + query);
            }
            out.add(new LabelValues(variable.path("name").asText(), m.group(1).trim(), m.group(2)));
        }
        return out;
    }

    /**
     * Runs every panel query of every dashboard against {@code prometheus}, variables resolved from their own
     * {@code label_values} queries and set to {@code chosen}; returns what failed (an error, an empty result, a result
     * of only NaN, a variable without the chosen value) and adds the number of queries run to {@code checked}.
     */
    static List<String> queriesWithoutData(
            PrometheusServer prometheus,
            List<Path> dashboards,
            Map<String, String> chosen,
            java.util.concurrent.atomic.AtomicInteger checked) {
        List<String> failures = new ArrayList<>();
        for (Path file : dashboards) {
            JsonNode dashboard = read(file);
            Map<String, String> values = resolveVariables(prometheus, dashboard, chosen, failures);
            for (Query q : queries(dashboard)) {
                String promql = substitute(q.expr(), values);
                JsonNode response = prometheus.query(promql);
                checked.incrementAndGet();
                if (!"success".equals(response.path("status").asText())) {
                    failures.add(q + "\n    → error: " + response.path("error").asText());
                } else if (response.path("data").path("result").isEmpty()) {
                    failures.add(q + "\n    → empty result for " + promql);
                } else if (onlyNaN(response.path("data").path("result"))) {
                    failures.add(q + "\n    → only NaN for " + promql);
                }
            }
        }
        return failures;
    }

    /** A result whose every sample is NaN (e.g. a quantile of no observations) draws nothing either. */
    private static boolean onlyNaN(JsonNode result) {
        for (JsonNode sample : result) {
            if (!"NaN".equals(sample.path("value").get(1).asText())) {
                return false;
            }
        }
        return true;
    }

    /** Runs each {@code label_values} variable query in order and picks the test's value among its results. */
    private static Map<String, String> resolveVariables(
            PrometheusServer prometheus, JsonNode dashboard, Map<String, String> chosen, List<String> failures) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (LabelValues v : labelValueVariables(dashboard)) {
            String promql = substitute(v.expr(), values);
            java.util.Set<String> found = new java.util.LinkedHashSet<>();
            prometheus
                    .query(promql)
                    .path("data")
                    .path("result")
                    .forEach(s -> found.add(s.path("metric").path(v.label()).asText()));
            String want = chosen.get(v.variable());
            if (want == null || !found.contains(want)) {
                failures.add(dashboard.path("uid").asText() + " variable $" + v.variable() + ": " + promql + " gave "
                        + found + ", expected it to contain " + want);
            }
            values.put(v.variable(), want);
        }
        return values;
    }

    /**
     * Replaces Grafana variables as Grafana would for a single selected value: {@code $name} and {@code ${name}} from
     * {@code values}, and the built-in intervals ({@code $__rate_interval} = 1m, {@code $__interval} = 15s,
     * {@code $__range} = 5m).
     */
    static String substitute(String expr, Map<String, String> values) {
        String out = expr.replace("$__rate_interval", "1m")
                .replace("${__rate_interval}", "1m")
                .replace("$__interval_ms", "15000")
                .replace("$__interval", "15s")
                .replace("${__interval}", "15s")
                .replace("$__range", "5m")
                .replace("${__range}", "5m");
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
        }
        return out;
    }
}
