package io.driftwatch.testing;

/** A namespace created for one test only. Without controllers it never finishes terminating, so it is never reused. */
public record TestNamespace(String name) {

    @Override
    public String toString() {
        return name;
    }
}
