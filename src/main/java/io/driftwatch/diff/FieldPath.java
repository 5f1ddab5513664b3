package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Path of a compared value, from the object root. Knows three spellings: readable ({@code spec.containers[name=web].image}),
 * a JSON pointer into the live object ({@code /spec/containers/0/image}) and managed-fields elements
 * ({@code f:spec, f:containers, k:{"name":"web"}, f:image}).
 */
final class FieldPath {

    /** One step. {@code liveIndex} is the element's index in the live list, -1 when live lacks it. */
    sealed interface Segment {}

    record FieldSeg(String name) implements Segment {}

    record KeySeg(Map<String, JsonNode> key, int liveIndex) implements Segment {}

    record IndexSeg(int index) implements Segment {}

    record SetSeg(JsonNode value, int liveIndex) implements Segment {}

    static final FieldPath ROOT = new FieldPath(null, null, 0);

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final FieldPath parent;
    private final Segment last;
    private final int size;

    private FieldPath(FieldPath parent, Segment last, int size) {
        this.parent = parent;
        this.last = last;
        this.size = size;
    }

    FieldPath field(String name) {
        return new FieldPath(this, new FieldSeg(name), size + 1);
    }

    /** @param key not copied: callers hand over a map they no longer change */
    FieldPath key(Map<String, JsonNode> key, int liveIndex) {
        return new FieldPath(this, new KeySeg(Collections.unmodifiableMap(key), liveIndex), size + 1);
    }

    FieldPath index(int index) {
        return new FieldPath(this, new IndexSeg(index), size + 1);
    }

    FieldPath setItem(JsonNode value, int liveIndex) {
        return new FieldPath(this, new SetSeg(value, liveIndex), size + 1);
    }

    int size() {
        return size;
    }

    Segment last() {
        return last;
    }

    List<Segment> segments() {
        List<Segment> out = new ArrayList<>(size);
        for (FieldPath p = this; p.last != null; p = p.parent) {
            out.add(p.last);
        }
        Collections.reverse(out);
        return out;
    }

    /** Field names and map keys only, as the schema wants them. */
    List<String> names() {
        List<String> out = new ArrayList<>(size);
        for (FieldPath p = this; p.last != null; p = p.parent) {
            if (p.last instanceof FieldSeg f) {
                out.add(f.name());
            }
        }
        Collections.reverse(out);
        return out;
    }

    String readable() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments()) {
            if (s instanceof FieldSeg f) {
                if (PLAIN_NAME.matcher(f.name()).matches()) {
                    if (sb.length() > 0) {
                        sb.append('.');
                    }
                    sb.append(f.name());
                } else {
                    sb.append("[\"")
                            .append(f.name().replace("\\", "\\\\").replace("\"", "\\\""))
                            .append("\"]");
                }
            } else if (s instanceof KeySeg k) {
                sb.append('[');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : k.key().entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append(e.getKey())
                            .append('=')
                            .append(
                                    e.getValue().isTextual()
                                            ? e.getValue().textValue()
                                            : e.getValue().toString());
                }
                sb.append(']');
            } else if (s instanceof IndexSeg i) {
                sb.append('[').append(i.index()).append(']');
            } else if (s instanceof SetSeg v) {
                sb.append('[')
                        .append(
                                v.value().isTextual()
                                        ? v.value().textValue()
                                        : v.value().toString())
                        .append(']');
            }
        }
        return sb.toString();
    }

    /** JSON pointer into the live object; a list element live lacks is addressed as {@code <list>/-}. */
    String pointer() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments()) {
            sb.append('/');
            if (s instanceof FieldSeg f) {
                sb.append(escape(f.name()));
            } else if (s instanceof KeySeg k) {
                sb.append(k.liveIndex() < 0 ? "-" : Integer.toString(k.liveIndex()));
            } else if (s instanceof IndexSeg i) {
                sb.append(i.index());
            } else if (s instanceof SetSeg v) {
                sb.append(v.liveIndex() < 0 ? "-" : Integer.toString(v.liveIndex()));
            }
        }
        return sb.toString();
    }

    /** The managed-fields spelling of this path. */
    List<PathElement> elements() {
        List<PathElement> out = new ArrayList<>(size);
        for (Segment s : segments()) {
            if (s instanceof FieldSeg f) {
                out.add(new PathElement.Field(f.name()));
            } else if (s instanceof KeySeg k) {
                Map<String, String> canonical = new LinkedHashMap<>();
                k.key().forEach((name, value) -> canonical.put(name, Values.canonical(value)));
                out.add(new PathElement.Key(canonical));
            } else if (s instanceof IndexSeg i) {
                out.add(new PathElement.Index(i.index()));
            } else if (s instanceof SetSeg v) {
                out.add(new PathElement.Value(Values.canonical(v.value())));
            }
        }
        return out;
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    @Override
    public String toString() {
        return readable();
    }
}
