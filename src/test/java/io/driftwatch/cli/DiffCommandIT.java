package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.CliRun;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftwatch diff --dir} against a real API server: what goes wrong is named, exit 2, no result printed. */
@WithKubeApiServer
class DiffCommandIT {

    @TempDir
    Path dir;

    @Test
    void kindTheClusterDoesNotServeIsAnErrorNamingIt(LocalKubeCluster cluster, TestNamespace ns) throws IOException {
        Files.writeString(dir.resolve("gizmo.yaml"), "apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n");

        CliRun run = CliRun.of(
                "diff",
                "--dir",
                dir.toString(),
                "-n",
                ns.name(),
                "--kubeconfig",
                cluster.kubeconfig().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("Gizmo").contains("example.com/v1");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void versionTheClusterNoLongerServesIsAnErrorNamingTheServedOnes(LocalKubeCluster cluster, TestNamespace ns)
            throws IOException {
        Files.writeString(dir.resolve("hpa.yaml"), """
                apiVersion: autoscaling/v2beta2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: web
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                """);

        CliRun run = CliRun.of(
                "diff",
                "--dir",
                dir.toString(),
                "-n",
                ns.name(),
                "--kubeconfig",
                cluster.kubeconfig().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("autoscaling/v2beta2").contains("autoscaling/v2");
    }

    @Test
    void unreachableClusterIsAnErrorNamingTheServer(LocalKubeCluster cluster) throws IOException {
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        Path dead = dir.resolve("dead-kubeconfig");
        Files.writeString(dead, Files.readString(cluster.kubeconfig()).replace(cluster.url(), "https://127.0.0.1:1"));

        CliRun run = CliRun.of("diff", "--dir", dir.toString(), "--kubeconfig", dead.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("cannot reach the cluster at https://127.0.0.1:1");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void objectsNotYetInTheClusterAreMissingAndNamed(LocalKubeCluster cluster, TestNamespace ns) throws IOException {
        Files.writeString(
                dir.resolve("cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n" + "data:\n  a: \"1\"\n");

        CliRun run = CliRun.of(
                "diff",
                "--dir",
                dir.toString(),
                "-n",
                ns.name(),
                "--kubeconfig",
                cluster.kubeconfig().toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.DRIFT);
        assertThat(run.stdout())
                .contains("ConfigMap " + ns.name() + "/settings")
                .contains("missing");
    }

    @Test
    void theNamedContextIsTheClusterTalkedToAndAnUnknownOneIsRefused(LocalKubeCluster cluster, TestNamespace ns)
            throws IOException {
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
        // the current context points at a dead server; only --context reaches the real one
        String real = Files.readString(cluster.kubeconfig());
        Path two = dir.resolve("two-contexts");
        Files.writeString(
                two,
                real.replace("current-context: local", "current-context: dead")
                        .replace("contexts:\n", "contexts:\n- name: dead\n  context: {cluster: dead, user: admin}\n")
                        .replace(
                                "clusters:\n",
                                "clusters:\n- name: dead\n  cluster: {server: \"https://127.0.0.1:1\"}\n"));

        CliRun chosen = CliRun.of(
                "diff", "--dir", dir.toString(), "-n", ns.name(), "--kubeconfig", two.toString(), "--context", "local");
        CliRun unknown = CliRun.of(
                "diff", "--dir", dir.toString(), "-n", ns.name(), "--kubeconfig", two.toString(), "--context", "locl");

        assertThat(chosen.exitCode()).as(chosen.stderr()).isEqualTo(ExitCodes.DRIFT);
        assertThat(chosen.stdout()).contains("ConfigMap " + ns.name() + "/settings");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(unknown.stderr())
                .contains("--context locl: no such context in kubeconfig " + two + " (available: dead, local)");
        assertThat(unknown.stdout()).isEmpty();
    }

    @Test
    void emptyDesiredStateIsAnErrorUnlessAllowedForDirectoriesAndGitRenders(LocalKubeCluster cluster, TestNamespace ns)
            throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        io.driftwatch.testing.GitRepoFixture repo = io.driftwatch.testing.GitRepoFixture.init(dir.resolve("repo"));
        repo.write("apps/shop/README.md", "manifests moved to apps/store\n").commit("docs only");
        String kubeconfig = cluster.kubeconfig().toString();

        CliRun allowed = CliRun.of(
                "diff", "--dir", empty.toString(), "-n", ns.name(), "--kubeconfig", kubeconfig, "--allow-empty");
        CliRun git = CliRun.of(
                "diff",
                "--repo",
                repo.fileUrl(),
                "--path",
                "apps/shop",
                "-n",
                ns.name(),
                "--kubeconfig",
                kubeconfig,
                "--git-cache-dir",
                dir.resolve("cache").toString());

        assertThat(allowed.exitCode()).as(allowed.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(git.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(git.stderr())
                .contains("--path apps/shop renders no Kubernetes objects")
                .contains("--allow-empty");
        assertThat(git.stdout()).isEmpty();
    }
}
