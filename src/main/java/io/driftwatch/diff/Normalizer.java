package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Prepares desired and live objects for comparison. */
final class Normalizer {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final List<String> SERVER_METADATA =
            List.of("managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink");
    private static final Set<String> TOP_LEVEL_SKIPPED = Set.of("apiVersion", "kind", "status");

    private Normalizer() {}

    /**
     * A copy without the fields that are never compared: identity (apiVersion, kind), status, server metadata. What is
     * left out is not copied first (a live object's managedFields and status are often most of it).
     */
    static ObjectNode comparable(JsonNode object) {
        return comparable(object, true);
    }

    /**
     * Like {@link #comparable(JsonNode)}, but with {@code deep} false only the root, {@code metadata} and its
     * {@code annotations} are new nodes; everything below is shared with {@code object}, so the result must not be
     * modified below those three.
     */
    static ObjectNode comparable(JsonNode object, boolean deep) {
        ObjectNode copy = object instanceof ObjectNode o ? o.objectNode() : JsonNodeFactory.instance.objectNode();
        var fields = object.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (TOP_LEVEL_SKIPPED.contains(name)) {
                continue;
            }
            if ("metadata".equals(name) && value instanceof ObjectNode metadata) {
                copy.set(name, comparableMetadata(metadata, deep));
            } else {
                copy.set(name, deep ? value.deepCopy() : value);
            }
        }
        return copy;
    }

    private static ObjectNode comparableMetadata(ObjectNode metadata, boolean deep) {
        ObjectNode copy = metadata.objectNode();
        var fields = metadata.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (SERVER_METADATA.contains(name)) {
                continue;
            }
            if ("annotations".equals(name) && value instanceof ObjectNode annotations) {
                ObjectNode kept = annotations.objectNode();
                var it = annotations.fields();
                while (it.hasNext()) {
                    var a = it.next();
                    if (!LAST_APPLIED.equals(a.getKey())) {
                        kept.set(a.getKey(), deep ? a.getValue().deepCopy() : a.getValue());
                    }
                }
                if (!kept.isEmpty()) {
                    copy.set(name, kept);
                }
            } else {
                copy.set(name, deep ? value.deepCopy() : value);
            }
        }
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

    /**
     * For a Secret whose desired values are masked: gives every live {@code data} key that is also desired the desired
     * (masked) value, so that only added and removed keys differ. {@code live} must be a copy.
     */
    static void maskValuesLike(ObjectNode live, ObjectNode desired) {
        foldStringData(live);
        if (!(live.get("data") instanceof ObjectNode liveData) || !(desired.get("data") instanceof ObjectNode data)) {
            return;
        }
        for (String name : Values.fieldNames(data)) {
            if (liveData.has(name)) {
                liveData.set(name, data.get(name));
            }
        }
    }
}
