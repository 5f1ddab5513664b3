package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class HelmValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void mapsMergeDeeplyAndEverythingElseIsReplaced() throws Exception {
        ObjectNode base = json("{\"a\":{\"b\":1,\"c\":[1,2]},\"d\":\"x\",\"e\":{\"f\":1}}");
        JsonNode merged = HelmValues.merge(base, json("{\"a\":{\"c\":[3],\"g\":true},\"d\":{\"h\":1},\"e\":null}"));
        assertThat(merged).isEqualTo(json("{\"a\":{\"b\":1,\"c\":[3],\"g\":true},\"d\":{\"h\":1},\"e\":null}"));
        assertThat(base).isEqualTo(json("{\"a\":{\"b\":1,\"c\":[1,2]},\"d\":\"x\",\"e\":{\"f\":1}}"));
    }

    @Test
    void targetPathValuesAreTypedAsHelmsSetParserTypesThem() throws Exception {
        ObjectNode values = json("{\"image\":{\"tag\":\"old\",\"pull\":\"Always\"}}");
        HelmValues.setPath(values, "image.tag", "1.27");
        HelmValues.setPath(values, "replicas", "3");
        HelmValues.setPath(values, "zero", "0");
        HelmValues.setPath(values, "octal", "0755");
        HelmValues.setPath(values, "enabled", "TRUE");
        HelmValues.setPath(values, "gone", "null");
        HelmValues.setPath(values, "quoted", "\"42\"");
        HelmValues.setPath(values, "single", "'true'");
        assertThat(values.toString())
                .isEqualTo(json("{\"image\":{\"tag\":\"1.27\",\"pull\":\"Always\"},\"replicas\":3,\"zero\":0,"
                                + "\"octal\":\"0755\",\"enabled\":true,\"gone\":null,\"quoted\":\"42\",\"single\":\"true\"}")
                        .toString());
    }

    @Test
    void pathsHaveEscapedDotsAndListIndexes() throws Exception {
        assertThat(HelmValues.parsePath("a.b\\.c[2].d[0][1]")).isEqualTo(List.of("a", "b.c", 2, "d", 0, 1));
        ObjectNode values = json("{\"list\":[{\"x\":1}],\"scalar\":\"s\"}");
        HelmValues.setPath(values, "list[0].y", "2");
        HelmValues.setPath(values, "list[2]", "z");
        HelmValues.setPath(values, "nginx\\.ingress\\.kubernetes\\.io/rewrite", "/");
        assertThat(values.toString())
                .isEqualTo(json("{\"list\":[{\"x\":1,\"y\":2},null,\"z\"],\"scalar\":\"s\","
                                + "\"nginx.ingress.kubernetes.io/rewrite\":\"/\"}")
                        .toString());
        // Helm's --set parser asserts the type of what is on the path (null too) and fails; helm-controller with it
        assertThatThrownBy(() -> HelmValues.setPath(values, "scalar.now", "map"))
                .hasMessage("targetPath scalar.now: 'scalar' is string, not a map (Helm's --set parser fails on it)");
        assertThatThrownBy(() -> HelmValues.setPath(values, "nginx\\.ingress\\.kubernetes\\.io/rewrite[0]", "x"))
                .hasMessageContaining("is string, not a list");
    }

    @Test
    void setPathChangesSharedMapsInPlaceAndGrowsListsIntoCopiesAsGoDoes() throws Exception {
        ObjectNode inline = json("{\"a\":{\"b\":1},\"l\":[1,2]}");
        ObjectNode merged = HelmValues.merge(json("{}"), inline);
        HelmValues.setPath(merged, "a.c", "2");
        HelmValues.setPath(merged, "l[0]", "9");
        HelmValues.setPath(merged, "l[3]", "x");
        // the nested map and the list element are shared with spec.values, as Go's maps and slices are
        assertThat(inline.toString()).isEqualTo("{\"a\":{\"b\":1,\"c\":2},\"l\":[9,2]}");
        assertThat(merged.toString()).isEqualTo("{\"a\":{\"b\":1,\"c\":2},\"l\":[9,2,null,\"x\"]}");
    }

    @Test
    void pathsAndValuesHelmWouldReadDifferentlyAreRefused() {
        assertThatThrownBy(() -> HelmValues.setPath(JSON.createObjectNode(), "a..b", "1"))
                .hasMessage("targetPath 'a..b' has an empty key");
        assertThatThrownBy(() -> HelmValues.setPath(JSON.createObjectNode(), "a[x]", "1"))
                .hasMessage("targetPath a[x]: list index 'x' is not a number");
        assertThatThrownBy(() -> HelmValues.setPath(JSON.createObjectNode(), "a[0]b", "1"))
                .hasMessage("targetPath a[0]b: 'b' after ']' (expected '.' or '[')");
        assertThatThrownBy(() -> HelmValues.setPath(JSON.createObjectNode(), "hosts", "a,b"))
                .hasMessageContaining("targetPath hosts: the value 'a,b' has a comma");
        assertThatThrownBy(() -> HelmValues.setPath(JSON.createObjectNode(), "hosts", "{a}"))
                .hasMessageContaining("leading brace");
    }
}
