package io.driftwatch.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** alerts/driftwatch.rules.yaml and the promtool tests in alerts/tests. */
final class AlertRules {

    static final Path RULES = Path.of("alerts", "driftwatch.rules.yaml");
    static final Path TESTS = Path.of("alerts", "tests");
    static final String RUNBOOK_URL = "https://github.com/driftwatch/driftwatch/blob/main/docs/runbook.md#";
    private static final YAMLMapper YAML = new YAMLMapper();

    private AlertRules() {}

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** A rule with the name of its group. */
    record Rule(String group, JsonNode rule) {
        boolean isAlert() {
            return rule.has("alert");
        }

        String name() {
            return isAlert() ? rule.path("alert").asText() : rule.path("record").asText();
        }
    }

    static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (JsonNode group : yaml(RULES).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.add(new Rule(group.path("name").asText(), rule));
            }
        }
        return out;
    }

    static List<Path> testFiles() {
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
