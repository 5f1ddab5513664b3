package io.driftwatch.agent;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.diff.Glob;
import io.driftwatch.diff.ObjectKey;
import java.util.List;

/**
 * What the agent looks at, from {@code scope}: namespaces and kinds, included (empty = all) and excluded (wins), as
 * globs. Kinds are written {@code Kind} (any group) or {@code group/Kind}; cluster-scoped objects pass the namespace
 * filter.
 */
final class ScopeFilter {

    private final List<Glob> namespacesIn;
    private final List<Glob> namespacesOut;
    private final List<String> kindsIn;
    private final List<String> kindsOut;

    ScopeFilter(AgentConfig.Scope scope) {
        namespacesIn = scope.namespaces().include().stream().map(Glob::of).toList();
        namespacesOut = scope.namespaces().exclude().stream().map(Glob::of).toList();
        kindsIn = scope.kinds().include();
        kindsOut = scope.kinds().exclude();
    }

    boolean allows(ObjectKey key) {
        return namespaceAllowed(key.namespace()) && kindAllowed(key.group(), key.kind());
    }

    boolean namespaceAllowed(String namespace) {
        if (namespace.isEmpty()) {
            return true;
        }
        if (namespacesOut.stream().anyMatch(g -> g.matches(namespace))) {
            return false;
        }
        return namespacesIn.isEmpty() || namespacesIn.stream().anyMatch(g -> g.matches(namespace));
    }

    boolean kindAllowed(String group, String kind) {
        if (kindsOut.stream().anyMatch(k -> kindMatches(k, group, kind))) {
            return false;
        }
        return kindsIn.isEmpty() || kindsIn.stream().anyMatch(k -> kindMatches(k, group, kind));
    }

    /** Namespaces to run per-namespace informers for: only when every include entry is a plain name. */
    List<String> informerNamespaces(List<String> includes) {
        boolean literal = !includes.isEmpty() && includes.stream().noneMatch(n -> n.contains("*") || n.contains("?"));
        return literal ? includes : List.of();
    }

    private static boolean kindMatches(String pattern, String group, String kind) {
        int slash = pattern.lastIndexOf('/');
        if (slash < 0) {
            return Glob.matches(pattern, kind);
        }
        return Glob.matches(pattern.substring(0, slash), group) && Glob.matches(pattern.substring(slash + 1), kind);
    }
}
