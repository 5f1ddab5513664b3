package io.driftwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A server binary scripts/test-binaries.sh builds into its per-version cache (~/.cache/driftwatch/<dir>/<name>). */
public final class CachedBinary {

    /**
     * Class order ({@code @Order}) of the integration tests that need a binary scripts/test.sh builds beside Maven
     * (Prometheus 3, Argo CD, Flux's controllers with the OCI registry and S3 server of the Flux source tests, the OpenID
     * provider): last, so that the tests before them overlap with that build.
     */
    public static final int AFTER_BACKGROUND_BUILD = Integer.MAX_VALUE;

    /**
     * Set by scripts/test.sh: the directory of the build it runs beside Maven; it holds that build's {@code log}, and
     * an {@code exit} file with its exit code once it has ended.
     */
    static final String BUILDING = "DRIFTWATCH_BINARIES_BUILDING";

    private static final Duration MAX_WAIT = Duration.ofMinutes(90);

    private CachedBinary() {}

    /**
     * {@code env} when set, else the cache's {@code dir/name}; fails with {@code howToBuild} (after the path) when it
     * is not an executable file.
     */
    public static Path find(String env, String dir, String name, String what, String howToBuild) {
        String explicit = System.getenv(env);
        Path path = explicit != null && !explicit.isBlank()
                ? Path.of(explicit)
                : Path.of(System.getProperty("user.home"), ".cache", "driftwatch", dir, name);
        awaitBuild(path);
        if (!Files.isExecutable(path)) {
            throw new AssertionError(what + " is missing (" + path + "): " + howToBuild + " or set " + env);
        }
        return path;
    }

    /**
     * Waits while scripts/test.sh's background build may still produce {@code path} (each build moves its finished
     * directory into place at once, so the file appears complete). Returns at once when the file is there or no such
     * build runs; fails, with the end of the build's log, when the build ended without it.
     */
    public static void awaitBuild(Path path) {
        awaitBuild(path, System.getenv(BUILDING), MAX_WAIT);
    }

    static void awaitBuild(Path path, String building, Duration maxWait) {
        if (Files.isExecutable(path) || building == null || building.isBlank()) {
            return;
        }
        Path dir = Path.of(building);
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean said = false;
        while (!Files.isExecutable(path)) {
            if (Files.exists(dir.resolve("exit")) || !Files.isDirectory(dir)) {
                throw new AssertionError(path + " was not built: the build beside the tests ended without it; the end"
                        + " of its log:\n" + tail(dir.resolve("log")));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " not built after " + maxWait.toSeconds() + " s of waiting; the end"
                        + " of the build's log:\n" + tail(dir.resolve("log")));
            }
            if (!said) {
                System.out.println("waiting for the build beside the tests to produce " + path);
                said = true;
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
