package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules file follows the kubernetes-mixin conventions, and every alert has its runbook section and promtool cases. */
class AlertRulesTest {

    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    @Test
    void groupsAreNamedAfterTheComponentAndTheAgentGroupExists() {
        List<String> groups = new ArrayList<>();
        AlertRules.yaml(AlertRules.RULES)
                .path("groups")
                .forEach(g -> groups.add(g.path("name").asText()));

        assertThat(groups)
                .contains("driftwatch-agent")
                .doesNotHaveDuplicates()
                .allMatch(g -> g.matches("driftwatch-[a-z]+"), "named driftwatch-<component>");
    }

    @Test
    void alertsAreNamedWithSeverityForAndAnnotationsAndARunbookSection() throws IOException {
        String runbook = Files.readString(Path.of("docs", "runbook.md"));
        List<String> problems = new ArrayList<>();
        for (AlertRules.Rule r : AlertRules.rules()) {
            if (!r.isAlert()) {
                continue;
            }
            String name = r.name();
            JsonNode rule = r.rule();
            if (!name.matches("Driftwatch[A-Z][A-Za-z]+")) {
                problems.add(name + ": not Driftwatch<Thing><State>");
            }
            if (!SEVERITIES.contains(rule.path("labels").path("severity").asText())) {
                problems.add(name + ": severity " + rule.path("labels").path("severity") + " not in " + SEVERITIES);
            }
            Duration forDuration =
                    rule.has("for") ? Durations.parse(rule.path("for").asText()) : Duration.ZERO;
            if (forDuration.compareTo(Duration.ofMinutes(5)) < 0) {
                problems.add(name + ": for " + forDuration + " is shorter than 5m");
            }
            JsonNode annotations = rule.path("annotations");
            if (annotations.path("summary").asText().isBlank()) {
                problems.add(name + ": no summary");
            }
            if (!annotations.path("description").asText().contains("{{ $labels.")) {
                problems.add(name + ": description is not templated with the alert's labels");
            }
            String runbookUrl = AlertRules.RUNBOOK_URL + name.toLowerCase(Locale.ROOT);
            if (!runbookUrl.equals(annotations.path("runbook_url").asText())) {
                problems.add(name + ": runbook_url is not " + runbookUrl);
            }
            if (!runbook.contains("\n## " + name + "\n")) {
                problems.add(name + ": docs/runbook.md has no section '## " + name + "'");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void recordingRulesAreNamedLevelMetricOperations() {
        assertThat(AlertRules.rules())
                .filteredOn(r -> !r.isAlert())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.name()).matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+"));
    }

    @Test
    void everyDriftwatchMetricTheRulesQueryExists() {
        MetricNames names = MetricNames.load();
        List<String> problems = new ArrayList<>();
        for (AlertRules.Rule r : AlertRules.rules()) {
            Set<String> unknown = names.unknownIn(r.rule().path("expr").asText());
            if (!unknown.isEmpty()) {
                problems.add(r.name() + ": " + unknown);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theMetricNameCheckRejectsANameThatDoesNotExist() {
        MetricNames names = MetricNames.load();

        assertThat(names.unknownIn("rate(driftwatch_drifts_total[5m]) + driftwatch_drifted_resources"))
                .containsExactly("driftwatch_drifts_total");
        assertThat(names.unknownIn("cache_gets_total{cache=\"driftwatch_render\"}"))
                .isEmpty();
        assertThat(names.unknownIn("driftwatch_drift_detection_latency_seconds_bucket"))
                .isEmpty();
    }

    /**
     * Every alert has a promtool case one evaluation interval before it fires (no alert) and one when it fires, with
     * labels and all three annotations spelled out.
     */
    @Test
    void everyAlertHasAPromtoolCaseJustBeforeForAndOneAtFor() {
        Set<String> alerts = new LinkedHashSet<>();
        AlertRules.rules().stream().filter(AlertRules.Rule::isAlert).forEach(r -> alerts.add(r.name()));
        Set<String> covered = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (Path file : AlertRules.testFiles()) {
            JsonNode tests = AlertRules.yaml(file);
            assertThat(tests.path("rule_files").toString()).as(file.toString()).contains("driftwatch.rules.yaml");
            Duration interval =
                    Durations.parse(tests.path("evaluation_interval").asText("1m"));
            for (JsonNode test : tests.path("tests")) {
                List<JsonNode> cases = new ArrayList<>();
                test.path("alert_rule_test").forEach(cases::add);
                for (JsonNode firing : cases) {
                    if (firing.path("exp_alerts").isEmpty()) {
                        continue;
                    }
                    String name = firing.path("alertname").asText();
                    Duration at = Durations.parse(firing.path("eval_time").asText());
                    boolean before = cases.stream()
                            .anyMatch(c -> c.path("alertname").asText().equals(name)
                                    && c.path("exp_alerts").isEmpty()
                                    && Durations.parse(c.path("eval_time").asText())
                                            .equals(at.minus(interval)));
                    for (JsonNode alert : firing.path("exp_alerts")) {
                        JsonNode a = alert.path("exp_annotations");
                        if (!alert.path("exp_labels").has("severity")
                                || !a.has("summary")
                                || !a.has("description")
                                || !a.has("runbook_url")) {
                            problems.add(file + " " + name + " at " + at + ": labels/annotations not spelled out");
                        }
                    }
                    if (before) {
                        covered.add(name);
                    } else {
                        problems.add(file + " " + name + ": no empty case at " + at.minus(interval));
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(covered).containsAll(alerts);
    }
}
