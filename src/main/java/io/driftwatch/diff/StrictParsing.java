package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * What every reader of YAML or JSON that a person or a peer wrote (manifests, configuration files, request bodies)
 * shares: files that cannot be read without blocking or exhausting memory are refused before they are opened, YAML
 * aliases and merge keys are refused (Jackson would read {@code *name} as the string {@code name}: a silently wrong
 * value), and a parser's failure is said in the input's terms, without Java class or option names.
 */
public final class StrictParsing {

    private static final Pattern LIMIT = Pattern.compile("maximum allowed \\((\\d+)");
    private static final Pattern CLASS_PREFIX = Pattern.compile("\\b(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): ");
    private static final Pattern HINT = Pattern.compile(":? *(?:\\(?enable|\\(from|\\(set|; use|to allow) `[^`]*`.*$");
    private static final Pattern UTF8_POSITION = Pattern.compile(" \\(at char #\\d+, byte #-?\\d+\\)");

    private StrictParsing() {}

    /**
     * Why {@code file} cannot be read as an input of at most {@code maxBytes}: missing, a directory, a FIFO or device
     * (reading would block), a broken or looping symbolic link, unreadable, or too large; empty when it can be read.
     */
    public static Optional<String> unreadable(Path file, long maxBytes, String limitName) {
        if (Files.isDirectory(file)) {
            return Optional.of("is a directory, not a file");
        }
        if (!Files.exists(file)) {
            return Optional.of(
                    Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                            ? "is a symbolic link that leads nowhere (broken, or a loop)"
                            : "does not exist");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("is not a regular file (a FIFO, socket or device would block or never end)");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("is not readable");
        }
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                return Optional.of("has " + size + " bytes, more than the limit of " + maxBytes + " bytes"
                        + (limitName == null ? "" : " (" + limitName + ")"));
            }
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** {@code parser}, refusing YAML aliases and merge keys with a parse error naming them (JSON passes through). */
    public static JsonParser refusingAliases(JsonParser parser) {
        return parser instanceof YAMLParser ? new NoAliases(parser) : parser;
    }

    /** A parser's failure in the input's terms: what is wrong, no Java class names, no parser option names. */
    public static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            String problem = marked.getProblem().strip() + at(marked.getProblemMark());
            return marked.getContext() == null
                    ? problem
                    : marked.getContext().strip() + at(marked.getContextMark()) + ": " + problem;
        }
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            Matcher limit = LIMIT.matcher(message);
            String max = limit.find() ? limit.group(1) : "the allowed";
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("nesting depth")) {
                return "nested deeper than " + max + " levels";
            }
            if (lower.contains("number value length")) {
                return "a number longer than " + max + " digits";
            }
            if (lower.contains("string value length")) {
                return "a string longer than " + max + " characters";
            }
            if (lower.contains("name length")) {
                return "a key longer than " + max + " characters";
            }
        }
        String cleaned = CLASS_PREFIX.matcher(message).replaceAll("");
        cleaned = UTF8_POSITION.matcher(cleaned).replaceAll("");
        if (cleaned.startsWith("Invalid UTF-8") || cleaned.contains("Invalid UTF-8")) {
            return "not valid UTF-8 ("
                    + cleaned.substring(cleaned.indexOf("Invalid UTF-8"))
                            .replace("Invalid UTF-8 ", "")
                            .trim() + ")";
        }
        if (cleaned.startsWith("Duplicate field ")) {
            return "duplicate key " + cleaned.substring("Duplicate field ".length());
        }
        StringBuilder out = new StringBuilder();
        for (String line : cleaned.split("\n")) {
            // SnakeYAML appends where (" in 'reader', line 4, column 1:") and the line itself: the caller says where
            if (line.startsWith(" in '") || line.startsWith("in '")) {
                break;
            }
            if (!line.isBlank()) {
                out.append(out.length() == 0 ? "" : ": ").append(line.strip());
            }
        }
        return HINT.matcher(out.toString()).replaceAll("").strip();
    }

    /**
     * The 1-based line a parser's failure is at, 0 when unknown: SnakeYAML's mark of the problem; when the problem is
     * the end of the input (an unclosed {@code [}), the line where the unfinished construct began.
     */
    public static int line(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            boolean atEnd = marked.getProblem() != null && marked.getProblem().contains("<stream end>");
            Mark at = atEnd && marked.getContextMark() != null ? marked.getContextMark() : marked.getProblemMark();
            return at.getLine() + 1;
        }
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static String at(Mark mark) {
        return mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }

    /** Every way a tree is read from it goes through {@link #nextToken()}: {@code nextFieldName} and the like call it. */
    private static final class NoAliases extends JsonParserDelegate {

        NoAliases(JsonParser yaml) {
            super(yaml);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = delegate.nextToken();
            YAMLParser yaml = (YAMLParser) delegate;
            if (yaml.isCurrentAlias()) {
                throw new JsonParseException(
                        this,
                        "YAML alias *" + yaml.getText() + " is not supported (write the "
                                + "value out; aliases are also how a billion-laughs input multiplies)");
            }
            if (token == JsonToken.FIELD_NAME && "<<".equals(yaml.currentName())) {
                throw new JsonParseException(this, "YAML merge key << is not supported (write the keys out)");
            }
            return token;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken token = nextToken();
            return token == JsonToken.FIELD_NAME ? nextToken() : token;
        }
    }
}
