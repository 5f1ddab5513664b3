package io.driftwatch.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart charts/driftwatch with the real helm: lint-clean, every main variant accepted by the real API server
 * (server-side dry-run, with the test's minimal Prometheus Operator CRDs), its default render the same objects as
 * the Kustomize install k8s/overlays/example and its PostgreSQL hub the same as k8s/overlays/hub-postgresql, with
 * each intended difference named in {@link #normalized}; its PrometheusRule and dashboards equal alerts/ and
 * dashboards/.
 */
@WithKubeApiServer
class HelmChartIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Labels Helm charts add by convention (and selectors narrowed to the release): not in the Kustomize install. */
    private static final List<String> HELM_LABELS = List.of(
            "helm.sh/chart", "app.kubernetes.io/managed-by", "app.kubernetes.io/instance", "app.kubernetes.io/version");

    @TempDir
    Path tmp;

    @Test
    void chartIsLintClean() throws Exception {
        Run lint = helm("lint", "--strict", "charts/driftwatch");
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.output())
                .contains("1 chart(s) linted, 0 chart(s) failed")
                .doesNotContain("[WARNING]", "[ERROR]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "hub.storage=postgresql",
                "hub.enabled=false",
                "agent.enabled=false,hub.storage=postgresql",
                "monitoring.serviceMonitor=true,monitoring.prometheusRule=true,monitoring.dashboards=true",
                "image.repository=registry.example.com/driftwatch,image.tag=0.1.0,fullnameOverride=dw"
            })
    void everyVariantPassesServerSideDryRun(String values, LocalKubeCluster cluster) throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run(
                "apply",
                "--server-side",
                "--field-manager=helm-chart-it",
                "-f",
                Path.of("src", "test", "resources", "crds").toString());
        kubectl.awaitEstablished(
                Duration.ofSeconds(60),
                "crd/servicemonitors.monitoring.coreos.com",
                "crd/prometheusrules.monitoring.coreos.com");
        kubectl.run(
                "apply",
                "--server-side",
                "--field-manager=helm-chart-it",
                "-f",
                "k8s/base/010-Namespace-driftwatch.yaml");
        Path rendered = Files.writeString(tmp.resolve("rendered.yaml"), template(values));
        Kubectl.Result result = kubectl.tryRun(
                "apply",
                "--server-side",
                "--dry-run=server",
                "--field-manager=helm-chart-it",
                "-f",
                rendered.toString());
        assertThat(result.exitCode()).as(values + ":\n" + result.output()).isZero();
        assertThat(result.output()).contains("serverside-applied (server dry run)");
    }

    @Test
    void defaultRenderIsTheKustomizeExampleInstallObjectForObject() throws Exception {
        compare(template(""), kustomize("k8s/overlays/example"));
    }

    @Test
    void postgresqlHubIsTheKustomizeHubPostgresqlInstallObjectForObject() throws Exception {
        compare(template("agent.enabled=false,hub.storage=postgresql"), kustomize("k8s/overlays/hub-postgresql"));
    }

    @Test
    void prometheusRuleAndDashboardsEqualTheRepositoryFiles() throws Exception {
        List<JsonNode> objects = parse(
                template("monitoring.serviceMonitor=true,monitoring.prometheusRule=true,monitoring.dashboards=true"));
        JsonNode rule = find(objects, "PrometheusRule", "driftwatch");
        assertThat(rule.path("spec").path("groups"))
                .isEqualTo(
                        YAML.readTree(Path.of("alerts", "driftwatch.rules.yaml").toFile())
                                .path("groups"));
        List<Path> dashboards;
        try (var files = Files.list(Path.of("dashboards"))) {
            dashboards =
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(dashboards).hasSize(3);
        for (Path file : dashboards) {
            String name = file.getFileName().toString().replace(".json", "");
            JsonNode cm = find(objects, "ConfigMap", "driftwatch-dashboard-" + name);
            assertThat(cm.path("metadata")
                            .path("labels")
                            .path("grafana_dashboard")
                            .asText())
                    .isEqualTo("1");
            assertThat(new ObjectMapper()
                            .readTree(cm.path("data").path(name + ".json").asText()))
                    .as(name)
                    .isEqualTo(new ObjectMapper().readTree(file.toFile()));
        }
        assertThat(find(objects, "ServiceMonitor", "driftwatch-agent")).isNotNull();
        assertThat(find(objects, "ServiceMonitor", "driftwatch-hub")).isNotNull();
    }

    /** Same objects (kind, namespace, name) with equal content once the intended differences are normalized. */
    private static void compare(String helmRender, String kustomizeRender) throws IOException {
        Map<String, JsonNode> chart = byKey(parse(helmRender));
        Map<String, JsonNode> kustomize = byKey(parse(kustomizeRender));
        // intended: a chart does not create its release's namespace (helm install --namespace, or --create-namespace)
        kustomize.remove("Namespace//driftwatch");
        assertThat(chart.keySet()).isEqualTo(kustomize.keySet());
        for (String key : chart.keySet()) {
            assertThat(normalized(chart.get(key))).as(key).isEqualTo(normalized(kustomize.get(key)));
        }
    }

    /**
     * The intended differences, removed: Helm's conventional labels (also in selectors, which the chart narrows to its
     * release), the pod templates' {@code checksum/config} annotation (rolls the pods when the configuration
     * changes), the order of volumes and volume mounts (lists keyed by name and mount path, whose order Kubernetes
     * ignores; Kustomize's patches put theirs first), and the configuration files' text (the chart writes them with
     * toYaml, without the Kustomize files' comments): they are compared as parsed YAML.
     */
    static JsonNode normalized(JsonNode object) throws IOException {
        JsonNode copy = object.deepCopy();
        stripHelmLabels(copy);
        sortKeyedLists(copy);
        JsonNode annotations =
                copy.path("spec").path("template").path("metadata").path("annotations");
        if (annotations instanceof ObjectNode a) {
            a.remove("checksum/config");
            if (a.isEmpty()) {
                ((ObjectNode) copy.path("spec").path("template").path("metadata")).remove("annotations");
            }
        }
        if (copy.path("kind").asText().equals("ConfigMap") && copy.path("data") instanceof ObjectNode data) {
            for (String key : List.of("agent.yaml", "hub.yaml")) {
                if (data.has(key)) {
                    data.set(key, YAML.readTree(data.path(key).asText()));
                }
            }
        }
        return copy;
    }

    private static void sortKeyedLists(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (String[] list : new String[][] {{"volumes", "name"}, {"volumeMounts", "mountPath"}}) {
                if (o.get(list[0]) instanceof com.fasterxml.jackson.databind.node.ArrayNode items) {
                    List<JsonNode> sorted = new ArrayList<>();
                    items.forEach(sorted::add);
                    sorted.sort(
                            java.util.Comparator.comparing(i -> i.path(list[1]).asText()));
                    items.removeAll();
                    items.addAll(sorted);
                }
            }
        }
        node.forEach(HelmChartIT::sortKeyedLists);
    }

    private static void stripHelmLabels(JsonNode node) {
        if (node instanceof ObjectNode o) {
            HELM_LABELS.forEach(o::remove);
        }
        node.forEach(HelmChartIT::stripHelmLabels);
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> objects) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode o : objects) {
            String key = o.path("kind").asText() + "/"
                    + o.path("metadata").path("namespace").asText() + "/"
                    + o.path("metadata").path("name").asText();
            assertThat(out.put(key, o)).as("rendered twice: " + key).isNull();
        }
        return out;
    }

    private static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode o : YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class)
                .readAll()) {
            if (o != null && !o.isNull() && !o.isMissingNode() && o.size() > 0) {
                objects.add(o);
            }
        }
        return objects;
    }

    private static JsonNode find(List<JsonNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind)
                        && o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    /** {@code helm template driftwatch charts/driftwatch --namespace driftwatch [--set VALUES]}. */
    private static String template(String values) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("template", "driftwatch", "charts/driftwatch", "--namespace", "driftwatch"));
        if (!values.isEmpty()) {
            args.addAll(List.of("--set", values));
        }
        Run r = helm(args.toArray(String[]::new));
        assertThat(r.exitCode()).as("helm " + args + ":\n" + r.output()).isZero();
        return r.output();
    }

    private static String kustomize(String dir) throws Exception {
        Run r = run(
                List.of(InstallShell.tool("DRIFTWATCH_KUSTOMIZE", "kustomize").toString(), "build", dir), false);
        assertThat(r.exitCode())
                .as("kustomize build " + dir + ":\n" + r.output())
                .isZero();
        return r.output();
    }

    private static Run helm(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(InstallShell.tool("DRIFTWATCH_HELM", "helm").toString());
        command.addAll(List.of(args));
        return run(command, true);
    }

    /** Runs a command; {@code mergeErrors}: its standard error joins the output (else it is only shown on failure). */
    private static Run run(List<String> command, boolean mergeErrors) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(mergeErrors).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = mergeErrors ? "" : new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as(String.join(" ", command))
                .isTrue();
        return new Run(p.exitValue(), p.exitValue() == 0 ? out : out + err);
    }

    private record Run(int exitCode, String output) {}
}
