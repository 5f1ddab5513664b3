package io.driftwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "frontend", "example.com/team", "a");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "app=web | true",
                "app==web | true",
                "app = web | true",
                "app=db | false",
                "app!=db | true",
                "app!=web | false",
                "missing!=x | true",
                "app in (web,db) | true",
                "app in ( db , cache ) | false",
                "app notin (db) | true",
                "app notin (web) | false",
                "missing notin (x) | true",
                "missing in (x) | false",
                "app | true",
                "missing | false",
                "!missing | true",
                "! app | false",
                "app=web,tier=frontend | true",
                "app=web,tier=backend | false",
                "app in (web,db),!missing,tier | true",
                "example.com/team=a | true",
                "example.com/team notin (a,b) | false",
                "'' | true"
            })
    void matchesAsKubernetesDoes(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(WEB)).isEqualTo(expected);
    }

    @Test
    void anEmptyValueMatchesAnEmptyLabel() {
        assertThat(LabelSelector.parse("app=").matches(Map.of("app", ""))).isTrue();
        assertThat(LabelSelector.parse("app=").matches(Map.of("app", "web"))).isFalse();
        assertThat(LabelSelector.parse("app=").matches(Map.of())).isFalse();
    }

    @Test
    void namesEveryBadRequirementAtOnce() {
        assertThatThrownBy(() -> LabelSelector.parse("app=web,tier=front end,-bad=x,x in (),Example.COM/k=v,a=b=c,,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tier=front end': not a requirement")
                .hasMessageContaining("'-bad=x': key name '-bad' is not a label name")
                .hasMessageContaining("'x in ()': 'in' needs at least one value")
                .hasMessageContaining("'Example.COM/k=v': key prefix 'Example.COM' is not a DNS subdomain")
                .hasMessageContaining("'a=b=c': not a requirement")
                .hasMessageContaining("'': empty requirement")
                .message()
                .doesNotContain("'app=web'");
    }

    @Test
    void rejectsValuesAndParenthesesKubernetesRejects() {
        assertThatThrownBy(() -> LabelSelector.parse("app in (web,db")).hasMessageContaining("unbalanced parentheses");
        assertThatThrownBy(() -> LabelSelector.parse("app=" + "v".repeat(64)))
                .hasMessageContaining("is not a label value");
        assertThatThrownBy(() -> LabelSelector.parse("app in (web,-db)"))
                .hasMessageContaining("value '-db' is not a label value");
        assertThatThrownBy(() -> LabelSelector.parse("app > 3")).hasMessageContaining("'app > 3': not a requirement");
    }
}
