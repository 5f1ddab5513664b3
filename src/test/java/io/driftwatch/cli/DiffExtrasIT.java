package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.TrackedManifests;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwatch diff} finds an app's extra objects in every kind, not only in the kinds desired state still has:
 * what Git dropped (a namespaced kind, a cluster-scoped kind, a custom resource) and what someone created with the
 * app's tracking label; never another app's objects, nor a Helm chart's hooks installed by the real helm.
 */
@WithKubeApiServer
class DiffExtrasIT {

    @TempDir
    Path tmp;

    @Test
    void objectsOfKindsGitNoLongerHasOrNeverHadAreExtra(LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        String app = ns.name();
        String crdGroup = ns.name() + ".example.com";
        kubectl.run(
                "apply",
                "-f",
                Files.writeString(tmp.resolve("crd.yaml"), crd(crdGroup)).toString());
        kubectl.awaitEstablished(Duration.ofSeconds(60), "crd/gadgets." + crdGroup);
        Path dir = Files.createDirectories(tmp.resolve("app"));
        TrackedManifests.configMap(dir, app);
        Path service = TrackedManifests.service(dir, app);
        Path clusterRole = TrackedManifests.clusterRole(dir, app);
        Path gadget = Files.writeString(dir.resolve("gadget.yaml"), """
                apiVersion: %s/v1
                kind: Gadget
                metadata: {name: g1, labels: {app.kubernetes.io/instance: %s}}
                spec: {size: 3}
                """.formatted(crdGroup, app));
        try {
            kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
            kubectl.run("-n", ns.name(), "create", "serviceaccount", "theirs");
            kubectl.run("-n", ns.name(), "label", "serviceaccount", "theirs", "app.kubernetes.io/instance=billing");
            DiffCli.Run clean = diff(cluster, ns, dir);
            assertThat(clean.drifts())
                    .as("all in Git, another app's object beside it: " + clean.stdout())
                    .isEmpty();

            kubectl.run("-n", ns.name(), "create", "serviceaccount", "stray");
            kubectl.run("-n", ns.name(), "label", "serviceaccount", "stray", "app.kubernetes.io/instance=" + app);

            Files.delete(service);
            Files.delete(clusterRole);
            Files.delete(gadget);

            for (String annotation : new String[] {"argocd.argoproj.io/tracking-id", ""}) {
                DiffCli.Run run = diff(cluster, ns, dir, "--tracking-annotation", annotation);
                assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.DRIFT);
                assertThat(run.drifts())
                        .as("tracking annotation '" + annotation + "': " + run.stdout())
                        .extracting(d -> d.path("type").asText() + " "
                                + d.path("kind").asText() + " " + d.path("name").asText())
                        .containsExactlyInAnyOrder(
                                "extra Service web",
                                "extra ClusterRole " + app + "-reader",
                                "extra Gadget g1",
                                "extra ServiceAccount stray");
                assertThat(run.drifts())
                        .allSatisfy(d -> assertThat(d.path("app").asText()).isEqualTo(app));
                assertThat(run.stderr()).doesNotContain("warning");
            }
        } finally {
            kubectl.tryRun("delete", "clusterrole", app + "-reader", "--ignore-not-found");
            kubectl.tryRun("delete", "crd", "gadgets." + crdGroup, "--ignore-not-found");
        }
    }

    @Test
    void helmHooksInstalledByHelmAreNotExtraAStrayObjectIs(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        String release = "web-hooks"; // a Helm release name is at most 53 characters
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("repo"));
        repo.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n")
                .write("chart/templates/configmap.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ .Release.Name }}-settings
                          labels: {app.kubernetes.io/instance: {{ .Release.Name }}}
                        data: {a: "1"}
                        """)
                .write("chart/templates/hooks.yaml", """
                        {{- range $kind := list "ServiceAccount" "Role" "RoleBinding" "ConfigMap" }}
                        ---
                        apiVersion: {{ if has $kind (list "ServiceAccount" "ConfigMap") }}v1{{ else }}rbac.authorization.k8s.io/v1{{ end }}
                        kind: {{ $kind }}
                        metadata:
                          name: {{ $.Release.Name }}-migrate
                          labels: {app.kubernetes.io/instance: {{ $.Release.Name }}}
                          annotations:
                            helm.sh/hook: post-install,post-upgrade
                            helm.sh/hook-weight: "-5"
                            helm.sh/hook-delete-policy: before-hook-creation
                        {{- if eq $kind "Role" }}
                        rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
                        {{- else if eq $kind "RoleBinding" }}
                        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: {{ $.Release.Name }}-migrate}
                        subjects: [{kind: ServiceAccount, name: {{ $.Release.Name }}-migrate}]
                        {{- end }}
                        {{- end }}
                        """);
        repo.commit("chart with post-install hooks");
        helm(cluster, "install", release, repo.dir().resolve("chart").toString(), "--namespace", ns.name());
        assertThat(kubectl.run("-n", ns.name(), "get", "serviceaccount,role,rolebinding,configmap", "-o", "name"))
                .as("helm ran the hooks")
                .contains("serviceaccount/" + release + "-migrate")
                .contains("configmap/" + release + "-migrate")
                .contains("role.rbac.authorization.k8s.io/" + release + "-migrate")
                .contains("rolebinding.rbac.authorization.k8s.io/" + release + "-migrate");
        kubectl.run("-n", ns.name(), "create", "configmap", "stray", "--from-literal=b=2");
        kubectl.run("-n", ns.name(), "label", "configmap", "stray", "app.kubernetes.io/instance=" + release);

        DiffCli.Run run = DiffCli.run(List.of(
                "diff",
                "--repo",
                repo.fileUrl(),
                "--path",
                "chart",
                "-n",
                ns.name(),
                "--helm-release",
                release,
                "--app",
                release,
                "-o",
                "json",
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "--git-cache-dir",
                tmp.resolve("git-cache").toString()));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.DRIFT);
        assertThat(run.report().path("summary").path("desired").asInt())
                .as("hooks are not desired")
                .isEqualTo(1);
        assertThat(run.drifts())
                .as(run.stdout())
                .extracting(d -> d.path("type").asText() + " " + d.path("kind").asText() + " "
                        + d.path("name").asText())
                .containsExactly("extra ConfigMap stray");
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

    private void helm(LocalKubeCluster cluster, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getenv().getOrDefault("DRIFTWATCH_HELM", "helm"),
                "--kubeconfig",
                cluster.kubeconfig().toString()));
        command.addAll(List.of(args));
        Path log = tmp.resolve("helm.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // private cache, config and data directories: nothing from the host's Helm setup
        builder.environment().put("HELM_CACHE_HOME", tmp.resolve("helm/cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", tmp.resolve("helm/config").toString());
        builder.environment().put("HELM_DATA_HOME", tmp.resolve("helm/data").toString());
        Process process = builder.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("helm finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    }

    private static String crd(String group) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.%s}
                spec:
                  group: %s
                  names: {kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList}
                  scope: Namespaced
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """.formatted(group, group);
    }
}
