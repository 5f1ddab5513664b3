package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    @Test
    void describesEveryEndpointTheHubServes() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("src/main/openapi/hub-api.yaml").toFile());
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        List<String> served = new ArrayList<>(List.of(
                "/api/v1/me",
                "/console/session",
                "/api/v1/clusters",
                "/api/v1/drifts",
                "/api/v1/clusters/{cluster}/drifts/{id}",
                "/api/v1/events",
                "/api/v1/events/stream",
                "/metrics",
                "/metrics/agents",
                "/healthz",
                "/readyz"));
        HubMetrics.KINDS.forEach(kind -> served.add("/api/v1/clusters/{cluster}/" + kind));
        assertThat(paths).containsExactlyInAnyOrderElementsOf(served);
        doc.path("paths")
                .forEach(p -> p.forEach(op -> assertThat(op.has("responses")).isTrue()));
    }
}
