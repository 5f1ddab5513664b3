package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What kustomize-controller does to {@code kustomize build}'s output before it applies it: the post-build variable
 * substitution per object (skipped for objects labelled or annotated {@code kustomize.toolkit.fluxcd.io/substitute:
 * disabled}, and altogether when there are no variables), then {@code spec.commonMetadata} and the ownership labels
 * {@code kustomize.toolkit.fluxcd.io/name} and {@code /namespace} on every object. Pure.
 */
final class PostBuild {

    static final String OWNER_NAME = "kustomize.toolkit.fluxcd.io/name";
    static final String OWNER_NAMESPACE = "kustomize.toolkit.fluxcd.io/namespace";
    static final String SUBSTITUTE = "kustomize.toolkit.fluxcd.io/substitute";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$\\n?");

    private PostBuild() {}

    /**
     * kustomize's output with the variables substituted in each document (when there are any).
     *
     * @throws IllegalArgumentException naming every variable name or expression Flux would refuse too
     */
    static String substitute(String built, Map<String, String> vars, boolean strict) {
        List<String> badNames = vars.keySet().stream()
                .filter(v -> !Envsubst.NAME.matcher(v).matches())
                .sorted()
                .toList();
        if (!badNames.isEmpty()) {
            throw new IllegalArgumentException(
                    "variable name(s) " + badNames + " are invalid, they must match '" + Envsubst.NAME.pattern() + "'");
        }
        if (vars.isEmpty()) {
            return built;
        }
        List<String> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(built)) {
            if (document.isBlank() || disabled(document)) {
                out.add(document);
                continue;
            }
            try {
                out.add(Envsubst.substitute(document, vars, strict));
            } catch (IllegalArgumentException e) {
                problems.add(objectName(document) + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("post-build substitution: " + String.join("; ", problems));
        }
        return String.join("---\n", out);
    }

    /** Sets the common labels and annotations, then Flux's ownership labels, on every object. */
    static void label(List<ObjectNode> objects, JsonNode commonMetadata, String name, String namespace) {
        for (ObjectNode object : objects) {
            ObjectNode metadata = object.path("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
            merge(metadata, "labels", commonMetadata.path("labels"));
            merge(metadata, "annotations", commonMetadata.path("annotations"));
            ObjectNode labels = map(metadata, "labels");
            labels.put(OWNER_NAME, name);
            labels.put(OWNER_NAMESPACE, namespace);
        }
    }

    private static void merge(ObjectNode metadata, String field, JsonNode values) {
        if (values.isObject() && !values.isEmpty()) {
            ObjectNode target = map(metadata, field);
            values.fields()
                    .forEachRemaining(e -> target.put(e.getKey(), e.getValue().asText()));
        }
    }

    private static ObjectNode map(ObjectNode metadata, String field) {
        return metadata.path(field) instanceof ObjectNode o ? o : metadata.putObject(field);
    }

    private static boolean disabled(String document) {
        JsonNode metadata = parse(document).path("metadata");
        return "disabled".equals(metadata.path("labels").path(SUBSTITUTE).asText())
                || "disabled"
                        .equals(metadata.path("annotations").path(SUBSTITUTE).asText());
    }

    private static String objectName(String document) {
        JsonNode object = parse(document);
        return object.path("kind").asText("?") + "/"
                + object.path("metadata").path("name").asText("?");
    }

    private static JsonNode parse(String document) {
        try {
            JsonNode node = YAML.readTree(document);
            return node == null ? YAML.createObjectNode() : node;
        } catch (IOException e) {
            throw new IllegalArgumentException("kustomize output is not YAML: " + e.getMessage(), e);
        }
    }
}
