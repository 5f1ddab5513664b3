package io.driftwatch.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Main code names classes by their imports, not inline ({@code java.util.concurrent.TimeUnit.SECONDS} in a method):
 * imports, package lines, comments, javadoc and string literals are not code. A qualified name is allowed only where
 * its simple name is taken in that file by another type (imported, declared there, or another qualified name).
 */
class InlineQualifiedNamesTest {

    private static final Path MAIN = Path.of("src/main/java");
    /** Two or more lower-case package segments, then a type: {@code java.util.Locale}, {@code io.driftwatch.x.Y}. */
    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.$])[a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*");

    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+(static\\s+)?([\\w.]+)\\s*;");
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");

    @Test
    void mainCodeNamesNoClassInlineByItsQualifiedName() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                inlineNames(Files.readString(file)).forEach(at -> found.add(MAIN.relativize(file) + ":" + at));
            }
        }
        assertThat(found)
                .as("inline fully-qualified class names in main code (import them instead)")
                .isEmpty();
    }

    @Test
    void findsAnInlineNameAndIgnoresImportsCommentsAndStrings() {
        String source = """
                package io.driftwatch.x;

                import java.util.List;

                /** See {@link java.util.concurrent.TimeUnit}. */
                final class Sample {
                    // java.time.Instant in a comment
                    String s = "java.time.Duration in a string";
                    String t = \"""
                        io.driftwatch.diff.Drift in a text block
                        \""";
                    long ms = java.util.concurrent.TimeUnit.SECONDS.toMillis(1);
                    List<io.driftwatch.diff.ObjectKey> keys = List.of();
                    Object o = this.config.value();
                }
                """;

        assertThat(inlineNames(source))
                .containsExactly("12: java.util.concurrent.TimeUnit", "13: io.driftwatch.diff.ObjectKey");
    }

    @Test
    void allowsAQualifiedNameWhoseSimpleNameIsTakenInTheFile() {
        String source = """
                package io.driftwatch.x;

                import org.slf4j.Logger;

                final class Sample {
                    record Limits(int max) {
                        io.driftwatch.diff.Limits toLimits() { return null; }
                    }
                    Object root = (ch.qos.logback.classic.Logger) null;
                    Logger log;
                }
                """;

        assertThat(inlineNames(source)).isEmpty();
    }

    /** Each inline qualified name as "line: name". */
    static List<String> inlineNames(String source) {
        String code = blankCommentsAndStrings(source);
        Map<String, String> imported = new HashMap<>();
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) {
            if (imports.group(1) == null) {
                imported.put(simpleName(imports.group(2)), imports.group(2));
            }
        }
        Set<String> declared = new HashSet<>();
        Matcher declarations = DECLARED.matcher(code);
        while (declarations.find()) {
            declared.add(declarations.group(1));
        }
        Map<String, Set<String>> qualifiedBySimpleName = new HashMap<>();
        List<String> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("import ") || line.startsWith("package ")) {
                continue;
            }
            Matcher m = QUALIFIED.matcher(lines[i]);
            while (m.find()) {
                found.add((i + 1) + ": " + m.group());
                names.add(m.group());
                qualifiedBySimpleName
                        .computeIfAbsent(simpleName(m.group()), k -> new HashSet<>())
                        .add(m.group());
            }
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            String name = names.get(i);
            String simple = simpleName(name);
            boolean taken = declared.contains(simple)
                    || (imported.containsKey(simple) && !imported.get(simple).equals(name))
                    || qualifiedBySimpleName.get(simple).size() > 1;
            if (!taken) {
                result.add(found.get(i));
            }
        }
        return result;
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    /** The source with comments, string, text-block and character literals blanked out; lines stay where they are. */
    static String blankCommentsAndStrings(String s) {
        char[] out = s.toCharArray();
        int i = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            if (s.startsWith("//", i)) {
                i = s.indexOf('\n', i);
                i = i < 0 ? n : i;
            } else if (s.startsWith("/*", i)) {
                i = s.indexOf("*/", i + 2);
                i = i < 0 ? n : i + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                i = endOfLiteral(s, i + 3, "\"\"\"");
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                i = endOfLiteral(s, i + 1, String.valueOf(s.charAt(i)));
            } else {
                i++;
                continue;
            }
            for (int k = start; k < i; k++) {
                if (out[k] != '\n') {
                    out[k] = ' ';
                }
            }
        }
        return new String(out);
    }

    private static int endOfLiteral(String s, int from, String close) {
        int i = from;
        while (i < s.length() && !s.startsWith(close, i)) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(s.length(), i + close.length());
    }
}
