package io.driftwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.testing.AgentEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code driftwatch demo} end to end, in this JVM, as the command runs it: once on the real etcd + kube-apiserver
 * (field-manager attribution) and once on fabric8's in-memory API server. Each run must print the drift, export it on
 * the agent's /metrics and have the hub list it; closing must stop every server and delete the working directory.
 */
class DemoIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void realBackendPrintsTheKubectlEditDriftAttributedToItsFieldManager() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Demo demo = start(DemoCluster.Backend.REAL, printed);
        try {
            String out = printed.toString(StandardCharsets.UTF_8);
            assertThat(demo.backend()).isEqualTo(DemoCluster.Backend.REAL);
            assertThat(out)
                    .contains("a real kube-apiserver v1.")
                    .contains("applied the example with server-side apply as field manager argocd-controller")
                    .contains("No drift: 4 desired objects match the cluster.")
                    .contains("Deployment shop/storefront (apps/v1): modified, out-of-band [app shop]")
                    .contains("~ spec.replicas: 2 → 5  [out-of-band, kubectl-edit Update ")
                    .contains("+ spec.template.spec.containers[name=storefront].env[name=LOG_LEVEL]: added "
                            + "{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"}  [out-of-band, kubectl-edit Update ")
                    .contains("what:  Deployment shop/storefront modified: spec.replicas, "
                            + "spec.template.spec.containers[name=storefront].env[name=LOG_LEVEL]")
                    .contains("who:   field manager kubectl-edit")
                    .contains("/kubectl --kubeconfig ")
                    .contains("since: ")
                    .contains(demo.agentUrl() + "/metrics")
                    .contains(demo.hubUrl() + "/api/v1/drifts")
                    .doesNotContain(Files.readString(demo.readTokenFile()));
            assertThat(demo.drift().manager()).isEqualTo("kubectl-edit");

            assertExportedEverywhere(demo, Map.of("manager", "kubectl-edit"));
        } finally {
            demo.close();
        }
        assertStopped(demo);
    }

    @Test
    void mockBackendDetectsTheReplicasDriftAndSaysWhatItCannotShow() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Demo demo = start(DemoCluster.Backend.MOCK, printed);
        try {
            String out = printed.toString(StandardCharsets.UTF_8);
            assertThat(demo.backend()).isEqualTo(DemoCluster.Backend.MOCK);
            assertThat(out)
                    .contains("fabric8's in-memory API server")
                    .contains("limit of this backend: it keeps no managedFields")
                    .contains("created the example (no server-side apply here)")
                    .contains("No drift: 4 desired objects match the cluster.")
                    .contains("Deployment shop/storefront (apps/v1): modified")
                    .contains("~ spec.replicas: 2 → 5  [unknown]")
                    .contains("who:   unknown (this API server keeps no managedFields)")
                    .doesNotContain("--kubeconfig");
            assertThat(demo.drift().manager()).isNull();

            assertExportedEverywhere(demo, Map.of());
        } finally {
            demo.close();
        }
        assertStopped(demo);
    }

    private static Demo start(DemoCluster.Backend backend, ByteArrayOutputStream printed) throws Exception {
        return Demo.start(new Demo.Settings(backend, 0, 0), new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    /** The agent's /metrics and /api/v1/status and the hub's API all show the demo's drift. */
    private void assertExportedEverywhere(Demo demo, Map<String, String> driftLabels) throws Exception {
        AgentEndpoint agent = new AgentEndpoint(Integer.parseInt(demo.agentUrl().replaceAll(".*:", "")));
        assertThat(agent.metric(
                        "driftwatch_drifted_resources",
                        Map.of(
                                "cluster",
                                "demo",
                                "app",
                                "shop",
                                "namespace",
                                "shop",
                                "kind",
                                "Deployment",
                                "type",
                                "modified")))
                .hasValue(1.0);
        Map<String, String> started = new java.util.HashMap<>(Map.of("name", "storefront", "kind", "Deployment"));
        started.putAll(driftLabels);
        assertThat(agent.metric("driftwatch_drift_started_timestamp_seconds", started))
                .isPresent();
        assertThat(agent.status().path("cluster").asText()).isEqualTo("demo");
        assertThat(agent.status().path("apps").path("shop").path("healthy").asBoolean())
                .isTrue();

        JsonNode drifts = hubGet(demo, "/api/v1/drifts").path("drifts");
        List<String> listed = StreamSupport.stream(drifts.spliterator(), false)
                .map(d -> d.path("cluster").asText() + " " + d.path("kind").asText() + " "
                        + d.path("namespace").asText() + "/" + d.path("name").asText() + " "
                        + d.path("id").asText())
                .toList();
        assertThat(listed)
                .containsExactly(
                        "demo Deployment shop/storefront " + demo.drift().id());
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create(demo.hubUrl() + "/api/v1/drifts"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode())
                .as("the hub API needs the read token")
                .isEqualTo(401);
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(demo.hubUrl() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .contains("driftwatch_hub_agent_up{cluster=\"demo\"");
    }

    private JsonNode hubGet(Demo demo, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(demo.hubUrl() + path))
                        .header(
                                "authorization",
                                "Bearer "
                                        + Files.readString(demo.readTokenFile()).strip())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** After close: the working directory is gone and nothing answers on the printed ports. */
    private void assertStopped(Demo demo) {
        assertThat(demo.workDir()).doesNotExist();
        for (String url : List.of(demo.agentUrl(), demo.hubUrl())) {
            assertThatThrownBy(() -> http.send(
                            HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .as(url)
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
