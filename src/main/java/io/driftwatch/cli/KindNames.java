package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.live.ApiDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves {@code --kind} names as kubectl resolves resource names: a kind, its plural, singular or short name, in any
 * case, optionally qualified with {@code .group} or {@code .version.group} ({@code deploy}, {@code Deployment},
 * {@code deployments.apps}, {@code deployments.v1.apps}). A name several groups serve (Event) selects all of them.
 */
final class KindNames {

    private static final Pattern VERSION = Pattern.compile("v[0-9]+((alpha|beta)[0-9]+)?");

    /** One kind and the names it answers to; {@code plural} and {@code singular} may be null (offline). */
    record Entry(String group, String kind, String plural, String singular, List<String> shortNames) {

        Stream<String> names() {
            return Stream.concat(Stream.of(kind, plural, singular), shortNames.stream())
                    .filter(n -> n != null && !n.isEmpty());
        }

        String groupKind() {
            return group + "/" + kind;
        }

        String display() {
            return group.isEmpty() ? kind : kind + "." + group;
        }
    }

    private final List<Entry> entries;
    /** Where the names come from, for errors: "the cluster serves", "the input files hold". */
    private final String source;

    KindNames(List<Entry> entries, String source) {
        this.entries = List.copyOf(entries);
        this.source = source;
    }

    /** What the API server serves, from discovery. */
    static KindNames of(ApiDiscovery discovery) {
        return new KindNames(
                discovery.names().stream()
                        .map(n -> new Entry(
                                n.resource().group(),
                                n.resource().kind(),
                                n.resource().plural(),
                                n.singular(),
                                n.shortNames()))
                        .toList(),
                "the cluster serves");
    }

    /** Offline, only the kinds the input files hold, by kind name (plural and short names need a cluster). */
    static KindNames inObjects(List<? extends JsonNode> desired, List<? extends JsonNode> live) {
        Map<String, Entry> entries = new TreeMap<>();
        Stream.concat(desired.stream(), live.stream()).forEach(o -> {
            String group = DiffFilter.groupOf(o);
            String kind = o.path("kind").asText("");
            if (!kind.isEmpty()) {
                entries.putIfAbsent(group + "/" + kind, new Entry(group, kind, null, null, List.of()));
            }
        });
        return new KindNames(List.copyOf(entries.values()), "the input files hold");
    }

    /**
     * The group/kind keys ({@code apps/Deployment}) the names select, or an {@link IllegalArgumentException} naming
     * every unknown one with the names closest to it.
     */
    Set<String> resolve(List<String> names) {
        Set<String> selected = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            String term = name.strip();
            if (term.isEmpty()) {
                continue;
            }
            List<Entry> matches = matches(term);
            if (matches.isEmpty()) {
                List<String> close = closeTo(term);
                problems.add("'" + term + "' is not a kind " + source
                        + (close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)"));
            }
            matches.forEach(e -> selected.add(e.groupKind()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return selected;
    }

    private List<Entry> matches(String term) {
        int dot = term.indexOf('.');
        String name = dot < 0 ? term : term.substring(0, dot);
        String group = dot < 0 ? null : term.substring(dot + 1);
        if (group != null) {
            int next = group.indexOf('.');
            String first = next < 0 ? group : group.substring(0, next);
            if (VERSION.matcher(first).matches()) {
                group = next < 0 ? "" : group.substring(next + 1); // name.version.group; name.v1 is the core group
            }
        }
        String wantedGroup = group;
        return entries.stream()
                .filter(e -> wantedGroup == null || e.group().equalsIgnoreCase(wantedGroup))
                .filter(e -> e.names().anyMatch(n -> n.equalsIgnoreCase(name)))
                .toList();
    }

    /** Up to five kinds whose names are within a few edits of the term's, or start with it. */
    private List<String> closeTo(String term) {
        String name = (term.contains(".") ? term.substring(0, term.indexOf('.')) : term).toLowerCase(Locale.ROOT);
        Map<Integer, Set<String>> byDistance = new TreeMap<>();
        for (Entry e : entries) {
            int best = e.names()
                    .mapToInt(n -> distance(name, n.toLowerCase(Locale.ROOT)))
                    .min()
                    .orElse(Integer.MAX_VALUE);
            boolean prefix = name.length() >= 3
                    && e.names().anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith(name));
            if (best <= Math.max(1, name.length() / 3) || prefix) {
                byDistance
                        .computeIfAbsent(prefix ? Math.min(best, 1) : best, d -> new TreeSet<>())
                        .add(e.display());
            }
        }
        return byDistance.values().stream()
                .flatMap(Set::stream)
                .distinct()
                .limit(5)
                .toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
