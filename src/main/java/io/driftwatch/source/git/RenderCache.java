package io.driftwatch.source.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.driftwatch.source.SourceException;
import java.util.List;

/**
 * Rendered output shared by all Git apps, keyed by {@link RenderKey}: a commit is rendered once, whoever asks and
 * however often (concurrent requests for one key wait for the one render). Bounded by the approximate size of the
 * output in bytes (its JSON length); statistics are recorded so the agent can bind the {@link #cache()} to Micrometer's
 * {@code CaffeineCacheMetrics}. Failed renders are not cached: the next load tries again. Callers get their own copies
 * of the objects, so changing them never changes the cache.
 */
public final class RenderCache {

    /** Default bound: 256 MiB of rendered JSON. */
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cache<RenderKey, Rendered> cache;

    public RenderCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((RenderKey key, Rendered value) -> value.weight())
                .recordStats()
                .build();
    }

    /** One render's objects and their approximate size. */
    public record Rendered(List<ObjectNode> objects, int weight) {
        public Rendered {
            objects = List.copyOf(objects);
        }
    }

    /** A render that may fail. */
    @FunctionalInterface
    public interface Renderer {
        List<ObjectNode> render() throws SourceException;
    }

    /** The cached objects for {@code key}, rendering them with {@code renderer} first if absent. */
    public List<ObjectNode> get(RenderKey key, Renderer renderer) throws SourceException {
        Rendered rendered;
        try {
            rendered = cache.get(key, k -> {
                try {
                    return weigh(renderer.render());
                } catch (SourceException e) {
                    throw new Failure(e);
                }
            });
        } catch (Failure f) {
            throw f.cause;
        }
        return rendered.objects().stream().map(ObjectNode::deepCopy).toList();
    }

    /** The Caffeine cache, for {@code CaffeineCacheMetrics.monitor(registry, cache, "driftwatch_git_render")}. */
    public Cache<RenderKey, Rendered> cache() {
        return cache;
    }

    public CacheStats stats() {
        return cache.stats();
    }

    private static Rendered weigh(List<ObjectNode> objects) {
        long bytes = 0;
        for (ObjectNode o : objects) {
            try {
                bytes += JSON.writeValueAsBytes(o).length;
            } catch (JsonProcessingException e) {
                bytes += 1024;
            }
        }
        return new Rendered(objects, (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes)));
    }

    /** Carries a render's SourceException through Caffeine's unchecked mapping function. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SourceException cause;

        Failure(SourceException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}
