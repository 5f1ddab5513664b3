package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestException;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.ManifestReader;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A HelmRelease's {@code spec.postRenderers} as helm-controller runs them on Helm's output, in order: each
 * {@code kustomize} post-renderer is one {@code kustomize build} of a kustomization holding the output so far as its one
 * resource, with the renderer's {@code patches} and {@code images} (written by {@link KustomizationFile}, as for a
 * Kustomization). Blocking (files, the real {@code kustomize}).
 */
final class HelmPostRenderers {

    private final ToolBinaries binaries;
    private final ToolRunner runner;
    private final ManifestLimits limits;

    HelmPostRenderers(ToolBinaries binaries, ToolRunner runner, ManifestLimits limits) {
        this.binaries = binaries;
        this.runner = runner;
        this.limits = limits;
    }

    List<ObjectNode> apply(List<ObjectNode> objects, JsonNode postRenderers, Path scratch, String what)
            throws SourceException {
        List<ObjectNode> current = objects;
        int index = 0;
        for (JsonNode renderer : postRenderers) {
            JsonNode kustomize = renderer.path("kustomize");
            if (kustomize.isMissingNode() || kustomize.isNull()) {
                index++;
                continue;
            }
            String which = what + ": spec.postRenderers[" + index + "].kustomize";
            Path dir = scratch.resolve("post-renderer-" + index++);
            try {
                Files.createDirectories(dir);
                StringBuilder documents = new StringBuilder();
                for (ObjectNode object : current) {
                    documents.append("---\n").append(object).append('\n'); // JSON documents: YAML too
                }
                Files.writeString(dir.resolve("helm-output.yaml"), documents, StandardCharsets.UTF_8);
                KustomizationFile.write(dir, kustomize);
            } catch (IllegalArgumentException e) {
                throw new SourceException(Reason.CONFIG, which + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new SourceException(Reason.RENDER, which + ": " + e, e);
            }
            Path built = dir.resolve("kustomize-output.yaml");
            runner.run(
                    List.of(binaries.find(ToolBinaries.Tool.KUSTOMIZE).toString(), "build", dir.toString()),
                    dir,
                    Map.of(),
                    built);
            try {
                current = ManifestReader.read(built, limits);
            } catch (ManifestException e) {
                throw new SourceException(Reason.PARSE, which + ": kustomize output: " + e.getMessage(), e);
            }
        }
        return current;
    }
}
