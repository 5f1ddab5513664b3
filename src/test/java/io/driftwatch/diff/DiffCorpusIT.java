package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The diff engine on a real API server: a realistic corpus applied client-side and server-side shows no drift at all
 * (defaults, quantities, empty values, webhooks, HPA-owned replicas are not drift).
 */
@WithKubeApiServer
class DiffCorpusIT {

    static DiffCli.Run diff(LocalKubeCluster cluster, TestNamespace ns, Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "diff",
                "--dir",
                dir.toString(),
                "-n",
                ns.name(),
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "--app",
                ns.name(),
                "-o",
                "json"));
        args.addAll(List.of(extra));
        return DiffCli.run(args);
    }

    /** Applies CRDs first and waits until they are established, then everything else, in file order. */
    static void apply(Kubectl kubectl, TestNamespace ns, Path dir, String... applyFlags) {
        for (Path crd : Corpus.crdFiles(dir)) {
            List<String> args = new ArrayList<>(List.of("apply", "-n", ns.name(), "-f", crd.toString()));
            args.addAll(List.of(applyFlags));
            kubectl.run(args.toArray(String[]::new));
            kubectl.awaitEstablished(Duration.ofSeconds(60), "-f", crd.toString());
        }
        List<String> args = new ArrayList<>(List.of("apply", "-n", ns.name(), "-f", dir.toString()));
        args.addAll(List.of(applyFlags));
        kubectl.run(args.toArray(String[]::new));
    }

    @Test
    void corpusAppliedClientSideShowsNoDrift(LocalKubeCluster cluster, TestNamespace ns) {
        Path dir = Corpus.materialize(ns);
        apply(new Kubectl(cluster), ns, dir);

        DiffCli.Run run = diff(cluster, ns, dir);

        assertThat(run.drifts()).as(run.stdout() + run.stderr()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.report().path("summary").path("desired").asInt()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void corpusAppliedServerSideShowsNoDrift(LocalKubeCluster cluster, TestNamespace ns) {
        Path dir = Corpus.materialize(ns);
        apply(new Kubectl(cluster), ns, dir, "--server-side", "--field-manager=argocd-controller");

        DiffCli.Run run = diff(cluster, ns, dir);

        assertThat(run.drifts()).as(run.stdout() + run.stderr()).isEmpty();
        assertThat(run.exitCode()).isZero();
    }
}
