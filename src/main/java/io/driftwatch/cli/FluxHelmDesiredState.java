package io.driftwatch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.diff.Tracking;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.flux.FluxHelmReleaseSource;
import io.driftwatch.source.git.Renderers;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** One-shot load of a Flux HelmRelease's desired state for {@code driftwatch diff --flux-helmrelease NS/NAME}. */
final class FluxHelmDesiredState {

    /** helm-controller's origin label on what it installed (value: the HelmRelease's name). */
    static final Tracking TRACKING = FluxHelmReleaseSource.TRACKING;

    /**
     * What the diff needs: the objects, the app ({@code HelmRelease/<namespace>/<name>}), the release namespace for objects that set
     * none, when the desired content last changed (the evidence for pending-sync; null when unknown), and what Helm
     * deletes.
     */
    record Loaded(List<ObjectNode> objects, String app, String namespace, Instant changedAt, PrunePolicy prune) {}

    private FluxHelmDesiredState() {}

    static Loaded load(
            String reference,
            FluxHelmReleaseSource.Mode mode,
            boolean readSecrets,
            Config config,
            ManifestLimits limits,
            PrintWriter err)
            throws SourceException {
        FluxReference ref = FluxReference.parse("--flux-helmrelease", reference, "flux-system/podinfo");
        String namespace = ref.namespace();
        String name = ref.name();
        ExecutorService pool = FluxReference.renderPool();
        try (KubernetesClient client = OneShotClients.build(config)) {
            FluxHelmReleaseSource source = new FluxHelmReleaseSource(
                    client,
                    namespace,
                    name,
                    mode,
                    readSecrets,
                    ToolBinaries.fromEnvironment(),
                    new ToolRunner(pool, Renderers.DEFAULT_TIMEOUT),
                    HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(10))
                            .build(),
                    limits,
                    Clock.systemUTC());
            DesiredState state = source.load();
            err.println("desired state: " + state.objects().size() + " objects from Flux HelmRelease " + reference
                    + " (" + (mode == FluxHelmReleaseSource.Mode.CHART ? "rendered from " : "installed: ")
                    + state.revision() + ")");
            if (!source.note().isEmpty()) {
                err.println("note: " + source.note());
            }
            err.flush();
            Instant changedAt = mode == FluxHelmReleaseSource.Mode.CHART ? state.revisionTime() : null;
            return new Loaded(state.objects(), source.app(), source.targetNamespace(), changedAt, state.prune());
        } finally {
            pool.shutdownNow();
        }
    }
}
