package io.driftwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's OpenAPI v3 documents kept on disk between one-shot runs, as kubectl keeps its own: the server names
 * each document with a hash of its content ({@code /openapi/v3/api/v1?hash=...}), so a kept document is current
 * exactly as long as its name is still listed. Documents are kept, and used, pruned to what list schemas are read
 * from: {@code components.schemas} without descriptions, about 110 KB of the core group's 1.6 MB. A document named
 * without a hash is never kept; a file that cannot be read or written is fetched again: nothing fails for the cache.
 */
public final class OpenApiCache {

    private static final Logger LOG = LoggerFactory.getLogger(OpenApiCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HASH = Pattern.compile("[?&]hash=([0-9A-Fa-f]{16,})");
    /** Objects whose keys are names (of properties, of schemas), not schema keywords. */
    private static final Set<String> NAMED = Set.of("properties", "patternProperties", "schemas");

    private final Path dir;

    public OpenApiCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $XDG_CACHE_HOME/driftwatch/openapi}, else {@code ~/.cache/driftwatch/openapi}. */
    public static OpenApiCache inUserCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new OpenApiCache(base.resolve("driftwatch").resolve("openapi"));
    }

    /** Whether the server names this document with a hash of its content: same URL, same document. */
    static boolean hashed(String url) {
        return HASH.matcher(url).find();
    }

    /** The pruned document at {@code url}: kept, else fetched and kept. */
    JsonNode document(String url, Function<String, JsonNode> fetch) {
        if (!hashed(url)) {
            return pruned(fetch.apply(url));
        }
        Path file = dir.resolve(sha256(url) + ".json");
        if (Files.isRegularFile(file)) {
            try {
                JsonNode kept = JSON.readTree(file.toFile());
                if (kept != null && kept.path("components").path("schemas").isObject()) {
                    return kept;
                }
                LOG.debug("kept OpenAPI document {} holds no schemas; fetching it again", file);
            } catch (IOException e) {
                LOG.debug("kept OpenAPI document {} cannot be read ({}); fetching it again", file, e.getMessage());
            }
        }
        JsonNode document = pruned(fetch.apply(url));
        try {
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, "openapi-", ".tmp");
            JSON.writeValue(temporary.toFile(), document);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot keep the OpenAPI document of {} in {}: {}", url, dir, e.getMessage());
        }
        return document;
    }

    /** {@code components.schemas} without descriptions (a property named description stays). */
    static JsonNode pruned(JsonNode document) {
        ObjectNode out = JSON.createObjectNode();
        JsonNode schemas = document.path("components").path("schemas").deepCopy();
        if (schemas.isObject()) {
            out.putObject("components").set("schemas", withoutDescriptions(schemas, true));
        }
        return out;
    }

    private static JsonNode withoutDescriptions(JsonNode node, boolean keysAreNames) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!keysAreNames && field.getKey().equals("description")) {
                    fields.remove();
                } else {
                    withoutDescriptions(field.getValue(), !keysAreNames && NAMED.contains(field.getKey()));
                }
            }
        } else if (node.isArray()) {
            node.forEach(item -> withoutDescriptions(item, false));
        }
        return node;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
