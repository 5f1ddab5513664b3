package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Navigation over JSON values: by {@link FieldPath} (keyed lists by key) and by JSON pointers with {@code *}. */
final class JsonPaths {

    private JsonPaths() {}

    /** The value at {@code path} in {@code root} (keyed elements found by key), or null when absent. */
    static JsonNode valueAt(JsonNode root, FieldPath path, Comparer comparer) {
        JsonNode current = root;
        FieldPath prefix = FieldPath.ROOT;
        for (FieldPath.Segment s : path.segments()) {
            if (current == null) {
                return null;
            }
            if (s instanceof FieldPath.FieldSeg f) {
                current = current.isObject() ? current.get(f.name()) : null;
                prefix = prefix.field(f.name());
            } else if (s instanceof FieldPath.KeySeg k) {
                if (!current.isArray()) {
                    return null;
                }
                int i = Comparer.indexOfKey(
                        current, k.key(), comparer.listType(prefix).keyDefaults());
                current = i < 0 ? null : current.get(i);
                prefix = prefix.key(k.key(), i);
            } else if (s instanceof FieldPath.IndexSeg i) {
                current = current.isArray() && i.index() < current.size() ? current.get(i.index()) : null;
                prefix = prefix.index(i.index());
            } else if (s instanceof FieldPath.SetSeg v) {
                if (!current.isArray()) {
                    return null;
                }
                int i = Comparer.indexOfValue(current, v.value());
                current = i < 0 ? null : current.get(i);
                prefix = prefix.setItem(v.value(), i);
            }
        }
        return current == null || current.isNull() || current.isMissingNode() ? null : current;
    }

    /** Removes every value matching {@code pointer} ({@code *} = any element or key) from {@code root}, in place. */
    static void remove(JsonNode root, String pointer) {
        if (pointer.isEmpty() || "/".equals(pointer)) {
            return;
        }
        List<String> tokens = new ArrayList<>();
        for (String t : pointer.substring(1).split("/", -1)) {
            tokens.add(t.replace("~1", "/").replace("~0", "~"));
        }
        remove(root, tokens, 0);
    }

    private static void remove(JsonNode node, List<String> tokens, int i) {
        String token = tokens.get(i);
        boolean last = i == tokens.size() - 1;
        if (node instanceof ObjectNode object) {
            if ("*".equals(token)) {
                if (last) {
                    object.removeAll();
                } else {
                    object.elements().forEachRemaining(child -> remove(child, tokens, i + 1));
                }
            } else if (last) {
                object.remove(token);
            } else if (object.has(token)) {
                remove(object.get(token), tokens, i + 1);
            }
        } else if (node instanceof ArrayNode array) {
            if ("*".equals(token)) {
                if (last) {
                    array.removeAll();
                } else {
                    array.elements().forEachRemaining(child -> remove(child, tokens, i + 1));
                }
            } else {
                int index = parseIndex(token);
                if (index < 0 || index >= array.size()) {
                    return;
                }
                if (last) {
                    array.remove(index);
                } else {
                    remove(array.get(index), tokens, i + 1);
                }
            }
        }
    }

    private static int parseIndex(String token) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
