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
 * ({@code .yaml}, {@code .yml}) and JSON ({@code .json}), multi-document, {@code kind: List} expanded, empty documents
 * skipped. Documents without {@code apiVersion}, {@code kind} or {@code metadata.name} are rejected naming the file,
 * line and document number.
 */
public final class ManifestReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Rendered manifests can be large (a Helm chart's or a whole cluster's output in one stream); SnakeYAML's default
     * 3 MB limit per stream would reject them, so allow up to 256 MB — memory, not an arbitrary cap, is the limit.
     */
    static final int MAX_YAML_CODE_POINTS = 256 << 20;

    private static final YAMLFactory YAML = YAMLFactory.builder().loaderOptions(loaderOptions()).build();

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
                if (!(node instanceof ObjectNode object)) {
                    throw new ManifestException(file, line, "document " + document + " is not a mapping");
                }
                if ("List".equals(object.path("kind").asText()) && object.path("items").isArray()) {
                    int item = 0;
                    for (JsonNode element : object.get("items")) {
                        item++;
                        String where = "document " + document + " item " + item;
                        if (!(element instanceof ObjectNode o)) {
                            throw new ManifestException(file, line, where + " is not a mapping");
                        }
                        out.add(validate(o, file, line, where));
                    }
                } else {
                    out.add(validate(object, file, line, "document " + document));
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new ManifestException(file, loc == null ? 0 : loc.getLineNr(),
                    "cannot parse " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ManifestException(file, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    private static ObjectNode validate(ObjectNode object, Path file, int line, String where) throws ManifestException {
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
        if (!missing.isEmpty()) {
            throw new ManifestException(file, line, where + " lacks " + String.join(", ", missing));
        }
        return object;
    }
}
