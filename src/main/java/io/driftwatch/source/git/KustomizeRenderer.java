package io.driftwatch.source.git;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.SourceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code kustomize build <dir>}, as Argo CD's repo-server runs it; the output parsed into objects. */
final class KustomizeRenderer implements ManifestRenderer {

    private final ToolBinaries binaries;
    private final ToolRunner runner;

    KustomizeRenderer(ToolBinaries binaries, ToolRunner runner) {
        this.binaries = binaries;
        this.runner = runner;
    }

    @Override
    public List<ObjectNode> render(RenderInput input) throws SourceException {
        Path kustomize = binaries.find(ToolBinaries.Tool.KUSTOMIZE);
        Path out = input.scratch().resolve("kustomize-output.yaml");
        runner.run(List.of(kustomize.toString(), "build", input.dir().toString()), input.checkout(), Map.of(), out);
        return RenderedManifests.read(
                out, input.scratch(), "kustomize output of " + input.spec().path(), input.limits());
    }

    @Override
    public String inputs(GitAppSpec spec) throws SourceException {
        return "kustomize " + binaries.find(ToolBinaries.Tool.KUSTOMIZE);
    }
}
