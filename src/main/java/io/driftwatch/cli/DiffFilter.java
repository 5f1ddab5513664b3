package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.LabelSelector;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftReport;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which objects a one-shot diff looks at: {@code --selector}, {@code --kind} and {@code --only-namespace} together
 * (all must hold). Applied to desired objects and to the live objects found as extra, so an object filtered out is
 * neither diffed nor reported extra. Cluster-scoped objects are in no namespace and pass the namespace filter.
 *
 * @param selector   null for every object
 * @param kinds      group/kind keys ({@code apps/Deployment}); null for every kind
 * @param namespaces empty for every namespace
 */
record DiffFilter(LabelSelector selector, Set<String> kinds, Set<String> namespaces, String description) {

    static final DiffFilter NONE = new DiffFilter(null, null, Set.of(), "");

    boolean active() {
        return selector != null || kinds != null || !namespaces.isEmpty();
    }

    boolean kindAllowed(String group, String kind) {
        return kinds == null || kinds.contains(group + "/" + kind);
    }

    /** The kind of a manifest or live object passes. */
    boolean kindAllowedFor(JsonNode object) {
        return kindAllowed(groupOf(object), object.path("kind").asText(""));
    }

    /** The API group of a manifest or live object ("" for the core group). */
    static String groupOf(JsonNode object) {
        return ObjectKey.groupOf(object.path("apiVersion").asText(""));
    }

    /** Cluster-scoped objects ({@code ""}) pass. */
    boolean namespaceAllowed(String namespace) {
        return namespace.isEmpty() || namespaces.isEmpty() || namespaces.contains(namespace);
    }

    boolean labelsMatch(JsonNode object) {
        return selector == null || selector.matches(labels(object));
    }

    /** The object at {@code key} (namespace resolved) passes every filter. */
    boolean keeps(ObjectKey key, JsonNode object) {
        return kindAllowed(key.group(), key.kind()) && namespaceAllowed(key.namespace()) && labelsMatch(object);
    }

    /** Desired objects split by the filter; {@code droppedKeys} are the keys of those of allowed kinds left out. */
    record Selection(List<ObjectNode> kept, int filteredOut, Set<ObjectKey> droppedKeys) {}

    /**
     * The desired objects that pass. The kind is checked first, so objects of kinds the filter leaves out are never
     * looked up in the cluster ({@code keyOf} may need to): a CRD that is not installed does not stop a diff of
     * Deployments.
     */
    Selection select(List<ObjectNode> desired, Function<JsonNode, ObjectKey> keyOf) {
        List<ObjectNode> kept = new ArrayList<>();
        Set<ObjectKey> dropped = new HashSet<>();
        for (ObjectNode manifest : desired) {
            if (!kindAllowedFor(manifest)) {
                continue;
            }
            ObjectKey key = keyOf.apply(manifest);
            if (keeps(key, manifest)) {
                kept.add(manifest);
            } else {
                dropped.add(key);
            }
        }
        return new Selection(kept, desired.size() - kept.size(), dropped);
    }

    /** A report without the filter's extras; the number of extra objects that were dropped. */
    record Filtered(DriftReport report, int extrasFilteredOut) {}

    /**
     * Drops the extra objects the filter leaves out: those of desired objects it dropped (not counted again) and
     * those whose own kind, namespace or live labels do not pass (counted).
     */
    Filtered dropExtras(
            DriftReport report, Selection selection, Map<ObjectKey, JsonNode> liveByKey, boolean countAdmission) {
        List<Drift> kept = new ArrayList<>();
        int extras = 0;
        for (Drift d : report.drifts()) {
            if (d.type() != DriftType.EXTRA) {
                kept.add(d);
            } else if (!selection.droppedKeys().contains(d.key())) {
                JsonNode live = liveByKey.get(d.key());
                if (live != null && keeps(d.key(), live)) {
                    kept.add(d);
                } else {
                    extras++;
                }
            }
        }
        return new Filtered(DriftReport.of(selection.kept().size(), kept, countAdmission), extras);
    }

    /** The namespaces among {@code candidates} that pass. */
    List<String> allowedNamespaces(Iterable<String> candidates) {
        List<String> out = new ArrayList<>();
        candidates.forEach(n -> {
            if (namespaceAllowed(n)) {
                out.add(n);
            }
        });
        return out;
    }

    private static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new HashMap<>();
        object.path("metadata")
                .path("labels")
                .properties()
                .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
