package io.driftwatch.source.flux;

import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Makes the {@link FluxKustomizationSource} of each Kustomization an agent follows, all sharing one client, one HTTP
 * client for the artifact server, the {@code kustomize} binary and the render pool.
 */
public final class FluxKustomizations {

    private final KubernetesClient client;
    private final ToolBinaries binaries;
    private final ToolRunner runner;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ManifestLimits limits;
    private final Clock clock;

    public FluxKustomizations(
            KubernetesClient client, ToolBinaries binaries, ToolRunner runner, ManifestLimits limits, Clock clock) {
        this.client = client;
        this.binaries = binaries;
        this.runner = runner;
        this.limits = limits;
        this.clock = clock;
    }

    public FluxKustomizationSource source(String namespace, String name) {
        return new FluxKustomizationSource(client, namespace, name, binaries, runner, http, limits, clock);
    }
}
