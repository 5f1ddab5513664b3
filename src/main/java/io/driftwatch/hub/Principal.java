package io.driftwatch.hub;

import java.util.Locale;
import java.util.Map;

/**
 * Who a request belongs to: an agent that writes one cluster, or a reader of the API (a read token, a console session
 * or a user named by a trusted reverse proxy). {@code clusterLabels}: the labels a cluster must have for this reader
 * to see it; empty means every cluster.
 */
public record Principal(Role role, String name, Map<String, String> clusterLabels) {

    public enum Role {
        CLUSTER,
        READER
    }

    public Principal {
        clusterLabels = clusterLabels == null ? Map.of() : Map.copyOf(clusterLabels);
    }

    public Principal(Role role, String name) {
        this(role, name, Map.of());
    }

    /** True when this principal may push data for {@code cluster}: only that cluster's own token may. */
    public boolean mayWrite(String cluster) {
        return role == Role.CLUSTER && name.equals(cluster);
    }

    public boolean mayRead() {
        return role == Role.READER;
    }

    public boolean scoped() {
        return !clusterLabels.isEmpty();
    }

    @Override
    public String toString() {
        return role.name().toLowerCase(Locale.ROOT) + ":" + name; // never the token
    }
}
