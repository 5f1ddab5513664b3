package io.driftwatch.localkube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A test JVM killed with SIGKILL leaves the control plane running; the next start must reap them. */
class OrphanReapingIT {

    @Test
    void processesOfAKilledJvmAreReapedByTheNextStart() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StartClusterAndWait.class.getName())
                .redirectErrorStream(true)
                .start();
        Path runDir;
        try {
            runDir = awaitReadyLine(jvm);
        } finally {
            jvm.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        }
        List<ProcessHandle> children = Files.readAllLines(runDir.resolve("children.pid")).stream()
                .filter(l -> !l.isBlank())
                .map(l -> ProcessHandle.of(Long.parseLong(l.trim())).orElseThrow())
                .toList();
        assertThat(children).hasSize(4);
        assertThat(children)
                .as("etcd, kube-apiserver, kube-controller-manager and kube-scheduler outlive the killed JVM")
                .allMatch(ProcessHandle::isAlive);

        int reaped = RunDirectory.reapOrphans();

        assertThat(reaped).isGreaterThanOrEqualTo(1);
        for (ProcessHandle child : children) {
            child.onExit().get(30, TimeUnit.SECONDS);
            assertThat(child.isAlive()).isFalse();
        }
        assertThat(runDir).doesNotExist();
    }

    private static Path awaitReadyLine(Process jvm) throws Exception {
        CompletableFuture<Path> ready = CompletableFuture.supplyAsync(() -> {
            StringBuilder output = new StringBuilder();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("READY ")) {
                        return Path.of(line.substring("READY ".length()).trim());
                    }
                    output.append(line).append('\n');
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("child JVM ended before its cluster was ready:\n" + output);
        });
        return ready.get(240, TimeUnit.SECONDS);
    }
}
