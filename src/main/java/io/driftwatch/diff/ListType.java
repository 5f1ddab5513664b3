package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;

/**
 * How a list merges: {@code MAP} elements are identified by their key fields (with known defaults for key fields a
 * desired element may omit, e.g. port {@code protocol: TCP}); {@code SET} of scalars; {@code ATOMIC} compared as a whole,
 * element by element.
 */
public record ListType(Kind kind, List<String> keys, Map<String, JsonNode> keyDefaults) {

    public enum Kind {
        MAP,
        SET,
        ATOMIC
    }

    public static final ListType SET = new ListType(Kind.SET, List.of(), Map.of());
    public static final ListType ATOMIC = new ListType(Kind.ATOMIC, List.of(), Map.of());

    public ListType {
        keys = List.copyOf(keys);
        keyDefaults = Map.copyOf(keyDefaults);
        if (kind == Kind.MAP && keys.isEmpty()) {
            throw new IllegalArgumentException("a map list needs key fields");
        }
    }

    public static ListType map(String... keys) {
        return new ListType(Kind.MAP, List.of(keys), Map.of());
    }

    /** Keyed by {@code keys}, with {@code protocol} defaulting to TCP when it is one of them. */
    public static ListType mapWithKnownDefaults(List<String> keys) {
        return new ListType(
                Kind.MAP, keys, keys.contains("protocol") ? Map.of("protocol", TextNode.valueOf("TCP")) : Map.of());
    }

    public ListType withKeyDefaults(Map<String, JsonNode> defaults) {
        return new ListType(kind, keys, defaults);
    }
}
