package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.source.SourceException;
import io.driftwatch.testing.CachedBinary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * driftwatch's values merge ({@link HelmValuesFrom}) and config digest ({@link ValuesDigest}) against Flux's own Go
 * code: {@code github.com/fluxcd/pkg/chartutil}'s {@code ChartValuesFromReferences} and
 * {@code DigestValues(digest.Canonical, ...)}, the functions helm-controller calls, built into a small program by
 * {@code scripts/test-binaries.sh flux-values} (its only stand-in is the Kubernetes client, which answers Get with each
 * case's ConfigMaps). Every case of {@code flux/helm-values-corpus.jsonl} (nested maps and lists, numbers up to and past
 * int64/uint64 and floats, YAML 1.1 words, timestamps, merge keys, non-string keys, strings that need quoting or
 * escaping, unicode beyond the BMP, HTML characters, multi-line and long folded strings, key order, targetPath typing,
 * errors) must give the same digest byte for byte, the same merged values, or an error on both sides.
 */
@Order(CachedBinary.AFTER_BACKGROUND_BUILD) // needs a binary built beside the tests
class HelmValuesDigestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORPUS = "flux/helm-values-corpus.jsonl";

    private static Path binary;

    @BeforeAll
    static void findBinary() {
        binary = CachedBinary.find(
                "DRIFTWATCH_FLUX_HELM_VALUES",
                "flux-chartutil-v1.27.2-r1",
                "flux-helm-values",
                "Flux's values code (fluxcd/pkg/chartutil v1.27.2)",
                "run scripts/test-binaries.sh flux-values");
    }

    @Test
    void everyCaseDigestsAndMergesAsHelmControllerDoes(@TempDir Path dir) throws Exception {
        List<String> lines = corpus();
        List<JsonNode> go = runGo(lines, dir);
        assertThat(go).hasSameSizeAs(lines);
        List<String> mismatches = new ArrayList<>();
        int digested = 0;
        int refused = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode c = JSON.readTree(lines.get(i));
            String name = c.path("name").asText();
            JsonNode expected = go.get(i);
            ObjectNode merged;
            try {
                merged = HelmValuesFrom.merge(c, lookup(c), false, "case '" + name + "'");
            } catch (SourceException e) {
                if (!expected.has("error")) {
                    mismatches.add(name + ": driftwatch refused (" + e.getMessage() + "), Go digested it");
                }
                refused++;
                continue;
            }
            if (expected.has("error")) {
                mismatches.add(
                        name + ": Go refused (" + expected.get("error").asText() + "), driftwatch did not: " + merged);
                continue;
            }
            String digest = ValuesDigest.of(merged);
            if (!digest.equals(expected.get("digest").asText())) {
                String encoded =
                        merged.isEmpty() ? "" : new String(ValuesDigest.encode(merged), StandardCharsets.UTF_8);
                mismatches.add(name + ": digest " + digest + ", Go "
                        + expected.get("digest").asText()
                        + firstDifference(encoded, expected.get("encoded").asText()));
            }
            if (!sameValues(merged, expected.get("values"))) {
                mismatches.add(name + ": merged values " + merged + ", Go " + expected.get("values"));
            }
            digested++;
        }
        assertThat(mismatches).as("cases that differ from Flux's Go code").isEmpty();
        // the corpus has both kinds, and each was compared
        assertThat(digested).isGreaterThanOrEqualTo(20);
        assertThat(refused).isGreaterThanOrEqualTo(5);
    }

    /** The case's ConfigMaps, as the HelmRelease's namespace would hold them. */
    private static HelmValuesFrom.Lookup lookup(JsonNode c) {
        return (kind, name) -> {
            JsonNode data = c.path("configMaps").get(name);
            if (!kind.equals("ConfigMap") || data == null) {
                return null;
            }
            ObjectNode object = JSON.createObjectNode();
            object.set("data", data);
            return object;
        };
    }

    private static List<String> corpus() throws IOException {
        try (InputStream in = HelmValuesDigestIT.class.getClassLoader().getResourceAsStream(CORPUS)) {
            assertThat(in).as(CORPUS).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }

    private static List<JsonNode> runGo(List<String> lines, Path dir) throws Exception {
        Path input = dir.resolve("cases.jsonl");
        Path output = dir.resolve("results.jsonl");
        Files.writeString(input, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(binary.toString())
                .redirectInput(input.toFile())
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("flux-helm-values finished")
                .isTrue();
        assertThat(process.exitValue()).isZero();
        List<JsonNode> results = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            results.add(JSON.readTree(line));
        }
        return results;
    }

    private static String firstDifference(String java, String go) {
        int i = 0;
        while (i < java.length() && i < go.length() && java.charAt(i) == go.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 40);
        return "; encodings differ at " + i + ": driftwatch …"
                + JSON.valueToTree(java.substring(from, Math.min(java.length(), i + 40))) + " Go …"
                + JSON.valueToTree(go.substring(from, Math.min(go.length(), i + 40)));
    }

    /** Equal as Go values: numbers equal as int64 when both are integral, else as float64. */
    static boolean sameValues(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()) {
                return a.longValue() == b.longValue();
            }
            return a.doubleValue() == b.doubleValue();
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (!b.has(e.getKey()) || !sameValues(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValues(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
