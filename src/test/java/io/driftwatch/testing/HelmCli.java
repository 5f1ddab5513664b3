package io.driftwatch.testing;

import io.driftwatch.localkube.LocalKubeCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code helm} binary (from {@code DRIFTWATCH_HELM}, as scripts/test-binaries.sh --print sets it) against
 * the test cluster, with a private Helm home, so releases are stored in the cluster as a Helm user's are.
 */
public final class HelmCli {

    private final LocalKubeCluster cluster;
    private final Path home;

    public HelmCli(LocalKubeCluster cluster, Path home) {
        this.cluster = cluster;
        this.home = home;
    }

    public static Path binary() {
        String helm = System.getenv("DRIFTWATCH_HELM");
        if (helm == null || helm.isBlank() || !Files.isExecutable(Path.of(helm))) {
            throw new AssertionError("helm is missing: set DRIFTWATCH_HELM (scripts/test-binaries.sh --print)");
        }
        return Path.of(helm);
    }

    /** {@code helm ARGS}: its exit code and combined output. */
    public Kubectl.Result tryRun(String... args) {
        List<String> command = new ArrayList<>(List.of(binary().toString()));
        command.addAll(List.of(args));
        command.add("--kubeconfig=" + cluster.kubeconfig());
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("helm " + String.join(" ", args) + " did not finish in 300 s");
            }
            return new Kubectl.Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run helm: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code helm ARGS}; fails the test with the output when helm fails. */
    public String run(String... args) {
        Kubectl.Result result = tryRun(args);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    "helm " + String.join(" ", args) + " exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }
}
