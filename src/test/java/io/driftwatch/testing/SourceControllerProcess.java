package io.driftwatch.testing;

import io.driftwatch.localkube.LocalKubeCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real source-controller alone (no kustomize-controller), for the HelmRelease tests: CRDs and namespace through
 * {@link FluxControllers#install}, the binary run as a local process with its artifact server on a free 127.0.0.1
 * port. The cluster is given through {@code KUBECONFIG} (source-controller v1.9.6 has no {@code --kubeconfig} flag),
 * with the test cluster's admin credentials. Ready (readyz) on return.
 */
public final class SourceControllerProcess implements AutoCloseable {

    private final ServerProcess process;

    private SourceControllerProcess(ServerProcess process) {
        this.process = process;
    }

    public static SourceControllerProcess start(LocalKubeCluster cluster, Path workDir) {
        FluxControllers.install(cluster);
        try {
            Path storage = Files.createDirectories(workDir.resolve("storage"));
            Path home = Files.createDirectories(workDir.resolve("home-source-controller"));
            String artifacts = "127.0.0.1:" + ServerProcess.freePort();
            int health = ServerProcess.freePort();
            List<String> command = List.of(
                    FluxControllers.binary("source-controller", FluxControllers.SOURCE_CONTROLLER_VERSION)
                            .toString(),
                    "--watch-all-namespaces=true",
                    "--enable-leader-election=false",
                    "--metrics-addr=127.0.0.1:" + ServerProcess.freePort(),
                    "--health-addr=127.0.0.1:" + health,
                    "--events-addr=",
                    "--log-level=info",
                    "--storage-path=" + storage,
                    "--storage-addr=" + artifacts,
                    "--storage-adv-addr=" + artifacts);
            return new SourceControllerProcess(ServerProcess.start(
                    "source-controller",
                    command,
                    Map.of(
                            "HOME", home.toString(),
                            "TMPDIR", home.toString(),
                            "RUNTIME_NAMESPACE", FluxControllers.NAMESPACE,
                            "KUBECONFIG", cluster.kubeconfig().toString()),
                    workDir,
                    "healthy",
                    () -> ServerProcess.status("http://127.0.0.1:" + health + "/readyz") == 200,
                    Duration.ofSeconds(180)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logs() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }
}
