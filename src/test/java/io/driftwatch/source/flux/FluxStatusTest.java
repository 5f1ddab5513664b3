package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FluxStatusTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode kustomization(int generation, String applied, String attempted, String ready, String reason)
            throws IOException {
        return YAML.readTree("""
                metadata: {generation: %d}
                status:
                  lastAppliedRevision: %s
                  lastAttemptedRevision: %s
                  lastHandledReconcileAt: "2026-12-03T10:00:00Z"
                  conditions:
                  - {type: Ready, status: "%s", reason: %s, message: "Applied revision: %s"}
                """.formatted(generation, applied, attempted, ready, reason, applied));
    }

    @Test
    void aReconciliationThatChangesNothingKeepsTheReloadKey() throws IOException {
        JsonNode before = kustomization(1, "main@sha1:a", "main@sha1:a", "True", "ReconciliationSucceeded");
        JsonNode after = before.deepCopy();
        ((ObjectNode) after.path("status")).put("lastHandledReconcileAt", "2026-12-03T11:00:00Z");
        assertThat(FluxStatus.reloadKey(after)).isEqualTo(FluxStatus.reloadKey(before));
    }

    @Test
    void aNewRevisionASpecChangeOrAReadinessChangeChangesTheReloadKey() throws IOException {
        String key =
                FluxStatus.reloadKey(kustomization(1, "main@sha1:a", "main@sha1:a", "True", "ReconciliationSucceeded"));
        assertThat(FluxStatus.reloadKey(
                        kustomization(1, "main@sha1:b", "main@sha1:b", "True", "ReconciliationSucceeded")))
                .isNotEqualTo(key);
        assertThat(FluxStatus.reloadKey(kustomization(1, "main@sha1:a", "main@sha1:b", "False", "BuildFailed")))
                .isNotEqualTo(key);
        assertThat(FluxStatus.reloadKey(
                        kustomization(2, "main@sha1:a", "main@sha1:a", "True", "ReconciliationSucceeded")))
                .isNotEqualTo(key);
    }

    @Test
    void failingIsReadyFalseForAnyReasonButAFailedHealthCheck() throws IOException {
        assertThat(FluxStatus.of(kustomization(1, "a", "b", "False", "BuildFailed"))
                        .failing())
                .isTrue();
        assertThat(FluxStatus.of(kustomization(1, "a", "b", "False", "HealthCheckFailed"))
                        .failing())
                .isFalse();
        assertThat(FluxStatus.of(kustomization(1, "a", "a", "True", "ReconciliationSucceeded"))
                        .failing())
                .isFalse();
        assertThat(FluxStatus.of(kustomization(1, "a", "b", "False", "BuildFailed"))
                        .describe())
                .isEqualTo("Ready=False (BuildFailed): Applied revision: a; last applied revision a, last attempted b");
    }
}
