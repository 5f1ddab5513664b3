package io.driftwatch.source.git;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.source.SourceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code helm template} and reads its output without the hooks: objects carrying a {@code helm.sh/hook}
 * annotation (tests, install/upgrade hooks) are left out, as Helm itself keeps them apart from the release's manifest.
 * Helm's cache, config and data directories are private to each render (under the scratch directory), so nothing from
 * the host's Helm setup leaks in. Shared by the Git source's Helm renderer and the Flux HelmRelease source. Blocking.
 */
public final class HelmTemplate {

    public static final String HOOK_ANNOTATION = "helm.sh/hook";

    private HelmTemplate() {}

    /**
     * Runs {@code command} (a full {@code helm template ...} command line) in {@code workDir} and returns the objects
     * it printed, hooks left out; {@code displayName} names the output in parse errors.
     */
    public static List<ObjectNode> run(
            ToolRunner runner,
            List<String> command,
            Path workDir,
            Path scratch,
            String displayName,
            ManifestLimits limits)
            throws SourceException {
        Path out = scratch.resolve("helm-output.yaml");
        runner.run(command, workDir, environment(scratch), out);
        List<ObjectNode> objects = RenderedManifests.read(out, scratch, displayName, limits);
        return objects.stream()
                .filter(o -> !o.path("metadata").path("annotations").has(HOOK_ANNOTATION))
                .toList();
    }

    private static Map<String, String> environment(Path scratch) {
        Path home = scratch.resolve("helm-home");
        return Map.of(
                "HELM_CACHE_HOME",
                home.resolve("cache").toString(),
                "HELM_CONFIG_HOME",
                home.resolve("config").toString(),
                "HELM_DATA_HOME",
                home.resolve("data").toString());
    }
}
