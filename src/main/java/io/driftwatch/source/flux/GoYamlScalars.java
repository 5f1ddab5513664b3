package io.driftwatch.source.flux;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Go's YAML library (go-yaml v2, {@code go.yaml.in/yaml/v2}, under {@code sigs.k8s.io/yaml} and Helm) reads a plain
 * scalar and writes a number (pure): its YAML 1.1 resolution ({@code yes}/{@code on}/{@code ~}, octal {@code 017},
 * {@code 0x}/{@code 0o}/{@code 0b} integers, {@code _} separators, timestamps), and Go's shortest float formatting
 * ({@code strconv.FormatFloat(f, 'g', -1, 64)}). What Helm and helm-controller do with values depends on both.
 */
final class GoYamlScalars {

    /** What a plain scalar resolves to. */
    enum Kind {
        STRING,
        NULL,
        BOOL,
        INT,
        FLOAT,
        TIMESTAMP,
        MERGE
    }

    /**
     * A resolved plain scalar: for {@link Kind#BOOL} a Boolean, {@link Kind#INT} a BigInteger (int64 or uint64 range),
     * {@link Kind#FLOAT} a Double, otherwise the text (null for {@link Kind#NULL}).
     */
    record Resolved(Kind kind, Object value) {}

    private static final int SHORTEST_EPREC = 6;
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Map<String, Resolved> WORDS = words();
    private static final Pattern YAML_STYLE_FLOAT =
            Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");
    private static final Pattern BASE60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    private static final Pattern TIMESTAMP = Pattern.compile("([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
            + "(?:(?:([Tt])|( ))([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?"
            + "(Z|[-+]([0-9]{2}):([0-9]{2}))?)?");

    private GoYamlScalars() {}

