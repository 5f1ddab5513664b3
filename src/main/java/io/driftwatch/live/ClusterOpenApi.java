package io.driftwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.ListSchema;
import io.driftwatch.diff.OpenApiListSchema;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * List keys, list types and quantity formats from the API server's own OpenAPI v3 documents (CRDs included), with the
 * built-in table for core kinds as the fallback. Only the group-versions in use are fetched. Blocking.
 */
public final class ClusterOpenApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterOpenApi() {}

    /** A schema for the given api versions ({@code v1}, {@code apps/v1}, ...); unknown ones fall back to the table. */
    public static ListSchema load(KubernetesClient client, Collection<String> apiVersions) {
        return load(client, apiVersions, (OpenApiCache) null);
    }

    /** As {@link #load(KubernetesClient, Collection)}, the documents kept between runs in {@code cache} (null: none). */
    public static ListSchema load(KubernetesClient client, Collection<String> apiVersions, OpenApiCache cache) {
        List<String> urls = urls(read(client, "/openapi/v3"), apiVersions);
        // fetched and parsed a few at a time (the core group's document alone is over a megabyte)
        return composite(BoundedParallel.map(
                urls,
                url -> OpenApiListSchema.fromOpenApiV3(
                        cache == null ? read(client, url) : cache.document(url, u -> read(client, u)))));
    }

    /**
     * As {@link #load(KubernetesClient, Collection)}, each document's schema kept in {@code memo} for the next call
     * (the agent's: it asks again whenever its apps' group-versions change).
     */
    public static ListSchema load(KubernetesClient client, Collection<String> apiVersions, ListSchemaMemo memo) {
        JsonNode index = read(client, "/openapi/v3");
        List<String> listed = new ArrayList<>();
        index.path("paths")
                .forEach(entry -> listed.add(entry.path("serverRelativeURL").asText()));
        memo.retainOnly(listed);
        return composite(BoundedParallel.map(urls(index, apiVersions), url -> memo.get(url, u -> read(client, u))));
    }

    /** The documents of these api versions the index lists (the rest fall back to the built-in table). */
    private static List<String> urls(JsonNode index, Collection<String> apiVersions) {
        List<String> urls = new ArrayList<>();
        for (String apiVersion : apiVersions.stream().distinct().sorted().toList()) {
            String path = apiVersion.contains("/") ? "apis/" + apiVersion : "api/" + apiVersion;
            JsonNode entry = index.path("paths").path(path);
            if (!entry.isMissingNode()) {
                urls.add(entry.path("serverRelativeURL").asText("/openapi/v3/" + path));
            }
        }
        return urls;
    }

    private static ListSchema composite(List<? extends ListSchema> fromServer) {
        List<ListSchema> schemas = new ArrayList<>(fromServer);
        schemas.add(new BuiltinListSchema());
        return ListSchema.composite(schemas);
    }

    private static JsonNode read(KubernetesClient client, String uri) {
        String body = client.raw(uri);
        if (body == null) {
            throw new IllegalStateException("the API server returned nothing for " + uri);
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the API server's " + uri + " is not JSON", e);
        }
    }
}
