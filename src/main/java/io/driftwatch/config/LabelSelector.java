package io.driftwatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector in kubectl's {@code -l} syntax, matched against an object's labels: comma-separated requirements,
 * all of which must hold: {@code key=value} (or {@code ==}), {@code key!=value} (also true without the label),
 * {@code key in (a,b)}, {@code key notin (a,b)} (also true without the label), {@code key} (exists) and {@code !key}
 * (does not exist). Keys and values are checked as Kubernetes checks labels. No Java library on Maven Central parses
 * this syntax (fabric8 passes selector strings to the API server), hence this small parser; its errors name every bad
 * requirement at once.
 */
public final class LabelSelector {

    private static final String KEY = "([^\\s=!(),]+)";
    private static final Pattern NOT_EXISTS = Pattern.compile("\\s*!\\s*" + KEY + "\\s*");
    private static final Pattern EXISTS = Pattern.compile("\\s*" + KEY + "\\s*");
    private static final Pattern EQUALITY = Pattern.compile("\\s*" + KEY + "\\s*(==|=|!=)\\s*([^\\s=!(),]*)\\s*");
    private static final Pattern SET = Pattern.compile("\\s*" + KEY + "\\s+(in|notin)\\s*\\(([^()]*)\\)\\s*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public enum Operator {
        EQUALS,
        NOT_EQUALS,
        IN,
        NOT_IN,
        EXISTS,
        DOES_NOT_EXIST
    }

    /** One requirement; {@code values} is empty for EXISTS and DOES_NOT_EXIST. */
    public record Requirement(String key, Operator operator, Set<String> values) {

        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }
    }

    private final String text;
    private final List<Requirement> requirements;

    private LabelSelector(String text, List<Requirement> requirements) {
        this.text = text;
        this.requirements = List.copyOf(requirements);
    }

    /**
     * Parses {@code text}; every bad requirement is named in one {@link IllegalArgumentException}. A blank selector
     * selects everything.
     */
    public static LabelSelector parse(String text) {
        List<Requirement> requirements = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!text.isBlank()) {
            for (String term : terms(text, problems)) {
                try {
                    requirements.add(requirement(term));
                } catch (IllegalArgumentException e) {
                    problems.add("'" + term.strip() + "': " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new LabelSelector(text.strip(), requirements);
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Splits at the commas outside parentheses. */
    private static List<String> terms(String text, List<String> problems) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(text.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(text.substring(start));
        if (depth != 0) {
            problems.add("unbalanced parentheses");
            return List.of();
        }
        return terms;
    }

    private static Requirement requirement(String term) {
        if (term.isBlank()) {
            throw new IllegalArgumentException("empty requirement (two commas in a row, or one at an end)");
        }
        Matcher m;
        if ((m = NOT_EXISTS.matcher(term)).matches()) {
            return new Requirement(key(m.group(1)), Operator.DOES_NOT_EXIST, Set.of());
        }
        if ((m = SET.matcher(term)).matches()) {
            Set<String> values = new TreeSet<>();
            for (String value : m.group(3).split(",", -1)) {
                values.add(value(value.strip()));
            }
            if (m.group(3).isBlank()) {
                throw new IllegalArgumentException("'" + m.group(2) + "' needs at least one value");
            }
            return new Requirement(key(m.group(1)), m.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values);
        }
        if ((m = EQUALITY.matcher(term)).matches()) {
            Operator operator = m.group(2).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
            return new Requirement(key(m.group(1)), operator, Set.of(value(m.group(3))));
        }
        if ((m = EXISTS.matcher(term)).matches()) {
            return new Requirement(key(m.group(1)), Operator.EXISTS, Set.of());
        }
        throw new IllegalArgumentException("not a requirement (expected key=value, key==value, key!=value, "
                + "key in (v1,v2), key notin (v1,v2), key or !key)");
    }

    /** A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    private static String key(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty()
                    || prefix.length() > 253
                    || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                throw new IllegalArgumentException("key prefix '" + prefix + "' is not a DNS subdomain "
                        + "(lower-case letters, digits, '-' and '.', at most 253 characters)");
            }
        }
        if (name.length() > 63 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("key name '" + name + "' is not a label name (at most 63 letters, "
                    + "digits, '-', '_' or '.', starting and ending with a letter or digit)");
        }
        return key;
    }

    private static String value(String value) {
        if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
            throw new IllegalArgumentException("value '" + value + "' is not a label value (empty, or at most 63 "
                    + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
        }
        return value;
    }
}
