package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Compares a (normalised, pruned) desired object with a live one under partial-object semantics: only fields desired
 * sets are compared; keyed lists merge by key; sets compare as sets; atomic lists element by element; numbers and
 * quantities by value; empty or zero desired values equal an absent live value.
 */
final class Comparer {

    /**
     * A difference before attribution.
     *
     * @param duplicate an {@code added} live element that repeats the merge key of a desired element: managedFields
     *                  cannot tell elements with the same key apart
     */
    record RawChange(FieldPath path, Op op, JsonNode desired, JsonNode live, boolean duplicate) {
        RawChange(FieldPath path, Op op, JsonNode desired, JsonNode live) {
            this(path, op, desired, live, false);
        }
    }

    private final String group;
    private final String kind;
    private final ListSchema schema;

    Comparer(String group, String kind, ListSchema schema) {
        this.group = group;
        this.kind = kind;
        this.schema = schema;
    }

    List<RawChange> compare(JsonNode desired, JsonNode live) {
        List<RawChange> out = new ArrayList<>();
        compare(FieldPath.ROOT, desired, live, out::add);
        return out;
    }

    /** True when {@code desired} (partial) is satisfied by {@code other}. */
    boolean satisfies(FieldPath path, JsonNode desired, JsonNode other) {
        boolean[] differs = {false};
        compare(path, desired, other, c -> differs[0] = true);
        return !differs[0];
    }

    void compare(FieldPath path, JsonNode d, JsonNode l, Consumer<RawChange> out) {
        if (Values.isEmpty(d)) {
            return;
        }
        if (l == null || l.isNull() || l.isMissingNode()) {
            if (!Values.isEmptyOrZero(d)) {
                out.accept(new RawChange(path, Op.REMOVED, d, null));
            }
            return;
        }
        if (d.isObject()) {
            if (!l.isObject()) {
                out.accept(new RawChange(path, Op.CHANGED, d, l));
                return;
            }
            var it = d.fields();
            while (it.hasNext()) {
                var e = it.next();
                compare(path.field(e.getKey()), e.getValue(), l.get(e.getKey()), out);
            }
        } else if (d.isArray()) {
            if (!l.isArray()) {
                out.accept(new RawChange(path, Op.CHANGED, d, l));
                return;
            }
            compareList(path, d, l, out);
        } else if (l.isContainerNode()) {
            out.accept(new RawChange(path, Op.CHANGED, d, l));
        } else if (!Values.scalarEquals(d, l, false)) {
            FieldFormat format = schema.format(group, kind, path.names()).orElse(FieldFormat.PLAIN);
            if (format == FieldFormat.PLAIN || !Values.scalarEquals(d, l, true)) {
                out.accept(new RawChange(path, Op.CHANGED, d, l));
            }
        }
    }

    ListType listType(FieldPath path) {
        return schema.listType(group, kind, path.names()).orElse(ListType.ATOMIC);
    }

    private void compareList(FieldPath path, JsonNode d, JsonNode l, Consumer<RawChange> out) {
        ListType type = listType(path);
        switch (type.kind()) {
            case MAP -> {
                if (!compareKeyed(path, type, d, l, out)) {
                    compareAtomic(path, d, l, out);
                }
            }
            case SET -> {
                for (JsonNode value : d) {
                    if (indexOfValue(l, value) < 0) {
                        out.accept(new RawChange(path.setItem(value, -1), Op.REMOVED, value, null));
                    }
                }
            }
            case ATOMIC -> compareAtomic(path, d, l, out);
        }
    }

    /**
     * Returns false (and reports nothing) when a desired element lacks a key field, so the list is compared atomically.
     * Elements that share a key (the API server accepts some, e.g. two container ports 80/TCP) pair up in order: the
     * n-th desired element with a key against the n-th live one; a live element beyond the desired ones with its key is
     * reported {@code added}, never merged into the desired element. One pass over live: each live element takes the
     * first unpaired desired element with its key.
     */
    private boolean compareKeyed(FieldPath path, ListType type, JsonNode d, JsonNode l, Consumer<RawChange> out) {
        List<Map<String, JsonNode>> keys = new ArrayList<>(d.size());
        for (JsonNode element : d) {
            Map<String, JsonNode> key = keyOf(element, type);
            if (key == null) {
                return false;
            }
            keys.add(key);
        }
        Map<String, JsonNode> defaults = type.keyDefaults();
        int[] pairedLive = new int[d.size()];
        Arrays.fill(pairedLive, -1);
        List<int[]> duplicates = null;
        for (int j = 0; j < l.size(); j++) {
            JsonNode element = l.get(j);
            if (!element.isObject()) {
                continue;
            }
            int firstWithKey = -1;
            for (int i = 0; i < keys.size(); i++) {
                if (Values.keyMatches(element, keys.get(i), defaults)) {
                    firstWithKey = firstWithKey < 0 ? i : firstWithKey;
                    if (pairedLive[i] < 0) {
                        pairedLive[i] = j;
                        firstWithKey = -2;
                        break;
                    }
                }
            }
            if (firstWithKey >= 0) {
                duplicates = duplicates == null ? new ArrayList<>() : duplicates;
                duplicates.add(new int[] {firstWithKey, j});
            }
        }
        for (int i = 0; i < d.size(); i++) {
            if (pairedLive[i] < 0) {
                out.accept(new RawChange(path.key(keys.get(i), -1), Op.REMOVED, d.get(i), null));
            } else {
                compare(path.key(keys.get(i), pairedLive[i]), d.get(i), l.get(pairedLive[i]), out);
            }
        }
        if (duplicates != null) {
            duplicates.sort(Comparator.<int[]>comparingInt(x -> x[0]).thenComparingInt(x -> x[1]));
            for (int[] dup : duplicates) {
                out.accept(new RawChange(path.key(keys.get(dup[0]), dup[1]), Op.ADDED, null, l.get(dup[1]), true));
            }
        }
        return true;
    }

    private void compareAtomic(FieldPath path, JsonNode d, JsonNode l, Consumer<RawChange> out) {
        if (d.size() != l.size()) {
            out.accept(new RawChange(path, Op.CHANGED, d, l));
            return;
        }
        for (int i = 0; i < d.size(); i++) {
            compare(path.index(i), d.get(i), l.get(i), out);
        }
    }

    /** Key field values of an element (defaults filled in), or null when a key field is missing and has no default. */
    static Map<String, JsonNode> keyOf(JsonNode element, ListType type) {
        if (!element.isObject()) {
            return null;
        }
        Map<String, JsonNode> key = new LinkedHashMap<>();
        for (String k : type.keys()) {
            JsonNode v = element.get(k);
            if (v == null || v.isNull()) {
                v = type.keyDefaults().get(k);
            }
            if (v == null) {
                return null;
            }
            key.put(k, v);
        }
        return key;
    }

    static int indexOfKey(JsonNode list, Map<String, JsonNode> key, Map<String, JsonNode> defaults) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isObject() && Values.keyMatches(list.get(i), key, defaults)) {
                return i;
            }
        }
        return -1;
    }

    static int indexOfValue(JsonNode list, JsonNode value) {
        String wanted = Values.canonical(value);
        for (int i = 0; i < list.size(); i++) {
            if (Values.canonical(list.get(i)).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }
}
