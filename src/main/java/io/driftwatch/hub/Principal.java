package io.driftwatch.hub;

import java.util.Locale;

/** Who a bearer token belongs to: an agent that writes one cluster, or a reader of the API. */
public record Principal(Role role, String name) {

    public enum Role {
        CLUSTER,
        READER
    }

    /** True when this principal may push data for {@code cluster}: only that cluster's own token may. */
    public boolean mayWrite(String cluster) {
        return role == Role.CLUSTER && name.equals(cluster);
    }

    public boolean mayRead() {
        return role == Role.READER;
    }

    @Override
    public String toString() {
        return role.name().toLowerCase(Locale.ROOT) + ":" + name; // never the token
    }
}
