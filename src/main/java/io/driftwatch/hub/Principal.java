package io.driftwatch.hub;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Who a request belongs to: an agent that writes one cluster, or a reader of the API (a read token, a console session
 * or a user named by a trusted reverse proxy). {@code clusterScopes}: the label sets a reader may see clusters by, as
 * alternatives that add up: a cluster is visible when its labels include every label of ANY one of them (a user in two
 * groups sees both groups' clusters). An empty label set among them means every cluster. Never empty.
 */
public record Principal(Role role, String name, List<Map<String, String>> clusterScopes) {

    /** Every cluster: the one alternative that every cluster matches. */
    public static final List<Map<String, String>> ALL_CLUSTERS = List.of(Map.of());

    public enum Role {
        CLUSTER,
        READER
    }

    public Principal {
        if (clusterScopes == null || clusterScopes.isEmpty()) {
            throw new IllegalArgumentException(name + ": a reader needs at least one cluster scope ({} for all)");
        }
        // {} anywhere grants every cluster; otherwise keep each distinct label set once, in order
        clusterScopes = clusterScopes.stream().anyMatch(Map::isEmpty)
                ? ALL_CLUSTERS
                : clusterScopes.stream()
                        .map(labels -> Collections.unmodifiableMap(new TreeMap<>(labels))) // keys in a stable order
                        .collect(Collectors.toCollection(LinkedHashSet::new))
                        .stream()
                        .toList();
    }

    public Principal(Role role, String name) {
        this(role, name, ALL_CLUSTERS);
    }

    /** A reader limited to the clusters with every label of {@code clusterLabels} ({} for every cluster). */
    public Principal(Role role, String name, Map<String, String> clusterLabels) {
        this(role, name, List.of(clusterLabels == null ? Map.of() : clusterLabels));
    }

    /** True when this principal may push data for {@code cluster}: only that cluster's own token may. */
    public boolean mayWrite(String cluster) {
        return role == Role.CLUSTER && name.equals(cluster);
    }

    public boolean mayRead() {
        return role == Role.READER;
    }

    /** True when this reader is limited to some clusters (no alternative grants every cluster). */
    public boolean scoped() {
        return !clusterScopes.equals(ALL_CLUSTERS);
    }

    @Override
    public String toString() {
        return role.name().toLowerCase(Locale.ROOT) + ":" + name; // never the token
    }
}
