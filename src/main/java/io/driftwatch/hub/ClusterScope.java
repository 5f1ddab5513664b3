package io.driftwatch.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.hub.StoreModel.ClusterRow;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which clusters a reader may see: those whose agent-reported labels include every label of at least one of the
 * reader's label sets (its scopes add up: a user in two groups sees both groups' clusters). The read API applies it to
 * every answer (clusters, drifts, history, one drift, the event stream), so a limited reader cannot reach another
 * cluster by editing a URL.
 */
final class ClusterScope {

    private ClusterScope() {}

    /** True when {@code labels} (a JSON object of the cluster's labels) has every {@code want} key with its value. */
    static boolean matches(Map<String, String> want, JsonNode labels) {
        return want.entrySet().stream()
                .allMatch(w -> labels != null
                        && w.getValue().equals(labels.path(w.getKey()).asText(null)));
    }

    /** True when a cluster with {@code labels} is visible to {@code principal}: it matches any of its label sets. */
    static boolean visibleTo(Principal principal, JsonNode labels) {
        return principal.clusterScopes().stream().anyMatch(want -> matches(want, labels));
    }

    /** The clusters {@code principal} may see, or null when it may see every cluster. */
    static Set<String> visible(Principal principal, Collection<ClusterRow> clusters) {
        if (!principal.scoped()) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (ClusterRow c : clusters) {
            if (visibleTo(principal, Http.parse(c.labelsJson()))) {
                out.add(c.name());
            }
        }
        return out;
    }

    /**
     * The clusters a query may read: the requested ones (null = all) narrowed to the visible ones (null = all). A
     * cluster asked for by name outside the scope is refused with a 403 naming it, rather than silently left out.
     */
    static Set<String> narrow(Set<String> requested, List<String> namedInQuery, Set<String> visible, Principal who) {
        if (visible == null) {
            return requested;
        }
        List<String> outside = namedInQuery.stream()
                .filter(n -> !visible.contains(n))
                .distinct()
                .toList();
        if (!outside.isEmpty()) {
            throw forbidden(outside, who);
        }
        if (requested == null) {
            return visible;
        }
        return requested.stream().filter(visible::contains).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static BadRequest forbidden(List<String> clusters, Principal who) {
        return new BadRequest(
                403,
                "forbidden",
                "cluster " + String.join(", ", clusters) + ": outside the clusters " + who.name()
                        + " may read (clusters labelled " + describe(who.clusterScopes()) + ")");
    }

    /** The label sets as people read them: {@code team=payments,env=prod or team=search}; "any" for every cluster. */
    static String describe(List<Map<String, String>> scopes) {
        return scopes.stream().map(ClusterScope::describe).collect(Collectors.joining(" or "));
    }

    static String describe(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "anything (every cluster)";
        }
        return labels.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
