package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a source knows about one desired object beyond its manifest, carried as annotations that the source adds and
 * {@link DiffEngine} strips before comparing (so they survive any store of desired manifests and never show in a
 * diff): ignore rules that apply to this object only (an Argo CD app's {@code spec.ignoreDifferences}), and that the
 * Secret's values are masked (Argo CD hides them), so only its key set can be compared.
 *
 * @param ignoreRules   rules for this object in addition to the configured ones
 * @param maskedSecret  true when the Secret's values are placeholders: keys are compared, values are not
 */
public record DesiredHints(List<IgnoreRule> ignoreRules, boolean maskedSecret) {

    /** JSON array of {@link IgnoreRule}s. */
    public static final String IGNORE_ANNOTATION = "driftwatch.io/ignore-differences";
    /** {@code masked}: the Secret's {@code data}/{@code stringData} values are placeholders. */
    public static final String SECRET_VALUES_ANNOTATION = "driftwatch.io/secret-values";

    static final DesiredHints NONE = new DesiredHints(List.of(), false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<IgnoreRule>> RULES = new TypeReference<>() {};

    public DesiredHints {
        ignoreRules = List.copyOf(ignoreRules);
    }

    /** Adds the hints to {@code manifest} (in place); nothing when there is nothing to say. */
    public static void attach(ObjectNode manifest, List<IgnoreRule> rules, boolean maskedSecret) {
        if (rules.isEmpty() && !maskedSecret) {
            return;
        }
        JsonNode meta = manifest.get("metadata");
        ObjectNode metadata = meta instanceof ObjectNode m ? m : manifest.putObject("metadata");
        ObjectNode annotations =
                metadata.get("annotations") instanceof ObjectNode a ? a : metadata.putObject("annotations");
        if (!rules.isEmpty()) {
            annotations.put(IGNORE_ANNOTATION, JSON.valueToTree(rules).toString());
        }
        if (maskedSecret) {
            annotations.put(SECRET_VALUES_ANNOTATION, "masked");
        }
    }

    /** True when {@code manifest} carries hints (cheap: no parsing). */
    static boolean present(JsonNode manifest) {
        JsonNode annotations = manifest.path("metadata").path("annotations");
        return annotations.has(IGNORE_ANNOTATION) || annotations.has(SECRET_VALUES_ANNOTATION);
    }

    /** The hints of {@code manifest}, which must carry some ({@link #present}); the caller strips them. */
    static DesiredHints read(JsonNode manifest) {
        JsonNode annotations = manifest.path("metadata").path("annotations");
        List<IgnoreRule> rules = List.of();
        String text = annotations.path(IGNORE_ANNOTATION).asText("");
        if (!text.isEmpty()) {
            try {
                rules = JSON.readValue(text, RULES);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "annotation " + IGNORE_ANNOTATION + " is not a list of ignore rules: " + e.getMessage(), e);
            }
        }
        return new DesiredHints(
                rules,
                "masked".equals(annotations.path(SECRET_VALUES_ANNOTATION).asText("")));
    }

    /** A copy of {@code manifest} without the hint annotations (and without an emptied annotations map). */
    static ObjectNode strip(ObjectNode manifest) {
        ObjectNode copy = manifest.deepCopy();
        if (copy.path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(IGNORE_ANNOTATION);
            annotations.remove(SECRET_VALUES_ANNOTATION);
            if (annotations.isEmpty()) {
                ((ObjectNode) copy.get("metadata")).remove("annotations");
            }
        }
        return copy;
    }
}
