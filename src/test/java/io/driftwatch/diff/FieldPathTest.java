package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldPathTest {

    private static Map<String, com.fasterxml.jackson.databind.JsonNode> key(
            String k1, String v1, String k2, String v2) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> key = new LinkedHashMap<>();
        key.put(k1, json(v1));
        if (k2 != null) {
            key.put(k2, json(v2));
        }
        return key;
    }

    @Test
    void spellsAContainerFieldReadablyAsAPointerAndAsManagedFields() {
        FieldPath p = FieldPath.ROOT
                .field("spec")
                .field("template")
                .field("spec")
                .field("containers")
                .key(key("name", "\"web\"", null, null), 2)
                .field("image");
        assertThat(p.readable()).isEqualTo("spec.template.spec.containers[name=web].image");
        assertThat(p.pointer()).isEqualTo("/spec/template/spec/containers/2/image");
        assertThat(p.elements())
                .containsExactly(
                        new PathElement.Field("spec"),
                        new PathElement.Field("template"),
                        new PathElement.Field("spec"),
                        new PathElement.Field("containers"),
                        FieldSet.parseElement("k:{\"name\":\"web\"}"),
                        new PathElement.Field("image"));
        assertThat(p.names()).containsExactly("spec", "template", "spec", "containers", "image");
    }

    @Test
    void spellsMultiFieldKeysIndexesAndSetItems() {
        FieldPath port = FieldPath.ROOT.field("spec").field("ports").key(key("port", "80", "protocol", "\"TCP\""), -1);
        assertThat(port.readable()).isEqualTo("spec.ports[port=80,protocol=TCP]");
        assertThat(port.pointer()).isEqualTo("/spec/ports/-");
        assertThat(FieldPath.ROOT.field("args").index(1).readable()).isEqualTo("args[1]");
        assertThat(FieldPath.ROOT
                        .field("metadata")
                        .field("finalizers")
                        .setItem(json("\"a/b\""), 0)
                        .readable())
                .isEqualTo("metadata.finalizers[a/b]");
    }

    @Test
    void quotesMapKeysWithDotsAndEscapesPointerTokens() {
        FieldPath p = FieldPath.ROOT.field("metadata").field("annotations").field("example.com/a~b");
        assertThat(p.readable()).isEqualTo("metadata.annotations[\"example.com/a~b\"]");
        assertThat(p.pointer()).isEqualTo("/metadata/annotations/example.com~1a~0b");
        assertThat(p.names()).isEqualTo(List.of("metadata", "annotations", "example.com/a~b"));
    }
}
