package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Structure of the committed Grafana dashboards (no Grafana runs here; DashboardQueriesIT runs their queries). */
class DashboardsTest {

    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)\\]");
    private static final Pattern CLUSTER_FILTER = Pattern.compile("cluster=~?\"\\$cluster\"");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    @Test
    void theClusterDetailAndAgentInternalsDashboardsExist() {
        assertThat(Dashboards.files()).extracting(p -> p.getFileName().toString())
                .contains("cluster-detail.json", "agent-internals.json");
    }

    @Test
    void dashboardsFollowTheConventions() {
        List<String> problems = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (Path file : Dashboards.files()) {
            JsonNode d = Dashboards.read(file);
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            String uid = d.path("uid").asText();
            if (!uid.equals("driftwatch-" + name) || !uids.add(uid)) {
                problems.add(file + ": uid " + uid + " is not driftwatch-" + name + " or not unique");
            }
            if (!d.has("id") || !d.get("id").isNull()) {
                problems.add(file + ": id is not null");
            }
            if (d.path("version").asInt(-1) != 0) {
                problems.add(file + ": version is not 0");
            }
            if (!d.path("tags").toString().contains("\"driftwatch\"")) {
                problems.add(file + ": no tag driftwatch");
            }
            if (d.path("title").asText().isBlank()) {
                problems.add(file + ": no title");
            }
            problems.addAll(variableProblems(file, d));
            problems.addAll(datasourceProblems(file.toString(), d));
            problems.addAll(panelProblems(file, d));
        }
        assertThat(problems).isEmpty();
    }

    private static List<String> variableProblems(Path file, JsonNode d) {
        List<String> problems = new ArrayList<>();
        JsonNode vars = d.path("templating").path("list");
        JsonNode datasource = find(vars, "datasource");
        if (datasource == null || !"datasource".equals(datasource.path("type").asText())
                || !"prometheus".equals(datasource.path("query").asText())) {
            problems.add(file + ": no $datasource variable of type datasource (prometheus)");
        }
        JsonNode cluster = find(vars, "cluster");
        if (cluster == null || !"query".equals(cluster.path("type").asText())) {
            problems.add(file + ": no $cluster query variable");
        }
        return problems;
    }

    /** Every datasource reference is the $datasource variable: no hard-coded uid anywhere. */
    private static List<String> datasourceProblems(String where, JsonNode node) {
        List<String> problems = new ArrayList<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("datasource") && !(e.getValue().isObject()
                        && "${datasource}".equals(e.getValue().path("uid").asText()))) {
                    problems.add(where + ": datasource " + e.getValue() + " is not the $datasource variable");
                }
                problems.addAll(datasourceProblems(where, e.getValue()));
            });
        } else if (node.isArray()) {
            node.forEach(child -> problems.addAll(datasourceProblems(where, child)));
        }
        return problems;
    }

    private static List<String> panelProblems(Path file, JsonNode d) {
        List<String> problems = new ArrayList<>();
        MetricNames names = MetricNames.load();
        Set<String> variables = new HashSet<>();
        d.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode panel : Dashboards.panels(d)) {
            String where = file.getFileName() + " / " + panel.path("title").asText();
            if (!panel.path("id").isInt() || !ids.add(panel.path("id").asInt())) {
                problems.add(where + ": id missing or not unique");
            }
            if (!titles.add(panel.path("title").asText())) {
                problems.add(where + ": title not unique");
            }
            if (!panel.path("gridPos").has("w") || !panel.path("gridPos").has("h")) {
                problems.add(where + ": no gridPos");
            }
            if (!panel.path("type").asText().equals("row") && panel.path("targets").isEmpty()) {
                problems.add(where + ": no query");
            }
        }
        for (Dashboards.Query q : Dashboards.queries(d)) {
            String expr = q.expr();
            if (expr.isBlank()) {
                problems.add(q + ": empty");
                continue;
            }
            if (!CLUSTER_FILTER.matcher(expr).find()) {
                problems.add(q + ": not filtered by cluster=\"$cluster\" (or =~ for a multi-cluster dashboard)");
            }
            Matcher range = RANGE.matcher(expr);
            while (range.find()) {
                if (!range.group(1).equals("$__rate_interval")) {
                    problems.add(q + ": range [" + range.group(1) + "] is not [$__rate_interval]");
                }
            }
            Matcher variable = VARIABLE.matcher(expr);
            while (variable.find()) {
                if (!variable.group(1).startsWith("__") && !variables.contains(variable.group(1))) {
                    problems.add(q + ": undefined variable $" + variable.group(1));
                }
            }
            Set<String> unknown = names.unknownIn(expr);
            if (!unknown.isEmpty()) {
                problems.add(q + ": unknown metrics " + unknown);
            }
        }
        for (Dashboards.LabelValues v : Dashboards.labelValueVariables(d)) {
            Set<String> unknown = names.unknownIn(v.expr());
            if (!unknown.isEmpty()) {
                problems.add(file + " variable " + v.variable() + ": unknown metrics " + unknown);
            }
        }
        return problems;
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode v : list) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return null;
    }
}
