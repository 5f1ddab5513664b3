package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The digest helm-controller records of a HelmRelease's merged values ({@code status.lastAttemptedConfigDigest},
 * {@code status.history[].configDigest}), recomputed (pure). helm-controller takes it with
 * {@code github.com/fluxcd/pkg/chartutil}'s {@code DigestValues(digest.Canonical, values)}: empty values digest as
 * nothing (the SHA-256 of zero bytes); otherwise the values are converted by {@code sigs.k8s.io/yaml}'s
 * {@code JSONObjectToYAMLObject} (a float64 that is a whole number becomes an int, or a uint64 between 2^63 and 2^64),
 * every mapping's keys sorted (byte order), and encoded by go-yaml v2's encoder ({@code go.yaml.in/yaml/v2}: block
 * style, indentation 2, sequences in mappings not indented, lines folded past 80 columns, strings that would read as
 * another type double-quoted, multi-line strings literal), and that YAML is hashed: {@code sha256:<hex>}.
 *
 * <p>The values are a JSON tree with Go's number types: integral nodes (int, long) are Go's int64 (what Helm's
 * {@code --set} parser, used for {@code targetPath}, makes); every other number is a float64 (what {@code
 * encoding/json} and Helm's YAML reader make). {@link GoValues} reads documents that way. Checked byte for byte against
 * the Go implementation ({@code HelmValuesDigestIT}).
 */
final class ValuesDigest {

    private static final double TWO_63_DOUBLE = 9.223372036854775808E18;
    private static final double TWO_64_DOUBLE = 1.8446744073709551616E19;

    private ValuesDigest() {}

    /** {@code sha256:<hex>} of the values as helm-controller digests them. */
    static String of(JsonNode values) {
        byte[] encoded = values == null || values.isEmpty() ? new byte[0] : encode(values);
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The YAML document the digest is taken of (UTF-8), for non-empty values. */
    static byte[] encode(JsonNode values) {
        Emitter emitter = new Emitter();
        emitter.node(values, true, false, false, false);
        emitter.documentEnd();
        return emitter.out.toByteArray();
    }

    /** A scalar as go-yaml v2's encoder writes it: the text and the style it asks for. */
    private record Scalar(String text, Style style) {}

    private enum Style {
        PLAIN,
        SINGLE_QUOTED,
        DOUBLE_QUOTED,
        LITERAL
    }

    /** go-yaml v2's encoder: which text and style each value gets. */
    private static Scalar styled(JsonNode node) {
        if (node.isTextual()) {
            String s = node.textValue();
            if (s.contains("\n")) {
                return new Scalar(s, Style.LITERAL);
            }
            boolean plain =
                    GoYamlScalars.resolve(s).kind() == GoYamlScalars.Kind.STRING && !GoYamlScalars.isBase60Float(s);
            return new Scalar(s, plain ? Style.PLAIN : Style.DOUBLE_QUOTED);
        }
        if (node.isBoolean()) {
            return new Scalar(node.booleanValue() ? "true" : "false", Style.PLAIN);
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && !node.isBigInteger()) {
            return new Scalar(Long.toString(node.longValue()), Style.PLAIN);
        }
        if (node.isNumber()) {
            return new Scalar(number(node.doubleValue()), Style.PLAIN);
        }
        return new Scalar("null", Style.PLAIN);
    }

    /** A float64 as JSONObjectToYAMLObject converts and go-yaml v2 writes it. */
    private static String number(double f) {
        if (f == Math.rint(f) && !Double.isInfinite(f)) {
            if (f >= -TWO_63_DOUBLE && f < TWO_63_DOUBLE) {
                return Long.toString((long) f);
            }
            if (f >= TWO_63_DOUBLE && f < TWO_64_DOUBLE) {
                return new BigDecimal(f).toBigIntegerExact().toString();
            }
        }
        String s = GoYamlScalars.formatFloat(f);
        return switch (s) {
            case "+Inf" -> ".inf";
            case "-Inf" -> "-.inf";
            case "NaN" -> ".nan";
            default -> s;
        };
    }

    /** Keys in Go's string order: the bytes of their UTF-8, unsigned. */
    private static List<Map.Entry<String, JsonNode>> sorted(JsonNode object) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        fields.forEachRemaining(entries::add);
        entries.sort((a, b) -> Arrays.compareUnsigned(
                a.getKey().getBytes(StandardCharsets.UTF_8), b.getKey().getBytes(StandardCharsets.UTF_8)));
        return entries;
    }

    /**
     * The part of go-yaml v2's emitter (libyaml's, ported to Go) that block mappings of string keys, block sequences
     * and scalars go through: the same column, indentation and whitespace state, scalar analysis and style choice,
     * and writers of plain, single-quoted, double-quoted and literal scalars.
     */
    private static final class Emitter {
        private static final int BEST_INDENT = 2;
        private static final int BEST_WIDTH = 80;
        /** Longer keys (in bytes) are written as complex keys ({@code ? key}). */
        private static final int MAX_SIMPLE_KEY = 128;

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Deque<Integer> indents = new ArrayDeque<>();
        private int indent = -1;
        private int column;
        private boolean whitespace = true;
        private boolean indention = true;
        private boolean mappingContext;
        private boolean simpleKeyContext;

        void node(JsonNode node, boolean root, boolean sequence, boolean mapping, boolean simpleKey) {
            mappingContext = mapping;
            simpleKeyContext = simpleKey;
            if (node.isObject()) {
                if (node.isEmpty()) {
                    writeIndicator("{", true, true, false);
                    writeIndicator("}", false, false, false);
                } else {
                    blockMapping(node);
                }
            } else if (node.isArray()) {
                if (node.isEmpty()) {
                    writeIndicator("[", true, true, false);
                    writeIndicator("]", false, false, false);
                } else {
                    blockSequence(node);
                }
            } else {
                writeScalar(styled(node));
            }
        }

        private void blockMapping(JsonNode node) {
            increaseIndent(false, false);
            for (Map.Entry<String, JsonNode> e : sorted(node)) {
                writeIndent();
                boolean simple = !Analysis.of(e.getKey()).multiline
                        && e.getKey().getBytes(StandardCharsets.UTF_8).length <= MAX_SIMPLE_KEY;
                if (simple) {
                    node(textNode(e.getKey()), false, false, true, true);
                    writeIndicator(":", false, false, false);
                } else {
                    writeIndicator("?", true, false, true);
                    node(textNode(e.getKey()), false, false, true, false);
                    writeIndent();
                    writeIndicator(":", true, false, true);
                }
                node(e.getValue(), false, false, true, false);
            }
            indent = indents.pop();
        }

        private void blockSequence(JsonNode node) {
            increaseIndent(false, mappingContext && !indention);
            for (JsonNode item : node) {
                writeIndent();
                writeIndicator("-", true, false, true);
                node(item, false, true, false, false);
            }
            indent = indents.pop();
        }

        private static JsonNode textNode(String s) {
            return TextNode.valueOf(s);
        }

        private void writeScalar(Scalar scalar) {
            Analysis a = Analysis.of(scalar.text());
            Style style = scalar.style();
            if (simpleKeyContext && a.multiline) {
                style = Style.DOUBLE_QUOTED;
            }
            if (style == Style.PLAIN) {
                if (!a.blockPlainAllowed || (scalar.text().isEmpty() && simpleKeyContext)) {
                    style = Style.SINGLE_QUOTED;
                }
            }
            if (style == Style.SINGLE_QUOTED && !a.singleQuotedAllowed) {
                style = Style.DOUBLE_QUOTED;
            }
            if (style == Style.LITERAL && (!a.blockAllowed || simpleKeyContext)) {
                style = Style.DOUBLE_QUOTED;
            }
            increaseIndent(true, false);
            int[] cps = scalar.text().codePoints().toArray();
            switch (style) {
                case PLAIN -> writePlain(cps, !simpleKeyContext);
                case SINGLE_QUOTED -> writeSingleQuoted(cps, !simpleKeyContext);
                case DOUBLE_QUOTED -> writeDoubleQuoted(cps, !simpleKeyContext);
                case LITERAL -> writeLiteral(cps);
            }
            indent = indents.pop();
        }

        void documentEnd() {
            writeIndent();
        }

        private void increaseIndent(boolean flow, boolean indentless) {
            indents.push(indent);
            if (indent < 0) {
                indent = flow ? BEST_INDENT : 0;
            } else if (!indentless) {
                indent += BEST_INDENT;
            }
        }

        private void writeIndent() {
            int target = Math.max(indent, 0);
            if (!indention || column > target || (column == target && !whitespace)) {
                putBreak();
            }
            while (column < target) {
                put(' ');
            }
            whitespace = true;
            indention = true;
        }

        private void writeIndicator(
                String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
            if (needWhitespace && !whitespace) {
                put(' ');
            }
            indicator.codePoints().forEach(this::write);
            whitespace = isWhitespace;
            indention = indention && isIndention;
        }

        private void put(char c) {
            out.write(c);
            column++;
        }

        private void putBreak() {
            out.write('\n');
            column = 0;
        }

        private void write(int cp) {
            byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            column++;
        }

        private void writeBreak(int cp) {
            if (cp == '\n') {
                putBreak();
            } else {
                write(cp);
                column = 0;
            }
        }

        private void writePlain(int[] v, boolean allowBreaks) {
            if (!whitespace) {
                put(' ');
            }
            boolean spaces = false;
            for (int i = 0; i < v.length; i++) {
                int c = v[i];
                if (c == ' ') {
                    if (allowBreaks && !spaces && column > BEST_WIDTH && !(i + 1 < v.length && v[i + 1] == ' ')) {
                        writeIndent();
                    } else {
                        write(c);
                    }
                    spaces = true;
                } else {
                    // line breaks never reach here: a plain scalar has none
                    write(c);
                    indention = false;
                    spaces = false;
                }
            }
            whitespace = false;
            indention = false;
        }

        private void writeSingleQuoted(int[] v, boolean allowBreaks) {
            writeIndicator("'", true, false, false);
            boolean spaces = false;
            boolean breaks = false;
            for (int i = 0; i < v.length; i++) {
                int c = v[i];
                if (c == ' ') {
                    if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1 && v[i + 1] != ' ') {
                        writeIndent();
                    } else {
                        write(c);
                    }
                    spaces = true;
                } else if (isBreak(c)) {
                    if (!breaks && c == '\n') {
                        putBreak();
                    }
                    writeBreak(c);
                    indention = true;
                    breaks = true;
                } else {
                    if (breaks) {
                        writeIndent();
                    }
                    if (c == '\'') {
                        put('\'');
                    }
                    write(c);
                    indention = false;
                    spaces = false;
                    breaks = false;
                }
            }
            writeIndicator("'", false, false, false);
            whitespace = false;
            indention = false;
        }

        private void writeDoubleQuoted(int[] v, boolean allowBreaks) {
            writeIndicator("\"", true, false, false);
            boolean bom = v.length > 0 && v[0] == 0xFEFF;
            boolean spaces = false;
            for (int i = 0; i < v.length; i++) {
                int c = v[i];
                if (!isPrintable(c) || bom || isBreak(c) || c == '"' || c == '\\') {
                    put('\\');
                    escape(c);
                    spaces = false;
                } else if (c == ' ') {
                    if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < v.length - 1) {
                        writeIndent();
                        if (v[i + 1] == ' ') {
                            put('\\');
                        }
                    } else {
                        write(c);
                    }
                    spaces = true;
                } else {
                    write(c);
                    spaces = false;
                }
            }
            writeIndicator("\"", false, false, false);
            whitespace = false;
            indention = false;
        }

        private void escape(int c) {
            char short_ = switch (c) {
                case 0x00 -> '0';
                case 0x07 -> 'a';
                case 0x08 -> 'b';
                case 0x09 -> 't';
                case 0x0A -> 'n';
                case 0x0B -> 'v';
                case 0x0C -> 'f';
                case 0x0D -> 'r';
                case 0x1B -> 'e';
                case 0x22 -> '"';
                case 0x5C -> '\\';
                case 0x85 -> 'N';
                case 0xA0 -> '_';
                case 0x2028 -> 'L';
                case 0x2029 -> 'P';
                default -> 0;
            };
            if (short_ != 0) {
                put(short_);
                return;
            }
            int width;
            if (c <= 0xFF) {
                put('x');
                width = 2;
            } else if (c <= 0xFFFF) {
                put('u');
                width = 4;
            } else {
                put('U');
                width = 8;
            }
            for (int k = (width - 1) * 4; k >= 0; k -= 4) {
                int digit = (c >> k) & 0x0F;
                put((char) (digit < 10 ? '0' + digit : 'A' + digit - 10));
            }
        }

        private void writeLiteral(int[] v) {
            writeIndicator("|", true, false, false);
            if (v.length > 0 && (v[0] == ' ' || isBreak(v[0]))) {
                writeIndicator(Integer.toString(BEST_INDENT), false, false, false);
            }
            String chomp = "";
            if (v.length == 0 || !isBreak(v[v.length - 1])) {
                chomp = "-";
            } else if (v.length == 1 || isBreak(v[v.length - 2])) {
                chomp = "+";
            }
            if (!chomp.isEmpty()) {
                writeIndicator(chomp, false, false, false);
            }
            putBreak();
            indention = true;
            whitespace = true;
            boolean breaks = true;
            for (int c : v) {
                if (isBreak(c)) {
                    writeBreak(c);
                    indention = true;
                    breaks = true;
                } else {
                    if (breaks) {
                        writeIndent();
                    }
                    write(c);
                    indention = false;
                    breaks = false;
                }
            }
        }
    }

    static boolean isBreak(int c) {
        return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** libyaml's printable set (as go-yaml v2 tests it on UTF-8: characters beyond U+FFFF are not). */
    static boolean isPrintable(int c) {
        return c == 0x0A
                || (c >= 0x20 && c <= 0x7E)
                || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
    }

    /** What the emitter's scalar analysis decides about a scalar's text. */
    private record Analysis(
            boolean multiline, boolean blockPlainAllowed, boolean singleQuotedAllowed, boolean blockAllowed) {

        static Analysis of(String text) {
            int[] v = text.codePoints().toArray();
            if (v.length == 0) {
                return new Analysis(false, true, true, false);
            }
            boolean blockIndicators = false;
            boolean lineBreaks = false;
            boolean special = false;
            boolean leadingSpace = false;
            boolean leadingBreak = false;
            boolean trailingSpace = false;
            boolean trailingBreak = false;
            boolean breakSpace = false;
            boolean spaceBreak = false;
            boolean previousSpace = false;
            boolean previousBreak = false;
            if (text.startsWith("---") || text.startsWith("...")) {
                blockIndicators = true;
            }
            boolean precededByWhitespace = true;
            for (int i = 0; i < v.length; i++) {
                int c = v[i];
                boolean followedByWhitespace = i + 1 >= v.length || v[i + 1] == ' ' || v[i + 1] == '\t';
                if (i == 0) {
                    switch (c) {
                        case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' ->
                            blockIndicators = true;
                        case '?', ':', '-' -> blockIndicators |= followedByWhitespace;
                        default -> {}
                    }
                } else {
                    if (c == ':' && followedByWhitespace) {
                        blockIndicators = true;
                    } else if (c == '#' && precededByWhitespace) {
                        blockIndicators = true;
                    }
                }
                if (!isPrintable(c)) {
                    special = true;
                }
                if (c == ' ') {
                    leadingSpace |= i == 0;
                    trailingSpace |= i == v.length - 1;
                    breakSpace |= previousBreak;
                    previousSpace = true;
                    previousBreak = false;
                } else if (isBreak(c)) {
                    lineBreaks = true;
                    leadingBreak |= i == 0;
                    trailingBreak |= i == v.length - 1;
                    spaceBreak |= previousSpace;
                    previousSpace = false;
                    previousBreak = true;
                } else {
                    previousSpace = false;
                    previousBreak = false;
                }
                precededByWhitespace = c == ' ' || c == '\t' || isBreak(c) || c == 0;
            }
            boolean blockPlain = true;
            boolean singleQuoted = true;
            boolean block = true;
            if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
                blockPlain = false;
            }
            if (trailingSpace) {
                block = false;
            }
            if (breakSpace) {
                blockPlain = false;
                singleQuoted = false;
            }
            if (spaceBreak || special) {
                blockPlain = false;
                singleQuoted = false;
                block = false;
            }
            if (lineBreaks || blockIndicators) {
                blockPlain = false;
            }
            return new Analysis(lineBreaks, blockPlain, singleQuoted, block);
        }
    }
}
