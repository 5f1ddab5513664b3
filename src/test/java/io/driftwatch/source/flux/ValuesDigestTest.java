package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The config digest helm-controller records, recomputed. The expected digests and encodings were printed by Flux's own
 * Go code ({@code DigestValues} / {@code Encode} of fluxcd/pkg/chartutil v1.27.2, the program
 * {@code scripts/test-binaries.sh flux-values} builds); {@code HelmValuesDigestIT} compares a whole corpus with it.
 */
class ValuesDigestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode specValues(String json) throws Exception {
        return GoValues.fromJson(JSON.readTree(json));
    }

    private static String encoded(JsonNode values) {
        return new String(ValuesDigest.encode(values), StandardCharsets.UTF_8);
    }

    @Test
    void emptyValuesDigestAsNothing() throws Exception {
        String empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertThat(ValuesDigest.of(specValues("{}"))).isEqualTo(empty);
        assertThat(ValuesDigest.of(null)).isEqualTo(empty);
    }

    @Test
    void digestsAsHelmControllerDoes() throws Exception {
        JsonNode values = specValues("{\"replicas\":3,\"image\":{\"tag\":\"1.27\",\"repository\":\"nginx\"}}");
        assertThat(encoded(values)).isEqualTo("image:\n  repository: nginx\n  tag: \"1.27\"\nreplicas: 3\n");
        assertThat(ValuesDigest.of(values))
                .isEqualTo("sha256:e74764f0e3c1faf1443d98bda93cc8404e52b1b98a8b5bac257348832673a256");
        // a whole float64 is an int for the digest: 3.0 and 3 digest alike
        assertThat(ValuesDigest.of(specValues("{\"replicas\":3.0}")))
                .isEqualTo("sha256:9cf3a5f89adc05f90e87b284d40f8e39e1b763d9f9df307327e6f127ed492175");
    }

    @Test
    void quotesEscapesSortsAndWritesNumbersAsGoYamlDoes() throws Exception {
        JsonNode values = specValues("{\"on\":\"yes\",\"date\":\"2024-01-15\",\"html\":\"<b>&amp;</b>\","
                + "\"emoji\":\"\\ud83d\\ude00\",\"f\":0.1,\"big\":1e20}");
        assertThat(encoded(values))
                .isEqualTo("big: 1e+20\ndate: \"2024-01-15\"\nemoji: \"\\U0001F600\"\nf: 0.1\nhtml: <b>&amp;</b>\n"
                        + "\"on\": \"yes\"\n");
        assertThat(ValuesDigest.of(values))
                .isEqualTo("sha256:8a5a5630801b1f1e5dbf6d4e26e56ae741910bc23b2225634c63620b5e6574ed");
        JsonNode nested = specValues("{\"z\":{\"b\":[{\"y\":1,\"x\":2}],\"a\":null},\"A\":[]}");
        assertThat(encoded(nested)).isEqualTo("A: []\nz:\n  a: null\n  b:\n  - x: 2\n    \"y\": 1\n");
        assertThat(ValuesDigest.of(nested))
                .isEqualTo("sha256:8705ba55e613f639139d04797db2679cfedb41a8026caf31487aa691e70abf07");
    }

    @Test
    void documentsAreReadAsHelmReadsThem() {
        JsonNode doc = GoValues.readDocument("yes: on\noctal: 017\nhex: 0x1F\nnum: 1_000\nd: 2024-01-15\n1.5: x\n");
        assertThat(doc.toString())
                .isEqualTo(
                        "{\"true\":true,\"octal\":15.0,\"hex\":31.0,\"num\":1000.0,\"d\":\"2024-01-15\",\"1.5\":\"x\"}");
        assertThat(GoValues.readDocument("")).isNull();
        assertThat(GoValues.readDocument("~")).isNull();
        assertThatThrownBy(() -> GoValues.readDocument("- a\n")).hasMessage("not a YAML map of values");
        assertThatThrownBy(() -> GoValues.readDocument("x: .inf\n")).hasMessageContaining("JSON cannot hold");
    }

    @Test
    void floatsAreFormattedAsGosShortestG() {
        assertThat(GoYamlScalars.formatFloat(0.1)).isEqualTo("0.1");
        assertThat(GoYamlScalars.formatFloat(1234567.891)).isEqualTo("1.234567891e+06");
        assertThat(GoYamlScalars.formatFloat(100000.5)).isEqualTo("100000.5");
        assertThat(GoYamlScalars.formatFloat(0.0001)).isEqualTo("0.0001");
        assertThat(GoYamlScalars.formatFloat(0.00001)).isEqualTo("1e-05");
        assertThat(GoYamlScalars.formatFloat(5e-324)).isEqualTo("5e-324");
        assertThat(GoYamlScalars.formatFloat(-2.5e300)).isEqualTo("-2.5e+300");
    }
}
