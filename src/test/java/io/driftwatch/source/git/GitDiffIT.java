package io.driftwatch.source.git;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.DiffCli.Run;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftwatch diff --repo}: a plain directory, a Kustomize overlay and a Helm chart from a real Git repository,
 * applied to the real kube-apiserver with kubectl (and helm template), show no drift; a new commit changes the desired
 * state and exactly that drift appears, at the new commit.
 */
@WithKubeApiServer
class GitDiffIT {

    @TempDir
    Path tmp;

    private Run diff(LocalKubeCluster cluster, TestNamespace ns, String url, String path, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "diff",
                "--repo",
                url,
                "--path",
                path,
                "-n",
                ns.name(),
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "--app",
                ns.name(),
                "-o",
                "json",
                "--git-cache-dir",
                tmp.resolve("git-cache").toString()));
        args.addAll(List.of(extra));
        return DiffCli.run(args);
    }

    private static String deployment(String name, int replicas, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                        - name: main
                          image: %s
                          ports:
                            - containerPort: 8080
                """.formatted(name, replicas, name, name, image);
    }

    private static void assertOneChange(Run run, String kind, String name, String fieldPrefix) {
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(1);
        assertThat(run.drifts()).as(run.stdout()).hasSize(1);
        JsonNode drift = run.drifts().get(0);
        assertThat(drift.path("kind").asText()).isEqualTo(kind);
        assertThat(drift.path("name").asText()).isEqualTo(name);
        assertThat(drift.path("type").asText()).isEqualTo("modified");
        assertThat(drift.path("changes")).hasSize(1);
        assertThat(drift.path("changes").get(0).path("field").asText()).startsWith(fieldPrefix);
    }

    @Test
    void plainDirectoryAppliedShowsNoDriftUntilANewCommitScalesTheDeployment(
            LocalKubeCluster cluster, TestNamespace ns) {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("plain"));
        repo.write("apps/web/deployment.yaml", deployment("web", 2, "nginx:1.25"))
                .write(
                        "apps/web/config/settings.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
                                + "data:\n  mode: production\n");
        String first = repo.commit("web");
        new Kubectl(cluster)
                .run(
                        "apply",
                        "-n",
                        ns.name(),
                        "-R",
                        "-f",
                        repo.dir().resolve("apps/web").toString());

        Run clean = diff(cluster, ns, repo.fileUrl(), "apps/web");

        assertThat(clean.drifts()).as(clean.stdout() + clean.stderr()).isEmpty();
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.report().path("summary").path("desired").asInt()).isEqualTo(2);
        assertThat(clean.stderr()).contains("at " + first);

        repo.write("apps/web/deployment.yaml", deployment("web", 3, "nginx:1.25"));
        String second = repo.commit("scale web to 3");

        Run drifted = diff(cluster, ns, repo.fileUrl(), "apps/web");

        assertOneChange(drifted, "Deployment", "web", "spec.replicas");
        JsonNode change = drifted.drifts().get(0).path("changes").get(0);
        assertThat(change.path("desired").asInt()).isEqualTo(3);
        assertThat(change.path("live").asInt()).isEqualTo(2);
        assertThat(drifted.stderr()).contains("at " + second);
        Run pinned = diff(cluster, ns, repo.fileUrl(), "apps/web", "--revision", first);
        assertThat(pinned.exitCode()).as(pinned.stdout() + pinned.stderr()).isZero();
    }

    @Test
    void kustomizeOverlayWithAPatchShowsNoDriftUntilTheBaseImageChanges(LocalKubeCluster cluster, TestNamespace ns) {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("kustomize"));
        repo.write("base/deployment.yaml", deployment("api", 1, "nginx:1.25"))
                .write("base/kustomization.yaml", "resources:\n  - deployment.yaml\n")
                .write("overlays/prod/kustomization.yaml", """
                        resources:
                          - ../../base
                        labels:
                          - pairs: {tier: prod}
                        patches:
                          - path: replicas.yaml
                        """)
                .write("overlays/prod/replicas.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: api
                        spec:
                          replicas: 4
                        """);
        repo.commit("api with prod overlay");
        new Kubectl(cluster)
                .run(
                        "apply",
                        "-n",
                        ns.name(),
                        "-k",
                        repo.dir().resolve("overlays/prod").toString());

        Run clean = diff(cluster, ns, repo.fileUrl(), "overlays/prod");

        assertThat(clean.drifts()).as(clean.stdout() + clean.stderr()).isEmpty();
        assertThat(clean.exitCode()).isZero();

        repo.write("base/deployment.yaml", deployment("api", 1, "nginx:1.27"));
        String second = repo.commit("api: nginx 1.27");

        Run drifted = diff(cluster, ns, repo.fileUrl(), "overlays/prod", "--revision", "main");

        assertOneChange(drifted, "Deployment", "api", "spec.template.spec.containers");
        assertThat(drifted.drifts()
                        .get(0)
                        .path("changes")
                        .get(0)
                        .path("desired")
                        .asText())
                .isEqualTo("nginx:1.27");
        assertThat(drifted.stderr()).contains("at " + second);
    }

    @Test
    void helmChartWithValuesFileAndInlineValuesShowsNoDriftUntilTheValuesChange(
            LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("helm"));
        repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n")
                .write("charts/web/values.yaml", "replicaCount: 1\nimage: nginx:1.25\ngreeting: default\n")
                .write("charts/web/values-prod.yaml", "replicaCount: 2\n")
                .write("charts/web/templates/deployment.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: {{ .Release.Name }}
                        spec:
                          replicas: {{ .Values.replicaCount }}
                          selector:
                            matchLabels: {app: {{ .Release.Name }}}
                          template:
                            metadata:
                              labels: {app: {{ .Release.Name }}}
                            spec:
                              containers:
                                - name: main
                                  image: {{ .Values.image }}
                        """)
                .write("charts/web/templates/configmap.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: {{ .Release.Name }}-greeting
                          namespace: {{ .Release.Namespace }}
                        data:
                          greeting: {{ .Values.greeting | quote }}
                        """)
                .write("charts/web/templates/tests/test-connection.yaml", """
                        apiVersion: v1
                        kind: Pod
                        metadata:
                          name: {{ .Release.Name }}-test
                          annotations:
                            "helm.sh/hook": test
                        spec:
                          containers:
                            - name: wget
                              image: busybox
                              command: [wget, {{ .Release.Name }}]
                        """);
        repo.commit("web chart");
        Path inline = Files.writeString(tmp.resolve("inline.yaml"), "greeting: hello from inline values\n");
        Path rendered = helmTemplate(repo.dir().resolve("charts/web"), ns, inline);
        assertThat(Files.readString(rendered)).contains("replicas: 2").contains("hello from inline values");
        new Kubectl(cluster).run("apply", "-n", ns.name(), "-f", rendered.toString());
        String[] helmArgs = {
            "--helm-values", "values-prod.yaml", "--helm-inline-values", inline.toString(), "--helm-release", "web"
        };

        Run clean = diff(cluster, ns, repo.fileUrl(), "charts/web", helmArgs);

        assertThat(clean.drifts()).as(clean.stdout() + clean.stderr()).isEmpty();
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.report().path("summary").path("desired").asInt())
                .as("the test hook is left out")
                .isEqualTo(2);

        repo.write("charts/web/values-prod.yaml", "replicaCount: 5\n");
        String second = repo.commit("web: 5 replicas in prod");

        Run drifted = diff(cluster, ns, repo.fileUrl(), "charts/web", helmArgs);

        assertOneChange(drifted, "Deployment", "web", "spec.replicas");
        assertThat(drifted.drifts()
                        .get(0)
                        .path("changes")
                        .get(0)
                        .path("desired")
                        .asInt())
                .isEqualTo(5);
        assertThat(drifted.stderr()).contains("at " + second);
    }

    @Test
    void aRepositoryThatCannotBeFetchedIsAnErrorNamingIt(LocalKubeCluster cluster, TestNamespace ns) {
        String url = "file://" + tmp.resolve("missing");

        Run run = diff(cluster, ns, url, ".");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("cannot fetch " + url);
        assertThat(run.stdout()).isEmpty();
    }

    /** The chart rendered by the real helm, as a pipeline would before kubectl apply (tests skipped). */
    private Path helmTemplate(Path chart, TestNamespace ns, Path inline) throws Exception {
        String helm = System.getenv().getOrDefault("DRIFTWATCH_HELM", "helm");
        Path out = tmp.resolve("helm-rendered.yaml");
        Process process = new ProcessBuilder(
                        helm,
                        "template",
                        "web",
                        chart.toString(),
                        "--namespace",
                        ns.name(),
                        "--values",
                        chart.resolve("values-prod.yaml").toString(),
                        "--values",
                        inline.toString(),
                        "--skip-tests")
                .redirectOutput(out.toFile())
                .redirectError(tmp.resolve("helm.err").toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(Files.readString(tmp.resolve("helm.err"), StandardCharsets.UTF_8))
                .isZero();
        return out;
    }
}
