package io.driftwatch.cli;

import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.Tracking;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.flux.HelmReleaseStore;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One-shot load of a plain Helm release's desired state for {@code driftwatch diff --helm-installed NS/NAME}: the
 * manifest of its latest revision in Helm's release storage (Secret driver, in the release's namespace), whoever
 * installed it.
 */
final class HelmReleaseDesiredState {

    /** The label charts made by {@code helm create} put on every object: the release's name. */
    static final Tracking TRACKING = new Tracking(null, Tracking.DEFAULT_LABEL);

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Helm's own rule for release names (a DNS subdomain, at most 53 characters). */
    private static final Pattern RELEASE =
            Pattern.compile("(?=.{1,53}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** The objects, the release (the app) and its namespace. */
    record Loaded(DesiredState state, String release, String namespace) {}

    private HelmReleaseDesiredState() {}

    static Loaded load(String reference, Config config, ManifestLimits limits, PrintWriter err) throws SourceException {
        String[] parts = parse(reference);
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            DesiredState state = new HelmReleaseStore(client, parts[0], parts[1], limits, Clock.systemUTC()).load();
            err.println("desired state: " + state.objects().size() + " objects from Helm release " + reference
                    + " (installed: " + state.revision() + ")");
            err.flush();
            return new Loaded(state, parts[1], parts[0]);
        }
    }

    /** NAMESPACE and NAME, or an error naming every problem with the reference. */
    static String[] parse(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0 || reference.indexOf('/', slash + 1) >= 0) {
            throw new DiffSettings.SettingsException(
                    "--helm-installed '" + reference + "' is not NAMESPACE/NAME (e.g. shop/web)");
        }
        String namespace = reference.substring(0, slash);
        String name = reference.substring(slash + 1);
        List<String> problems = new ArrayList<>();
        if (!NAMESPACE.matcher(namespace).matches()) {
            problems.add(
                    "'" + namespace + "' is not a namespace name (lower-case letters, digits and '-', at most 63)");
        }
        if (!RELEASE.matcher(name).matches()) {
            problems.add("'" + name + "' is not a Helm release name (lower-case letters, digits, '-' and '.', at "
                    + "most 53)");
        }
        if (!problems.isEmpty()) {
            throw new DiffSettings.SettingsException(
                    "--helm-installed '" + reference + "': " + String.join("; ", problems));
        }
        return new String[] {namespace, name};
    }
}
