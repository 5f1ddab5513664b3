package io.driftwatch.live;

/** One kind the API server serves, at its preferred version: enough to read it and to know its scope. */
public record ApiResource(String group, String version, String kind, String plural, boolean namespaced) {

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
