package io.driftwatch.source.flux;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Flux's post-build variable substitution ({@code github.com/fluxcd/pkg/envsubst}, a fork of drone/envsubst) for the
 * forms Flux documents for {@code spec.postBuild}: {@code ${var}}, {@code ${var:=default}}, {@code ${var=default}},
 * {@code ${var:-default}}, {@code ${var-default}} (all four: the default when the value is unset or empty, as in
 * Flux's fork); {@code $$} is a literal {@code $}. Other bash forms (case
 * changes, offsets, pattern removal and replacement) are refused with the expression named, so a Kustomization that
 * uses them fails to render instead of rendering differently from Flux. Pure.
 */
final class Envsubst {

    /** Flux's rule for variable names (kustomize_varsub.go). */
    static final Pattern NAME = Pattern.compile("[_\\p{Alpha}][_\\p{Alpha}\\p{Digit}]*");

    private Envsubst() {}

    /**
     * {@code text} with every {@code ${...}} replaced; an unset variable without default is the empty string, or, when
     * {@code strict}, an error naming it.
     *
     * @throws IllegalArgumentException naming every expression it cannot evaluate
     */
    static String substitute(String text, Map<String, String> vars, boolean strict) {
        StringBuilder out = new StringBuilder(text.length());
        List<String> problems = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = closing(text, i + 2);
                if (end < 0) {
                    problems.add("unterminated '" + abbreviate(text.substring(i)) + "'");
                    out.append(text, i, text.length());
                    break;
                }
                out.append(evaluate(text.substring(i + 2, end), vars, strict, problems));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return out.toString();
    }

    /** The index of the '}' closing an expression opened before {@code from}, nested {@code ${...}} counted. */
    private static int closing(String text, int from) {
        int depth = 0;
        for (int j = from; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '$' && j + 1 < text.length() && text.charAt(j + 1) == '{') {
                depth++;
                j++;
            } else if (c == '}') {
                if (depth == 0) {
                    return j;
                }
                depth--;
            }
        }
        return -1;
    }

    private static String evaluate(String expression, Map<String, String> vars, boolean strict, List<String> problems) {
        int n = 0;
        while (n < expression.length() && isNameChar(expression.charAt(n), n == 0)) {
            n++;
        }
        String name = expression.substring(0, n);
        String rest = expression.substring(n);
        if (name.isEmpty()) {
            problems.add("'${" + abbreviate(expression) + "}' does not start with a variable name");
            return "";
        }
        String value = vars.get(name);
        if (rest.isEmpty()) {
            if (value == null && strict) {
                problems.add("variable '" + name + "' is not set (strict substitution)");
            }
            return value == null ? "" : value;
        }
        // Flux's fork gives all four default forms the same meaning: the default when the value is unset or empty
        int operator = rest.startsWith(":=") || rest.startsWith(":-")
                ? 2
                : rest.startsWith("=") || rest.startsWith("-") ? 1 : 0;
        if (operator == 0) {
            problems.add("'${" + abbreviate(expression) + "}' uses an expression driftwatch does not evaluate (only "
                    + "${var}, ${var:=default}, ${var=default}, ${var:-default}, ${var-default})");
            return "";
        }
        return value == null || value.isEmpty() ? substitute(rest.substring(operator), vars, strict) : value;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c < 128 && Character.isLetter(c) || !first && c < 128 && Character.isDigit(c);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
