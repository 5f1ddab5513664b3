package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonPathsTest {

    @Test
    void removesAFieldAtAPointer() {
        var node = json("{\"metadata\":{\"annotations\":{\"a/b\":\"1\",\"c\":\"2\"}}}");
        JsonPaths.remove(node, "/metadata/annotations/a~1b");
        assertThat(node).isEqualTo(json("{\"metadata\":{\"annotations\":{\"c\":\"2\"}}}"));
    }

    @Test
    void removesThroughEveryListElementForAStar() {
        var node = json("{\"c\":[{\"image\":\"a\",\"name\":\"x\"},{\"image\":\"b\",\"name\":\"y\"}]}");
        JsonPaths.remove(node, "/c/*/image");
        assertThat(node).isEqualTo(json("{\"c\":[{\"name\":\"x\"},{\"name\":\"y\"}]}"));
    }

    @Test
    void removesAListElementByIndexAndIgnoresMissingPaths() {
        var node = json("{\"c\":[1,2,3]}");
        JsonPaths.remove(node, "/c/1");
        JsonPaths.remove(node, "/c/9");
        JsonPaths.remove(node, "/nope/x");
        assertThat(node).isEqualTo(json("{\"c\":[1,3]}"));
    }
}
