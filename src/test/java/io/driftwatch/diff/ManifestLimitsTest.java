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
    void deepNestingHugeNumbersAndTooManyObjectsAreRefusedAndAliasBombsStaySmall() throws Exception {
        Path deep = Files.writeString(tmp.resolve("deep.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n"
                + "data: " + "[".repeat(500) + "]".repeat(500) + "\n");
        StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\na0: &a0 [x, x]\n");
        for (int i = 1; i < 30; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        Path bombFile = Files.writeString(tmp.resolve("bomb.yaml"), bomb);
        Path number = Files.writeString(tmp.resolve("number.json"), "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"n\"},\"x\":" + "9".repeat(5000) + "}");
        Path many = Files.writeString(tmp.resolve("many.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n---\n".repeat(11));

        assertThatThrownBy(() -> ManifestReader.read(deep)).hasMessageContaining("deep.yaml")
                .hasMessageContaining("nested deeper than 100 levels");
        assertThat(ManifestReader.read(bombFile).get(0).toString().length()).as("aliases are not expanded")
                .isLessThan(10_000);
        assertThatThrownBy(() -> ManifestReader.read(number)).hasMessageContaining("number.json")
                .hasMessageContaining("a number longer than 1000 digits");
        assertThatThrownBy(() -> ManifestReader.read(many, new ManifestLimits(1 << 20, 1 << 24, 10)))
                .hasMessageContaining("many.yaml").hasMessageContaining("more than 10 objects (--max-documents)");
    }

    @Test
    void theTotalIsCheckedBeforeReading() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(dir.resolve("cm" + i + ".yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c"
                    + i + "}\ndata: {a: \"" + "y".repeat(1000) + "\"}\n");
        }

        assertThatThrownBy(() -> ManifestReader.read(dir, new ManifestLimits(1 << 20, 2048, 100)))
                .hasMessageContaining(dir.toString()).hasMessageContaining("exceed the limit of 2048 bytes (--max-total-bytes)");
    }
}
