package io.driftwatch.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every install manifest is accepted by the real API server (server-side dry-run: schema, defaulting, admission), in
 * file order, and the example overlay renders with the real kustomize and is accepted too. The ServiceMonitor and
 * PrometheusRule kinds come from minimal CRDs of our own (src/test/resources/crds), installed first.
 */
@WithKubeApiServer
class K8sManifestsIT {

    private static List<Path> baseFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("k8s", "base"))) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{3}-.*\\.yaml")).sorted().toList();
        }
    }

    /** Installs the test's own ServiceMonitor and PrometheusRule CRDs (idempotent) and waits until they serve. */
    private static void installMonitoringCrds(Kubectl kubectl) {
        String dir = Path.of("src", "test", "resources", "crds").toString();
        kubectl.run("apply", "--server-side", "--field-manager=k8s-manifests-it", "-f", dir);
        kubectl.run("wait", "--for=condition=Established", "--timeout=60s",
                "crd/servicemonitors.monitoring.coreos.com", "crd/prometheusrules.monitoring.coreos.com");
    }

    @Test
    void everyBaseManifestPassesServerSideDryRunInOrder(LocalKubeCluster cluster) throws IOException {
        Kubectl kubectl = new Kubectl(cluster);
        installMonitoringCrds(kubectl);
        List<Path> files = baseFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(13);
        // the namespace must exist for the namespaced objects' dry-run; it is the first file
        kubectl.run("apply", "--server-side", "--field-manager=k8s-manifests-it", "-f", files.get(0).toString());
        for (Path file : files) {
            Kubectl.Result result = kubectl.tryRun("apply", "--server-side", "--dry-run=server",
                    "--field-manager=k8s-manifests-it", "-f", file.toString());
            assertThat(result.exitCode()).as(file + ": " + result.output()).isZero();
        }
    }

    @Test
    void exampleOverlayRendersWithKustomizeAndPassesServerSideDryRun(LocalKubeCluster cluster) throws Exception {
        Path kustomize = Path.of(System.getenv().getOrDefault("DRIFTWATCH_KUSTOMIZE", "kustomize"));
        Process build = new ProcessBuilder(kustomize.toString(), "build", "k8s/overlays/example").start();
        String rendered = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(build.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(build.exitValue()).as(errors).isZero();
        assertThat(rendered).contains("image: ghcr.io/driftwatch/driftwatch:0.1.0").contains("cluster: prod-eu-1");

        Path out = Files.createTempFile("overlay-", ".yaml");
        Files.writeString(out, rendered);
        Kubectl kubectl = new Kubectl(cluster);
        installMonitoringCrds(kubectl);
        kubectl.run("apply", "--server-side", "--field-manager=k8s-manifests-it", "-f", "k8s/base/010-Namespace-driftwatch.yaml");
        Kubectl.Result result = kubectl.tryRun("apply", "--server-side", "--dry-run=server",
                "--field-manager=k8s-manifests-it", "-f", out.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("deployment.apps/driftwatch-agent serverside-applied (server dry run)")
                .contains("servicemonitor.monitoring.coreos.com/driftwatch-agent serverside-applied (server dry run)")
                .contains("prometheusrule.monitoring.coreos.com/driftwatch serverside-applied (server dry run)");
    }
}
