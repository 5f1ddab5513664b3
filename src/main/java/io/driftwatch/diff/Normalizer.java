package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Prepares desired and live objects for comparison. */
final class Normalizer {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final List<String> SERVER_METADATA = List.of(
            "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink");

    private Normalizer() {
    }

    /** A copy without the fields that are never compared: identity (apiVersion, kind), status, server metadata. */
    static ObjectNode comparable(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("apiVersion");
        copy.remove("kind");
        copy.remove("status");
        stripServerMetadata(copy);
        return copy;
    }

    /** Removes server-maintained metadata and the last-applied annotation, in place. */
    static void stripServerMetadata(ObjectNode object) {
        if (object.get("metadata") instanceof ObjectNode metadata) {
            SERVER_METADATA.forEach(metadata::remove);
            if (metadata.get("annotations") instanceof ObjectNode annotations) {
                annotations.remove(LAST_APPLIED);
                if (annotations.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
        }
    }

    /** Folds a Secret's {@code stringData} into base64 {@code data} (stringData wins), in place. */
    static void foldStringData(ObjectNode secret) {
        JsonNode stringData = secret.get("stringData");
        if (!(stringData instanceof ObjectNode s)) {
            secret.remove("stringData");
            return;
        }
        ObjectNode data = secret.get("data") instanceof ObjectNode d ? d : secret.putObject("data");
        for (String name : Values.fieldNames(s)) {
            JsonNode v = s.get(name);
            if (v == null || v.isNull()) {
                continue;
            }
            String text = v.isTextual() ? v.textValue() : v.asText();
            data.put(name, Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        }
        secret.remove("stringData");
    }
}
