package io.driftwatch.diff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A desired object rendered from Git.
 *
 * @param app the app it belongs to (used for tracking extra objects); may be null
 * @param contentChangedAt when this object's desired content last changed (commit time); null when unknown
 */
public record DesiredObject(ObjectNode manifest, String app, Instant contentChangedAt) {

    public DesiredObject {
        Objects.requireNonNull(manifest, "manifest");
    }

    public static DesiredObject of(ObjectNode manifest) {
        return new DesiredObject(manifest, null, null);
    }
}
