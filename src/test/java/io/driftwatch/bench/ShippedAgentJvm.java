package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the shipped agent Deployment ({@code k8s/base/080-Deployment-driftwatch-agent.yaml}; the Helm chart renders the
 * same, HelmChartIT checks) runs the agent's JVM, so that the benchmarks run it the same way outside a container: the
 * container's environment variables that the JVM and the C library read ({@code JAVA_TOOL_OPTIONS}, {@code MALLOC_*}),
 * and its memory limit, given to the JVM as {@code -XX:MaxRAM} — what the JVM's container support reads from the
 * cgroup and sizes the heap ({@code -XX:MaxRAMPercentage}) from. {@code -Ddriftwatch.bench.agentMemoryLimit=2Gi}
 * stands for a larger limit (the documented guidance for large clusters).
 */
record ShippedAgentJvm(Map<String, String> environment, long memoryLimitBytes) {

    static final Path DEPLOYMENT = Path.of("k8s", "base", "080-Deployment-driftwatch-agent.yaml");

    static ShippedAgentJvm read() throws IOException {
        return of(
                new YAMLMapper().readTree(DEPLOYMENT.toFile()),
                System.getProperty("driftwatch.bench.agentMemoryLimit"));
    }

    /** From a Deployment (its container named "agent"); {@code limitOverride} replaces its memory limit when set. */
    static ShippedAgentJvm of(JsonNode deployment, String limitOverride) {
        JsonNode agent = null;
        for (JsonNode container :
                deployment.path("spec").path("template").path("spec").path("containers")) {
            if ("agent".equals(container.path("name").asText())) {
                agent = container;
            }
        }
        if (agent == null) {
            throw new IllegalArgumentException("the Deployment has no container named agent");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode env : agent.path("env")) {
            String name = env.path("name").asText();
            if (env.has("value") && (name.startsWith("JAVA_") || name.startsWith("MALLOC_"))) {
                environment.put(name, env.path("value").asText());
            }
        }
        String limit = limitOverride != null && !limitOverride.isBlank()
                ? limitOverride
                : agent.path("resources").path("limits").path("memory").asText("");
        if (limit.isEmpty()) {
            throw new IllegalArgumentException("the agent container has no memory limit");
        }
        return new ShippedAgentJvm(
                Map.copyOf(environment),
                Quantity.getAmountInBytes(new Quantity(limit)).longValueExact());
    }

    /** The options the container's memory limit stands for, on the java command line. */
    List<String> options() {
        return List.of("-XX:MaxRAM=" + memoryLimitBytes);
    }

    /** For the run's JSON: what the agent ran with. */
    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>(environment);
        out.put("memoryLimitMiB", memoryLimitBytes / 1024 / 1024);
        return out;
    }
}
