package io.driftwatch.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds a configuration tree to its record type, collecting every unknown key, wrong type and bad value instead of
 * stopping at the first: each binding failure is described by its path in the file, the offending node is removed from
 * the tree (so its default applies) and binding is tried again. Messages speak YAML (a mapping, a list, a duration),
 * never Java class names.
 */
final class ConfigBinding<T> {

    /** More problems than this in one file is not a file worth reading further. */
    private static final int MAX_PROBLEMS = 200;

    private final List<String> problems = new ArrayList<>();
    private final List<String> removedPaths = new ArrayList<>();
    private T value;

    private ConfigBinding() {}

    /** Binds {@code tree} (modified: bad nodes are removed); the value is null only if the root itself is unusable. */
    static <T> ConfigBinding<T> bind(ObjectMapper mapper, ObjectNode tree, Class<T> type) {
        ConfigBinding<T> binding = new ConfigBinding<>();
        while (binding.problems.size() < MAX_PROBLEMS) {
            try {
                binding.value = mapper.treeToValue(tree, type);
                return binding;
            } catch (JsonMappingException e) {
                String path = path(e.getPath());
                binding.problems.add((path.isEmpty() ? "" : path + ": ") + message(e, tree));
                if (path.isEmpty() || !remove(tree, e.getPath())) {
                    return binding;
                }
                binding.removedPaths.add(path);
            } catch (JsonProcessingException e) {
                binding.problems.add(e.getOriginalMessage());
                return binding;
            }
        }
        binding.problems.add("(more problems not listed)");
        return binding;
    }

    T value() {
        return value;
    }

    List<String> problems() {
        return problems;
    }

    /**
     * Whether a validation problem is about a setting already reported (and removed) while binding, so the default
     * that took its place is not reported again as missing or wrong.
     */
    boolean alreadyReported(String problem) {
        return removedPaths.stream()
                .anyMatch(
                        p -> problem.startsWith(p + ":") || problem.startsWith(p + ".") || problem.startsWith(p + "["));
    }

    /** Problems of a setting that names a file the process must read: absent, a directory, or unreadable. */
    /** A listener's TLS PEM pair: both or neither, each readable; problems named under {@code prefix}. */
    static void tlsPair(String prefix, Path certFile, Path keyFile, List<String> problems) {
        if ((certFile == null) != (keyFile == null)) {
            problems.add(prefix + "tlsCertFile, " + prefix + "tlsKeyFile: set both (PEM) or neither");
        }
        for (Path pem : new Path[] {certFile, keyFile}) {
            if (pem != null && unreadableFile(pem) != null) {
                problems.add(
                        prefix.isEmpty()
                                ? unreadableFile(pem)
                                : prefix.substring(0, prefix.length() - 1) + ": " + unreadableFile(pem));
            }
        }
    }

    static String unreadableFile(Path file) {
        if (Files.isDirectory(file)) {
            return file + " is a directory, not a file";
        }
        return Files.isReadable(file) ? null : file + " does not exist or is not readable";
    }

    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static boolean remove(JsonNode root, List<JsonMappingException.Reference> refs) {
        JsonNode parent = root;
        for (int i = 0; i < refs.size() - 1; i++) {
            parent = step(parent, refs.get(i));
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = refs.get(refs.size() - 1);
        if (last.getFieldName() != null && parent instanceof ObjectNode o && o.has(last.getFieldName())) {
            o.remove(last.getFieldName());
            return true;
        }
        if (last.getIndex() >= 0 && parent instanceof ArrayNode a && last.getIndex() < a.size()) {
            a.remove(last.getIndex());
            return true;
        }
        return false;
    }

    private static JsonNode step(JsonNode node, JsonMappingException.Reference ref) {
        JsonNode next = ref.getFieldName() != null
                ? node.get(ref.getFieldName())
                : ref.getIndex() >= 0 ? node.get(ref.getIndex()) : null;
        return next == null || next.isMissingNode() ? null : next;
    }

    private static String message(JsonMappingException e, JsonNode tree) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown setting (known: "
                    + u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .reduce((a, b) -> a + ", " + b)
                            .orElse("none")
                    + ")";
        }
        if (e instanceof InvalidFormatException f) {
            return shown(f.getValue()) + " is not " + expected(f.getTargetType());
        }
        if (e instanceof InvalidNullException) {
            return "must not be empty (null)";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            JsonNode node = at(tree, e.getPath());
            return "expected " + expected(m.getTargetType()) + (node == null ? "" : ", got " + kind(node));
        }
        if (e instanceof ValueInstantiationException
                && e.getCause() != null
                && e.getCause().getMessage() != null) {
            return e.getCause().getMessage();
        }
        return withoutClassNames(e.getOriginalMessage());
    }

    private static JsonNode at(JsonNode root, List<JsonMappingException.Reference> refs) {
        JsonNode node = root;
        for (JsonMappingException.Reference ref : refs) {
            node = node == null ? null : step(node, ref);
        }
        return node;
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        return "\"" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "\"";
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "nothing (null)";
        }
        return node.isTextual() ? shown(node.asText()) : node.asText();
    }

    /** What a setting of this Java type looks like in YAML. */
    static String expected(Class<?> type) {
        if (type == int.class
                || type == Integer.class
                || type == long.class
                || type == Long.class
                || type == short.class
                || type == Short.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Duration.class) {
            return "a duration (e.g. 30s, 10m, 1h30m)";
        }
        if (Path.class.isAssignableFrom(type)) {
            return "a file path";
        }
        if (type.isEnum()) {
            return "one of "
                    + String.join(
                            ", ",
                            Arrays.stream(type.getEnumConstants())
                                    .map(Object::toString)
                                    .toList());
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "a mapping" : "a value";
    }

    /** Jackson's fallback messages name types in backticks ({@code `java.lang.String`}); say them in YAML terms. */
    static String withoutClassNames(String message) {
        Matcher m = Pattern.compile("`([\\w.$]+)(<[^`]*>)?`").matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            try {
                replacement = expected(primitiveOr(name));
            } catch (ClassNotFoundException e) {
                replacement = "a value";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString().lines().findFirst().orElse("");
    }

    private static Class<?> primitiveOr(String name) throws ClassNotFoundException {
        return switch (name) {
            case "int" -> int.class;
            case "long" -> long.class;
            case "boolean" -> boolean.class;
            case "double" -> double.class;
            default -> Class.forName(name, false, ConfigBinding.class.getClassLoader());
        };
    }
}
