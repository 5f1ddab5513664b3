package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code spec.replicas} changed through the {@code scale} subresource when nobody owned it. A manifest that sets no
 * replicas, applied server-side, leaves {@code spec.replicas} (defaulted to 1 by the API server) with no owner, and the
 * API server then records no managedFields entry at all for a write through {@code scale}: the live value has no owner
 * and looks like a server default. For the built-in kinds below the server default is known (1), so a live value other
 * than 1 that nobody owns and desired does not set was set by someone, through {@code scale}: it is reported
 * {@code added} with no manager. Custom resources with a scale subresource are not covered: the engine does not know a
 * CRD's {@code specReplicasPath} or a default for it.
 */
final class UnrecordedScale {

    /** The built-in kinds whose {@code spec.replicas} the API server defaults to 1, by group. */
    private static final Set<String> APPS_KINDS = Set.of("Deployment", "StatefulSet", "ReplicaSet");

    private static final String CORE_KIND = "ReplicationController";

    private static final int SERVER_DEFAULT = 1;
    private static final List<PathElement> REPLICAS =
            List.of(new PathElement.Field("spec"), new PathElement.Field("replicas"));

    private UnrecordedScale() {}

    /**
     * The unowned, non-default {@code spec.replicas} of {@code live} as an added change, if desired does not set it.
     * {@code desired} and {@code live} are the comparable objects (ignored fields, e.g. HPA-scaled replicas, removed).
     */
    static Optional<Comparer.RawChange> find(ObjectKey key, JsonNode desired, JsonNode live, ManagedFields managed) {
        if (!defaultsReplicas(key)) {
            return Optional.empty();
        }
        JsonNode replicas = live.path("spec").path("replicas");
        if (!replicas.isIntegralNumber()
                || replicas.asLong() == SERVER_DEFAULT
                || !Values.isEmpty(desired.path("spec").get("replicas"))
                || managed.owner(REPLICAS).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(
                new Comparer.RawChange(FieldPath.ROOT.field("spec").field("replicas"), Op.ADDED, null, replicas));
    }

    /** Whether {@code key} is one of the built-in kinds above (asked for every compared object: no string built). */
    private static boolean defaultsReplicas(ObjectKey key) {
        return key.group().equals("apps")
                ? APPS_KINDS.contains(key.kind())
                : key.group().isEmpty() && CORE_KIND.equals(key.kind());
    }
}
