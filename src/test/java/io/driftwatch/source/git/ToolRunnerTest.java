package io.driftwatch.source.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.source.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tool processes (here /bin/sh standing in for kustomize and helm): output, failures, timeouts. */
class ToolRunnerTest {

    @TempDir
    Path tmp;

    private final ExecutorService pool = Executors.newFixedThreadPool(1);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void standardOutputGoesToTheFileAndTheEnvironmentIsPassed() throws Exception {
        Path out = tmp.resolve("out");
        new ToolRunner(pool, Duration.ofSeconds(30))
                .run(List.of("/bin/sh", "-c", "echo \"value: $EXTRA\""), tmp, Map.of("EXTRA", "given"), out);
        assertThat(Files.readString(out)).isEqualTo("value: given\n");
    }

    @Test
    void aFailingToolIsARenderErrorWithItsStandardError() {
        assertThatThrownBy(() -> new ToolRunner(pool, Duration.ofSeconds(30))
                        .run(
                                List.of("/bin/sh", "-c", "echo progress; echo 'Error: chart is broken' >&2; exit 3"),
                                tmp,
                                Map.of(),
                                tmp.resolve("out")))
                .isInstanceOf(SourceException.class)
                .hasMessage("sh exited 3: Error: chart is broken")
                .extracting(e -> ((SourceException) e).reason())
                .isEqualTo(SourceException.Reason.RENDER);
    }

    @Test
    void longStandardErrorIsTrimmedToItsEnd() {
        assertThatThrownBy(() -> new ToolRunner(pool, Duration.ofSeconds(30))
                        .run(
                                List.of(
                                        "/bin/sh",
                                        "-c",
                                        "i=0; while [ $i -lt 2000 ]; do echo noise-line >&2; i=$((i+1)); done; echo 'Error: the cause' >&2; exit 1"),
                                tmp,
                                Map.of(),
                                tmp.resolve("out")))
                .satisfies(e -> {
                    assertThat(e.getMessage()).endsWith("Error: the cause").startsWith("sh exited 1: ...");
                    assertThat(e.getMessage().length()).isLessThan(ToolRunner.MAX_STDERR + 40);
                });
    }

    @Test
    void aToolThatRunsTooLongIsKilledAndReported() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> new ToolRunner(pool, Duration.ofMillis(300))
                        .run(List.of("/bin/sh", "-c", "echo waiting >&2; sleep 30"), tmp, Map.of(), tmp.resolve("out")))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("sh did not finish within 300 ms and was killed: waiting");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aMissingBinaryIsARenderError() {
        assertThatThrownBy(() -> new ToolRunner(pool, Duration.ofSeconds(5))
                        .run(List.of(tmp.resolve("nope").toString()), tmp, Map.of(), tmp.resolve("out")))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("cannot start " + tmp.resolve("nope"));
    }

    @Test
    void binariesComeFromConfigurationThenEnvironmentThenPath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path onPath = Files.writeString(bin.resolve("helm"), "#!/bin/sh\n");
        onPath.toFile().setExecutable(true);
        Path fromEnv = Files.writeString(tmp.resolve("helm-env"), "#!/bin/sh\n");
        fromEnv.toFile().setExecutable(true);
        Path configured = Files.writeString(tmp.resolve("helm-configured"), "#!/bin/sh\n");
        configured.toFile().setExecutable(true);

        assertThat(new ToolBinaries(Map.of(), Map.of("PATH", "/nonexistent:" + bin)).find(ToolBinaries.Tool.HELM))
                .isEqualTo(onPath);
        assertThat(new ToolBinaries(Map.of(), Map.of("PATH", bin.toString(), "DRIFTWATCH_HELM", fromEnv.toString()))
                        .find(ToolBinaries.Tool.HELM))
                .isEqualTo(fromEnv);
        assertThat(new ToolBinaries(
                                Map.of(ToolBinaries.Tool.HELM, configured),
                                Map.of("DRIFTWATCH_HELM", fromEnv.toString()))
                        .find(ToolBinaries.Tool.HELM))
                .isEqualTo(configured);
        assertThatThrownBy(() ->
                        new ToolBinaries(Map.of(), Map.of("PATH", bin.toString())).find(ToolBinaries.Tool.KUSTOMIZE))
                .hasMessage("kustomize not found: set DRIFTWATCH_KUSTOMIZE or put kustomize on PATH");
        assertThatThrownBy(() -> new ToolBinaries(
                                Map.of(),
                                Map.of("DRIFTWATCH_KUSTOMIZE", tmp.resolve("x").toString()))
                        .find(ToolBinaries.Tool.KUSTOMIZE))
                .hasMessage("kustomize from DRIFTWATCH_KUSTOMIZE (" + tmp.resolve("x") + ") is not an executable file");
    }
}
