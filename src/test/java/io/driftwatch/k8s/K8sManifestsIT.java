package io.driftwatch.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.config.HubConfig;
import io.driftwatch.config.HubConfigLoader;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every install manifest is accepted by the real API server (server-side dry-run: schema, defaulting, admission), in
 * file order, and the example overlays (agent + SQLite hub, with and without monitoring; hub on PostgreSQL) render with
 * the real kustomize and are accepted too. The ServiceMonitor and PrometheusRule kinds of the opt-in monitoring
 * components come from minimal CRDs of our own (src/test/resources/crds), installed first; without monitoring no
 * overlay renders any monitoring.coreos.com object (InstallIT applies them to a cluster without those CRDs). The rendered hub is checked for what the API server cannot know: the
 * security context, probes on the hub's health endpoints, the database volume at the configured path, and a
 * configuration the hub's own loader accepts.
 */
@WithKubeApiServer
class K8sManifestsIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    private static List<Path> numberedFiles(String dir) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{3}-.*\\.yaml"))
                    .sorted()
                    .toList();
        }
    }

    /** Installs the test's own ServiceMonitor and PrometheusRule CRDs (idempotent) and waits until they serve. */
    private static void installMonitoringCrds(Kubectl kubectl) {
        String dir = Path.of("src", "test", "resources", "crds").toString();
        kubectl.run("apply", "--server-side", "--field-manager=k8s-manifests-it", "-f", dir);
        kubectl.awaitEstablished(
                Duration.ofSeconds(60),
                "crd/servicemonitors.monitoring.coreos.com",
                "crd/prometheusrules.monitoring.coreos.com");
    }

    /** CRDs and the namespace (namespaced objects' dry-run needs it to exist). */
    private static Kubectl prepared(LocalKubeCluster cluster) {
        Kubectl kubectl = new Kubectl(cluster);
        installMonitoringCrds(kubectl);
        kubectl.run(
                "apply",
                "--server-side",
                "--field-manager=k8s-manifests-it",
                "-f",
                "k8s/base/010-Namespace-driftwatch.yaml");
        return kubectl;
    }

    private static Kubectl.Result dryRun(Kubectl kubectl, Path file) {
        return kubectl.tryRun(
                "apply",
                "--server-side",
                "--dry-run=server",
                "--field-manager=k8s-manifests-it",
                "-f",
                file.toString());
    }

    /** {@code kustomize build dir} with the real kustomize binary. */
    private static String render(String dir) throws Exception {
        Path kustomize = Path.of(System.getenv().getOrDefault("DRIFTWATCH_KUSTOMIZE", "kustomize"));
        Process build = new ProcessBuilder(kustomize.toString(), "build", dir).start();
        String rendered = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(build.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(build.exitValue())
                .as("kustomize build " + dir + ": " + errors)
                .isZero();
        return rendered;
    }

    /** Renders an overlay, applies it with server-side dry-run, and returns the rendered objects. */
    private List<JsonNode> renderAndDryRun(Kubectl kubectl, String dir, String... expectedObjects) throws Exception {
        String rendered = render(dir);
        Path out = Files.createTempFile(tmp, "overlay-", ".yaml");
        Files.writeString(out, rendered);
        Kubectl.Result result = dryRun(kubectl, out);
        assertThat(result.exitCode()).as(result.output()).isZero();
        for (String object : expectedObjects) {
            assertThat(result.output()).contains(object + " serverside-applied (server dry run)");
        }
        List<JsonNode> objects = new ArrayList<>();
        YAML.readValues(YAML.getFactory().createParser(rendered), JsonNode.class)
                .forEachRemaining(objects::add);
        return objects;
    }

    @Test
    void everyBaseManifestPassesServerSideDryRunInOrder(LocalKubeCluster cluster) throws IOException {
        Kubectl kubectl = prepared(cluster);
        List<Path> files = new ArrayList<>(numberedFiles("k8s/base"));
        assertThat(files).hasSizeGreaterThanOrEqualTo(11);
        files.addAll(numberedFiles("k8s/monitoring"));
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains(
                        "120-ServiceMonitor-driftwatch-agent.yaml",
                        "130-PrometheusRule-driftwatch.yaml",
                        "140-ConfigMap-driftwatch-dashboards.yaml");
        for (Path file : files) {
            Kubectl.Result result = dryRun(kubectl, file);
            assertThat(result.exitCode()).as(file + ": " + result.output()).isZero();
        }
    }

    @Test
    void everyHubManifestOfBothVariantsPassesServerSideDryRunInOrder(LocalKubeCluster cluster) throws IOException {
        Kubectl kubectl = prepared(cluster);
        List<Path> files = new ArrayList<>(numberedFiles("k8s/hub"));
        files.addAll(numberedFiles("k8s/hub-postgresql"));
        files.addAll(numberedFiles("k8s/hub-monitoring"));
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains(
                        "210-ServiceAccount-driftwatch-hub.yaml", "220-ConfigMap-driftwatch-hub.yaml",
                        "230-PersistentVolumeClaim-driftwatch-hub.yaml", "240-Deployment-driftwatch-hub.yaml",
                        "250-Service-driftwatch-hub.yaml", "260-NetworkPolicy-driftwatch-hub.yaml",
                        "270-ServiceMonitor-driftwatch-hub.yaml", "280-PodDisruptionBudget-driftwatch-hub.yaml");
        for (Path file : files) {
            Kubectl.Result result = dryRun(kubectl, file);
            assertThat(result.exitCode()).as(file + ": " + result.output()).isZero();
        }
    }

    @Test
    void exampleOverlayWithAgentAndSqliteHubRendersAndPassesServerSideDryRun(LocalKubeCluster cluster)
            throws Exception {
        Kubectl kubectl = prepared(cluster);
        List<JsonNode> objects = renderAndDryRun(
                kubectl,
                "k8s/overlays/example",
                "deployment.apps/driftwatch-agent",
                "deployment.apps/driftwatch-hub",
                "persistentvolumeclaim/driftwatch-hub",
                "service/driftwatch-hub");
        assertThat(objects)
                .as("no Prometheus Operator object without the monitoring components")
                .noneMatch(o -> o.path("apiVersion").asText().startsWith("monitoring.coreos.com/"));
        String agentConfig = find(objects, "ConfigMap", "driftwatch-agent")
                .path("data")
                .path("agent.yaml")
                .asText();
        assertThat(agentConfig)
                .contains("cluster: prod-eu-1")
                .contains("url: http://driftwatch-hub.driftwatch.svc:8443");
        assertThat(find(objects, "Deployment", "driftwatch-agent").toString())
                .contains("ghcr.io/driftwatch/driftwatch:0.1.0", "\"secretName\":\"driftwatch-hub-token\"");

        JsonNode deployment = find(objects, "Deployment", "driftwatch-hub");
        JsonNode storage = checkHub(objects, deployment);
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(deployment.path("spec").path("strategy").path("type").asText())
                .isEqualTo("Recreate");
        assertThat(storage.path("type").asText()).isEqualTo("sqlite");
        // the database file is on the PersistentVolumeClaim, not in the container's (read-only) file system
        String volume = volumeMountedAt(
                deployment,
                Path.of(storage.path("sqlitePath").asText()).getParent().toString());
        assertThat(podVolume(deployment, volume)
                        .path("persistentVolumeClaim")
                        .path("claimName")
                        .asText())
                .isEqualTo("driftwatch-hub");
        assertThat(find(objects, "PersistentVolumeClaim", "driftwatch-hub")
                        .path("spec")
                        .path("accessModes")
                        .toString())
                .contains("ReadWriteOnce");
    }

    @Test
    void monitoringOverlayAddsServiceMonitorsRulesAndDashboards(LocalKubeCluster cluster) throws Exception {
        Kubectl kubectl = prepared(cluster);
        List<JsonNode> objects = renderAndDryRun(
                kubectl,
                "k8s/overlays/example-monitoring",
                "deployment.apps/driftwatch-agent",
                "servicemonitor.monitoring.coreos.com/driftwatch-agent",
                "prometheusrule.monitoring.coreos.com/driftwatch",
                "deployment.apps/driftwatch-hub",
                "servicemonitor.monitoring.coreos.com/driftwatch-hub",
                "configmap/driftwatch-dashboard-fleet-overview",
                "configmap/driftwatch-dashboard-cluster-detail",
                "configmap/driftwatch-dashboard-agent-internals");
        JsonNode dashboard = find(objects, "ConfigMap", "driftwatch-dashboard-fleet-overview");
        assertThat(dashboard
                        .path("metadata")
                        .path("labels")
                        .path("grafana_dashboard")
                        .asText())
                .isEqualTo("1");
        assertThat(YAML.readTree(
                        dashboard.path("data").path("fleet-overview.json").asText()))
                .isEqualTo(YAML.readTree(
                        Path.of("dashboards", "fleet-overview.json").toFile()));
        assertThat(objects)
                .as("the monitoring overlay is the example plus monitoring objects only")
                .filteredOn(o -> !o.path("apiVersion").asText().startsWith("monitoring.coreos.com/")
                        && !o.path("metadata").path("name").asText().startsWith("driftwatch-dashboard-"))
                .containsExactlyInAnyOrderElementsOf(
                        YAML.readValues(YAML.getFactory().createParser(render("k8s/overlays/example")), JsonNode.class)
                                .readAll());

        JsonNode endpoints =
                find(objects, "ServiceMonitor", "driftwatch-hub").path("spec").path("endpoints");
        assertThat(endpoints).hasSize(2);
        assertThat(endpoints.get(0).path("path").asText()).isEqualTo("/metrics");
        assertThat(endpoints.get(0).has("relabelings"))
                .as("own metrics keep job driftwatch-hub")
                .isFalse();
        assertThat(endpoints.get(1).path("path").asText()).isEqualTo("/metrics/agents");
        assertThat(endpoints.get(1).path("honorLabels").asBoolean()).isTrue();
        assertThat(endpoints.get(1).path("relabelings").toString())
                .isEqualTo("[{\"action\":\"replace\",\"replacement\":\"driftwatch-agent\",\"targetLabel\":\"job\"}]");
    }

    @Test
    void postgresqlHubOverlayRendersAndPassesServerSideDryRun(LocalKubeCluster cluster) throws Exception {
        Kubectl kubectl = prepared(cluster);
        List<JsonNode> objects = renderAndDryRun(
                kubectl,
                "k8s/overlays/hub-postgresql",
                "deployment.apps/driftwatch-hub",
                "poddisruptionbudget.policy/driftwatch-hub");
        assertThat(objects).noneMatch(o -> o.path("kind").asText().equals("PersistentVolumeClaim"));
        JsonNode deployment = find(objects, "Deployment", "driftwatch-hub");
        JsonNode storage = checkHub(objects, deployment);
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deployment.path("spec").path("strategy").path("type").asText())
                .isEqualTo("RollingUpdate");
        assertThat(storage.path("type").asText()).isEqualTo("postgresql");
        String volume = volumeMountedAt(
                deployment,
                Path.of(storage.path("postgresPasswordFile").asText())
                        .getParent()
                        .toString());
        assertThat(podVolume(deployment, volume)
                        .path("secret")
                        .path("secretName")
                        .asText())
                .isEqualTo("driftwatch-hub-postgres");
        JsonNode env = container(deployment).path("env");
        assertThat(env.toString())
                .contains("{\"name\":\"DRIFTWATCH_HUB_POSTGRES_URL\",\"valueFrom\":{\"secretKeyRef\":"
                        + "{\"key\":\"url\",\"name\":\"driftwatch-hub-postgres\"}}}");
        assertThat(volumesOf(deployment)).noneMatch(v -> v.has("persistentVolumeClaim"));
        JsonNode pdb = find(objects, "PodDisruptionBudget", "driftwatch-hub");
        assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.path("spec")
                        .path("selector")
                        .path("matchLabels")
                        .path("app.kubernetes.io/name")
                        .asText())
                .isEqualTo("driftwatch-hub");
    }

    /**
     * What both hub variants share: security, probes, ports, resources, scrape endpoints and a configuration the hub
     * accepts. Returns its {@code storage} settings as written (the pod's paths).
     */
    private JsonNode checkHub(List<JsonNode> objects, JsonNode deployment) throws IOException {
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext")
                        .path("seccompProfile")
                        .path("type")
                        .asText())
                .isEqualTo("RuntimeDefault");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
                .as("no API token mounted")
                .isFalse();
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo("driftwatch-hub");
        JsonNode c = container(deployment);
        JsonNode security = c.path("securityContext");
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertThat(c.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/readyz");
        assertThat(c.path("resources").path("requests").path("memory").asText()).isNotBlank();
        assertThat(c.path("resources").path("limits").path("memory").asText()).isNotBlank();
        assertThat(c.path("args").toString()).isEqualTo("[\"hub\",\"--config\",\"/etc/driftwatch/hub.yaml\"]");

        JsonNode configMap = find(objects, "ConfigMap", "driftwatch-hub");
        ObjectNode tree = (ObjectNode)
                YAML.readTree(configMap.path("data").path("hub.yaml").asText());
        // the hub's own loader validates it, with the pod's paths (which do not exist here) pointed at this machine:
        // each token hash is a key of the Secret driftwatch-hub-token-hashes mounted where tokenSha256File points
        for (String list : new String[] {"clusters", "readTokens"}) {
            for (JsonNode entry : tree.path(list)) {
                Path file = Path.of(entry.path("tokenSha256File").asText());
                String volume = volumeMountedAt(deployment, file.getParent().toString());
                assertThat(podVolume(deployment, volume)
                                .path("secret")
                                .path("secretName")
                                .asText())
                        .isEqualTo("driftwatch-hub-token-hashes");
                Path local = Files.writeString(
                        Files.createTempFile(tmp, "hash-", ""),
                        UUID.randomUUID().toString().replace("-", "").repeat(2));
                ((ObjectNode) entry).put("tokenSha256File", local.toString());
            }
        }
        Path password = Files.writeString(tmp.resolve("password"), "secret");
        HubConfig config = HubConfigLoader.bind(
                tree.deepCopy(),
                Map.of(
                        "DRIFTWATCH_HUB_SQLITE_PATH", tmp.resolve("hub.db").toString(),
                        "DRIFTWATCH_HUB_POSTGRES_PASSWORD_FILE", password.toString()),
                "ConfigMap driftwatch-hub");
        assertThat(config.clusters()).isNotEmpty();
        assertThat(config.readTokens()).isNotEmpty();
        assertThat(volumeMountedAt(deployment, "/etc/driftwatch")).isEqualTo("config");
        assertThat(podVolume(deployment, "config")
                        .path("configMap")
                        .path("name")
                        .asText())
                .isEqualTo("driftwatch-hub");

        int port = config.listen().port();
        assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        assertThat(c.path("ports").get(0).path("name").asText()).isEqualTo("http");
        JsonNode service = find(objects, "Service", "driftwatch-hub");
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
                .isEqualTo("http");
        JsonNode policy = find(objects, "NetworkPolicy", "driftwatch-hub");
        assertThat(policy.path("spec")
                        .path("ingress")
                        .get(0)
                        .path("ports")
                        .get(0)
                        .path("port")
                        .asInt())
                .isEqualTo(port);

        return tree.path("storage");
    }

    private static JsonNode find(List<JsonNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind)
                        && o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    private static JsonNode container(JsonNode deployment) {
        JsonNode containers =
                deployment.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static List<JsonNode> volumesOf(JsonNode deployment) {
        List<JsonNode> out = new ArrayList<>();
        deployment.path("spec").path("template").path("spec").path("volumes").forEach(out::add);
        return out;
    }

    /** The name of the volume mounted exactly at {@code path} in the hub container. */
    private static String volumeMountedAt(JsonNode deployment, String path) {
        for (JsonNode m : container(deployment).path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                return m.path("name").asText();
            }
        }
        throw new AssertionError(
                "nothing is mounted at " + path + " in " + container(deployment).path("volumeMounts"));
    }

    private static JsonNode podVolume(JsonNode deployment, String name) {
        return volumesOf(deployment).stream()
                .filter(v -> v.path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
