package io.driftwatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedBinaryTest {

    @TempDir
    Path dir;

    @Test
    void returnsAtOnceWhenNoBuildRunsBesideTheTests() {
        long start = System.nanoTime();
        CachedBinary.awaitBuild(dir.resolve("missing"), null, Duration.ofMinutes(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void waitsUntilTheBuildMovesTheBinaryIntoPlace() throws Exception {
        Path building = Files.createDirectories(dir.resolve("building"));
        Path binary = dir.resolve("tool-v1/tool");
        CompletableFuture<Void> build = CompletableFuture.runAsync(
                () -> {
                    try {
                        Path tmp = Files.createDirectories(dir.resolve("tool-v1.tmp"));
                        Files.writeString(tmp.resolve("tool"), "#!/bin/sh\n");
                        Files.setPosixFilePermissions(
                                tmp.resolve("tool"), PosixFilePermissions.fromString("rwx------"));
                        Files.move(tmp, dir.resolve("tool-v1"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));

        CachedBinary.awaitBuild(binary, building.toString(), Duration.ofMinutes(5));

        assertThat(build).isDone();
        assertThat(Files.isExecutable(binary)).isTrue();
    }

    @Test
    void failsWithTheEndOfTheLogWhenTheBuildEndedWithoutTheBinary() throws Exception {
        Path building = Files.createDirectories(dir.resolve("building"));
        Files.writeString(building.resolve("log"), "[test-binaries] building argocd ...\ngo: module lookup refused\n");
        Files.writeString(building.resolve("exit"), "1\n");

        assertThatThrownBy(() ->
                        CachedBinary.awaitBuild(dir.resolve("argocd"), building.toString(), Duration.ofMinutes(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("was not built")
                .hasMessageContaining("go: module lookup refused");
    }
}
