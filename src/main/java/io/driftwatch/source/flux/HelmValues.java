package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values helm-controller gives Helm (pure), as {@code github.com/fluxcd/pkg/chartutil}'s
 * {@code ChartValuesFromReferences} builds them: each {@code valuesFrom} reference in order, a document merged at the
 * root ({@link #merge}: maps deeply, anything else replaced), or a single value set at its {@code targetPath}
 * ({@link #setPath}, Helm's {@code --set} syntax); {@code spec.values} merged last, so it wins.
 */
final class HelmValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** strvals' MaxIndex. */
    private static final int MAX_INDEX = 65536;

    private HelmValues() {}

    /**
     * {@code base} with {@code over} merged in, as Helm's and Flux's {@code MergeMaps}: maps merged key by key
     * (recursively, into new maps), other values replaced. Like Go's, the result shares the values it did not merge with
     * {@code base} and {@code over} (neither is changed by the merge).
     */
    static ObjectNode merge(ObjectNode base, JsonNode over) {
        ObjectNode out = NODES.objectNode();
        out.setAll(base);
        Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode existing = out.get(e.getKey());
            if (e.getValue().isObject() && existing != null && existing.isObject()) {
                out.set(e.getKey(), merge((ObjectNode) existing, e.getValue()));
            } else {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * Sets {@code value} at {@code path} (dot notation, {@code \.} for a literal dot, {@code [n]} for a list index), as
     * Helm's {@code strvals} parser does for {@code --set path=value}: a value in single or double quotes is the string
     * between them; otherwise {@code true}/{@code false}/{@code null} and integers without a leading zero are typed,
     * anything else is a string. Values with a comma, a backslash or a leading brace (which {@code --set} would split
     * or read as a list) are refused rather than set differently from Helm.
     *
     * @throws IllegalArgumentException naming what is wrong with the path or the value
     */
    static void setPath(ObjectNode values, String path, String value) {
        setPath(values, path, typed(path, value));
    }

    /**
     * Sets {@code typed} at {@code path} as Helm's {@code --set} parser ({@code strvals}) does, in place: a map or list
     * already on the path is changed where it is (so values sharing it, as Go's maps share after
     * {@link #merge}, see the change), a list is replaced by a longer copy when the index is past its end, and a key
     * whose value is not a map (or not a list, before an index) fails, as strvals' type assertion does.
     */
    static void setPath(ObjectNode values, String path, JsonNode typed) {
        List<Object> keys = parsePath(path);
        if (!(keys.get(0) instanceof String)) {
            throw new IllegalArgumentException("targetPath " + path + " starts with an index");
        }
        setInMap(values, keys, 0, typed, path);
    }

    private static void setInMap(ObjectNode map, List<Object> keys, int i, JsonNode value, String path) {
        String field = (String) keys.get(i);
        if (i == keys.size() - 1) {
            map.set(field, value);
            return;
        }
        JsonNode existing = map.get(field);
        if (keys.get(i + 1) instanceof Integer) {
            if (existing != null && !existing.isArray()) {
                throw notA("list", path, "'" + field + "'", existing);
            }
            ArrayNode list = existing == null ? NODES.arrayNode() : (ArrayNode) existing;
            map.set(field, setInList(list, keys, i + 1, value, path));
            return;
        }
        if (existing != null && !existing.isObject()) {
            throw notA("map", path, "'" + field + "'", existing);
        }
        ObjectNode inner = existing == null ? NODES.objectNode() : (ObjectNode) existing;
        setInMap(inner, keys, i + 1, value, path);
        map.set(field, inner);
    }

    private static ArrayNode setInList(ArrayNode list, List<Object> keys, int i, JsonNode value, String path) {
        int index = (Integer) keys.get(i);
        if (index > MAX_INDEX) {
            throw new IllegalArgumentException(
                    "targetPath " + path + ": index " + index + " is greater than Helm's maximum " + MAX_INDEX);
        }
        if (i == keys.size() - 1) {
            return setIndex(list, index, value);
        }
        JsonNode existing = index < list.size() ? list.get(index) : null;
        if (keys.get(i + 1) instanceof Integer) {
            if (existing != null && !existing.isNull() && !existing.isArray()) {
                throw notA("list", path, "element " + index, existing);
            }
            ArrayNode current = existing != null && existing.isArray() ? (ArrayNode) existing : NODES.arrayNode();
            return setIndex(list, index, setInList(current, keys, i + 1, value, path));
        }
        ObjectNode inner;
        if (existing != null && existing.isObject()) {
            inner = (ObjectNode) existing;
        } else {
            inner = NODES.objectNode();
            if (existing != null) {
                list.set(index, inner); // strvals: "indices out of order", the element becomes a map in place
            }
        }
        setInMap(inner, keys, i + 1, value, path);
        return setIndex(list, index, inner);
    }

    /** strvals' setIndex: in place within the list, else a longer copy padded with nulls. */
    private static ArrayNode setIndex(ArrayNode list, int index, JsonNode value) {
        ArrayNode target = list;
        if (list.size() <= index) {
            target = NODES.arrayNode();
            target.addAll(list);
            while (target.size() <= index) {
                target.addNull();
            }
        }
        target.set(index, value);
        return target;
    }

    private static IllegalArgumentException notA(String type, String path, String what, JsonNode existing) {
        return new IllegalArgumentException("targetPath " + path + ": " + what + " is "
                + existing.getNodeType().name().toLowerCase(Locale.ROOT) + ", not a " + type
                + " (Helm's --set parser fails on it)");
    }

    private static JsonNode typed(String path, String value) {
        boolean quoted = value.length() >= 2
                && ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith("\"") && value.endsWith("\"")));
        String text = quoted ? value.replaceAll("^['\"]+|['\"]+$", "") : value;
        if (text.contains(",") || text.contains("\\") || (!quoted && text.startsWith("{"))) {
            throw new IllegalArgumentException("targetPath " + path + ": the value '" + abbreviate(text)
                    + "' has a comma, backslash or leading brace, which Helm's --set parser splits or reads as a list;"
                    + " driftwatch does not evaluate those");
        }
        if (quoted) {
            return NODES.textNode(text);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return NODES.booleanNode(lower.equals("true"));
        }
        if (lower.equals("null")) {
            return NODES.nullNode();
        }
        if (text.equals("0")) {
            return NODES.numberNode(0L);
        }
        if (!text.isEmpty() && text.charAt(0) != '0') {
            try {
                return NODES.numberNode(Long.parseLong(text));
            } catch (NumberFormatException e) {
                // a string, as for Helm
            }
        }
        return NODES.textNode(text);
    }

    /** "a.b\.c[2].d" → ["a", "b.c", 2, "d"]. */
    static List<Object> parsePath(String path) {
        List<Object> keys = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        boolean keyPending = true;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                key.append(path.charAt(++i));
            } else if (c == '.') {
                addKey(keys, key, keyPending, path);
                keyPending = true;
            } else if (c == '[') {
                if (keyPending) {
                    addKey(keys, key, true, path);
                }
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("targetPath " + path + ": '[' without ']'");
                }
                String index = path.substring(i + 1, close);
                if (!index.matches("[0-9]{1,6}")) {
                    throw new IllegalArgumentException(
                            "targetPath " + path + ": list index '" + index + "' is not a number");
                }
                keys.add(Integer.parseInt(index));
                i = close;
                keyPending = false;
                if (i + 1 < path.length() && path.charAt(i + 1) != '.' && path.charAt(i + 1) != '[') {
                    throw new IllegalArgumentException(
                            "targetPath " + path + ": '" + path.charAt(i + 1) + "' after ']' (expected '.' or '[')");
                }
            } else if (c == '=' || c == ',') {
                throw new IllegalArgumentException("targetPath " + path + ": '" + c + "' is not allowed in a path");
            } else {
                key.append(c);
            }
        }
        if (keyPending) {
            addKey(keys, key, true, path);
        }
        return keys;
    }

    private static void addKey(List<Object> keys, StringBuilder key, boolean pending, String path) {
        if (!pending) {
            key.setLength(0);
            return;
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("targetPath '" + path + "' has an empty key");
        }
        keys.add(key.toString());
        key.setLength(0);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
