package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The PrometheusRule shipped in k8s/monitoring carries exactly the groups of the plain rules file that promtool tests. */
class PrometheusRuleSyncTest {

    @Test
    void prometheusRuleGroupsEqualTheRulesFile() {
        JsonNode prometheusRule = AlertRules.yaml(Path.of("k8s", "monitoring", "130-PrometheusRule-driftwatch.yaml"));
        JsonNode rules = AlertRules.yaml(AlertRules.RULES);

        assertThat(prometheusRule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(prometheusRule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rules.path("groups")).isNotEmpty();
        assertThat(prometheusRule.path("spec").path("groups")).isEqualTo(rules.path("groups"));
    }
}
