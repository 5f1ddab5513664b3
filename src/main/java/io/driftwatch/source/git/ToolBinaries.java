package io.driftwatch.source.git;

import io.driftwatch.source.SourceException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the rendering tools are: a configured path first, then the environment variable ({@code DRIFTWATCH_KUSTOMIZE},
 * {@code DRIFTWATCH_HELM}), then {@code PATH}.
 */
public final class ToolBinaries {

    /** A rendering tool and the environment variable that may point at it. */
    public enum Tool {
        KUSTOMIZE("kustomize", "DRIFTWATCH_KUSTOMIZE"),
        HELM("helm", "DRIFTWATCH_HELM");

        final String command;
        final String envVar;

        Tool(String command, String envVar) {
            this.command = command;
            this.envVar = envVar;
        }
    }

    private final Map<Tool, Path> configured;
    private final Map<String, String> env;

    /**
     * @param configured explicitly configured paths (may be empty)
     * @param env        the environment to read ({@code System.getenv()})
     */
    public ToolBinaries(Map<Tool, Path> configured, Map<String, String> env) {
        this.configured = Map.copyOf(configured);
        this.env = Map.copyOf(env);
    }

    public static ToolBinaries fromEnvironment() {
        return new ToolBinaries(Map.of(), System.getenv());
    }

    /** The executable for {@code tool}, or a {@code RENDER} error saying how to provide it. */
    public Path find(Tool tool) throws SourceException {
        Path path = configured.get(tool);
        if (path != null) {
            return executable(path, tool, "the configured path");
        }
        String fromEnv = env.get(tool.envVar);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return executable(Path.of(fromEnv), tool, tool.envVar);
        }
        return onPath(tool.command)
                .orElseThrow(() -> new SourceException(
                        SourceException.Reason.RENDER,
                        tool.command + " not found: set " + tool.envVar + " or put " + tool.command + " on PATH"));
    }

    private Optional<Path> onPath(String command) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path executable(Path path, Tool tool, String source) throws SourceException {
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new SourceException(
                    SourceException.Reason.RENDER,
                    tool.command + " from " + source + " (" + path + ") is not an executable file");
        }
        return path;
    }
}
