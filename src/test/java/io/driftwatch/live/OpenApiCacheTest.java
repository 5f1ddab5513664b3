package io.driftwatch.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.diff.ListSchema;
import io.driftwatch.diff.OpenApiListSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "/openapi/v3/apis/apps/v1?hash=E6837BF046F7D2603C949276F19DA205";
    private static final List<String> CONTAINERS = List.of("spec", "template", "spec", "containers");

    @TempDir
    Path dir;

    private final AtomicInteger fetches = new AtomicInteger();

    private JsonNode fetch(String url) {
        fetches.incrementAndGet();
        try (InputStream in = getClass().getResourceAsStream("/diff/openapi-apps-v1.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void prunedDocumentGivesTheSameListTypesAndFormatsAndIsSmaller() throws IOException {
        JsonNode full = fetch(URL);
        JsonNode pruned = OpenApiCache.pruned(full.deepCopy());

        ListSchema a = OpenApiListSchema.fromOpenApiV3(full);
        ListSchema b = OpenApiListSchema.fromOpenApiV3(pruned);
        for (List<String> path : List.of(
                CONTAINERS,
                List.of("spec", "template", "spec", "containers", "ports"),
                List.of("spec", "template", "spec", "containers", "env"),
                List.of("spec", "template", "spec", "tolerations"),
                List.of("metadata", "finalizers"))) {
            assertThat(b.listType("apps", "Deployment", path)).isEqualTo(a.listType("apps", "Deployment", path));
        }
        List<String> memory = List.of("spec", "template", "spec", "containers", "resources", "limits", "memory");
        assertThat(b.format("apps", "Deployment", memory)).isEqualTo(a.format("apps", "Deployment", memory));
        assertThat(b.listType("apps", "Deployment", CONTAINERS)).isPresent();
        assertThat(JSON.writeValueAsString(pruned).length())
                .isLessThan(JSON.writeValueAsString(full).length());
        assertThat(pruned.toString()).doesNotContain("\"description\":\"");
    }

    @Test
    void aPropertyNamedDescriptionIsKept() throws IOException {
        JsonNode doc = JSON.readTree("{\"components\":{\"schemas\":{\"x.Thing\":{\"description\":\"a thing\","
                + "\"properties\":{\"description\":{\"type\":\"string\",\"description\":\"its text\"}}}}}}");

        JsonNode pruned = OpenApiCache.pruned(doc);

        assertThat(pruned.toString())
                .isEqualTo("{\"components\":{\"schemas\":{\"x.Thing\":{\"properties\":{\"description\":"
                        + "{\"type\":\"string\"}}}}}}");
    }

    @Test
    void aDocumentNamedByItsHashIsFetchedOnceThenReadFromDisk() {
        OpenApiCache cache = new OpenApiCache(dir.resolve("openapi"));

        JsonNode first = cache.document(URL, this::fetch);
        JsonNode second = new OpenApiCache(dir.resolve("openapi")).document(URL, this::fetch);

        assertThat(fetches).hasValue(1);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aDocumentWithoutHashIsNeverKeptAndABrokenFileIsFetchedAgain() throws IOException {
        OpenApiCache cache = new OpenApiCache(dir);
        cache.document("/openapi/v3/apis/apps/v1", this::fetch);
        cache.document("/openapi/v3/apis/apps/v1", this::fetch);
        assertThat(fetches).hasValue(2);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }

        cache.document(URL, this::fetch);
        try (var files = Files.list(dir)) {
            Files.writeString(files.findFirst().orElseThrow(), "{not json");
        }
        JsonNode again = cache.document(URL, this::fetch);

        assertThat(fetches).hasValue(4);
        assertThat(again.path("components").path("schemas").size()).isPositive();
    }
}
