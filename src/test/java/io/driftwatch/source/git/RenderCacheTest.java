package io.driftwatch.source.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.SourceException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RenderCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RenderKey key(String commit) {
        return new RenderKey("github.com/org/repo", commit, "apps/web", GitAppSpec.Renderer.PLAIN, "plain");
    }

    private static ObjectNode object(String name, int padding) {
        ObjectNode o = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        o.putObject("metadata").put("name", name);
        o.putObject("data").put("pad", "x".repeat(padding));
        return o;
    }

    @Test
    void aKeyIsRenderedOnceAndThenServedFromTheCache() throws Exception {
        RenderCache cache = new RenderCache(1_000_000);
        AtomicInteger renders = new AtomicInteger();
        RenderCache.Renderer renderer = () -> {
            renders.incrementAndGet();
            return List.of(object("a", 10));
        };

        cache.get(key("c1"), renderer);
        cache.get(key("c1"), renderer);
        cache.get(key("c2"), renderer);

        assertThat(renders).hasValue(2);
        assertThat(cache.stats().hitCount()).isEqualTo(1);
        assertThat(cache.stats().loadSuccessCount()).isEqualTo(2);
    }

    @Test
    void failuresAreNotCachedAndKeepTheirReason() throws Exception {
        RenderCache cache = new RenderCache(1_000_000);
        AtomicInteger renders = new AtomicInteger();
        RenderCache.Renderer failing = () -> {
            renders.incrementAndGet();
            throw new SourceException(SourceException.Reason.RENDER, "helm exited 1: boom");
        };

        assertThatThrownBy(() -> cache.get(key("c1"), failing))
                .isInstanceOf(SourceException.class)
                .hasMessage("helm exited 1: boom");
        assertThatThrownBy(() -> cache.get(key("c1"), failing)).isInstanceOf(SourceException.class);

        assertThat(renders).hasValue(2);
        assertThat(cache.get(key("c1"), () -> List.of(object("a", 1)))).hasSize(1);
    }

    @Test
    void callersGetCopiesTheyMayChange() throws Exception {
        RenderCache cache = new RenderCache(1_000_000);
        ((ObjectNode) cache.get(key("c1"), () -> List.of(object("a", 1))).get(0).get("metadata")).put("namespace", "x");

        assertThat(cache.get(key("c1"), List::of).get(0).path("metadata").has("namespace"))
                .isFalse();
    }

    @Test
    void theCacheIsBoundedByTheSizeOfTheRenderedOutput() throws Exception {
        RenderCache cache = new RenderCache(10_000);
        for (int i = 0; i < 10; i++) {
            cache.get(key("c" + i), () -> List.of(object("big", 3_000)));
        }
        cache.cache().cleanUp();

        assertThat(cache.cache().estimatedSize()).isLessThanOrEqualTo(3);
        assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(7);
        assertThat(cache.cache()
                        .policy()
                        .eviction()
                        .orElseThrow()
                        .weightedSize()
                        .orElseThrow())
                .isLessThanOrEqualTo(10_000);
    }
}
