package io.driftwatch.testing;

/** A namespace created for one test only and never reused (tests leave it behind; the cluster is thrown away). */
public record TestNamespace(String name) {

    @Override
    public String toString() {
        return name;
    }
}
