package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which cluster: real kubeconfig files, every way they can point nowhere, each named. */
class ClusterConnectionTest {

    @TempDir
    Path tmp;

    private static final ClusterConnection.Environment NOWHERE = new ClusterConnection.Environment(List.of(), false);

    private Path kubeconfig(String current) throws IOException {
        Path file = tmp.resolve("config-" + current);
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: prod
                  cluster: {server: "https://prod.example:6443"}
                - name: staging
                  cluster: {server: "https://staging.example:6443"}
                users:
                - name: me
                  user: {token: abc}
                contexts:
                - name: prod
                  context: {cluster: prod, user: me, namespace: shop}
                - name: staging
                  context: {cluster: staging, user: me}
                current-context: %s
                """.formatted(current));
        return file;
    }

    @Test
    void theNamedContextIsUsed() throws IOException {
        Config config = ClusterConnection.resolve(kubeconfig("prod"), "staging", NOWHERE);

        assertThat(config.getMasterUrl()).startsWith("https://staging.example:6443");
    }

    @Test
    void withoutContextTheCurrentOneIsUsed() throws IOException {
        Config config = ClusterConnection.resolve(kubeconfig("prod"), null, NOWHERE);

        assertThat(config.getMasterUrl()).startsWith("https://prod.example:6443");
        assertThat(config.getNamespace()).isEqualTo("shop");
    }

    @Test
    void anUnknownContextNamesTheFileAndTheAvailableOnes() throws IOException {
        Path file = kubeconfig("prod");

        assertThatThrownBy(() -> ClusterConnection.resolve(file, "prdo", NOWHERE))
                .isInstanceOf(ClusterConnection.ConnectionException.class)
                .hasMessage("--context prdo: no such context in kubeconfig " + file + " (available: prod, staging)");
    }

    @Test
    void aCurrentContextThatDoesNotExistIsNamed() throws IOException {
        Path file = kubeconfig("gone");

        assertThatThrownBy(() -> ClusterConnection.resolve(file, null, NOWHERE))
                .hasMessageContaining("current-context gone of kubeconfig " + file)
                .hasMessageContaining("available: prod, staging");
    }

    @Test
    void noCurrentContextAsksForOne() throws IOException {
        Path file = kubeconfig("\"\"");

        assertThatThrownBy(() -> ClusterConnection.resolve(file, null, NOWHERE))
                .hasMessageContaining(file + " sets no current-context; pick one with --context");
    }

    @Test
    void aKubeconfigWithoutContextsIsAnErrorNotTheInClusterDefault() throws IOException {
        Path file = Files.writeString(tmp.resolve("empty"), "apiVersion: v1\nkind: Config\nclusters: []\n");

        assertThatThrownBy(() -> ClusterConnection.resolve(file, null, NOWHERE))
                .hasMessage("kubeconfig " + file + " defines no contexts (kubectl config get-contexts lists none)");
        Path blank = Files.writeString(tmp.resolve("blank"), "");
        assertThatThrownBy(() ->
                        ClusterConnection.resolve(null, null, new ClusterConnection.Environment(List.of(blank), true)))
                .hasMessageContaining("kubeconfig " + blank + " defines no contexts");
    }

    @Test
    void aContextWhoseClusterIsMissingIsNamed() throws IOException {
        Path file = Files.writeString(tmp.resolve("dangling"), """
                clusters: []
                contexts:
                - name: dev
                  context: {cluster: dev-cluster}
                current-context: dev
                """);

        assertThatThrownBy(() -> ClusterConnection.resolve(file, null, NOWHERE))
                .hasMessageContaining("context dev in kubeconfig " + file + " names cluster 'dev-cluster'");
    }

    @Test
    void brokenYamlNamesTheFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("broken"), "clusters: [\n  - name: x\ncontexts: {{\n");

        assertThatThrownBy(() -> ClusterConnection.resolve(file, null, NOWHERE))
                .hasMessageStartingWith("kubeconfig " + file + " cannot be parsed: ");
        Path scalar = Files.writeString(tmp.resolve("scalar"), "just text\n");
        assertThatThrownBy(() -> ClusterConnection.resolve(scalar, null, NOWHERE))
                .hasMessageContaining("kubeconfig " + scalar + " is not a kubeconfig");
    }

    @Test
    void unreadableOrDirectoryKubeconfigIsNamed() {
        Path missing = tmp.resolve("missing");

        assertThatThrownBy(() -> ClusterConnection.resolve(missing, null, NOWHERE))
                .hasMessage("kubeconfig " + missing + " (--kubeconfig) does not exist or is not readable");
        assertThatThrownBy(() -> ClusterConnection.resolve(tmp, null, NOWHERE))
                .hasMessage("kubeconfig " + tmp + " (--kubeconfig) is a directory, not a file");
    }

    @Test
    void theDefaultKubeconfigIsCheckedToo() throws IOException {
        Path file = kubeconfig("prod");
        var env = new ClusterConnection.Environment(List.of(file), false);

        assertThatThrownBy(() -> ClusterConnection.resolve(null, "nope", env))
                .hasMessageContaining("--context nope: no such context in kubeconfig " + file);
    }

    @Test
    void noKubeconfigOutsideAPodSaysSoInsteadOfGuessingKubernetesDefaultSvc() {
        Path absent = tmp.resolve("home/.kube/config");
        var env = new ClusterConnection.Environment(List.of(absent), false);

        assertThatThrownBy(() -> ClusterConnection.resolve(null, null, env))
                .hasMessageStartingWith("no kubeconfig (" + absent + " does not exist) and not running in a pod");
        assertThatThrownBy(() -> ClusterConnection.resolve(null, "prod", env))
                .hasMessageStartingWith("--context prod: no kubeconfig to find it in");
    }

    @Test
    void diffAndAgentExitTwoOnAnUnknownContextBeforeConnecting() throws IOException {
        Path file = kubeconfig("prod");
        Path manifests = Files.createDirectories(tmp.resolve("manifests"));
        Files.writeString(manifests.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        Path agentConfig = Files.writeString(
                tmp.resolve("agent.yaml"),
                "cluster: c\nleaderElection: {enabled: false}\n" + "sources:\n  directories:\n  - {name: a, path: "
                        + manifests + "}\n");

        var diff = io.driftwatch.testing.CliRun.of(
                "diff", "--dir", manifests.toString(), "--kubeconfig", file.toString(), "--context", "nope");
        var agent = io.driftwatch.testing.CliRun.of(
                "agent", "-c", agentConfig.toString(), "--kubeconfig", file.toString(), "--context", "nope");

        for (var run : List.of(diff, agent)) {
            assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(run.stderr())
                    .contains("error: --context nope: no such context in kubeconfig " + file
                            + " (available: prod, staging)");
        }
    }
}
