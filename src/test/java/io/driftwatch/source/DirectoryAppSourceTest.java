package io.driftwatch.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryAppSourceTest {

    @TempDir
    Path dir;

    private static final String CM =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"%s\"\n";

    @Test
    void reportsNothingNewUntilAFileChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("cm.yaml"), CM.formatted("1"));
        DirectoryAppSource source = new DirectoryAppSource("shop", dir, "shop", Clock.systemUTC());

        DesiredState first = source.loadIfChanged(null).orElseThrow();
        assertThat(first.objects()).hasSize(1);
        assertThat(source.loadIfChanged(first.revision())).as("unchanged files").isEmpty();

        Files.writeString(file, CM.formatted("2"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        DesiredState second = source.loadIfChanged(first.revision()).orElseThrow();
        assertThat(second.revision()).isNotEqualTo(first.revision());
        assertThat(second.objects().get(0).path("data").path("a").asText()).isEqualTo("2");
    }

    @Test
    void aTouchedFileWithTheSameContentKeepsTheRevision() throws Exception {
        Path file = Files.writeString(dir.resolve("cm.yaml"), CM.formatted("1"));
        DirectoryAppSource source = new DirectoryAppSource("shop", dir, "shop", Clock.systemUTC());
        DesiredState first = source.load();

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(source.loadIfChanged(first.revision())).isEmpty();
    }

    @Test
    void brokenYamlIsAParseErrorNamingFileAndLine() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: [oops\n");
        DirectoryAppSource source = new DirectoryAppSource("shop", dir, "shop", Clock.systemUTC());

        assertThatThrownBy(source::load).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.reason()).isEqualTo(SourceException.Reason.PARSE);
            assertThat(e.getMessage()).contains("bad.yaml:");
        });
    }

    @Test
    void theConfiguredLimitsBoundWhatIsReadAndAreNamedByTheirKeys() throws Exception {
        Files.writeString(dir.resolve("cm.yaml"), CM.formatted("x".repeat(4096)));
        io.driftwatch.config.AgentConfig.ManifestLimits configured =
                new io.driftwatch.config.AgentConfig.ManifestLimits(2048L, null, null);
        DirectoryAppSource source =
                new DirectoryAppSource("shop", dir, "shop", Clock.systemUTC(), configured.toLimits());

        assertThatThrownBy(source::load).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.reason()).isEqualTo(SourceException.Reason.PARSE);
            assertThat(e.getMessage())
                    .contains("cm.yaml")
                    .contains("exceeds the limit of 2048 bytes")
                    .contains("(sources.limits.maxDocumentBytes)");
        });
        // the default limits read it
        assertThat(new DirectoryAppSource("shop", dir, "shop", Clock.systemUTC())
                        .load()
                        .objects())
                .hasSize(1);
    }
}
