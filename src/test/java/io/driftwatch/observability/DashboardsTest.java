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
        assertThat(Dashboards.files())
                .extracting(p -> p.getFileName().toString())
                .contains("cluster-detail.json", "agent-internals.json", "fleet-overview.json");
    }

    @Test
    void theFleetOverviewReadsOnlyHubSeriesOfTheSelectedClusters() {
        JsonNode d = Dashboards.read(Path.of("dashboards", "fleet-overview.json"));
        List<String> problems = new ArrayList<>();
        for (Dashboards.Query q : Dashboards.queries(d)) {
            if (!q.expr().contains("job=\"driftwatch-hub\", cluster=~\"$cluster\"")
                    || q.expr().contains("driftwatch-agent")) {
                problems.add(q + ": not job=\"driftwatch-hub\", cluster=~\"$cluster\"");
            }
        }
        assertThat(problems).isEmpty();
        JsonNode cluster = find(d.path("templating").path("list"), "cluster");
        assertThat(cluster.path("multi").asBoolean()).as("$cluster multi-value").isTrue();
        assertThat(cluster.path("includeAll").asBoolean())
                .as("$cluster has All")
                .isTrue();
        assertThat(cluster.path("definition").asText()).contains("driftwatch_hub_agent_up{job=\"driftwatch-hub\"}");
    }

    @Test
    void theFleetOverviewHasTheIssuesPanelsAndLinksToTheHubApi() {
        JsonNode d = Dashboards.read(Path.of("dashboards", "fleet-overview.json"));
        List<String> exprs =
                Dashboards.queries(d).stream().map(Dashboards.Query::expr).toList();
        assertThat(exprs)
                .anyMatch(e -> e.contains("driftwatch_hub_agent_up"))
                .anyMatch(e -> e.contains("sum by (cluster) (max by (cluster, namespace, kind, app, type, cause)"))
                .anyMatch(e -> e.contains("sum by (cluster, app) ("))
                .anyMatch(e -> e.contains("sum by (kind) ("))
                .anyMatch(e -> e.contains("sum by (type) ("))
                .anyMatch(e -> e.contains("sum by (cause) ("))
                .anyMatch(e -> e.contains("driftwatch_hub_oldest_open_drift_age_seconds"))
                .anyMatch(e -> e.contains("event=\"opened\""))
                .anyMatch(e -> e.contains("event=\"resolved\""))
                .anyMatch(e -> e.startsWith("histogram_quantile(0.99, ")
                        && e.contains("driftwatch_hub_drift_time_to_resolve_seconds_bucket"))
                .anyMatch(e -> e.contains("max by (cluster, namespace, kind, name, app, type, cause, manager) "
                        + "(driftwatch_hub_drift_started_timestamp_seconds"));
        JsonNode hubUrl = find(d.path("templating").path("list"), "hub_url");
        assertThat(hubUrl).isNotNull();
        assertThat(hubUrl.path("type").asText()).isEqualTo("textbox");
        List<String> urls = new ArrayList<>();
        d.path("links").forEach(l -> urls.add(l.path("url").asText()));
        assertThat(urls).contains("${hub_url}/api/v1/clusters", "${hub_url}/api/v1/drifts", "${hub_url}/api/v1/events");
        JsonNode table = Dashboards.panels(d).stream()
                .filter(p -> p.path("title").asText().equals("Current drifts"))
                .findFirst()
                .orElseThrow();
        assertThat(table.path("fieldConfig").path("defaults").path("links").toString())
                .contains("${hub_url}/api/v1/drifts?cluster=${__data.fields.cluster}");
        assertThat(table.path("transformations").toString())
                .contains(
                        "\"cluster\":0",
                        "\"namespace\":1",
                        "\"kind\":2",
                        "\"name\":3",
                        "\"app\":4",
                        "\"type\":5",
                        "\"cause\":6",
                        "\"manager\":7");
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
        if (datasource == null
                || !"datasource".equals(datasource.path("type").asText())
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
                if (e.getKey().equals("datasource")
                        && !(e.getValue().isObject()
                                && "${datasource}"
                                        .equals(e.getValue().path("uid").asText()))) {
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
        d.path("templating")
                .path("list")
                .forEach(v -> variables.add(v.path("name").asText()));
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
            if (!panel.path("type").asText().equals("row")
                    && panel.path("targets").isEmpty()) {
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
