package io.driftwatch.testing;

import io.driftwatch.localkube.LocalKubeBinaries;
import io.driftwatch.localkube.LocalKubeCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl against the test cluster, so that changes in tests carry the field managers a person's
 * kubectl writes ({@code kubectl-edit}, {@code kubectl-patch}, ...). Fails the test on a non-zero exit.
 */
public final class Kubectl {

    private final Path kubeconfig;

    public Kubectl(LocalKubeCluster cluster) {
        this(cluster.kubeconfig());
    }

    /** kubectl as the user of another kubeconfig (a client-certificate user, a ServiceAccount token). */
    public Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    /** Runs {@code kubectl ARGS} and returns its standard output; throws with the output when it fails. */
    public String run(String... args) {
        Result result = tryRun(args);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    "kubectl " + String.join(" ", args) + " exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /**
     * {@code kubectl wait --for=condition=Established} on CRDs ({@code crd/NAME} or {@code -f FILE}). kubectl's wait
     * fails at once, instead of waiting, when a CRD it reads has no {@code status.conditions} yet (".status.conditions
     * accessor error: <nil>"), as a CRD just created on a loaded API server can; such a run is repeated until the
     * timeout. Any other failure fails the test at once.
     */
    public void awaitEstablished(Duration timeout, String... targets) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
            List<String> args =
                    new ArrayList<>(List.of("wait", "--for=condition=Established", "--timeout=" + left + "s"));
            args.addAll(List.of(targets));
            Result result = tryRun(args.toArray(String[]::new));
            if (result.exitCode() == 0) {
                return;
            }
            boolean noConditionsYet = result.output().contains(".status.conditions accessor error");
            if (!noConditionsYet || System.nanoTime() > deadline) {
                throw new AssertionError(
                        "kubectl " + String.join(" ", args) + " exited " + result.exitCode() + ":\n" + result.output());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public Result tryRun(String... args) {
        return tryRun(Map.of(), args);
    }

    /** Runs {@code kubectl ARGS} with extra environment variables (e.g. {@code KUBE_EDITOR} for {@code kubectl edit}). */
    public Result tryRun(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LocalKubeBinaries.find().kubectl().toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public record Result(int exitCode, String output) {}
}
