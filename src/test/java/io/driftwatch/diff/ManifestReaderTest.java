package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private static List<String> names(List<ObjectNode> objects) {
        return objects.stream()
                .map(o -> o.path("kind").asText() + "/"
                        + o.path("metadata").path("name").asText())
                .toList();
    }

    @Test
    void readsMultiDocumentYamlSkippingEmptyDocuments() throws Exception {
        Path file = write("all.yaml", """
                ---
                # only a comment
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
                ---
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: b}
                """);
        assertThat(names(ManifestReader.read(file))).containsExactly("ConfigMap/a", "Secret/b");
    }

    @Test
    void expandsKindList() throws Exception {
        Path file = write("list.yaml", """
                apiVersion: v1
                kind: List
                items:
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
                """);
        assertThat(names(ManifestReader.read(file))).containsExactly("ConfigMap/a", "ConfigMap/b");
    }

    @Test
    void readsDirectoriesRecursivelyInPathOrderIncludingJsonAndSkippingHiddenAndOtherFiles() throws Exception {
        write("b/deploy.yml", "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}");
        write("a.json", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}}");
        write("c/d/e.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        write(".git/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hidden}\n");
        write("README.md", "not a manifest");
        assertThat(names(ManifestReader.read(dir))).containsExactly("Service/s", "Deployment/d", "ConfigMap/c");
    }

    @Test
    void namesFileAndLineOfUnparseableYaml() throws Exception {
        Path file = write("bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                data:
                  key: [unclosed
                """);
        assertThatThrownBy(() -> ManifestReader.read(file))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(file + ":")
                .satisfies(e -> assertThat(((ManifestException) e).line()).isGreaterThanOrEqualTo(6));
    }

    @Test
    void rejectsDocumentsWithoutIdentityNamingTheDocument() throws Exception {
        Path file = write("noname.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ok}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {generateName: x-}
                """);
        assertThatThrownBy(() -> ManifestReader.read(file))
                .isInstanceOf(ManifestException.class)
                .hasMessage(file + ":5: document 2 lacks metadata.name");
    }

    @Test
    void rejectsScalarDocumentsAndListItemsWithoutKind() throws Exception {
        Path scalar = write("scalar.yaml", "just text\n");
        assertThatThrownBy(() -> ManifestReader.read(scalar)).hasMessageContaining("document 1 is not a mapping");
        Path list =
                write("list.yaml", "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, metadata: {name: a}}\n");
        assertThatThrownBy(() -> ManifestReader.read(list)).hasMessageContaining("document 1 (List) item 1 lacks kind");
    }

    @Test
    void reportsAMissingPath() {
        assertThatThrownBy(() -> ManifestReader.read(dir.resolve("nope")))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void readsAManifestStreamLargerThanSnakeYamlsDefaultLimit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        StringBuilder yaml = new StringBuilder();
        int n = 0;
        while (yaml.length() < 4 << 20) { // 4 MiB: above the 3 MiB default code-point limit
            yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-")
                    .append(n++)
                    .append("\ndata:\n  payload: ")
                    .append("x".repeat(200))
                    .append('\n');
        }
        java.nio.file.Path file = dir.resolve("big.yaml");
        java.nio.file.Files.writeString(file, yaml);

        org.assertj.core.api.Assertions.assertThat(ManifestReader.read(file)).hasSize(n);
    }

    @Test
    void expandsTypedListsAndListsInsideLists() throws Exception {
        Path file = write("typed.yaml", """
                apiVersion: v1
                kind: ConfigMapList
                items:
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleList
                metadata: {resourceVersion: ""}
                items:
                  - {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r}}
                ---
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: rbac.authorization.k8s.io/v1
                    kind: RoleBindingList
                    items:
                      - {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: rb}}
                  - {apiVersion: v1, kind: Secret, metadata: {name: s}}
                ---
                apiVersion: v1
                kind: ServiceList
                items:
                """);
        assertThat(names(ManifestReader.read(file)))
                .containsExactly("ConfigMap/a", "Role/r", "RoleBinding/rb", "Secret/s");
    }

    @Test
    void namesTheListAndItemOfEveryBadItemAtOnce() throws Exception {
        Path file = write("bad-items.yaml", """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleList
                items:
                  - {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: ok}}
                  - {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {}}
                  - just text
                ---
                apiVersion: v1
                kind: List
                items:
                  - {kind: ConfigMapList, apiVersion: v1, items: [{apiVersion: v1, metadata: {name: c}}]}
                """);
        assertThatThrownBy(() -> ManifestReader.read(file))
                .isInstanceOf(ManifestException.class)
                .hasMessage(file + ":1: document 1 (RoleList) item 2 lacks metadata.name; "
                        + "document 1 (RoleList) item 3 is not a mapping; "
                        + "document 2 (List) item 1 (ConfigMapList) item 1 lacks kind (line 8)");
    }

    @Test
    void aKindEndingInListWithoutItemsIsAnObject() throws Exception {
        Path file = write("cr.yaml", "apiVersion: example.com/v1\nkind: AccessList\nmetadata: {name: a}\nspec: {}\n");
        assertThat(names(ManifestReader.read(file))).containsExactly("AccessList/a");
    }
}
