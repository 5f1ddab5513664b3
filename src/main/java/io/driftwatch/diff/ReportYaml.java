package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The report's JSON shape ({@link ReportJson}) written as YAML. */
public final class ReportYaml {

    private static final YAMLMapper YAML = new YAMLMapper(YamlScalars.minimalQuoting()
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build());

    private ReportYaml() {}

    public static String render(DriftReport report) {
        return render(ReportJson.toJson(report));
    }

    /** The report's JSON shape, possibly with fields a caller added, as YAML. */
    public static String render(JsonNode report) {
        try {
            return YAML.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render YAML", e);
        }
    }
}
