package io.driftwatch.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** A server binary scripts/test-binaries.sh builds into its per-version cache (~/.cache/driftwatch/<dir>/<name>). */
public final class CachedBinary {

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
        if (!Files.isExecutable(path)) {
            throw new AssertionError(what + " is missing (" + path + "): " + howToBuild + " or set " + env);
        }
        return path;
    }
}
