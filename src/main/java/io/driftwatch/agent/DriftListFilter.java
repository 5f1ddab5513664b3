package io.driftwatch.agent;

import io.driftwatch.diff.Drift;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query of {@code GET /api/v1/drifts}: {@code namespace}, {@code name}, {@code kind} and {@code app}, each matched
 * exactly and repeatable (a drift matches when its value is one of those given for every parameter given; an empty
 * {@code namespace=} selects cluster-scoped objects). No parameter lists every open drift. A script or dashboard that
 * asks about one object then gets that object's drifts, not the whole list serialized for it.
 */
record DriftListFilter(Map<String, Set<String>> allowed) {

    static final List<String> PARAMETERS = List.of("namespace", "name", "kind", "app");

    static final DriftListFilter ALL = new DriftListFilter(Map.of());

    /**
     * Parses the query parameters (name to its values, in order); every problem — an unknown parameter, an empty
     * {@code name}, {@code kind} or {@code app} — is named in one {@link IllegalArgumentException}.
     */
    static DriftListFilter parse(Map<String, List<String>> query) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (var e : query.entrySet()) {
            String parameter = e.getKey();
            if (!PARAMETERS.contains(parameter)) {
                problems.add("unknown parameter '" + parameter + "' (known: " + String.join(", ", PARAMETERS) + ")");
                continue;
            }
            for (String value : e.getValue()) {
                if (value.isEmpty() && !parameter.equals("namespace")) {
                    problems.add(parameter + ": must not be empty");
                }
                allowed.computeIfAbsent(parameter, p -> new LinkedHashSet<>()).add(value);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return allowed.isEmpty() ? ALL : new DriftListFilter(Map.copyOf(allowed));
    }

    boolean test(Drift drift) {
        return allows("namespace", orEmpty(drift.key().namespace()))
                && allows("name", drift.key().name())
                && allows("kind", drift.key().kind())
                && allows("app", orEmpty(drift.app()));
    }

    private boolean allows(String parameter, String value) {
        Set<String> values = allowed.get(parameter);
        return values == null || values.contains(value);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
