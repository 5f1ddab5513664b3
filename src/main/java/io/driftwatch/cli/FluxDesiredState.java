package io.driftwatch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.flux.FluxKustomizationSource;
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

/** One-shot load of a Flux Kustomization's desired state for {@code driftwatch diff --flux-kustomization NS/NAME}. */
final class FluxDesiredState {

    /**
     * What the diff needs: the objects, the app ({@code Kustomization/<namespace>/<name>}), the namespace for unset ones, and when the
     * artifact was produced (a kustomize-controller write older than that is pending-sync, not drift), and whether
     * kustomize-controller prunes ({@code spec.prune}).
     */
    record Loaded(List<ObjectNode> objects, String app, String namespace, Instant revisionTime, PrunePolicy prune) {}

    private FluxDesiredState() {}

    static Loaded load(String reference, Config config, ManifestLimits limits, PrintWriter err) throws SourceException {
        FluxReference ref = FluxReference.parse("--flux-kustomization", reference, "flux-system/apps");
        String namespace = ref.namespace();
        String name = ref.name();
        ExecutorService pool = FluxReference.renderPool();
        try (KubernetesClient client = OneShotClients.build(config)) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            FluxKustomizationSource source = new FluxKustomizationSource(
                    client,
                    namespace,
                    name,
                    ToolBinaries.fromEnvironment(),
                    new ToolRunner(pool, Renderers.DEFAULT_TIMEOUT),
                    http,
                    limits,
                    Clock.systemUTC());
            DesiredState state = source.load();
            err.println("desired state: " + state.objects().size() + " objects from Flux Kustomization " + reference
                    + " at " + state.revision() + " (artifact fetched " + state.revisionTime() + ")");
            err.flush();
            return new Loaded(
                    state.objects(), source.app(), source.targetNamespace(), state.revisionTime(), state.prune());
        } finally {
            pool.shutdownNow();
        }
    }
}
