package io.driftwatch.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$",
            Pattern.DOTALL);

    private Dashboards() {
    }

    /** A panel query: which dashboard and panel it belongs to, and its PromQL with Grafana variables. */
    record Query(String dashboard, String panel, String refId, String expr) {
        @Override
        public String toString() {
            return dashboard + " / " + panel + " / " + refId + ": " + expr;
        }
    }

    /** A query variable {@code label_values(expr, label)}: the values of {@code label} in the result of expr. */
    record LabelValues(String variable, String expr, String label) {
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(Path.of("dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                out.add(new Query(dashboard.path("uid").asText(), panel.path("title").asText(),
                        target.path("refId").asText(), target.path("expr").asText()));
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
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
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
     * Replaces Grafana variables as Grafana would for a single selected value: {@code $name} and {@code ${name}} from
     * {@code values}, and the built-in intervals ({@code $__rate_interval} = 1m, {@code $__interval} = 15s,
     * {@code $__range} = 5m).
     */
    static String substitute(String expr, Map<String, String> values) {
        String out = expr.replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m")
                .replace("$__interval_ms", "15000").replace("$__interval", "15s").replace("${__interval}", "15s")
                .replace("$__range", "5m").replace("${__range}", "5m");
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
        }
        return out;
    }
}
