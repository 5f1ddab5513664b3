package io.driftwatch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.ArgoCdConnection;
import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.diff.Tracking;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.argocd.ArgoCdAppSource;
import io.driftwatch.source.argocd.ArgoCdClient;
import io.driftwatch.source.argocd.ArgoCdSource;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/** One-shot load of an Argo CD app's desired state for {@code driftwatch diff --argocd-server --argocd-app}. */
final class ArgoCdDesiredState {

    /**
     * What the diff needs: the objects, the app's destination namespace, how Argo CD tracks live objects, and whether
     * it prunes.
     */
    record Loaded(List<ObjectNode> objects, String namespace, Tracking tracking, PrunePolicy prune) {}

    private ArgoCdDesiredState() {}

    static Loaded load(ArgoCdConnection connection, String app, String appNamespace, PrintWriter err)
            throws SourceException {
        List<String> problems = connection.problems("--argocd").stream()
                .map(p -> p.replace("--argocd.server", "--argocd-server")
                        .replace("--argocd.tokenFile", "--argocd-token-file")
                        .replace("--argocd.caFile", "--argocd-ca-file")
                        .replace("--argocd.insecure", "--argocd-insecure"))
                .toList();
        if (!problems.isEmpty()) {
            throw new DiffSettings.SettingsException(String.join("; ", problems));
        }
        ArgoCdSource source =
                new ArgoCdSource(new ArgoCdClient(connection), List.of(), null, appNamespace, Clock.systemUTC());
        ArgoCdAppSource appSource = new ArgoCdAppSource(app, source, Clock.systemUTC());
        DesiredState state = appSource.load();
        err.println("desired state: " + state.objects().size() + " objects from Argo CD app " + app + " at "
                + state.revision() + " (" + connection.baseUri() + ")");
        err.flush();
        return new Loaded(
                state.objects(), appSource.targetNamespace(), source.settings().tracking(), state.prune());
    }
}
