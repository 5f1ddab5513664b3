package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code driftwatch diff --dir} against a real API server: what goes wrong is named, exit 2, no result printed. */
@WithKubeApiServer
class DiffCommandIT {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CommandLine cl = DriftwatchCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void kindTheClusterDoesNotServeIsAnErrorNamingIt(LocalKubeCluster cluster, TestNamespace ns) throws IOException {
        Files.writeString(dir.resolve("gizmo.yaml"), "apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n");

        int code = run("diff", "--dir", dir.toString(), "-n", ns.name(), "--kubeconfig", cluster.kubeconfig().toString());

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("Gizmo").contains("example.com/v1");
        assertThat(out.toString()).isEmpty();
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

        int code = run("diff", "--dir", dir.toString(), "-n", ns.name(), "--kubeconfig", cluster.kubeconfig().toString());

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("autoscaling/v2beta2").contains("autoscaling/v2");
    }

    @Test
    void unreachableClusterIsAnErrorNamingTheServer(LocalKubeCluster cluster) throws IOException {
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        Path dead = dir.resolve("dead-kubeconfig");
        Files.writeString(dead, Files.readString(cluster.kubeconfig())
                .replace(cluster.url(), "https://127.0.0.1:1"));

        int code = run("diff", "--dir", dir.toString(), "--kubeconfig", dead.toString());

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("cannot reach the cluster at https://127.0.0.1:1");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void objectsNotYetInTheClusterAreMissingAndNamed(LocalKubeCluster cluster, TestNamespace ns) throws IOException {
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
                + "data:\n  a: \"1\"\n");

        int code = run("diff", "--dir", dir.toString(), "-n", ns.name(), "--kubeconfig", cluster.kubeconfig().toString());

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.DRIFT);
        assertThat(out.toString()).contains("ConfigMap " + ns.name() + "/settings").contains("missing");
    }
}
