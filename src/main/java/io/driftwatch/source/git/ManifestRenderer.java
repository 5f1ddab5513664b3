package io.driftwatch.source.git;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.SourceException;
import java.util.List;

/** Turns an app's directory at one commit into objects. Blocking. */
interface ManifestRenderer {

    List<ObjectNode> render(RenderInput input) throws SourceException;

    /** What besides the commit and path decides the output (tool, settings), for the render cache key. */
    String inputs(GitAppSpec spec) throws SourceException;
}
