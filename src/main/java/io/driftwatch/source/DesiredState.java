package io.driftwatch.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.PrunePolicy;
import java.time.Instant;
import java.util.List;

/**
 * One app's desired state at one revision: the rendered objects, the commit they came from and when it was made.
 *
 * @param app          the application's name
 * @param revision     the resolved revision, a commit SHA for Git (never a branch name)
 * @param revisionTime when that revision was made (commit time), the evidence for {@code pending-sync}
 * @param objects      the rendered manifests, namespaces not yet filled in
 * @param loadedAt     when this snapshot was loaded
 * @param prune        whether the app's applier deletes what Git no longer has (extras: {@code pending-sync} or
 *                     {@code orphaned}); {@link PrunePolicy#UNKNOWN} when the source cannot say
 */
public record DesiredState(
        String app,
        String revision,
        Instant revisionTime,
        List<ObjectNode> objects,
        Instant loadedAt,
        PrunePolicy prune) {

    public DesiredState {
        objects = List.copyOf(objects);
        prune = prune == null ? PrunePolicy.UNKNOWN : prune;
    }

    /** A desired state whose source does not know the applier's prune policy. */
    public DesiredState(String app, String revision, Instant revisionTime, List<ObjectNode> objects, Instant loadedAt) {
        this(app, revision, revisionTime, objects, loadedAt, PrunePolicy.UNKNOWN);
    }
}
