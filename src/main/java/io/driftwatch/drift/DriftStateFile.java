package io.driftwatch.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ObjectKey;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small JSON file with the onset of every open drift, so a restarted agent keeps onsets it cannot derive from the
 * live objects (missing objects), and every kind each app has ever had ("group/Kind"), so a restarted agent still
 * looks for the objects of a kind Git has dropped since. Written atomically (temp file + rename); a corrupt file is
 * reported and ignored. Blocking: call it on a worker thread.
 */
public final class DriftStateFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public DriftStateFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public void save(Collection<DriftRecord> open, Map<String, ? extends Collection<String>> appKinds)
            throws IOException {
        ArrayNode drifts = JSON.createArrayNode();
        for (DriftRecord r : open) {
            ObjectNode d = drifts.addObject();
            d.put("group", r.key().group())
                    .put("kind", r.key().kind())
                    .put("namespace", r.key().namespace())
                    .put("name", r.key().name())
                    .put("id", r.id())
                    .put("onset", r.onset().toString());
        }
        ObjectNode root = JSON.createObjectNode().put("version", 1);
        root.set("openDrifts", drifts);
        ObjectNode kinds = root.putObject("appKinds");
        new TreeMap<>(appKinds)
                .forEach((app, groupKinds) -> groupKinds.stream().sorted().forEach(kinds.withArray(app)::add));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".driftwatch-state", ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The remembered kinds per app ("group/Kind"); empty when there is no file yet or it predates them. */
    public Map<String, Set<String>> loadAppKinds() throws IOException {
        Map<String, Set<String>> kinds = new TreeMap<>();
        if (!Files.exists(file)) {
            return kinds;
        }
        JsonNode root = JSON.readTree(file.toFile());
        for (var app : (Iterable<Map.Entry<String, JsonNode>>) root.path("appKinds")::fields) {
            Set<String> groupKinds = new TreeSet<>();
            for (JsonNode groupKind : app.getValue()) {
                if (!groupKind.isTextual() || !groupKind.asText().contains("/")) {
                    throw new IOException(file + ": bad kind " + groupKind + " of app " + app.getKey()
                            + " (expected \"group/Kind\")");
                }
                groupKinds.add(groupKind.asText());
            }
            kinds.put(app.getKey(), groupKinds);
        }
        return kinds;
    }

    /** The remembered onsets; empty when there is no file yet. */
    public Map<ObjectKey, Instant> load() throws IOException {
        Map<ObjectKey, Instant> onsets = new HashMap<>();
        if (!Files.exists(file)) {
            return onsets;
        }
        JsonNode root = JSON.readTree(file.toFile());
        for (JsonNode d : root.path("openDrifts")) {
            try {
                onsets.put(
                        new ObjectKey(
                                d.path("group").asText(),
                                d.path("kind").asText(),
                                d.path("namespace").asText(),
                                d.path("name").asText()),
                        Instant.parse(d.path("onset").asText()));
            } catch (RuntimeException e) {
                throw new IOException(file + ": bad entry " + d + ": " + e.getMessage(), e);
            }
        }
        return onsets;
    }
}
