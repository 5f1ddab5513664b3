package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwatch diff -l / --kind / --only-namespace} against the real API server: desired objects and the extras
 * found live are filtered alike, kinds resolve through the cluster's discovery as kubectl resolves them, and
 * {@code --request-timeout} bounds the client's requests.
 */
@WithKubeApiServer
class DiffFiltersIT {

    @TempDir
    Path tmp;

    @Test
    void filtersApplyToDesiredObjectsAndToExtras(LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        String app = ns.name();
        String other = ns.name() + "-b";
        Path dir = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-config, labels: {tier: web, app.kubernetes.io/instance: %1$s}}
                data: {timeout: "30"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: db-config, labels: {tier: db, app.kubernetes.io/instance: %1$s}}
                data: {timeout: "30"}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {tier: web, app.kubernetes.io/instance: %1$s}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: nginx:1.25}]}
                """.formatted(app));
        Path otherFile = Files.writeString(dir.resolve("other.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: other-config, namespace: %s, labels: {tier: web, app.kubernetes.io/instance: %s}}
                data: {timeout: "30"}
                """.formatted(other, app));
        kubectl.run("create", "namespace", other);
        try {
            // kubectl refuses a manifest naming another namespace than -n; driftwatch's -n only defaults it
            kubectl.run("apply", "-n", ns.name(), "-f", dir.resolve("app.yaml").toString());
            kubectl.run("apply", "-f", otherFile.toString());
            for (String[] cm :
                    new String[][] {{ns.name(), "web-config"}, {ns.name(), "db-config"}, {other, "other-config"}}) {
                kubectl.run("-n", cm[0], "patch", "configmap", cm[1], "-p", "{\"data\":{\"timeout\":\"60\"}}");
            }
            kubectl.run("-n", ns.name(), "scale", "deployment", "web", "--replicas=2");
            kubectl.run("-n", ns.name(), "create", "configmap", "stray-web", "--from-literal=a=1");
            kubectl.run(
                    "-n",
                    ns.name(),
                    "label",
                    "configmap",
                    "stray-web",
                    "tier=web",
                    "app.kubernetes.io/instance=" + app);
            kubectl.run("-n", ns.name(), "create", "serviceaccount", "stray-db");
            kubectl.run(
                    "-n",
                    ns.name(),
                    "label",
                    "serviceaccount",
                    "stray-db",
                    "tier=db",
                    "app.kubernetes.io/instance=" + app);

            DiffCli.Run all = diff(cluster, ns, dir);
            assertThat(names(all))
                    .as(all.stdout())
                    .containsExactlyInAnyOrder(
                            "modified ConfigMap web-config",
                            "modified ConfigMap db-config",
                            "modified ConfigMap other-config",
                            "modified Deployment web",
                            "extra ConfigMap stray-web",
                            "extra ServiceAccount stray-db");

            DiffCli.Run web = diff(cluster, ns, dir, "-l", "tier in (web),app.kubernetes.io/instance");
            assertThat(web.exitCode()).as(web.stderr()).isEqualTo(ExitCodes.DRIFT);
            assertThat(names(web))
                    .as(web.stdout())
                    .containsExactlyInAnyOrder(
                            "modified ConfigMap web-config",
                            "modified ConfigMap other-config",
                            "modified Deployment web",
                            "extra ConfigMap stray-web");
            assertThat(web.report().at("/summary/desired").asInt()).isEqualTo(3);
            assertThat(web.report().at("/summary/filteredOut/desired").asInt()).isEqualTo(1);
            assertThat(web.report().at("/summary/filteredOut/extra").asInt())
                    .as("stray-db")
                    .isEqualTo(1);

            DiffCli.Run configMaps = diff(cluster, ns, dir, "--kind", "cm");
            assertThat(names(configMaps))
                    .as(configMaps.stdout())
                    .containsExactlyInAnyOrder(
                            "modified ConfigMap web-config",
                            "modified ConfigMap db-config",
                            "modified ConfigMap other-config",
                            "extra ConfigMap stray-web");
            assertThat(configMaps.report().at("/summary/filteredOut/desired").asInt())
                    .isEqualTo(1);

            DiffCli.Run kinds = diff(cluster, ns, dir, "--kind", "deployments.apps", "--kind", "serviceaccount");
            assertThat(names(kinds))
                    .as(kinds.stdout())
                    .containsExactlyInAnyOrder("modified Deployment web", "extra ServiceAccount stray-db");

            DiffCli.Run otherNs = diff(cluster, ns, dir, "--only-namespace", other);
            assertThat(names(otherNs)).as(otherNs.stdout()).containsExactly("modified ConfigMap other-config");
            assertThat(otherNs.report().at("/summary/filteredOut/desired").asInt())
                    .isEqualTo(3);

            DiffCli.Run home = diff(cluster, ns, dir, "--only-namespace", ns.name(), "-l", "tier=db");
            assertThat(names(home))
                    .as(home.stdout())
                    .containsExactlyInAnyOrder("modified ConfigMap db-config", "extra ServiceAccount stray-db");

            DiffCli.Run typo = diff(cluster, ns, dir, "--kind", "deploymnet,configmap,sevrice");
            assertThat(typo.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(typo.stderr())
                    .contains("'deploymnet' is not a kind the cluster serves (did you mean " + "Deployment.apps?)")
                    .contains("'sevrice' is not a kind the cluster serves (did you mean Service")
                    .doesNotContain("'configmap'");

            DiffCli.Run none = diff(cluster, ns, dir, "-l", "tier=cache");
            assertThat(none.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(none.stderr())
                    .contains("none passes --selector 'tier=cache'")
                    .contains("--allow-empty");
        } finally {
            kubectl.tryRun("delete", "namespace", other, "--wait=false");
        }
    }

    @Test
    void aTinyRequestTimeoutFailsNamingIt(LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");

        DiffCli.Run run = diff(cluster, ns, dir, "--request-timeout", "1ms");

        assertThat(run.exitCode()).as(run.stdout()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr())
                .contains("did not answer within --request-timeout 1ms")
                .doesNotContain("\tat ")
                .doesNotContain("Exception in thread");

        DiffCli.Run generous = diff(cluster, ns, dir, "--request-timeout", "2m");
        assertThat(generous.exitCode()).as(generous.stderr()).isEqualTo(ExitCodes.DRIFT);
        DiffCli.Run bad = diff(cluster, ns, dir, "--request-timeout", "10 parsecs");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.stderr()).contains("--request-timeout: '10 parsecs' is not a timeout");
    }

    private static List<String> names(DiffCli.Run run) {
        return run.drifts().stream()
                .map(d -> d.path("type").asText() + " " + d.path("kind").asText() + " "
                        + d.path("name").asText())
                .toList();
    }

    private static DiffCli.Run diff(LocalKubeCluster cluster, TestNamespace ns, Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "diff",
                "--dir",
                dir.toString(),
                "-n",
                ns.name(),
                "--app",
                ns.name(),
                "-o",
                "json",
                "--kubeconfig",
                cluster.kubeconfig().toString()));
        args.addAll(List.of(extra));
        return DiffCli.run(args);
    }
}