    private static Map<String, Resolved> words() {
        Map<String, Resolved> m = new HashMap<>();
        for (String s : new String[] {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
            m.put(s, new Resolved(Kind.BOOL, Boolean.TRUE));
        }
        for (String s : new String[] {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
            m.put(s, new Resolved(Kind.BOOL, Boolean.FALSE));
        }
        for (String s : new String[] {"", "~", "null", "Null", "NULL"}) {
            m.put(s, new Resolved(Kind.NULL, null));
        }
        for (String s : new String[] {".nan", ".NaN", ".NAN"}) {
            m.put(s, new Resolved(Kind.FLOAT, Double.NaN));
        }
        for (String s : new String[] {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
            m.put(s, new Resolved(Kind.FLOAT, Double.POSITIVE_INFINITY));
        }
        for (String s : new String[] {"-.inf", "-.Inf", "-.INF"}) {
            m.put(s, new Resolved(Kind.FLOAT, Double.NEGATIVE_INFINITY));
        }
        m.put("<<", new Resolved(Kind.MERGE, "<<"));
        return Map.copyOf(m);
    }

    /** What an untagged plain scalar resolves to, as go-yaml v2's {@code resolve("", in)}. */
    static Resolved resolve(String in) {
        char hint = in.isEmpty() ? 'N' : hint(in.charAt(0));
        if (hint == 0) {
            return str(in);
        }
        Resolved word = WORDS.get(in);
        if (word != null) {
            return word;
        }
        if (hint == 'M') {
            return str(in);
        }
        if (hint == '.') {
            Double f = DOT_FLOAT.matcher(in).matches() ? finite(in) : null;
            return f != null ? new Resolved(Kind.FLOAT, f) : str(in);
        }
        if (isTimestamp(in)) {
            return new Resolved(Kind.TIMESTAMP, in);
        }
        String plain = in.replace("_", "");
        BigInteger integer = parseIntBase0(plain);
        boolean signed = plain.startsWith("+") || plain.startsWith("-");
        if (integer != null
                && ((integer.compareTo(INT64_MIN) >= 0 && integer.compareTo(INT64_MAX) <= 0)
                        || (!signed && integer.compareTo(UINT64_MAX) <= 0))) {
            return new Resolved(Kind.INT, integer);
        }
        if (YAML_STYLE_FLOAT.matcher(plain).matches()) {
            Double f = finite(plain);
            if (f != null) {
                return new Resolved(Kind.FLOAT, f);
            }
        }
        return str(in);
    }

    /** go-yaml v2's resolve table: S(ign), D(igit), M(ap word), '.', or 0 (always a string). */
    private static char hint(char c) {
        if (c == '+' || c == '-') {
            return 'S';
        }
        if (c >= '0' && c <= '9') {
            return 'D';
        }
        if ("yYnNtTfFoO~".indexOf(c) >= 0) {
            return 'M';
        }
        return c == '.' ? '.' : 0;
    }

    private static Resolved str(String in) {
        return new Resolved(Kind.STRING, in);
    }

    /** Go's ParseFloat of a decimal already checked by a pattern: null when it overflows (an error in Go). */
    private static Double finite(String decimal) {
        double d = Double.parseDouble(decimal);
        return Double.isInfinite(d) ? null : d;
    }

    /**
     * Go's {@code strconv.ParseInt(s, 0, 64)} syntax (sign, then {@code 0x}, {@code 0o}, {@code 0b} or a leading
     * {@code 0} for octal, else decimal), without its range check: null when not an integer.
     */
    private static BigInteger parseIntBase0(String s) {
        boolean negative = false;
        String t = s;
        if (t.startsWith("+") || t.startsWith("-")) {
            negative = t.charAt(0) == '-';
            t = t.substring(1);
        }
        int base = 10;
        if (t.length() >= 2 && t.charAt(0) == '0') {
            switch (t.charAt(1)) {
                case 'x', 'X' -> base = 16;
                case 'o', 'O' -> base = 8;
                case 'b', 'B' -> base = 2;
                default -> base = 0; // a leading 0: octal
            }
            t = base == 0 ? t.substring(1) : t.substring(2);
            base = base == 0 ? 8 : base;
        }
        if (t.isEmpty()) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c > 0x7f || Character.digit(c, base) < 0) {
                return null;
            }
        }
        BigInteger value = new BigInteger(t, base);
        return negative ? value.negate() : value;
    }

    /** A YAML 1.1 timestamp as go-yaml v2 recognises one (with Go's {@code time.Parse} range checks). */
    static boolean isTimestamp(String s) {
        Matcher m = TIMESTAMP.matcher(s);
        if (!m.matches()) {
            return false;
        }
        try {
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            return false;
        }
        if (m.group(6) == null) {
            return true;
        }
        boolean spaced = m.group(5) != null;
        if (spaced && m.group(9) != null) {
            return false; // "2006-1-2 15:4:5.999999999" has no zone
        }
        if (!spaced && m.group(9) == null) {
            return false; // the T forms need one
        }
        if (Integer.parseInt(m.group(6)) >= 24
                || Integer.parseInt(m.group(7)) >= 60
                || Integer.parseInt(m.group(8)) >= 60) {
            return false;
        }
        return m.group(10) == null || (Integer.parseInt(m.group(10)) <= 24 && Integer.parseInt(m.group(11)) <= 60);
    }

    /** YAML 1.1's base-60 float notation ({@code 1:20}), which go-yaml v2 quotes when writing a string. */
    static boolean isBase60Float(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')) || s.indexOf(':') < 0) {
            return false;
        }
        return BASE60_FLOAT.matcher(s).matches();
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}: the shortest digits that read back as f. */
    static String formatFloat(double f) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        if (f == 0) {
            return (1 / f < 0) ? "-0" : "0";
        }
        return formatDecimal(f < 0, shortest(Math.abs(f)));
    }

    /**
     * Go's {@code 'g'} format of the shortest digits of a float: {@code %e} when the exponent is below -4 or at least
     * 6 (Go's precision for that decision when formatting the shortest digits), else {@code %f}.
     */
    static String formatDecimal(boolean negative, BigDecimal shortest) {
        String digits = shortest.unscaledValue().toString();
        int nd = digits.length();
        // Go's decimal point position: value = 0.d1d2...dn × 10^dp
        int dp = nd - shortest.scale();
        int exp = dp - 1;
        StringBuilder out = new StringBuilder(negative ? "-" : "");
        if (exp < -4 || exp >= SHORTEST_EPREC) {
            out.append(digits.charAt(0));
            if (nd > 1) {
                out.append('.').append(digits, 1, nd);
            }
            out.append('e').append(exp < 0 ? '-' : '+');
            int abs = Math.abs(exp);
            out.append(abs < 10 ? "0" : "").append(abs);
        } else if (dp <= 0) {
            out.append("0.").append("0".repeat(-dp)).append(digits);
        } else if (dp >= nd) {
            out.append(digits).append("0".repeat(dp - nd));
        } else {
            out.append(digits, 0, dp).append('.').append(digits, dp, nd);
        }
        return out.toString();
    }

    /** The shortest decimal that reads back as f (positive, finite); of two that short, the nearer. */
    private static BigDecimal shortest(double f) {
        return shortest(new BigDecimal(f), 17, d -> Double.parseDouble(d.toString()) == f);
    }

    /**
     * The shortest decimal (at most {@code maxDigits}) near {@code exact} that {@code readsBack}; of two that short, the
     * nearer — what Go's shortest formatting finds.
     */
    static BigDecimal shortest(BigDecimal exact, int maxDigits, Predicate<BigDecimal> readsBack) {
        for (int precision = 1; precision <= maxDigits; precision++) {
            BigDecimal best = null;
            for (RoundingMode mode :
                    new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal candidate = exact.round(new MathContext(precision, mode));
                if (readsBack.test(candidate)
                        && (best == null
                                || candidate
                                                .subtract(exact)
                                                .abs()
                                                .compareTo(best.subtract(exact).abs())
                                        < 0)) {
                    best = candidate;
                }
            }
            if (best != null) {
                return best.stripTrailingZeros();
            }
        }
        return exact.stripTrailingZeros();
    }
}
