package io.driftwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile configuration files, for the agent's and the hub's loader alike: refused at once, naming file and problem. */
class ConfigFileTest {

    @TempDir
    Path tmp;

    private final Consumer<Path> agent = file -> ConfigLoader.load(file, Map.of(), Set.of());
    private final Consumer<Path> hub = file -> HubConfigLoader.load(file, Map.of());

    private void refused(Path file, String... parts) {
        for (Consumer<Path> loader : java.util.List.of(agent, hub)) {
            assertThatThrownBy(() -> loader.accept(file))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContainingAll(parts)
                    .hasMessageNotContaining("java.")
                    .hasMessageNotContaining("`");
        }
    }

    @Test
    void aFifoADirectoryAndAHugeFileAreRefusedBeforeReading() throws Exception {
        Path fifo = tmp.resolve("fifo.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        Path huge = tmp.resolve("huge.yaml");
        Files.writeString(huge, "cluster: " + "x".repeat(2 << 20) + "\n");

        refused(fifo, "is not a regular file");
        refused(tmp, "is a directory");
        refused(tmp.resolve("absent.yaml"), "does not exist");
        refused(huge, "more than the limit of 1048576 bytes");
    }

    @Test
    void deepNestingDuplicateKeysAliasesAndBinaryJunkAreParseErrorsNamingTheLine() throws IOException {
        refused(
                Files.writeString(tmp.resolve("deep.yaml"), "cluster: " + "[".repeat(100_000) + "]".repeat(100_000)),
                "cannot parse YAML",
                "nested deeper than");
        refused(
                Files.writeString(tmp.resolve("dup.yaml"), "cluster: a\nlisten: {}\ncluster: b\n"),
                "line 3",
                "duplicate key 'cluster'");
        refused(Files.writeString(tmp.resolve("alias.yaml"), "a: &x [1, 2]\nb: *x\n"), "line 2", "YAML alias *x");
        byte[] junk = new byte[4096];
        new java.util.Random(17).nextBytes(junk);
        junk[0] = (byte) 0xc3;
        junk[1] = (byte) 0x28; // an invalid UTF-8 sequence at the start, whatever the rest
        refused(Files.write(tmp.resolve("junk.yaml"), junk), "cannot parse YAML", "not valid UTF-8");
    }
}
