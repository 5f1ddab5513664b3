package io.driftwatch.source.git;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestException;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.ManifestReader;
import io.driftwatch.source.SourceException;
import java.nio.file.Path;
import java.util.List;

/** Parses manifests with {@link ManifestReader}, naming files the way people know them (repository paths). */
final class RenderedManifests {

    private RenderedManifests() {}

    /**
     * Reads {@code fileOrDir}; a parse error becomes {@code PARSE} naming the file relative to {@code root} (or as
     * {@code displayName} when it is a tool's output) with the line; so does input beyond {@code limits}.
     */
    static List<ObjectNode> read(Path fileOrDir, Path root, String displayName, ManifestLimits limits)
            throws SourceException {
        try {
            return ManifestReader.read(fileOrDir, limits);
        } catch (ManifestException e) {
            String name = displayName != null
                    ? displayName
                    : e.file() != null && e.file().toAbsolutePath().startsWith(root.toAbsolutePath())
                            ? root.toAbsolutePath()
                                    .relativize(e.file().toAbsolutePath())
                                    .toString()
                            : String.valueOf(e.file());
            throw new SourceException(
                    SourceException.Reason.PARSE,
                    name + (e.line() > 0 ? ":" + e.line() : "") + ": " + bareMessage(e),
                    e);
        }
    }

    /** The exception's message without the {@code file:line: } prefix ManifestException puts in front. */
    private static String bareMessage(ManifestException e) {
        String prefix = e.file() + (e.line() > 0 ? ":" + e.line() : "") + ": ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
