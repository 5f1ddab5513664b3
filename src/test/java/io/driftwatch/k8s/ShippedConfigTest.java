package io.driftwatch.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.config.ConfigLoader;
import io.driftwatch.emit.AgentMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent configurations shipped in k8s/ are valid for the real loader, so an install never starts broken. */
class ShippedConfigTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base/070-ConfigMap-driftwatch-agent.yaml", "k8s/overlays/example/agent-config.yaml"})
    void shippedAgentConfigurationLoads(String file) throws IOException {
        JsonNode configMap = YAML.readTree(Path.of(file).toFile());
        ObjectNode agentYaml = (ObjectNode)
                YAML.readTree(configMap.path("data").path("agent.yaml").asText());
        // the hub token is a file from a Secret in the pod; the loader checks it is readable, so point it here
        Path token = Files.writeString(tmp.resolve("token"), "token\n");

        AgentConfig config = ConfigLoader.bind(
                agentYaml,
                Map.of("POD_NAMESPACE", "driftwatch", "DRIFTWATCH_HUB_TOKEN_FILE", token.toString()),
                file,
                AgentMetrics.VERTX_DROPPED_LABELS);

        assertThat(config.cluster()).isNotBlank();
        assertThat(config.leaderElection().leaseNamespace()).isEqualTo("driftwatch");
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.sources().git().apps()).isNotEmpty();
        assertThat(config.stateFile()).isEqualTo(Path.of("/var/lib/driftwatch/drifts.json"));
    }
}
