package io.driftwatch.source.git;

import io.driftwatch.config.GitAppSpec;
import io.driftwatch.diff.ManifestLimits;
import java.nio.file.Path;

/**
 * What one render works on: the repository's files at one commit, the app's directory inside it and a scratch
 * directory outside the checkout for the tool's output and settings.
 *
 * @param checkout the repository's tree at the commit
 * @param spec     the app (path, namespace, helm settings)
 * @param commit   the commit SHA, for messages
 * @param scratch  an empty directory for output files
 * @param limits   how much manifest input the render may yield
 */
record RenderInput(Path checkout, GitAppSpec spec, String commit, Path scratch, ManifestLimits limits) {

    /** The app's directory in the checkout. */
    Path dir() {
        return checkout.resolve(spec.path()).normalize();
    }
}
