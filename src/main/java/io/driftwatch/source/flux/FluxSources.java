package io.driftwatch.source.flux;

import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Makes the sources of the Kustomizations and HelmReleases an agent follows, all sharing one client, one HTTP client
 * for the artifact server, the {@code kustomize} and {@code helm} binaries and the render pool.
 */
public final class FluxSources {

    private final KubernetesClient client;
    private final ToolBinaries binaries;
    private final ToolRunner runner;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ManifestLimits limits;
    private final Clock clock;
    private final FluxHelmReleaseSource.Mode helmMode;
    private final boolean helmValuesSecrets;

    /**
     * @param helmMode          where a HelmRelease's desired state is read from
     * @param helmValuesSecrets whether Secrets a HelmRelease's {@code valuesFrom} names may be read
     */
    public FluxSources(
            KubernetesClient client,
            ToolBinaries binaries,
            ToolRunner runner,
            ManifestLimits limits,
            Clock clock,
            FluxHelmReleaseSource.Mode helmMode,
            boolean helmValuesSecrets) {
        this.client = client;
        this.binaries = binaries;
        this.runner = runner;
        this.limits = limits;
        this.clock = clock;
        this.helmMode = helmMode;
        this.helmValuesSecrets = helmValuesSecrets;
    }

    public FluxKustomizationSource kustomization(String namespace, String name) {
        return new FluxKustomizationSource(client, namespace, name, binaries, runner, http, limits, clock);
    }

    public FluxHelmReleaseSource helmRelease(String namespace, String name) {
        return new FluxHelmReleaseSource(
                client, namespace, name, helmMode, helmValuesSecrets, binaries, runner, http, limits, clock);
    }
}
