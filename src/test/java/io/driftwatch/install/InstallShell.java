package io.driftwatch.install;

import io.driftwatch.localkube.LocalKubeBinaries;
import io.driftwatch.localkube.LocalKubeCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs shell blocks the way a person following the README would: bash in a checkout, with {@code driftwatch} (the
 * launcher the build wrote), the real {@code kubectl}, {@code kustomize} and {@code helm} on PATH, and KUBECONFIG
 * pointing at the test's API server. HOME is a directory of its own (kubectl's and helm's caches).
 */
final class InstallShell {

    private final Path checkout;
    private final Path bin;
    private final Path home;
    private final LocalKubeCluster cluster;

    private InstallShell(Path checkout, Path bin, Path home, LocalKubeCluster cluster) {
        this.checkout = checkout;
        this.bin = bin;
        this.home = home;
        this.cluster = cluster;
    }

    /** A shell in {@code dir}/checkout, holding copies of the repository's {@code k8s/} and {@code charts/}. */
    static InstallShell in(Path dir, LocalKubeCluster cluster) {
        try {
            Path checkout = Files.createDirectories(dir.resolve("checkout"));
            copyTree(Path.of("k8s"), checkout.resolve("k8s"));
            copyTree(Path.of("charts"), checkout.resolve("charts"));
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Path launcher = Path.of("target", "driftwatch").toAbsolutePath();
            if (!Files.isExecutable(launcher)) {
                throw new AssertionError(launcher + " is missing: `mvn package` writes the launcher before the ITs");
            }
            Files.createSymbolicLink(bin.resolve("driftwatch"), launcher);
            Files.createSymbolicLink(
                    bin.resolve("kubectl"), LocalKubeBinaries.find().kubectl());
            Files.createSymbolicLink(bin.resolve("kustomize"), tool("DRIFTWATCH_KUSTOMIZE", "kustomize"));
            Files.createSymbolicLink(bin.resolve("helm"), tool("DRIFTWATCH_HELM", "helm"));
            return new InstallShell(checkout, bin, Files.createDirectories(dir.resolve("home")), cluster);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tool named by the environment variable (scripts/test-binaries.sh --print); fails naming it. */
    static Path tool(String env, String name) {
        String path = System.getenv(env);
        if (path == null || !Files.isExecutable(Path.of(path))) {
            throw new AssertionError(env + " must name the " + name + " binary (scripts/test-binaries.sh --print)");
        }
        return Path.of(path);
    }

    Path checkout() {
        return checkout;
    }

    /** Runs the block with {@code bash -euo pipefail}; fails the test with its output when it exits non-zero. */
    String run(String name, String block) {
        Result r = tryRun(block);
        if (r.exitCode() != 0) {
            throw new AssertionError(
                    "README block " + name + " exited " + r.exitCode() + ":\n" + block + "\n---\n" + r.output());
        }
        return r.output();
    }

    Result tryRun(String block) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", block)
                .directory(checkout.toFile())
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        pb.environment().put("HOME", home.toString());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish in 300 s:\n" + block + "\n---\n" + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    record Result(int exitCode, String output) {}

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
