package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Unified YAML diffs: desired (as "live the way Git wants it") against live. With 3 lines of context around each change
 * (the CLI, and objects over the agent's {@code diff.fullContextLines}), or with the whole object as context: one hunk
 * holding every line, which the console folds run by run.
 */
final class YamlDiff {

    static final String DESIRED_LABEL = "desired";
    static final String LIVE_LABEL = "live";
    /** Lines of context around each change when the whole object is not sent. */
    static final int CONTEXT = 3;

    private static final long MAX_CELLS = 4_000_000L;
    private static final YAMLMapper YAML = new YAMLMapper(YamlScalars.minimalQuoting()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private YamlDiff() {}

    static String toYaml(JsonNode node) {
        if (node == null) {
            return "";
        }
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render YAML", e);
        }
    }

    /** Unified diff of the YAML of {@code desired} and {@code live}; null means the object does not exist on that side. */
    static String unified(JsonNode desired, JsonNode live) {
        return unified(desired, live, 0);
    }

    /**
     * As {@link #unified(JsonNode, JsonNode)}, with the whole object as context (one hunk with every line) when its larger
     * side has at most {@code fullContextLines} lines; above that, or when it is 0, {@value #CONTEXT} lines.
     */
    static String unified(JsonNode desired, JsonNode live, int fullContextLines) {
        List<String> a = lines(toYaml(desired));
        List<String> b = lines(toYaml(live));
        int larger = Math.max(a.size(), b.size());
        return unifiedLines(
                a, b, fullContextLines > 0 && larger <= fullContextLines ? Math.max(larger, CONTEXT) : CONTEXT);
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String line : text.split("\n", -1)) {
            out.add(line);
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** One line of an edit script: ' ' kept, '-' only in desired, '+' only in live. */
    private record Edit(char op, String line, int a, int b) {}

    static String unifiedLines(List<String> a, List<String> b) {
        return unifiedLines(a, b, CONTEXT);
    }

    static String unifiedLines(List<String> a, List<String> b, int context) {
        StringBuilder sb = header();
        appendHunks(sb, edits(a, b), context);
        return sb.toString();
    }

    private static StringBuilder header() {
        return new StringBuilder()
                .append("--- ")
                .append(DESIRED_LABEL)
                .append('\n')
                .append("+++ ")
                .append(LIVE_LABEL)
                .append('\n');
    }

    /**
     * The same diff with at most {@value #CONTEXT} lines of context around each change: a diff written with more
     * context (the whole object) comes out exactly as {@link #unified(JsonNode, JsonNode)} would have written it; one
     * with {@value #CONTEXT} already comes out unchanged. Text that is not a diff of this class is returned as it is.
     */
    static String narrowed(String diff) {
        String[] lines = diff.split("\n", -1);
        String head = header().toString();
        if (!diff.startsWith(head)) {
            return diff;
        }
        StringBuilder sb = header();
        int k = 2;
        while (k < lines.length && lines[k].startsWith("@@ -")) {
            String[] ranges = lines[k].split(" ");
            if (ranges.length < 4) {
                return diff;
            }
            int[] old = parseRange(ranges[1]);
            int[] now = parseRange(ranges[2]);
            if (old == null || now == null) {
                return diff;
            }
            List<Edit> hunk = new ArrayList<>();
            int a = old[0];
            int b = now[0];
            int aLeft = old[1];
            int bLeft = now[1];
            k++;
            while ((aLeft > 0 || bLeft > 0) && k < lines.length && !lines[k].isEmpty()) {
                char op = lines[k].charAt(0);
                if (op != ' ' && op != '-' && op != '+') {
                    return diff;
                }
                hunk.add(new Edit(op, lines[k].substring(1), a, b));
                if (op != '+') {
                    a++;
                    aLeft--;
                }
                if (op != '-') {
                    b++;
                    bLeft--;
                }
                k++;
            }
            if (aLeft != 0 || bLeft != 0) {
                return diff;
            }
            appendHunks(sb, hunk, CONTEXT);
        }
        return k == lines.length - 1 && lines[k].isEmpty() ? sb.toString() : diff;
    }

    /** {@code -A,N} or {@code +A}: the lines before the range and its count, or null. */
    private static int[] parseRange(String range) {
        try {
            String body = range.substring(1);
            int comma = body.indexOf(',');
            int start = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
            int count = comma < 0 ? 1 : Integer.parseInt(body.substring(comma + 1));
            return new int[] {count == 0 ? start : start - 1, count};
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static void appendHunks(StringBuilder sb, List<Edit> edits, int context) {
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            int end = i;
            int lastChange = i;
            while (end < edits.size()) {
                if (edits.get(end).op() != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * context) {
                    break;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + context + 1);
            appendHunk(sb, edits.subList(start, end));
            i = end;
        }
    }

    private static void appendHunk(StringBuilder sb, List<Edit> hunk) {
        int aCount = 0;
        int bCount = 0;
        for (Edit e : hunk) {
            aCount += e.op() != '+' ? 1 : 0;
            bCount += e.op() != '-' ? 1 : 0;
        }
        Edit first = hunk.get(0);
        sb.append("@@ -")
                .append(range(first.a(), aCount))
                .append(" +")
                .append(range(first.b(), bCount))
                .append(" @@\n");
        for (Edit e : hunk) {
            sb.append(e.op()).append(e.line()).append('\n');
        }
    }

    /** Unified-diff range: 1-based start and count; an empty range names the line before it. */
    private static String range(int linesBefore, int count) {
        if (count == 0) {
            return linesBefore + ",0";
        }
        return count == 1 ? Integer.toString(linesBefore + 1) : (linesBefore + 1) + "," + count;
    }

    /** Line edit script via the longest common subsequence (common prefix and suffix trimmed first). */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix
                && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Edit> out = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            out.add(new Edit(' ', a.get(i), i, i));
        }
        int n = a.size() - prefix - suffix;
        int m = b.size() - prefix - suffix;
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < n; i++) {
                out.add(new Edit('-', a.get(prefix + i), prefix + i, -1));
            }
            for (int j = 0; j < m; j++) {
                out.add(new Edit('+', b.get(prefix + j), -1, prefix + j));
            }
        } else {
            int[][] lcs = new int[n + 1][m + 1];
            for (int i = n - 1; i >= 0; i--) {
                for (int j = m - 1; j >= 0; j--) {
                    lcs[i][j] = a.get(prefix + i).equals(b.get(prefix + j))
                            ? lcs[i + 1][j + 1] + 1
                            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
                }
            }
            int i = 0;
            int j = 0;
            while (i < n || j < m) {
                if (i < n && j < m && a.get(prefix + i).equals(b.get(prefix + j))) {
                    out.add(new Edit(' ', a.get(prefix + i), prefix + i, prefix + j));
                    i++;
                    j++;
                } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                    out.add(new Edit('-', a.get(prefix + i), prefix + i, -1));
                    i++;
                } else {
                    out.add(new Edit('+', b.get(prefix + j), -1, prefix + j));
                    j++;
                }
            }
        }
        for (int k = 0; k < suffix; k++) {
            int ai = a.size() - suffix + k;
            int bi = b.size() - suffix + k;
            out.add(new Edit(' ', a.get(ai), ai, bi));
        }
        return fillPositions(out);
    }

    /** Gives '+' lines their position in desired and '-' lines theirs in live, for hunk headers. */
    private static List<Edit> fillPositions(List<Edit> edits) {
        List<Edit> out = new ArrayList<>(edits.size());
        int a = 0;
        int b = 0;
        for (Edit e : edits) {
            out.add(new Edit(e.op(), e.line(), a, b));
            if (e.op() != '+') {
                a++;
            }
            if (e.op() != '-') {
                b++;
            }
        }
        return out;
    }

    /**
     * Turns a copy of the live object into "live as Git wants it" by undoing each change: changed and removed fields get
     * the desired value, added fields are dropped.
     */
    static void applyReverse(ObjectNode root, List<Comparer.RawChange> changes) {
        TextNode dropped = new TextNode("\u0000dropped");
        for (Comparer.RawChange c : changes) {
            List<FieldPath.Segment> segments = c.path().segments();
            if (segments.isEmpty()) {
                continue;
            }
            JsonNode parent = root;
            for (FieldPath.Segment s : segments.subList(0, segments.size() - 1)) {
                parent = child(parent, s);
                if (parent == null) {
                    break;
                }
            }
            if (parent == null) {
                continue;
            }
            FieldPath.Segment last = segments.get(segments.size() - 1);
            JsonNode value = c.op() == Op.ADDED ? dropped : c.desired().deepCopy();
            if (parent instanceof ObjectNode o && last instanceof FieldPath.FieldSeg f) {
                o.set(f.name(), value);
            } else if (parent instanceof ArrayNode a) {
                int index = indexOf(last);
                if (index < 0 || index >= a.size()) {
                    a.add(value);
                } else {
                    a.set(index, value);
                }
            }
        }
        sweep(root, dropped);
    }

    private static JsonNode child(JsonNode parent, FieldPath.Segment s) {
        if (s instanceof FieldPath.FieldSeg f) {
            return parent.isObject() ? parent.get(f.name()) : null;
        }
        int index = indexOf(s);
        return parent.isArray() && index >= 0 && index < parent.size() ? parent.get(index) : null;
    }

    private static int indexOf(FieldPath.Segment s) {
        if (s instanceof FieldPath.KeySeg k) {
            return k.liveIndex();
        }
        if (s instanceof FieldPath.IndexSeg i) {
            return i.index();
        }
        if (s instanceof FieldPath.SetSeg v) {
            return v.liveIndex();
        }
        return -1;
    }

    private static void sweep(JsonNode node, JsonNode dropped) {
        if (node instanceof ObjectNode o) {
            for (String name : Values.fieldNames(o)) {
                if (o.get(name) == dropped) {
                    o.remove(name);
                } else {
                    sweep(o.get(name), dropped);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = a.size() - 1; i >= 0; i--) {
                if (a.get(i) == dropped) {
                    a.remove(i);
                } else {
                    sweep(a.get(i), dropped);
                }
            }
        }
    }
}
