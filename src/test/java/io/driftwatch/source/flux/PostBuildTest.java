package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostBuildTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String BUILT = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
            data:
              env: ${env}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              annotations:
                kustomize.toolkit.fluxcd.io/substitute: disabled
              name: b
            data:
              script: echo ${env}
            """;

    @Test
    void substitutesEachDocumentExceptThoseThatOptOut() {
        String out = PostBuild.substitute(BUILT, Map.of("env", "prod"), false);
        assertThat(out).contains("env: prod").contains("script: echo ${env}");
    }

    @Test
    void withoutVariablesTheOutputIsUntouched() {
        assertThat(PostBuild.substitute(BUILT + "x: $${y}\n", Map.of(), false)).isEqualTo(BUILT + "x: $${y}\n");
    }

    @Test
    void invalidVariableNamesAreRefusedAsFluxRefusesThem() {
        assertThatThrownBy(() -> PostBuild.substitute(BUILT, Map.of("1bad", "x", "bad-too", "y"), false))
                .hasMessageContaining("[1bad, bad-too]");
    }

    @Test
    void commonMetadataAndOwnershipLabelsGoOnEveryObject() throws Exception {
        ObjectNode object = (ObjectNode) JSON.readTree("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}");
        PostBuild.label(
                List.of(object),
                JSON.readTree("{\"labels\":{\"team\":\"shop\"},\"annotations\":{\"owner\":\"ops\"}}"),
                "apps",
                "flux-system");
        assertThat(object.path("metadata").path("labels").path("team").asText()).isEqualTo("shop");
        assertThat(object.path("metadata").path("annotations").path("owner").asText())
                .isEqualTo("ops");
        assertThat(object.path("metadata")
                        .path("labels")
                        .path(PostBuild.OWNER_NAME)
                        .asText())
                .isEqualTo("apps");
        assertThat(object.path("metadata")
                        .path("labels")
                        .path(PostBuild.OWNER_NAMESPACE)
                        .asText())
                .isEqualTo("flux-system");
    }
}
