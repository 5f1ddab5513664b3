package io.driftwatch.diff;

/** Whether a kind is namespaced; supplied by the caller from API discovery. */
@FunctionalInterface
public interface ResourceScope {
    boolean isNamespaced(String group, String kind);
}
