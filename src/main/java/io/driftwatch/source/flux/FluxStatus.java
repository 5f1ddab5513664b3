package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a Flux object's status says (pure): its {@code Ready} condition and, for a Kustomization, the revisions it last
 * applied and last attempted. A Kustomization is failing when {@code Ready} is {@code False} for any reason but
 * {@code HealthCheckFailed} (then Flux did apply the revision; only the workloads are not healthy yet).
 */
record FluxStatus(
        String readyStatus,
        String readyReason,
        String readyMessage,
        String lastAppliedRevision,
        String lastAttemptedRevision) {

    static final String HEALTH_CHECK_FAILED = "HealthCheckFailed";

    static FluxStatus of(JsonNode object) {
        JsonNode status = object.path("status");
        JsonNode ready = null;
        for (JsonNode condition : status.path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                ready = condition;
            }
        }
        return new FluxStatus(
                ready == null ? "Unknown" : ready.path("status").asText("Unknown"),
                ready == null ? "" : ready.path("reason").asText(""),
                ready == null ? "no Ready condition yet" : ready.path("message").asText(""),
                status.path("lastAppliedRevision").asText(""),
                status.path("lastAttemptedRevision").asText(""));
    }

    /**
     * What, when it changes, changes a Kustomization's desired state or health: its spec ({@code metadata.generation}),
     * the revisions Flux applied and attempted, and its {@code Ready} status and reason. A reconciliation that changes
     * none of them (a new {@code lastHandledReconcileAt}, a message) gives the same key.
     */
    static String reloadKey(JsonNode kustomization) {
        FluxStatus status = of(kustomization);
        return kustomization.path("metadata").path("generation").asText() + "|" + status.lastAppliedRevision() + "|"
                + status.lastAttemptedRevision() + "|" + status.readyStatus() + "|" + status.readyReason();
    }

    boolean failing() {
        return "False".equals(readyStatus) && !HEALTH_CHECK_FAILED.equals(readyReason);
    }

    /** Whether Flux has a revision it fetched and not (yet) applied. */
    boolean pending(String artifactRevision) {
        return !artifactRevision.equals(lastAppliedRevision);
    }

    /** "Ready=False (reason): message" and the revisions. */
    String describe() {
        return readyText() + appliedSuffix();
    }

    String readyText() {
        return "Ready=" + readyStatus + (readyReason.isEmpty() ? "" : " (" + readyReason + ")")
                + (readyMessage.isEmpty() ? "" : ": " + readyMessage);
    }

    String appliedSuffix() {
        StringBuilder s = new StringBuilder();
        if (!lastAppliedRevision.isEmpty()) {
            s.append("; last applied revision ").append(lastAppliedRevision);
        }
        if (!lastAttemptedRevision.isEmpty() && !lastAttemptedRevision.equals(lastAppliedRevision)) {
            s.append(", last attempted ").append(lastAttemptedRevision);
        }
        return s.toString();
    }
}
