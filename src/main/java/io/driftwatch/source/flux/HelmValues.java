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

    private HelmValues() {}

    /** {@code base} with {@code over} merged in: maps merged key by key (recursively), other values replaced. */
    static ObjectNode merge(ObjectNode base, JsonNode over) {
        ObjectNode out = base.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode existing = out.get(e.getKey());
            if (e.getValue().isObject() && existing != null && existing.isObject()) {
                out.set(e.getKey(), merge((ObjectNode) existing, e.getValue()));
            } else {
                out.set(e.getKey(), e.getValue().deepCopy());
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
        List<Object> keys = parsePath(path);
        JsonNode typed = typed(path, value);
        JsonNode current = values;
        for (int i = 0; i < keys.size(); i++) {
            Object key = keys.get(i);
            boolean last = i == keys.size() - 1;
            Object next = last ? null : keys.get(i + 1);
            JsonNode child = last ? typed : next instanceof Integer ? NODES.arrayNode() : NODES.objectNode();
            if (key instanceof String field) {
                ObjectNode map = (ObjectNode) current;
                JsonNode existing = map.get(field);
                if (!last && existing != null && existing.getNodeType() == child.getNodeType()) {
                    child = existing;
                } else {
                    map.set(field, child);
                }
            } else {
                ArrayNode list = (ArrayNode) current;
                int index = (Integer) key;
                while (list.size() <= index) {
                    list.addNull();
                }
                JsonNode existing = list.get(index);
                if (!last && existing.getNodeType() == child.getNodeType()) {
                    child = existing;
                } else {
                    list.set(index, child);
                }
            }
            current = child;
        }
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
