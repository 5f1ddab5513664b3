package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finds live fields desired does not set that one managedFields entry owns: walks the entry's field set alongside the
 * live and desired objects. A keyed-list or set element desired lacks is reported whole; a map or struct field desired
 * lacks is descended into so that e.g. one added label is reported, not the whole label map.
 */
final class AddedFieldFinder {

    private final Comparer comparer;

    AddedFieldFinder(Comparer comparer) {
        this.comparer = comparer;
    }

    void find(FieldSet owned, JsonNode desired, JsonNode live, Consumer<Comparer.RawChange> out) {
        walk(FieldPath.ROOT, owned, desired, live, out);
    }

    private void walk(FieldPath path, FieldSet owned, JsonNode d, JsonNode l, Consumer<Comparer.RawChange> out) {
        for (Map.Entry<PathElement, FieldSet> e : owned.children().entrySet()) {
            PathElement element = e.getKey();
            FieldSet child = e.getValue();
            if (element instanceof PathElement.Field f) {
                if (l == null || !l.isObject() || !l.has(f.name())) {
                    continue;
                }
                JsonNode liveChild = l.get(f.name());
                JsonNode desiredChild = d != null && d.isObject() ? d.get(f.name()) : null;
                FieldPath childPath = path.field(f.name());
                if (present(desiredChild)) {
                    if (!child.isLeaf()) {
                        walk(childPath, child, desiredChild, liveChild, out);
                    }
                } else if (child.isLeaf() || !liveChild.isContainerNode()) {
                    report(childPath, liveChild, out);
                } else {
                    walk(childPath, child, null, liveChild, out);
                }
            } else if (element instanceof PathElement.Key k) {
                keyed(path, k, child, d, l, out);
            } else if (element instanceof PathElement.Value v) {
                if (l == null || !l.isArray()) {
                    continue;
                }
                int liveIndex = indexOfCanonical(l, v.canonical());
                if (liveIndex >= 0 && (d == null || !d.isArray() || indexOfCanonical(d, v.canonical()) < 0)) {
                    JsonNode value = l.get(liveIndex);
                    report(path.setItem(value, liveIndex), value, out);
                }
            } else if (element instanceof PathElement.Index i) {
                if (l == null || !l.isArray() || i.index() >= l.size()) {
                    continue;
                }
                JsonNode desiredChild = d != null && d.isArray() && i.index() < d.size() ? d.get(i.index()) : null;
                FieldPath childPath = path.index(i.index());
                if (present(desiredChild)) {
                    if (!child.isLeaf()) {
                        walk(childPath, child, desiredChild, l.get(i.index()), out);
                    }
                } else {
                    report(childPath, l.get(i.index()), out);
                }
            }
        }
    }

    private void keyed(
            FieldPath path,
            PathElement.Key k,
            FieldSet child,
            JsonNode d,
            JsonNode l,
            Consumer<Comparer.RawChange> out) {
        if (l == null || !l.isArray()) {
            return;
        }
        int liveIndex = -1;
        for (int i = 0; i < l.size(); i++) {
            if (matchesCanonical(l.get(i), k.fields(), Map.of())) {
                liveIndex = i;
                break;
            }
        }
        if (liveIndex < 0) {
            return;
        }
        JsonNode liveElement = l.get(liveIndex);
        Map<String, JsonNode> key = new LinkedHashMap<>();
        ListType type = comparer.listType(path);
        for (String name : k.fields().keySet()) {
            JsonNode v = liveElement.get(name);
            key.put(name, v != null ? v : type.keyDefaults().getOrDefault(name, NullNode.getInstance()));
        }
        FieldPath childPath = path.key(key, liveIndex);
        JsonNode desiredElement = null;
        if (d != null && d.isArray()) {
            for (JsonNode candidate : d) {
                if (matchesCanonical(candidate, k.fields(), type.keyDefaults())) {
                    desiredElement = candidate;
                    break;
                }
            }
        }
        if (desiredElement == null) {
            report(childPath, liveElement, out);
        } else if (!child.isLeaf()) {
            walk(childPath, child, desiredElement, liveElement, out);
        }
    }

    private static boolean matchesCanonical(JsonNode element, Map<String, String> key, Map<String, JsonNode> defaults) {
        if (!element.isObject()) {
            return false;
        }
        for (Map.Entry<String, String> e : key.entrySet()) {
            JsonNode v = element.get(e.getKey());
            if (v == null || v.isNull()) {
                v = defaults.get(e.getKey());
            }
            if (v == null || !Values.canonical(v).equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfCanonical(JsonNode list, String canonical) {
        for (int i = 0; i < list.size(); i++) {
            if (Values.canonical(list.get(i)).equals(canonical)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean present(JsonNode node) {
        return !Values.isEmpty(node);
    }

    /** Reports an added field unless its live value is empty ({@code {}}, {@code []}): empty is not a value to drift to. */
    private static void report(FieldPath path, JsonNode live, Consumer<Comparer.RawChange> out) {
        if (Values.isEmpty(live)) {
            return;
        }
        out.accept(new Comparer.RawChange(path, Op.ADDED, null, live));
    }
}
