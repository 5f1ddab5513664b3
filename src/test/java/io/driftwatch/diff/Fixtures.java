package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test fixtures under src/test/resources/diff/ and small JSON editing helpers. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    private Fixtures() {}

    static ObjectNode load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/diff/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return (ObjectNode) (name.endsWith(".json") ? JSON.readTree(in) : YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode yaml(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the value at {@code pointer} (parent must exist); {@code json} is parsed as JSON. */
    static void set(JsonNode root, String pointer, String json) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        String last = p.last().getMatchingProperty();
        if (parent instanceof ObjectNode o) {
            o.set(last, json(json));
        } else if (parent instanceof ArrayNode a) {
            if ("-".equals(last)) {
                a.add(json(json));
            } else {
                a.set(Integer.parseInt(last), json(json));
            }
        } else {
            throw new IllegalArgumentException("no parent for " + pointer);
        }
    }

    static void remove(JsonNode root, String pointer) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        String last = p.last().getMatchingProperty();
        if (parent instanceof ObjectNode o) {
            if (o.remove(last) == null) {
                throw new IllegalArgumentException("nothing at " + pointer);
            }
        } else if (parent instanceof ArrayNode a) {
            a.remove(Integer.parseInt(last));
        } else {
            throw new IllegalArgumentException("no parent for " + pointer);
        }
    }

    /** Appends a managedFields entry, as the API server records one. */
    static void addManager(
            JsonNode live, String manager, String operation, String subresource, String time, String fieldsV1) {
        ArrayNode managed = (ArrayNode) live.path("metadata").path("managedFields");
        ObjectNode e = managed.addObject();
        e.put("manager", manager);
        e.put("operation", operation);
        e.put("apiVersion", live.path("apiVersion").asText());
        e.put("time", time);
        if (subresource != null) {
            e.put("subresource", subresource);
        }
        e.put("fieldsType", "FieldsV1");
        e.set("fieldsV1", json(fieldsV1));
    }

    static void removeLastApplied(JsonNode live) {
        ((ObjectNode) live.path("metadata").path("annotations"))
                .remove("kubectl.kubernetes.io/last-applied-configuration");
    }

    static DesiredObject desired(ObjectNode manifest) {
        return new DesiredObject(manifest, "shop", null);
    }
}
