package io.driftwatch.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.ServerProcess;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image, built from the real Dockerfile here (scripts/build-image.sh: buildah with chroot isolation and base images
 * assembled from Debian packages), then run as a pod runs it — uid/gid 65532, read-only root, tmpfs at /tmp and at
 * the working directory (run-read-only.sh beside this class): {@code driftwatch version} through the image's
 * entrypoint (the launcher, mapping the class-data archive the image build wrote), and the agent against the test API
 * server until {@code /readyz} answers 200.
 */
@WithKubeApiServer
class ImageIT {

    private static final String IMAGE = "localhost/driftwatch:image-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String container;

    @AfterEach
    void removeContainer() throws Exception {
        if (container != null) {
            run(List.of("buildah", "umount", container), 60);
            run(List.of("buildah", "rm", container), 60);
        }
    }

    @Test
    void imageBuildsAndRunsAsNonRootWithAReadOnlyRoot(LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        long start = System.nanoTime();
        Run build = run(List.of("scripts/build-image.sh", IMAGE), 3600);
        assertThat(build.exitCode())
                .as("scripts/build-image.sh:\n" + build.output())
                .isZero();
        System.out.printf(
                "ImageIT: scripts/build-image.sh took %d s; %s%n",
                Duration.ofNanos(System.nanoTime() - start).toSeconds(), last(build.output()));

        JsonNode config = JSON.readTree(run(List.of("buildah", "inspect", "--type", "image", IMAGE), 60)
                        .output())
                .path("OCIv1")
                .path("config");
        assertThat(config.path("User").asText()).isEqualTo("65532:65532");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).containsExactly("/opt/driftwatch/driftwatch");
        Path env = tmp.resolve("env");
        List<String> envLines = new ArrayList<>();
        config.path("Env").forEach(e -> envLines.add(e.asText()));
        Files.write(env, envLines);
        String workdir = config.path("WorkingDir").asText();

        container =
                last(run(List.of("buildah", "from", "--pull-never", IMAGE), 120).output());
        Path root = Path.of(last(run(List.of("buildah", "mount", container), 60).output()));

        // -Xshare:on: the JVM refuses to start unless the launcher maps the image's class-data archive
        List<String> version = new ArrayList<>(readOnly(root, workdir, env, List.of()));
        version.addAll(List.of("env", "JAVA_OPTS=-Xshare:on"));
        version.addAll(entrypoint);
        version.add("version");
        Run v = run(version, 120);
        assertThat(v.exitCode()).as(v.output()).isZero();
        assertThat(v.output()).contains("driftwatch 0.1.0");
        Run whoami = run(
                concat(
                        readOnly(root, workdir, env, List.of()),
                        "sh",
                        "-c",
                        "id -u; id -g; touch /probe 2>&1 || true; touch /tmp/ok && echo tmp-writable"),
                60);
        assertThat(whoami.output())
                .contains("65532\n65532\n")
                .contains("Read-only file system")
                .contains("tmp-writable");

        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Path desired = Files.createDirectories(etc.resolve("desired"));
        Files.writeString(desired.resolve("cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: image-it, namespace: %s}
                data: {a: "1"}
                """.formatted(ns.name()));
        Files.copy(cluster.kubeconfig(), etc.resolve("kubeconfig"));
        int port = ServerProcess.freePort();
        Files.writeString(etc.resolve("agent.yaml"), """
                cluster: image-it
                http: {host: 127.0.0.1, port: %d}
                leaderElection: {enabled: false}
                scope: {namespaces: {include: [%s]}}
                sources:
                  directories:
                  - {name: image-it, path: /etc/driftwatch/desired, targetNamespace: %s}
                """.formatted(port, ns.name(), ns.name()));
        List<String> agent = concat(readOnly(root, workdir, env, List.of(etc + ":/etc/driftwatch")));
        agent.addAll(List.of("env", "KUBECONFIG=/etc/driftwatch/kubeconfig"));
        agent.addAll(entrypoint);
        agent.addAll(List.of("agent", "--config", "/etc/driftwatch/agent.yaml"));
        AgentEndpoint endpoint = new AgentEndpoint(port);
        try (ServerProcess process = ServerProcess.start(
                "agent-in-image", agent, java.util.Map.of(), tmp, "ready", endpoint::ready, Duration.ofSeconds(180))) {
            Eventually.await(
                    "the missing ConfigMap reported as drift",
                    Duration.ofSeconds(60),
                    () -> endpoint.drifts().size() == 1,
                    process::logTail);
        }
    }

    /** The prefix that runs a command in the container as a pod would (see run-read-only.sh). */
    private static List<String> readOnly(Path root, String workdir, Path env, List<String> binds) throws IOException {
        Path script = Path.of("src", "test", "resources", "io", "driftwatch", "install", "run-read-only.sh");
        List<String> command =
                new ArrayList<>(List.of(script.toAbsolutePath().toString(), root.toString(), workdir, env.toString()));
        binds.forEach(b -> command.addAll(List.of("--bind", b)));
        command.add("--");
        return command;
    }

    private static List<String> concat(List<String> prefix, String... rest) {
        List<String> out = new ArrayList<>(prefix);
        out.addAll(List.of(rest));
        return out;
    }

    private static String last(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static Run run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Run(p.exitValue(), out);
    }

    private record Run(int exitCode, String output) {}
}
