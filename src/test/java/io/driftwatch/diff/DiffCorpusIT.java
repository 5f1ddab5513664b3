package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.cli.DriftwatchCommand;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The diff engine on a real API server: a realistic corpus applied client-side and server-side shows no drift at all
 * (defaults, quantities, empty values, webhooks, HPA-owned replicas are not drift).
 */
@WithKubeApiServer
class DiffCorpusIT {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The output of one {@code driftwatch diff} run. */
    record DiffRun(int exitCode, JsonNode report, String stdout, String stderr) {
        List<JsonNode> drifts() {
            List<JsonNode> all = new ArrayList<>();
            report.path("drifts").forEach(all::add);
            return all;
        }
    }

    static DiffRun diff(LocalKubeCluster cluster, TestNamespace ns, Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("diff", "--dir", dir.toString(), "-n", ns.name(),
                "--kubeconfig", cluster.kubeconfig().toString(), "--app", ns.name(), "-o", "json"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = DriftwatchCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args.toArray(String[]::new));
        try {
            JsonNode report = out.toString().isBlank() ? JSON.createObjectNode() : JSON.readTree(out.toString());
            return new DiffRun(code, report, out.toString(), err.toString());
        } catch (java.io.IOException e) {
            throw new AssertionError("diff output is not JSON:\n" + out + "\nstderr:\n" + err, e);
        }
    }

    /** Applies CRDs first and waits until they are established, then everything else, in file order. */
    static void apply(Kubectl kubectl, TestNamespace ns, Path dir, String... applyFlags) {
        for (Path crd : Corpus.crdFiles(dir)) {
            List<String> args = new ArrayList<>(List.of("apply", "-n", ns.name(), "-f", crd.toString()));
            args.addAll(List.of(applyFlags));
            kubectl.run(args.toArray(String[]::new));
            kubectl.run("wait", "--for=condition=Established", "--timeout=60s", "-f", crd.toString());
        }
        List<String> args = new ArrayList<>(List.of("apply", "-n", ns.name(), "-f", dir.toString()));
        args.addAll(List.of(applyFlags));
        kubectl.run(args.toArray(String[]::new));
    }

    @Test
    void corpusAppliedClientSideShowsNoDrift(LocalKubeCluster cluster, TestNamespace ns) {
        Path dir = Corpus.materialize(ns);
        apply(new Kubectl(cluster), ns, dir);

        DiffRun run = diff(cluster, ns, dir);

        assertThat(run.drifts()).as(run.stdout() + run.stderr()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.report().path("summary").path("desired").asInt()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void corpusAppliedServerSideShowsNoDrift(LocalKubeCluster cluster, TestNamespace ns) {
        Path dir = Corpus.materialize(ns);
        apply(new Kubectl(cluster), ns, dir, "--server-side", "--field-manager=argocd-controller");

        DiffRun run = diff(cluster, ns, dir);

        assertThat(run.drifts()).as(run.stdout() + run.stderr()).isEmpty();
        assertThat(run.exitCode()).isZero();
    }
}
