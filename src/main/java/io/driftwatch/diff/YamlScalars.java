package io.driftwatch.diff;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * YAML output that keeps strings strings: with minimal quoting, a string that a YAML 1.1 or 1.2 reader would take for
 * a number, boolean, null, timestamp or merge key ({@code "1800"}, {@code "0x1F"}, {@code "1e3"}, {@code "12:30"},
 * {@code ".inf"}, {@code "2024-01-02"}, {@code "yes"}, {@code "~"}) is written quoted, as kubectl's and Argo CD's YAML
 * writes it, so {@code "1800"} and {@code 1800} read differently in a diff.
 */
final class YamlScalars extends StringQuotingChecker.Default {

    private static final long serialVersionUID = 1L;

    /** Plain scalars that YAML 1.1 (go-yaml v2, SnakeYAML) or the 1.2 core schema resolve to a type other than string. */
    private static final Pattern NOT_A_STRING = Pattern.compile(String.join(
            "|",
            // integers: binary, octal (1.1 0-prefixed, 1.2 0o), decimal with _ separators, hex, sexagesimal
            "[-+]?0b[01_]+",
            "[-+]?0[0-7_]+",
            "0o[0-7]+",
            "[-+]?(0|[1-9][0-9_]*)",
            "[-+]?0x[0-9a-fA-F_]+",
            "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
            // floats: 1.1 and 1.2 forms, sexagesimal, infinities, not-a-number
            "[-+]?(?=\\.?[0-9])([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?",
            "[-+]?[0-9][0-9_]*([eE][-+]?[0-9]+)",
            "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*",
            "[-+]?\\.(inf|Inf|INF)",
            "\\.(nan|NaN|NAN)",
            // timestamps
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
                    + "(([Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?([ \\t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?",
            // merge key and value key
            "<<",
            "="));

    private static final YamlScalars INSTANCE = new YamlScalars();

    private YamlScalars() {}

    /** A YAML factory builder with minimal quoting that still quotes every string that would read as another type. */
    static YAMLFactoryBuilder minimalQuoting() {
        return YAMLFactory.builder()
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .stringQuotingChecker(INSTANCE);
    }

    /** True when {@code value}, written as a plain scalar, would be read back as something other than this string. */
    static boolean readsAsAnotherType(String value) {
        return NOT_A_STRING.matcher(value).matches();
    }

    @Override
    public boolean needToQuoteValue(String value) {
        return super.needToQuoteValue(value) || readsAsAnotherType(value);
    }

    @Override
    public boolean needToQuoteName(String name) {
        return super.needToQuoteName(name) || readsAsAnotherType(name);
    }
}
