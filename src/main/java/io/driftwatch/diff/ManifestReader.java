package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads manifests from a file or a directory (recursively, in path order, skipping hidden entries): YAML
 * ({@code .yaml}, {@code .yml}) and JSON ({@code .json}), multi-document, lists expanded ({@code kind: List} and every
 * typed list such as {@code ConfigMapList} or {@code RoleList}: a kind ending in {@code List} with an {@code items} array,
 * as kubectl and Argo CD accept them; lists inside lists too), empty documents skipped. An empty YAML value
 * ({@code metrics:}) is null, as for kubectl; a quoted {@code ""} stays an empty string. Objects without
 * {@code apiVersion}, {@code kind} or {@code metadata.name} are rejected naming the file, line, document number, and the
 * list and item index for list items; every such problem of a file is reported at once. A key given twice, a YAML
 * alias or merge key, and a manifest name that is not a regular file (a FIFO, a broken link) are errors too.
 */
public final class ManifestReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ManifestLimits limits;
    private final YAMLFactory yaml;
    private final JsonFactory json;

    private ManifestReader(ManifestLimits limits) {
        this.limits = limits;
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxDocumentBytes()))
                .maxNestingDepth(ManifestLimits.MAX_NESTING_DEPTH)
                .maxNumberLength(ManifestLimits.MAX_NUMBER_LENGTH)
                .build();
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML counts code points over the whole stream as Jackson reads it (not per document): a rendered chart
        // of many
        // small documents may exceed a per-document figure. Documents are bounded by the linear pre-scan instead.
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxTotalBytes()));
        options.setNestingDepthLimit(ManifestLimits.MAX_NESTING_DEPTH);
        // a key given twice is an error, as for kubectl (sigs.k8s.io/yaml), not "the last one wins"
        this.yaml = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build();
        this.json = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** Reads with the default {@link ManifestLimits}. */
    public static List<ObjectNode> read(Path fileOrDir) throws ManifestException {
        return read(fileOrDir, ManifestLimits.DEFAULT);
    }

    /** Reads within {@code limits}; input beyond them is an error naming the file and the limit, read no further. */
    public static List<ObjectNode> read(Path fileOrDir, ManifestLimits limits) throws ManifestException {
        if (!Files.exists(fileOrDir)) {
            throw new ManifestException(fileOrDir, 0, "no such file or directory");
        }
        ManifestReader reader = new ManifestReader(limits);
        if (!Files.isDirectory(fileOrDir)) {
            var problem = StrictParsing.unreadable(
                    fileOrDir, limits.maxTotalBytes(), limits.names().total());
            if (problem.isPresent()) {
                throw new ManifestException(fileOrDir, 0, problem.get());
            }
        }
        List<Path> files = Files.isDirectory(fileOrDir) ? manifestFiles(fileOrDir) : List.of(fileOrDir);
        reader.checkTotal(fileOrDir, files);
        List<ObjectNode> out = new ArrayList<>();
        for (Path file : files) {
            reader.readFile(file, out);
        }
        return out;
    }

    private void checkTotal(Path root, List<Path> files) throws ManifestException {
        long total = 0;
        for (Path file : files) {
            try {
                total += Files.size(file);
            } catch (IOException e) {
                throw new ManifestException(file, 0, "cannot read: " + e.getMessage(), e);
            }
        }
        if (total > limits.maxTotalBytes()) {
            throw new ManifestException(
                    root,
                    0,
                    total + " bytes of manifests exceed the limit of " + limits.maxTotalBytes() + " bytes ("
                            + limits.names().total() + ")");
        }
    }

    /**
     * The manifest files under {@code dir} (symbolic links to directories are not followed). A manifest name that is
     * not a regular file (a FIFO, a socket, a broken or looping link) is an error naming each such entry: reading it
     * would block, and skipping it would silently leave objects out.
     */
    private static List<Path> manifestFiles(Path dir) throws ManifestException {
        List<Path> manifests;
        try (Stream<Path> files = Files.walk(dir)) {
            manifests = files.filter(p -> !hidden(dir, p))
                    .filter(p -> {
                        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
                    })
                    .filter(p -> !Files.isDirectory(p))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ManifestException(dir, 0, "cannot list directory: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Path p : manifests) {
            if (!Files.isRegularFile(p)) {
                StrictParsing.unreadable(p, Long.MAX_VALUE, null).ifPresent(why -> problems.add(p + " " + why));
            }
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(dir, 0, String.join("; ", problems));
        }
        return manifests;
    }

    private static boolean hidden(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Measures each document (bytes between {@code ---} lines; a JSON file is one) in one linear pass before parsing:
     * SnakeYAML's own code point limit is checked only after work that grows with the square of a long scalar's length.
     */
    private void checkDocumentSizes(Path file, boolean json) throws ManifestException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long size = 0;
            int line = 1;
            int column = 0; // bytes since the line started, up to 4
            int marker = 0; // how many of "---" the line starts with
            for (int b = in.read(); b != -1; b = in.read()) {
                size++;
                if (b == '\n') {
                    line++;
                    column = 0;
                    marker = 0;
                    continue;
                }
                if (column < 3 && b == '-' && marker == column) {
                    marker++;
                    if (marker == 3 && !json) {
                        size = 0; // a new document starts on this line
                    }
                }
                column++;
                if (size > limits.maxDocumentBytes()) {
                    throw new ManifestException(
                            file,
                            line,
                            "a " + (json ? "JSON" : "YAML") + " document exceeds the " + "limit of "
                                    + limits.maxDocumentBytes() + " bytes ("
                                    + limits.names().document() + ")");
                }
            }
        } catch (IOException e) {
            throw new ManifestException(file, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    private void readFile(Path file, List<ObjectNode> out) throws ManifestException {
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        checkDocumentSizes(file, json);
        List<String> problems = new ArrayList<>();
        int firstProblemLine = 0;
        try (JsonParser parser = StrictParsing.refusingAliases((json ? this.json : yaml).createParser(file.toFile()))) {
            int document = 0;
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    break;
                }
                document++;
                if (out.size() >= limits.maxDocuments()) {
                    throw new ManifestException(
                            file,
                            parser.currentTokenLocation().getLineNr(),
                            "more than " + limits.maxDocuments() + " objects ("
                                    + limits.names().documents() + ")");
                }
                int line = parser.currentTokenLocation().getLineNr();
                JsonNode node = MAPPER.readTree(parser);
                if (node == null
                        || node.isNull()
                        || node.isMissingNode()
                        || (node.isTextual() && node.textValue().isEmpty())) {
                    continue;
                }
                List<String> found = new ArrayList<>();
                if (node instanceof ObjectNode object) {
                    flatten(object, "document " + document, out, found);
                } else {
                    found.add("document " + document + " is not a mapping");
                }
                if (!found.isEmpty()) {
                    if (problems.isEmpty()) {
                        firstProblemLine = line;
                        problems.addAll(found);
                    } else {
                        found.forEach(f -> problems.add(f + " (line " + line + ")"));
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new ManifestException(
                    file,
                    StrictParsing.line(e),
                    limits.explain(e.getOriginalMessage())
                            .orElse("cannot parse " + (json ? "JSON" : "YAML") + ": " + StrictParsing.describe(e)),
                    e);
        } catch (IOException e) {
            throw new ManifestException(file, 0, "cannot read: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(file, firstProblemLine, String.join("; ", problems));
        }
    }

    /** A list as kubectl reads it: a kind ending in {@code List} ({@code List}, {@code ConfigMapList}, ...) with items. */
    public static boolean isList(JsonNode object) {
        if (!object.path("kind").asText("").endsWith("List")) {
            return false;
        }
        JsonNode items = object.path("items");
        return items.isArray()
                || (items.isNull() || items.isMissingNode())
                        && !object.path("metadata").has("name");
    }

    /**
     * Adds {@code object}, or the items of a list (recursively), to {@code out}; adds to {@code problems} what is wrong
     * with each object that cannot be one, named from {@code where} ("document 1"), e.g.
     * "document 1 (RoleList) item 2 lacks metadata.name".
     */
    public static void flatten(ObjectNode object, String where, List<ObjectNode> out, List<String> problems) {
        if (!isList(object)) {
            List<String> missing = missingFields(object);
            if (missing.isEmpty()) {
                out.add(object);
            } else {
                problems.add(where + " lacks " + String.join(", ", missing));
            }
            return;
        }
        String list = where + " (" + object.path("kind").asText() + ")";
        int item = 0;
        for (JsonNode element : object.path("items")) {
            item++;
            String at = list + " item " + item;
            if (element instanceof ObjectNode o) {
                flatten(o, at, out, problems);
            } else if (element != null && !element.isNull()) {
                problems.add(at + " is not a mapping");
            }
        }
    }

    private static List<String> missingFields(ObjectNode object) {
        List<String> missing = new ArrayList<>();
        if (object.path("apiVersion").asText("").isEmpty()) {
            missing.add("apiVersion");
        }
        if (object.path("kind").asText("").isEmpty()) {
            missing.add("kind");
        }
        if (!object.path("metadata").path("name").isTextual()
                || object.path("metadata").path("name").asText().isEmpty()) {
            missing.add("metadata.name");
        }
        return missing;
    }
}
