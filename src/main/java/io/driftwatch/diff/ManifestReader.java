package io.driftwatch.diff;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads manifests from a file or a directory (recursively, in path order, skipping hidden entries): YAML
 * ({@code .yaml}, {@code .yml}) and JSON ({@code .json}), multi-document, lists expanded ({@code kind: List} and every
 * typed list such as {@code ConfigMapList} or {@code RoleList}: a kind ending in {@code List} with an {@code items} array,
 * as kubectl and Argo CD accept them; lists inside lists too), empty documents skipped. An empty YAML value
 * ({@code metrics:}) is null, as for kubectl; a quoted {@code ""} stays an empty string. Objects without
 * {@code apiVersion}, {@code kind} or {@code metadata.name} are rejected naming the file, line, document number, and the
 * list and item index for list items; every such problem of a file is reported at once.
 */
public final class ManifestReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Rendered manifests can be large (a Helm chart's or a whole cluster's output in one stream); SnakeYAML's default
     * 3 MB limit per stream would reject them, so allow up to 256 MB — memory, not an arbitrary cap, is the limit.
     */
    static final int MAX_YAML_CODE_POINTS = 256 << 20;

    private static final YAMLFactory YAML = YAMLFactory.builder().loaderOptions(loaderOptions())
            .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit(MAX_YAML_CODE_POINTS);
        return options;
    }
    private static final JsonFactory JSON = new JsonFactory();

    private ManifestReader() {
    }

    public static List<ObjectNode> read(Path fileOrDir) throws ManifestException {
        if (!Files.exists(fileOrDir)) {
            throw new ManifestException(fileOrDir, 0, "no such file or directory");
        }
        List<ObjectNode> out = new ArrayList<>();
        if (Files.isDirectory(fileOrDir)) {
            for (Path file : manifestFiles(fileOrDir)) {
                readFile(file, out);
            }
        } else {
            readFile(fileOrDir, out);
        }
        return out;
    }

    private static List<Path> manifestFiles(Path dir) throws ManifestException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !hidden(dir, p))
                    .filter(p -> {
                        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ManifestException(dir, 0, "cannot list directory: " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static void readFile(Path file, List<ObjectNode> out) throws ManifestException {
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        List<String> problems = new ArrayList<>();
        int firstProblemLine = 0;
        try (JsonParser parser = (json ? JSON : YAML).createParser(file.toFile())) {
            int document = 0;
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    break;
                }
                document++;
                int line = parser.currentTokenLocation().getLineNr();
                JsonNode node = MAPPER.readTree(parser);
                if (node == null || node.isNull() || node.isMissingNode()
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
            JsonLocation loc = e.getLocation();
            throw new ManifestException(file, loc == null ? 0 : loc.getLineNr(),
                    "cannot parse " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
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
        return items.isArray() || (items.isNull() || items.isMissingNode()) && !object.path("metadata").has("name");
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
        if (!object.path("metadata").path("name").isTextual() || object.path("metadata").path("name").asText().isEmpty()) {
            missing.add("metadata.name");
        }
        return missing;
    }
}
