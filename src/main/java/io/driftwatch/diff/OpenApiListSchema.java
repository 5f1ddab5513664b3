package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * List types and scalar formats read from the cluster's schemas: an OpenAPI v3 document
 * ({@code /openapi/v3/apis/<group>/<version>}, {@code $ref}s resolved) or a CRD's {@code openAPIV3Schema}. Honours
 * {@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys}, {@code x-kubernetes-patch-merge-key},
 * {@code format: quantity|int-or-string}, {@code x-kubernetes-int-or-string} and defaults of key fields. Answers only for
 * kinds and paths the schema describes; combine with {@link ListSchema#orElse} to fall back to the builtin table.
 */
public final class OpenApiListSchema implements ListSchema {

    private static final int MAX_REF_DEPTH = 32;

    /** One kind's root schema and the document it came from ($ref target). */
    private record Root(JsonNode schema, JsonNode document) {}

    private final Map<String, List<Root>> roots;

    private OpenApiListSchema(Map<String, List<Root>> roots) {
        this.roots = roots;
    }

    /** Parses an OpenAPI v3 document; kinds come from {@code x-kubernetes-group-version-kind}. */
    public static OpenApiListSchema fromOpenApiV3(JsonNode document) {
        Map<String, List<Root>> roots = new LinkedHashMap<>();
        JsonNode schemas = document.path("components").path("schemas");
        schemas.fields().forEachRemaining(e -> {
            for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
                String key =
                        gvk.path("group").asText("") + "/" + gvk.path("kind").asText();
                roots.computeIfAbsent(key, k -> new ArrayList<>()).add(new Root(e.getValue(), document));
            }
        });
        return new OpenApiListSchema(roots);
    }

    /** Parses a CustomResourceDefinition; the storage version's schema is consulted first, then the others. */
    public static OpenApiListSchema fromCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        String key = spec.path("group").asText("") + "/"
                + spec.path("names").path("kind").asText();
        List<Root> list = new ArrayList<>();
        for (JsonNode version : spec.path("versions")) {
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            if (schema.isObject()) {
                Root root = new Root(schema, crd);
                if (version.path("storage").asBoolean(false)) {
                    list.add(0, root);
                } else {
                    list.add(root);
                }
            }
        }
        Map<String, List<Root>> roots = new HashMap<>();
        if (!list.isEmpty()) {
            roots.put(key, list);
        }
        return new OpenApiListSchema(roots);
    }

    /** All kinds of several schemas in one. */
    public static OpenApiListSchema merge(List<OpenApiListSchema> schemas) {
        Map<String, List<Root>> roots = new LinkedHashMap<>();
        for (OpenApiListSchema s : schemas) {
            s.roots.forEach(
                    (k, v) -> roots.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return new OpenApiListSchema(roots);
    }

    public boolean knowsKind(String group, String kind) {
        return roots.containsKey(group + "/" + kind);
    }

    @Override
    public Optional<ListType> listType(String group, String kind, List<String> fieldPath) {
        for (Root root : roots.getOrDefault(group + "/" + kind, List.of())) {
            List<JsonNode> chain = walk(root, fieldPath);
            if (chain != null) {
                return listTypeOf(root, chain);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<FieldFormat> format(String group, String kind, List<String> fieldPath) {
        for (Root root : roots.getOrDefault(group + "/" + kind, List.of())) {
            List<JsonNode> chain = walk(root, fieldPath);
            if (chain != null) {
                return formatOf(chain);
            }
        }
        return Optional.empty();
    }

    private static Optional<ListType> listTypeOf(Root root, List<JsonNode> chain) {
        String listType = null;
        List<String> keys = new ArrayList<>();
        String mergeKey = null;
        boolean array = false;
        JsonNode items = MissingNode.getInstance();
        for (JsonNode n : chain) {
            if (listType == null && n.hasNonNull("x-kubernetes-list-type")) {
                listType = n.get("x-kubernetes-list-type").asText();
            }
            if (keys.isEmpty()) {
                n.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
            }
            if (mergeKey == null && n.hasNonNull("x-kubernetes-patch-merge-key")) {
                mergeKey = n.get("x-kubernetes-patch-merge-key").asText();
            }
            if ("array".equals(n.path("type").asText()) || n.has("items")) {
                array = true;
                if (items.isMissingNode()) {
                    items = n.path("items");
                }
            }
        }
        if (!array && listType == null) {
            return Optional.empty();
        }
        if ("set".equals(listType)) {
            return Optional.of(ListType.SET);
        }
        if ("map".equals(listType) && !keys.isEmpty()) {
            return Optional.of(keyed(root, keys, items));
        }
        if (listType == null && mergeKey != null) {
            return Optional.of(keyed(root, List.of(mergeKey), items));
        }
        return Optional.of(ListType.ATOMIC);
    }

    /** Keyed list; key defaults from the item schema, ignoring the zero-value defaults the API server's generator emits. */
    private static ListType keyed(Root root, List<String> keys, JsonNode items) {
        ListType type = ListType.mapWithKnownDefaults(keys);
        Map<String, JsonNode> defaults = new HashMap<>(type.keyDefaults());
        List<JsonNode> itemChain = resolveChain(root, items);
        for (String key : keys) {
            for (JsonNode n : itemChain) {
                JsonNode prop = n.path("properties").path(key);
                for (JsonNode p : resolveChain(root, prop)) {
                    if (p.has("default") && !Values.isEmptyOrZero(p.get("default"))) {
                        defaults.put(key, p.get("default"));
                    }
                }
            }
        }
        return type.withKeyDefaults(defaults);
    }

    private static Optional<FieldFormat> formatOf(List<JsonNode> chain) {
        for (JsonNode n : chain) {
            String format = n.path("format").asText("");
            String ref = n.path("$ref").asText("");
            if ("quantity".equals(format) || ref.endsWith("api.resource.Quantity")) {
                return Optional.of(FieldFormat.QUANTITY);
            }
            if ("int-or-string".equals(format)
                    || n.path("x-kubernetes-int-or-string").asBoolean(false)
                    || ref.endsWith("util.intstr.IntOrString")) {
                return Optional.of(FieldFormat.INT_OR_STRING);
            }
        }
        return Optional.of(FieldFormat.PLAIN);
    }

    /** The chain of schema nodes ($ref/allOf resolved) describing {@code path}, or null when the schema does not know it. */
    private static List<JsonNode> walk(Root root, List<String> path) {
        List<JsonNode> chain = resolveChain(root, root.schema());
        for (String segment : path) {
            chain = descendArrays(root, chain);
            JsonNode next = null;
            for (JsonNode n : chain) {
                JsonNode prop = n.path("properties").path(segment);
                if (!prop.isMissingNode()) {
                    next = prop;
                    break;
                }
            }
            if (next == null) {
                for (JsonNode n : chain) {
                    if (n.path("additionalProperties").isObject()) {
                        next = n.get("additionalProperties");
                        break;
                    }
                }
            }
            if (next == null) {
                return null;
            }
            chain = resolveChain(root, next);
        }
        return chain;
    }

    private static List<JsonNode> descendArrays(Root root, List<JsonNode> chain) {
        List<JsonNode> current = chain;
        for (int guard = 0; guard < MAX_REF_DEPTH; guard++) {
            JsonNode items = null;
            for (JsonNode n : current) {
                if (n.path("items").isObject()) {
                    items = n.get("items");
                    break;
                }
            }
            if (items == null) {
                return current;
            }
            current = resolveChain(root, items);
        }
        return current;
    }

    /** {@code node} followed by what its {@code $ref} / single-element {@code allOf} point to. */
    private static List<JsonNode> resolveChain(Root root, JsonNode node) {
        List<JsonNode> chain = new ArrayList<>();
        JsonNode current = node;
        for (int depth = 0; depth < MAX_REF_DEPTH && current != null && current.isObject(); depth++) {
            chain.add(current);
            if (current.hasNonNull("$ref")) {
                current = resolveRef(root.document(), current.get("$ref").asText());
            } else if (current.path("allOf").isArray() && current.get("allOf").size() == 1) {
                current = current.get("allOf").get(0);
            } else {
                current = null;
            }
        }
        return chain;
    }

    private static JsonNode resolveRef(JsonNode document, String ref) {
        if (!ref.startsWith("#")) {
            return null;
        }
        JsonNode target = document.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }
}
