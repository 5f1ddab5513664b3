package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a HelmRelease's status says about pending work, and what reloads it in the agent. */
class HelmReleaseSpecTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A HelmRelease helm-controller reconciled: generation 2 attempted, chart 1.0.0 installed with values digest d1. */
    private static ObjectNode installed() throws IOException {
        return (ObjectNode) YAML.readTree("""
                metadata:
                  name: web
                  namespace: flux-apps
                  generation: 2
                  managedFields:
                  - {manager: kubectl, operation: Apply, time: "2026-12-04T10:00:00Z"}
                  - {manager: helm-controller, operation: Update, subresource: status, time: "2026-12-04T11:00:00Z"}
                spec: {chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: charts}}}}
                status:
                  lastAttemptedGeneration: 2
                  lastAttemptedRevision: 1.0.0
                  lastAttemptedConfigDigest: "sha256:d1"
                  lastHandledReconcileAt: "2026-12-04T11:00:00Z"
                  history:
                  - {name: web, namespace: flux-apps, version: 1, status: deployed, chartName: web,
                     chartVersion: 1.0.0, configDigest: "sha256:d1", digest: "sha256:r1"}
                  conditions:
                  - {type: Ready, status: "True", reason: InstallSucceeded, message: "Helm install succeeded"}
                """);
    }

    @Test
    void nothingIsPendingWhenTheAttemptedSpecChartAndValuesAreInstalled() throws IOException {
        HelmReleaseSpec release = HelmReleaseSpec.of(installed());
        assertThat(release.pending("1.0.0")).isEmpty();
        assertThat(release.pending("")).as("release storage: no chart revision").isEmpty();
        assertThat(release.specPending()).isFalse();
    }

    @Test
    void aSpecNotAttemptedYetIsPendingSinceItWasWritten() throws IOException {
        ObjectNode object = installed();
        ((ObjectNode) object.path("metadata")).put("generation", 3);
        HelmReleaseSpec release = HelmReleaseSpec.of(object);
        assertThat(release.specPending()).isTrue();
        assertThat(release.pending("1.0.0"))
                .isEqualTo("spec generation 3 not attempted by helm-controller yet (last attempted: 2)");
        assertThat(release.specWrittenAt())
                .as("the status subresource's write is not the spec's")
                .isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
        ((ObjectNode) object.path("status")).remove("lastAttemptedGeneration");
        assertThat(HelmReleaseSpec.of(object).pending("1.0.0")).endsWith("(last attempted: none)");
    }

    @Test
    void aChartVersionOrValuesNotInstalledArePending() throws IOException {
        HelmReleaseSpec release = HelmReleaseSpec.of(installed());
        assertThat(release.pending("1.1.0")).isEqualTo("chart 1.1.0 not installed yet (installed: 1.0.0)");
        assertThat(release.pending("1.0.0@sha256:abc"))
                .as("an OCI artifact's digest is not the version")
                .isEmpty();
        ObjectNode object = installed();
        ((ObjectNode) object.path("status")).put("lastAttemptedConfigDigest", "sha256:d2");
        assertThat(HelmReleaseSpec.of(object).pending("1.0.0")).isEqualTo("values sha256:d2 attempted, not installed");
    }

    @Test
    void valuesWhoseDigestIsNotTheInstalledOneArePendingAttemptedOrNot() throws IOException {
        HelmReleaseSpec release = HelmReleaseSpec.of(installed());
        // the merged values digest as the installed ones: nothing pending
        assertThat(release.valuesPending("sha256:d1")).isEmpty();
        // a valuesFrom ConfigMap changed after helm-controller's last reconciliation: not attempted yet
        assertThat(release.valuesPending("sha256:d2"))
                .isEqualTo("values sha256:d2 not attempted by helm-controller yet (last attempted: sha256:d1,"
                        + " installed: sha256:d1)");
        // helm-controller attempted them and has not installed them (yet)
        ObjectNode object = installed();
        object.with("status").put("lastAttemptedConfigDigest", "sha256:d2");
        assertThat(HelmReleaseSpec.of(object).valuesPending("sha256:d2"))
                .isEqualTo("values sha256:d2 attempted by helm-controller, not installed yet (installed: sha256:d1)");
        // nothing installed: nothing to compare with (the release is not installed, said elsewhere)
        object.with("status").remove("history");
        assertThat(HelmReleaseSpec.of(object).valuesPending("sha256:d2")).isEmpty();
    }

    @Test
    void theReloadKeyChangesWithWhatDecidesDesiredStateOrHealthOnly() throws IOException {
        String key = HelmReleaseSpec.reloadKey(installed());
        ObjectNode reconciled = installed();
        ((ObjectNode) reconciled.path("status")).put("lastHandledReconcileAt", "2026-12-04T12:00:00Z");
        assertThat(HelmReleaseSpec.reloadKey(reconciled)).isEqualTo(key);

        ObjectNode upgraded = installed();
        ((ObjectNode) upgraded.path("status").path("history").path(0)).put("version", 2);
        ObjectNode attempted = installed();
        ((ObjectNode) attempted.path("status")).put("lastAttemptedRevision", "1.1.0");
        ObjectNode newSpec = installed();
        ((ObjectNode) newSpec.path("metadata")).put("generation", 3);
        ObjectNode failed = installed();
        ((ObjectNode) failed.path("status").path("conditions").path(0))
                .put("status", "False")
                .put("reason", "UpgradeFailed");
        for (JsonNode changed : new JsonNode[] {upgraded, attempted, newSpec, failed}) {
            assertThat(HelmReleaseSpec.reloadKey(changed)).isNotEqualTo(key);
        }
    }
}
