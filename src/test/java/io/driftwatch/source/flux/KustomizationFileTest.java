package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizationFileTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void generatesOneListingEveryManifestAndKustomizeDirectories() throws Exception {
        Files.writeString(dir.resolve("b.yaml"), "kind: ConfigMap\n");
        Files.createDirectories(dir.resolve("a/nested"));
        Files.writeString(dir.resolve("a/nested/c.yml"), "kind: ConfigMap\n");
        Files.createDirectories(dir.resolve("base"));
        Files.writeString(dir.resolve("base/kustomization.yaml"), "resources: []\n");
        Files.writeString(dir.resolve("base/ignored.yaml"), "kind: ConfigMap\n");
        Files.writeString(dir.resolve("README.md"), "not a manifest");
        KustomizationFile.write(dir, YAML.readTree("targetNamespace: shop\nnamePrefix: p-\n"));
        JsonNode written = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        assertThat(written.path("resources").toString()).isEqualTo("[\"./a/nested/c.yml\",\"./b.yaml\",\"./base\"]");
        assertThat(written.path("namespace").asText()).isEqualTo("shop");
        assertThat(written.path("namePrefix").asText()).isEqualTo("p-");
    }

    @Test
    void amendsAnExistingFileWithPatchesComponentsAndImagesMergedByName() throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources: [app.yaml]
                images:
                - name: nginx
                  newTag: "1.0"
                  digest: sha256:old
                """);
        Files.createDirectories(dir.resolve("comp"));
        KustomizationFile.write(dir, YAML.readTree("""
                patches:
                - patch: '[{"op":"replace","path":"/spec/replicas","value":2}]'
                  target: {kind: Deployment, name: web}
                components: [comp, missing]
                ignoreMissingComponents: true
                images:
                - name: nginx
                  newTag: "2.0"
                - name: redis
                  newName: mirror/redis
                """));
        JsonNode written = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        assertThat(written.path("patches").get(0).path("target").path("kind").asText())
                .isEqualTo("Deployment");
        assertThat(written.path("components").toString()).isEqualTo("[\"comp\"]");
        assertThat(written.path("images").get(0).toString()).isEqualTo("{\"name\":\"nginx\",\"newTag\":\"2.0\"}");
        assertThat(written.path("images").get(1).toString())
                .isEqualTo("{\"name\":\"redis\",\"newName\":\"mirror/redis\"}");
        assertThat(written.has("buildMetadata")).isFalse();
    }

    @Test
    void refusesComponentsOutsideTheArtifact() {
        assertThatThrownBy(() -> KustomizationFile.write(dir, YAML.readTree("components: [../../etc]\n")))
                .hasMessageContaining("'../../etc' must be local and relative");
    }
}
