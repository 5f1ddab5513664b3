package io.driftwatch.source.git;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.SourceException;
import java.util.List;

/** Every YAML/JSON file under the app's directory (recursive, multi-document, {@code kind: List}), as is. */
final class PlainRenderer implements ManifestRenderer {

    @Override
    public List<ObjectNode> render(RenderInput input) throws SourceException {
        return RenderedManifests.read(input.dir(), input.checkout(), null, input.limits());
    }

    @Override
    public String inputs(GitAppSpec spec) {
        return "plain";
    }
}
