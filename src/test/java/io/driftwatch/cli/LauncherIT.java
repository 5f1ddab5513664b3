package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.ServerProcess;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code driftwatch} launcher the build writes, run as a person or CI runs it: a process of its own, whose stderr
 * is what a terminal or a CI log shows (logging is configured only in a process of its own, never in the tests' JVM).
 */
@WithKubeApiServer
class LauncherIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LAUNCHER = Path.of("target", "driftwatch").toAbsolutePath();

    @TempDir
    Path tmp;

    private record Run(int exitCode, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private Run driftwatch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        pb.environment().remove("DRIFTWATCH_LOG_FORMAT");
        pb.environment().remove("DRIFTWATCH_LOG_LEVEL");
        // the launcher's class-data archive and the OpenAPI cache go here, not into the user's cache
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("driftwatch " + String.join(" ", args) + " did not finish in 300 s");
        }
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    private static boolean isJson(String line) {
        try {
            return JSON.readTree(line) instanceof com.fasterxml.jackson.databind.node.ObjectNode o
                    && o.has("@timestamp");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aOneShotDiffWritesNoJsonLogLinesUnlessAskedTo(LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("repo"));
        repo.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n");
        repo.commit("a config map");
        String[] diff = {
            "diff",
            "--repo",
            repo.fileUrl(),
            "--path",
            "app",
            "-n",
            ns.name(),
            "--app",
            ns.name(),
            "--kubeconfig",
            cluster.kubeconfig().toString(),
            "--git-cache-dir",
            tmp.resolve("cache").toString()
        };

        Run quiet = driftwatch(Map.of(), diff);

        assertThat(quiet.exitCode()).as(quiet.stderr()).isEqualTo(ExitCodes.DRIFT);
        assertThat(quiet.stdout())
                .contains("ConfigMap " + ns.name() + "/settings")
                .contains("missing");
        assertThat(quiet.stderrLines())
                .as("stderr of a plain diff")
                .noneMatch(LauncherIT::isJson)
                .noneMatch(l -> l.startsWith("{"))
                .noneMatch(l -> l.contains("rendered"));

        // the same run at INFO logs the render (so the quiet run above had something to leave out) as text ...
        Run info = driftwatch(Map.of(), withArgs(diff, "--log-level", "info"));
        assertThat(info.exitCode()).isEqualTo(ExitCodes.DRIFT);
        assertThat(info.stderrLines())
                .anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*rendered 1 objects.*"))
                .noneMatch(LauncherIT::isJson);
        // ... and as JSON when asked, by flag or by environment
        Run json = driftwatch(Map.of("DRIFTWATCH_LOG_FORMAT", "json"), withArgs(diff, "--log-level", "info"));
        assertThat(json.stderrLines()).anyMatch(l -> isJson(l) && l.contains("rendered 1 objects"));
        assertThat(json.stdout()).isEqualTo(info.stdout()).isEqualTo(quiet.stdout());

        // the build's class-data archive holds the client's classes (its training run diffed against a local HTTPS
        // server), so the first diff against a cluster maps them instead of loading them from the jar
        // (-Xshare:on makes the JVM refuse to start if the archive does not fit) and prints the same; no run writes
        // an archive of its own
        Path classLog = tmp.resolve("class-load.log");
        Run shared = driftwatch(Map.of("JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + classLog), diff);
        assertThat(shared.exitCode()).as(shared.stderr()).isEqualTo(ExitCodes.DRIFT);
        assertThat(shared.stdout()).isEqualTo(quiet.stdout());
        List<String> loaded = Files.readAllLines(classLog);
        for (String clientClass : List.of(
                "sun.security.ssl.CertificateVerify",
                "io.netty.handler.ssl.SslHandler",
                "io.vertx.core.http.impl.Http1xClientConnection",
                "io.fabric8.kubernetes.client.vertx.VertxHttpClient",
                "io.fabric8.kubernetes.api.model.GenericKubernetesResourceList",
                "io.driftwatch.live.LiveReader",
                "io.driftwatch.diff.OpenApiListSchema")) {
            assertThat(loaded)
                    .as(clientClass + " loaded from the build's archive")
                    .anyMatch(l -> l.contains(" " + clientClass + " source: shared objects file"));
        }
        assertThat(tmp.resolve("xdg-cache").resolve("driftwatch").resolve("cds"))
                .doesNotExist();
    }

    @Test
    void theAgentLogsJsonByDefaultAndByFlagOverTheEnvironment(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        Path manifests = Files.createDirectories(tmp.resolve("manifests"));
        Files.writeString(manifests.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n");
        Path config = Files.writeString(
                tmp.resolve("agent.yaml"), """
                cluster: launcher-it
                http: {host: 127.0.0.1, port: %d}
                leaderElection: {enabled: false}
                events: {enabled: false}
                sources:
                  directories:
                  - {name: shop, path: %s, targetNamespace: %s}
                """.formatted(ServerProcess.freePort(), manifests, ns.name()));
        String[] agent = {
            "agent",
            "--config",
            config.toString(),
            "--kubeconfig",
            cluster.kubeconfig().toString()
        };

        assertThat(isJson(firstStderrLine(Map.of(), agent))).as("default").isTrue();
        String overridden =
                firstStderrLine(Map.of("DRIFTWATCH_LOG_FORMAT", "text"), withArgs(agent, "--log-format", "json"));
        JsonNode line = JSON.readTree(overridden);
        assertThat(line.has("@timestamp") && line.has("logger_name") && line.has("level"))
                .as(overridden)
                .isTrue();
        assertThat(isJson(firstStderrLine(Map.of("DRIFTWATCH_LOG_FORMAT", "text"), agent)))
                .as("environment")
                .isFalse();
    }

    /** Starts the command, returns its first stderr line, and stops it. */
    private String firstStderrLine(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("DRIFTWATCH_LOG_FORMAT");
        pb.environment().putAll(env);
        Process p = pb.start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the process was stopped
            }
        });
        reader.start();
        try {
            String first = lines.poll(180, TimeUnit.SECONDS);
            assertThat(first).as("a log line within 180 s").isNotNull();
            return first;
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void versionNamesTheCommitTheJarWasBuiltFrom() throws Exception {
        Run run = driftwatch(Map.of(), "version", "-o", "json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode version = JSON.readTree(run.stdout());
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD")
                .redirectErrorStream(true)
                .start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor()).as(head).isZero();
        // the build of this test run (mvn verify packages before the integration tests) was made from this checkout
        assertThat(version.get("gitCommit").asText()).isEqualTo(head);
        assertThat(version.get("gitTreeState").asText()).isIn("clean", "dirty");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void bashCompletionIsValidAndCompletesCommandsAndOptions() throws Exception {
        Run run = driftwatch(Map.of(), "completion", "bash");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Path script = Files.writeString(tmp.resolve("driftwatch.bash"), run.stdout());
        assertThat(bash("bash -n " + script)).isEmpty();
        assertThat(driftwatch(Map.of(), "completion", "zsh").stdout()).isEqualTo(run.stdout());

        assertThat(complete(script, "driftwatch", ""))
                .contains("agent", "hub", "diff", "demo", "version", "completion");
        assertThat(complete(script, "driftwatch", "diff", "--max-d"))
                .containsExactly("--max-document-bytes", "--max-documents");
        assertThat(complete(script, "driftwatch", "version", "-o", "")).containsExactly("text", "json", "yaml");
        assertThat(complete(script, "driftwatch", "hub", "")).contains("hash-token");
        assertThat(complete(script, "driftwatch", "agent", "--check")).containsExactly("--check-config");
    }

    /** What the completion function offers for the words typed so far (the last one being completed). */
    private List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append('\'');
        }
        String out = bash("source " + script + " 2>/dev/null\nCOMP_WORDS=(" + array + ")\nCOMP_CWORD="
                + (words.length - 1) + "\nCOMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n"
                + "_complete_driftwatch 2>/dev/null\nprintf '%s\\n' \"${COMPREPLY[@]}\"");
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String[] withArgs(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
