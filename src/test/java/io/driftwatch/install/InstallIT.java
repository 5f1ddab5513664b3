package io.driftwatch.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.ReadmeBlocks;
import io.driftwatch.testing.ServerProcess;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's install, run verbatim (the shell blocks marked {@code install-it:*}, read from README.md) against a
 * real API server of its own — one without the Prometheus Operator's CRDs — with the real kubectl, kustomize and helm
 * and the {@code driftwatch} launcher the build wrote: the objects are accepted, and since no kubelet runs the Pods,
 * the agent and the hub are run as local processes from exactly what was installed ({@link InstalledPod}) until both
 * are ready and the agent's pushes, authenticated with the token made as the README says, reach the hub. Then the
 * monitoring variant is applied once the CRDs exist (the test's minimal ones, src/test/resources/crds). The example
 * configuration's Git repository (argocd-example-apps on GitHub) cannot be reached from the test machine: the agent
 * reads a local repository with the same paths instead (the one change to the installed configuration).
 */
class InstallIT {

    private static final String NS = "driftwatch";
    private static final String IMAGE = "registry.example.com/driftwatch:0.1.0";
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXAMPLE_APPS = "https://github.com/argoproj/argocd-example-apps.git";

    @TempDir
    Path tmp;

    @Test
    void kustomizeInstallWorksWithoutThePrometheusOperatorAndMonitoringWithIt() throws Exception {
        try (LocalKubeCluster cluster = LocalKubeCluster.start()) {
            InstallShell sh = InstallShell.in(tmp, cluster);
            sh.run("namespace", ReadmeBlocks.block("namespace"));
            sh.run("secrets", ReadmeBlocks.block("secrets"));
            String applied = sh.run("kustomize", ReadmeBlocks.block("kustomize"));
            assertThat(applied)
                    .contains(
                            "deployment.apps/driftwatch-agent serverside-applied",
                            "deployment.apps/driftwatch-hub serverside-applied");
            checkInstalled(cluster);

            installCrds(cluster);
            sh.run("kustomize-monitoring", ReadmeBlocks.block("kustomize-monitoring"));
            checkMonitoring(cluster.adminClient());
        }
    }

    @Test
    void helmInstallWorksWithoutThePrometheusOperatorAndMonitoringWithIt() throws Exception {
        try (LocalKubeCluster cluster = LocalKubeCluster.start()) {
            InstallShell sh = InstallShell.in(tmp, cluster);
            sh.run("namespace", ReadmeBlocks.block("namespace"));
            sh.run("secrets", ReadmeBlocks.block("secrets"));
            assertThat(sh.run("helm", ReadmeBlocks.block("helm"))).contains("STATUS: deployed");
            checkInstalled(cluster);

            installCrds(cluster);
            assertThat(sh.run("helm-monitoring", ReadmeBlocks.block("helm-monitoring")))
                    .contains("STATUS: deployed");
            checkMonitoring(cluster.adminClient());
            Deployment agent = cluster.adminClient()
                    .apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName("driftwatch-agent")
                    .get();
            assertThat(agent.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .as("--reuse-values keeps the image")
                    .isEqualTo(IMAGE);
        }
    }

    /** The objects exist, no monitoring CRD is needed, and agent and hub run from them to ready and talk. */
    private void checkInstalled(LocalKubeCluster cluster) throws Exception {
        KubernetesClient admin = cluster.adminClient();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().list().getItems())
                .as("installed without the Prometheus Operator's CRDs")
                .isEmpty();
        for (String name : List.of("driftwatch-agent", "driftwatch-hub")) {
            Deployment d =
                    admin.apps().deployments().inNamespace(NS).withName(name).get();
            assertThat(d).as(name).isNotNull();
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo(IMAGE);
        }
        int hubPort = ServerProcess.freePort();
        int agentPort = ServerProcess.freePort();
        String hubUrl = "http://127.0.0.1:" + hubPort;
        // local changes: listen on loopback on free ports, reach the hub there instead of its Service name, and read
        // the example apps from a local repository
        Map<String, String> exampleApps = Map.of(EXAMPLE_APPS, exampleAppsCopy().fileUrl());
        try (ServerProcess hub = InstalledPod.start(
                        cluster,
                        NS,
                        "driftwatch-hub",
                        tmp.resolve("pods"),
                        Map.of("DRIFTWATCH_HUB_HOST", "127.0.0.1", "DRIFTWATCH_HUB_PORT", Integer.toString(hubPort)),
                        Map.of(),
                        "ready at " + hubUrl + "/readyz",
                        () -> ServerProcess.status(hubUrl + "/readyz") == 200);
                ServerProcess agent = InstalledPod.start(
                        cluster,
                        NS,
                        "driftwatch-agent",
                        tmp.resolve("pods"),
                        Map.of(
                                "DRIFTWATCH_HTTP_HOST",
                                "127.0.0.1",
                                "DRIFTWATCH_HTTP_PORT",
                                Integer.toString(agentPort),
                                "DRIFTWATCH_HUB_URL",
                                hubUrl),
                        exampleApps,
                        "ready",
                        () -> new AgentEndpoint(agentPort).ready())) {
            assertThat(Files.readString(tmp.resolve("pods/driftwatch-agent/volumes/config/agent.yaml")))
                    .as("the agent reads the local copy of the example apps")
                    .contains(exampleApps.values());
            String readToken = Files.readString(tmp.resolve("checkout").resolve("grafana.token"))
                    .strip();
            Eventually.await(
                    "the hub lists cluster prod-eu-1 as up (agent pushes accepted)",
                    WAIT,
                    () -> clusterUp(hubUrl, readToken, "prod-eu-1"),
                    () -> hub.logTail() + "\n" + agent.logTail());
            assertThat(get(hubUrl + "/api/v1/clusters", "secret").statusCode())
                    .as("Bearer secret")
                    .isEqualTo(401);
            assertThat(get(hubUrl + "/api/v1/clusters", "test").statusCode())
                    .as("Bearer test")
                    .isEqualTo(401);
        }
    }

    /** The two paths of argocd-example-apps the example configuration reads, on branch master, in a local repo. */
    private GitRepoFixture exampleAppsCopy() {
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("argocd-example-apps"));
        repo.write("guestbook/guestbook-ui-svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: guestbook-ui}
                spec:
                  ports: [{port: 80, targetPort: 80}]
                  selector: {app: guestbook-ui}
                """);
        repo.write("helm-guestbook/Chart.yaml", "apiVersion: v2\nname: helm-guestbook\nversion: 0.1.0\n");
        repo.write("helm-guestbook/values.yaml", "service: {port: 80}\n");
        repo.write("helm-guestbook/values-production.yaml", "service: {port: 8080}\n");
        repo.write("helm-guestbook/templates/service.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: {{ .Release.Name }}-helm-guestbook}
                spec:
                  ports: [{port: {{ .Values.service.port }}, targetPort: 80}]
                  selector: {app: helm-guestbook}
                """);
        repo.commit("example apps");
        repo.git("branch", "-f", "master");
        return repo;
    }

    private static boolean clusterUp(String hubUrl, String token, String cluster) {
        try {
            HttpResponse<String> r = get(hubUrl + "/api/v1/clusters", token);
            if (r.statusCode() != 200) {
                return false;
            }
            for (JsonNode c : JSON.readTree(r.body()).path("clusters")) {
                if (c.path("name").asText().equals(cluster) && c.path("up").asBoolean()) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + token)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static void installCrds(LocalKubeCluster cluster) {
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run(
                "apply",
                "--server-side",
                "-f",
                Path.of("src", "test", "resources", "crds").toString());
        kubectl.awaitEstablished(
                Duration.ofSeconds(60),
                "crd/servicemonitors.monitoring.coreos.com",
                "crd/prometheusrules.monitoring.coreos.com");
    }

    private static void checkMonitoring(KubernetesClient admin) {
        for (String[] object : new String[][] {
            {"servicemonitors", "driftwatch-agent"},
            {"servicemonitors", "driftwatch-hub"},
            {"prometheusrules", "driftwatch"}
        }) {
            assertThat(admin.genericKubernetesResources(
                                    "monitoring.coreos.com/v1",
                                    object[0].equals("servicemonitors") ? "ServiceMonitor" : "PrometheusRule")
                            .inNamespace(NS)
                            .withName(object[1])
                            .get())
                    .as(object[0] + "/" + object[1])
                    .isNotNull();
        }
        assertThat(admin.configMaps()
                        .inNamespace(NS)
                        .withLabel("grafana_dashboard", "1")
                        .list()
                        .getItems())
                .extracting(cm -> cm.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "driftwatch-dashboard-agent-internals",
                        "driftwatch-dashboard-cluster-detail",
                        "driftwatch-dashboard-fleet-overview");
    }
}
