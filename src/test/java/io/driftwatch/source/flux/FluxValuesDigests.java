package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.testing.CachedBinary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * helm-controller's config digest of a HelmRelease's values, computed by Flux's own Go code (fluxcd/pkg/chartutil's
 * {@code ChartValuesFromReferences} and {@code DigestValues}, the program {@code scripts/test-binaries.sh flux-values}
 * builds), for tests that write a HelmRelease's status as helm-controller would: never by driftwatch's Java.
 */
final class FluxValuesDigests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FluxValuesDigests() {}

    static Path binary() {
        return CachedBinary.find(
                "DRIFTWATCH_FLUX_HELM_VALUES",
                "flux-chartutil-v1.27.2-r1",
                "flux-helm-values",
                "Flux's values code (fluxcd/pkg/chartutil v1.27.2)",
                "run scripts/test-binaries.sh flux-values");
    }

    /**
     * The digest of {@code spec.values} and {@code spec.valuesFrom} (ConfigMaps only) as helm-controller computes it.
     *
     * @param configMaps name → the ConfigMap's {@code data}, for those {@code valuesFrom} names
     */
    static String of(JsonNode spec, ObjectNode configMaps, Path work) throws Exception {
        ObjectNode c = JSON.createObjectNode();
        if (spec.has("values")) {
            c.set("values", spec.get("values"));
        }
        if (spec.has("valuesFrom")) {
            c.set("valuesFrom", spec.get("valuesFrom"));
        }
        c.set("configMaps", configMaps);
        Path in = Files.createTempFile(work, "values-case", ".json");
        Path out = Files.createTempFile(work, "values-digest", ".json");
        Files.writeString(in, JSON.writeValueAsString(c) + "\n", StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(binary().toString())
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonNode result = JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
        assertThat(result.has("digest")).as(result.toString()).isTrue();
        return result.get("digest").asText();
    }
}
