package io.driftwatch.cli;

import io.driftwatch.config.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** {@code diff}'s object filters as command-line options, kubectl's habits: {@code -l}, {@code --kind}. */
final class DiffFilterOptions {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Option(
            names = {"-l", "--selector"},
            paramLabel = "SELECTOR",
            description = "Only objects whose labels match this label selector, in kubectl's syntax: key=value, "
                    + "key==value, key!=value, 'key in (a,b)', 'key notin (a,b)', key (exists), '!key' (does not "
                    + "exist), comma-separated, all must hold. Desired objects are matched by the labels Git gives "
                    + "them, extra objects by their live labels.")
    String selector;

    @Option(
            names = "--kind",
            paramLabel = "KIND",
            split = ",",
            description = "Only objects of these kinds (repeatable or comma-separated): a kind, plural, singular or "
                    + "short name as kubectl takes them (Deployment, deployments, deploy), optionally with .group or "
                    + ".version.group (deployments.apps); a name several groups serve selects all of them. An unknown "
                    + "name is an error naming the closest ones.")
    List<String> kinds = new ArrayList<>();

    @Option(
            names = "--only-namespace",
            paramLabel = "NS",
            split = ",",
            description = "Only objects in these namespaces (repeatable or comma-separated); cluster-scoped objects "
                    + "are in no namespace and are kept (narrow them with --kind). Unlike -n, this filters.")
    List<String> onlyNamespaces = new ArrayList<>();

    /** The selector and namespaces, checked; every problem is named at once. Kinds are resolved later. */
    Parsed parse() {
        List<String> problems = new ArrayList<>();
        LabelSelector parsed = null;
        if (selector != null) {
            try {
                parsed = LabelSelector.parse(selector);
            } catch (IllegalArgumentException e) {
                problems.add("--selector '" + selector + "': " + e.getMessage());
            }
        }
        Set<String> namespaces = new LinkedHashSet<>();
        for (String ns : onlyNamespaces) {
            String n = ns.strip();
            if (!n.isEmpty() && !NAMESPACE.matcher(n).matches()) {
                problems.add("--only-namespace '" + n + "' is not a namespace name (lower-case letters, digits and "
                        + "'-', at most 63 characters)");
            } else if (!n.isEmpty()) {
                namespaces.add(n);
            }
        }
        if (!problems.isEmpty()) {
            throw new DiffSettings.SettingsException(String.join("; ", problems));
        }
        return new Parsed(parsed, namespaces);
    }

    /** The selector and namespaces, checked; kinds still to be resolved against the cluster or the input. */
    final class Parsed {
        private final LabelSelector labelSelector;
        private final Set<String> namespaces;

        private Parsed(LabelSelector labelSelector, Set<String> namespaces) {
            this.labelSelector = labelSelector;
            this.namespaces = namespaces;
        }

        /** The filter, with {@code --kind} resolved against {@code catalog}. */
        DiffFilter resolve(KindNames catalog) {
            Set<String> groupKinds = null;
            if (kinds.stream().anyMatch(k -> !k.isBlank())) {
                try {
                    groupKinds = catalog.resolve(kinds);
                } catch (IllegalArgumentException e) {
                    throw new DiffSettings.SettingsException("--kind: " + e.getMessage());
                }
            }
            return new DiffFilter(labelSelector, groupKinds, Set.copyOf(namespaces), description());
        }

        private String description() {
            List<String> parts = new ArrayList<>();
            if (labelSelector != null) {
                parts.add("--selector '" + labelSelector + "'");
            }
            List<String> kindNames =
                    kinds.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
            if (!kindNames.isEmpty()) {
                parts.add("--kind " + String.join(",", kindNames));
            }
            if (!namespaces.isEmpty()) {
                parts.add("--only-namespace " + String.join(",", namespaces));
            }
            return String.join(" ", parts);
        }
    }
}
