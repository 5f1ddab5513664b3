package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * Whether an app's applier deletes what it created once Git no longer has it: the evidence that tells an extra object
 * {@link Cause#PENDING_SYNC} (the applier will delete it) from {@link Cause#ORPHANED} (it never will). Read by the
 * source from the applier's own settings (a Flux Kustomization's {@code spec.prune}, an Argo CD Application's
 * {@code syncPolicy}) and carried with the desired state, so the engine stays pure.
 *
 * @param byDefault what the applier does with an object that carries none of the markers
 * @param keep      per-object markers that stop the applier from deleting an object ({@code PRUNES} apps)
 * @param prune     per-object markers that make the applier delete an object it otherwise keeps ({@code KEEPS} apps)
 * @param what      the setting in words, for summaries, e.g. "Kustomization spec.prune: false"
 */
public record PrunePolicy(Default byDefault, List<Marker> keep, List<Marker> prune, String what) {

    /** What happens to an object the applier created and Git no longer has. */
    public enum Default {
        /** The applier deletes it at its next sync, unless a keep marker is on it. */
        PRUNES,
        /** The applier leaves it, unless a prune marker is on it. */
        KEEPS,
        /** Nothing is known about the applier (plain Git apps): treated as {@link #PRUNES}, as before. */
        UNKNOWN
    }

    /**
     * A per-object setting: {@code key} among the object's annotations (and labels, when {@code labelsToo}) with one
     * of its comma-separated, trimmed items equal to {@code value} (e.g. {@code argocd.argoproj.io/sync-options:
     * Prune=false,Validate=false}).
     */
    public record Marker(String key, String value, boolean labelsToo) {

        public Marker {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        boolean on(JsonNode object) {
            JsonNode metadata = object.path("metadata");
            return has(metadata.path("annotations").path(key))
                    || labelsToo && has(metadata.path("labels").path(key));
        }

        private boolean has(JsonNode node) {
            if (!node.isTextual()) {
                return false;
            }
            for (String item : node.textValue().split(",")) {
                if (item.trim().equals(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return key + ": " + value;
        }
    }

    /** Nothing known: every extra the applier created is {@code pending-sync}. */
    public static final PrunePolicy UNKNOWN = new PrunePolicy(Default.UNKNOWN, List.of(), List.of(), "");

    public PrunePolicy {
        Objects.requireNonNull(byDefault, "byDefault");
        keep = keep == null ? List.of() : List.copyOf(keep);
        prune = prune == null ? List.of() : List.copyOf(prune);
        what = what == null ? "" : what;
    }

    /** The applier deletes its extras, except those marked with one of {@code keep}. */
    public static PrunePolicy prunes(String what, Marker... keep) {
        return new PrunePolicy(Default.PRUNES, List.of(keep), List.of(), what);
    }

    /** The applier leaves its extras, except those marked with one of {@code prune}. */
    public static PrunePolicy keeps(String what, Marker... prune) {
        return new PrunePolicy(Default.KEEPS, List.of(), List.of(prune), what);
    }

    /**
     * Why the applier will not delete {@code live}, an extra object it created ("Kustomization spec.prune: false",
     * "kustomize.toolkit.fluxcd.io/prune: disabled"); null when it will (or nothing is known).
     */
    public String keeps(JsonNode live) {
        for (Marker m : keep) {
            if (m.on(live)) {
                return m.toString();
            }
        }
        if (byDefault != Default.KEEPS || prune.stream().anyMatch(m -> m.on(live))) {
            return null;
        }
        return what.isEmpty() ? "the applier does not prune" : what;
    }
}
