package io.driftwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.diff.ListSchema;
import io.driftwatch.diff.OpenApiListSchema;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The agent's list schemas, one per OpenAPI v3 document, kept by the document's URL while the API server names it with
 * a hash of its content ({@code /openapi/v3/api/v1?hash=...}). The agent reads its schema again whenever the
 * group-versions its apps use change — at start-up once for each app that brings a new one — and without this fetched
 * and parsed every document each time (the core group's alone is 1.6 MB). Now only a document not seen before is
 * fetched: one whose content changed (a CRD's new schema) has a new URL; URLs the server no longer lists are dropped.
 * Documents are kept pruned to what list schemas are read from ({@link OpenApiCache#pruned}), not whole. Thread-safe.
 */
public final class ListSchemaMemo {

    private final Map<String, ListSchema> byUrl = new ConcurrentHashMap<>();

    /** The schema of the document at {@code url}: kept, else fetched (blocking), parsed and kept if hashed. */
    ListSchema get(String url, Function<String, JsonNode> fetch) {
        ListSchema kept = byUrl.get(url);
        if (kept != null) {
            return kept;
        }
        ListSchema parsed = OpenApiListSchema.fromOpenApiV3(OpenApiCache.pruned(fetch.apply(url)));
        if (OpenApiCache.hashed(url)) {
            byUrl.put(url, parsed);
        }
        return parsed;
    }

    /** Drops the schemas of documents the server no longer lists. */
    void retainOnly(Collection<String> listed) {
        byUrl.keySet().retainAll(Set.copyOf(listed));
    }

    /** How many documents are kept. */
    int size() {
        return byUrl.size();
    }
}
