package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A decoded {@code fieldsV1} tree: the set of fields one managedFields entry owns. A child with no children is an
 * owned leaf (a scalar or an atomic field); {@code "."} marks that the element/map itself is owned.
 */
final class FieldSet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<PathElement, FieldSet> children;
    private final boolean self;

    private FieldSet(Map<PathElement, FieldSet> children, boolean self) {
        this.children = children;
        this.self = self;
    }

    static FieldSet empty() {
        return new FieldSet(Map.of(), false);
    }

    /** Decodes a {@code fieldsV1} object; undecodable segments are skipped. */
    static FieldSet decode(JsonNode fieldsV1) {
        Map<PathElement, FieldSet> children = new LinkedHashMap<>();
        boolean self = false;
        if (fieldsV1 != null && fieldsV1.isObject()) {
            var it = fieldsV1.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (".".equals(e.getKey())) {
                    self = true;
                    continue;
                }
                PathElement element = parseElement(e.getKey());
                if (element != null) {
                    children.put(element, decode(e.getValue()));
                }
            }
        }
        return new FieldSet(Collections.unmodifiableMap(children), self);
    }

    /** Parses one segment: {@code f:name}, {@code k:{"name":"web"}}, {@code v:"x"}, {@code i:3}; null if malformed. */
    static PathElement parseElement(String segment) {
        if (segment.length() < 2 || segment.charAt(1) != ':') {
            return null;
        }
        String body = segment.substring(2);
        try {
            switch (segment.charAt(0)) {
                case 'f':
                    return new PathElement.Field(body);
                case 'k': {
                    JsonNode key = JSON.readTree(body);
                    if (!key.isObject()) {
                        return null;
                    }
                    Map<String, String> fields = new TreeMap<>();
                    key.fields().forEachRemaining(f -> fields.put(f.getKey(), Values.canonical(f.getValue())));
                    return new PathElement.Key(fields);
                }
                case 'v':
                    return new PathElement.Value(Values.canonical(JSON.readTree(body)));
                case 'i':
                    return new PathElement.Index(Integer.parseInt(body));
                default:
                    return null;
            }
        } catch (JsonProcessingException | NumberFormatException e) {
            return null;
        }
    }

    Map<PathElement, FieldSet> children() {
        return children;
    }

    boolean isLeaf() {
        return children.isEmpty();
    }

    boolean ownsSelf() {
        return self;
    }

    FieldSet child(PathElement element) {
        return children.get(element);
    }

    /**
     * How well this set owns {@code path}: {@code path.size() + 1} when it owns exactly that path (the node exists),
     * {@code n} (1..size) when it owns a leaf prefix of length n (an atomic ancestor), 0 when it does not own it.
     */
    int ownershipScore(List<PathElement> path) {
        FieldSet node = this;
        for (int i = 0; i < path.size(); i++) {
            FieldSet next = node.child(path.get(i));
            if (next == null) {
                return 0;
            }
            if (next.isLeaf() && !next.self && i < path.size() - 1) {
                return i + 1;
            }
            node = next;
        }
        return path.size() + 1;
    }
}
