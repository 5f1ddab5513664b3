package io.driftwatch.diff;

import java.util.List;

/**
 * Argo CD-shaped ignore rule. {@code group}, {@code kind}, {@code name} and {@code namespace} are globs (null = any).
 * {@code jsonPointers} are removed from both desired and live before comparing; a segment {@code *} matches any list
 * element (or any map key), e.g. {@code /spec/template/spec/containers/*}{@code /image}. Fields owned by a manager
 * matching one of {@code managedFieldsManagers} (globs) are not drift.
 */
public record IgnoreRule(
        String group,
        String kind,
        String name,
        String namespace,
        List<String> jsonPointers,
        List<String> managedFieldsManagers) {

    public IgnoreRule {
        jsonPointers = jsonPointers == null ? List.of() : List.copyOf(jsonPointers);
        managedFieldsManagers = managedFieldsManagers == null ? List.of() : List.copyOf(managedFieldsManagers);
        for (String p : jsonPointers) {
            if (!p.isEmpty() && !p.startsWith("/")) {
                throw new IllegalArgumentException("JSON pointer must start with '/': " + p);
            }
        }
    }

    public static IgnoreRule pointers(String group, String kind, String... pointers) {
        return new IgnoreRule(group, kind, null, null, List.of(pointers), List.of());
    }

    public static IgnoreRule managers(String group, String kind, String... managers) {
        return new IgnoreRule(group, kind, null, null, List.of(), List.of(managers));
    }

    public boolean appliesTo(ObjectKey key) {
        return Glob.matches(group, key.group())
                && Glob.matches(kind, key.kind())
                && Glob.matches(name, key.name())
                && Glob.matches(namespace, key.namespace());
    }

    public boolean ignoresManager(String manager) {
        return manager != null
                && managedFieldsManagers.stream().anyMatch(g -> Glob.of(g).matches(manager));
    }
}
