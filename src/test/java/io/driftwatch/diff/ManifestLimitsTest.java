package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile manifests: each refused with an error naming the file and the limit, without reading on. */
class ManifestLimitsTest {

    @TempDir
    Path tmp;

    private Path configMapWithValue(String name, long chars) throws IOException {
        Path file = tmp.resolve(name);
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: ");
            char[] chunk = "x".repeat(8192).toCharArray();
            for (long n = 0; n < chars; n += chunk.length) {
                w.write(chunk, 0, (int) Math.min(chunk.length, chars - n));
            }
            w.write("\n");
        }
        return file;
    }

    @Test
    void hugeScalarsAreRefusedByTheDocumentLimitNamingFileAndFlag() throws IOException {
        for (long size : new long[] {5L << 20, 50L << 20}) {
            Path file = configMapWithValue("scalar-" + size + ".yaml", size);

            assertThatThrownBy(() -> ManifestReader.read(file))
                    .isInstanceOf(ManifestException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("a YAML document exceeds the limit of 3145728 bytes (--max-document-bytes)");
        }
    }

    @Test
    void deepNestingHugeNumbersTooManyObjectsAndAliasBombsAreRefused() throws Exception {
        Path deep = Files.writeString(
                tmp.resolve("deep.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n" + "data: " + "[".repeat(500) + "]".repeat(500)
                        + "\n");
        StringBuilder bomb =
                new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\na0: &a0 [x, x]\n");
        for (int i = 1; i < 30; i++) {
            bomb.append("a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [*a")
                    .append(i - 1)
                    .append(", *a")
                    .append(i - 1)
                    .append("]\n");
        }
        Path bombFile = Files.writeString(tmp.resolve("bomb.yaml"), bomb);
        Path number = Files.writeString(
                tmp.resolve("number.json"),
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"," + "\"metadata\":{\"name\":\"n\"},\"x\":"
                        + "9".repeat(5000) + "}");
        Path many = Files.writeString(
                tmp.resolve("many.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n---\n".repeat(11));

        assertThatThrownBy(() -> ManifestReader.read(deep))
                .hasMessageContaining("deep.yaml")
                .hasMessageContaining("nested deeper than 100 levels");
        assertThatThrownBy(() -> ManifestReader.read(bombFile))
                .hasMessageContaining("bomb.yaml:5")
                .hasMessageContaining("YAML alias *a0 is not supported");
        assertThatThrownBy(() -> ManifestReader.read(number))
                .hasMessageContaining("number.json")
                .hasMessageContaining("a number longer than 1000 digits");
        assertThatThrownBy(() -> ManifestReader.read(many, new ManifestLimits(1 << 20, 1 << 24, 10)))
                .hasMessageContaining("many.yaml")
                .hasMessageContaining("more than 10 objects (--max-documents)");
    }

    @Test
    void duplicateKeysMergeKeysAndBadUtf8AreErrorsInTheInputsTerms() throws IOException {
        Path dup = Files.writeString(
                tmp.resolve("dup.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n" + "metadata: {name: b}\n");
        Path dupJson = Files.writeString(
                tmp.resolve("dup.json"),
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"," + "\"metadata\":{\"name\":\"a\",\"name\":\"b\"}}");
        Path merge = Files.writeString(
                tmp.resolve("merge.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n" + "data:\n  <<: {a: b}\n");
        byte[] name = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"x\"}\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        name[name.length - 4] = (byte) 0xff; // the x
        Path utf = Files.write(tmp.resolve("utf.yaml"), name);
        Path tabs =
                Files.writeString(tmp.resolve("tabs.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: t\n");

        assertThatThrownBy(() -> ManifestReader.read(dup))
                .hasMessageContaining("dup.yaml:4")
                .hasMessageContaining("duplicate key 'metadata'");
        assertThatThrownBy(() -> ManifestReader.read(dupJson))
                .hasMessageContaining("dup.json")
                .hasMessageContaining("duplicate key 'name'");
        assertThatThrownBy(() -> ManifestReader.read(merge))
                .hasMessageContaining("merge.yaml:5")
                .hasMessageContaining("merge key << is not supported");
        assertThatThrownBy(() -> ManifestReader.read(utf))
                .hasMessageContaining("utf.yaml")
                .hasMessageContaining("not valid UTF-8")
                .hasMessageNotContaining("java.");
        assertThatThrownBy(() -> ManifestReader.read(tabs))
                .hasMessageContaining("tabs.yaml:4")
                .hasMessageContaining("found character '\\t(TAB)' that cannot start any token")
                .hasMessageNotContaining("in 'reader'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void manifestNamesThatAreNotRegularFilesAreErrorsNamingThemNotSkippedOrBlockedOn() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("odd"));
        Files.writeString(dir.resolve("ok.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n");
        Files.createSymbolicLink(dir.resolve("loop.yaml"), dir.resolve("loop.yaml"));
        Files.createSymbolicLink(dir.resolve("gone.yml"), dir.resolve("nowhere"));
        Files.createSymbolicLink(dir.resolve("self"), dir); // a directory link: not followed, so no loop
        Files.createDirectories(dir.resolve("dir.yaml")); // a directory with a manifest's name: walked into
        Path fifo = dir.resolve("pipe.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();

        assertThatThrownBy(() -> ManifestReader.read(dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining(dir.resolve("loop.yaml") + " is a symbolic link that leads nowhere")
                .hasMessageContaining(dir.resolve("gone.yml") + " is a symbolic link that leads nowhere")
                .hasMessageContaining(fifo + " is not a regular file");
        assertThatThrownBy(() -> ManifestReader.read(fifo)).hasMessageContaining("pipe.yaml: is not a regular file");
        Files.delete(fifo);
        Files.delete(dir.resolve("loop.yaml"));
        Files.delete(dir.resolve("gone.yml"));
        assertThat(ManifestReader.read(dir)).hasSize(1);
    }

    @Test
    void theTotalIsCheckedBeforeReading() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(
                    dir.resolve("cm" + i + ".yaml"),
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c" + i + "}\ndata: {a: \"" + "y".repeat(1000)
                            + "\"}\n");
        }

        assertThatThrownBy(() -> ManifestReader.read(dir, new ManifestLimits(1 << 20, 2048, 100)))
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("exceed the limit of 2048 bytes (--max-total-bytes)");
    }
}
