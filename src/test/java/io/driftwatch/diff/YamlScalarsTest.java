package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class YamlScalarsTest {

    @Test
    void aStringThatLooksLikeANumberIsQuotedSoItDiffersFromTheNumber() {
        String diff = YamlDiff.unified(Fixtures.json("{\"timeout\":\"1800\"}"), Fixtures.json("{\"timeout\":1800}"));
        assertThat(diff).isEqualTo("--- desired\n+++ live\n@@ -1 +1 @@\n-timeout: \"1800\"\n+timeout: 1800\n");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1800",
                "-3",
                "+3",
                "1.5",
                ".5",
                "5.",
                "1e3",
                "1E+3",
                "0x1F",
                "0o17",
                "017",
                "0b101",
                "1_000",
                "12:30:00",
                "190:20:30.15",
                ".inf",
                "-.Inf",
                ".NaN",
                "true",
                "True",
                "yes",
                "no",
                "on",
                "off",
                "y",
                "N",
                "null",
                "Null",
                "~",
                "",
                "2001-12-14",
                "2001-12-14t21:59:43.10-05:00",
                "2001-12-14 21:59:43.10 -5",
                "<<",
                "="
            })
    void quotesStringsThatReadAsAnotherType(String value) {
        assertThat(YamlDiff.toYaml(object(value))).isEqualTo("k: \"" + value + "\"\n");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "abc",
                "v1",
                "1.2.3",
                "0.5.x",
                "nginx:1.25",
                "10Gi",
                "500m",
                ".",
                "1-2",
                "192.168.0.1",
                "2001-12",
                "app.kubernetes.io/name"
            })
    void leavesOtherStringsPlain(String value) {
        assertThat(YamlDiff.toYaml(object(value))).isEqualTo("k: " + value + "\n");
    }

    @Test
    void theYamlReportQuotesThemToo() {
        DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults());
        DriftReport report = engine.diffAll(
                List.of(new DesiredObject((ObjectNode) Fixtures.json("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"default"},
                 "spec":{"timeout":"1800"}}"""), "app", null)),
                List.of(Fixtures.json("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"default"},
                 "spec":{"timeout":1800}}""")),
                key -> false);
        String yaml = ReportYaml.render(report);
        assertThat(yaml).contains("desired: \"1800\"").contains("live: 1800");
    }

    private static ObjectNode object(String value) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("k", value);
        return o;
    }
}
