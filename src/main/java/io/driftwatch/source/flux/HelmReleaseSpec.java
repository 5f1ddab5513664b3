package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What driftwatch reads from a HelmRelease ({@code helm.toolkit.fluxcd.io/v2}) object (pure), with the names
 * helm-controller computes: the release name ({@code spec.releaseName}, else {@code <targetNamespace>-<name>} when a
 * target namespace is set, else the name; shortened to 53 characters as helm-controller's {@code ShortenName} does),
 * the release namespace ({@code spec.targetNamespace}, else the HelmRelease's) and the storage namespace
 * ({@code spec.storageNamespace}, else the HelmRelease's).
 */
record HelmReleaseSpec(
        String namespace,
        String name,
        String releaseName,
        String releaseNamespace,
        String storageNamespace,
        boolean suspended,
        JsonNode spec,
        JsonNode status) {

    static final String API_VERSION = "helm.toolkit.fluxcd.io/v2";
    static final String GROUP = "helm.toolkit.fluxcd.io";
    private static final int MAX_RELEASE_NAME = 53;
    private static final int SHORT_HASH = 12;

    static HelmReleaseSpec of(JsonNode helmRelease) {
        JsonNode metadata = helmRelease.path("metadata");
        JsonNode spec = helmRelease.path("spec");
        String namespace = metadata.path("namespace").asText();
        String name = metadata.path("name").asText();
        String target = spec.path("targetNamespace").asText("");
        String releaseName = spec.path("releaseName").asText("");
        if (releaseName.isEmpty()) {
            releaseName = target.isEmpty() ? name : target + "-" + name;
        }
        String storage = spec.path("storageNamespace").asText("");
        return new HelmReleaseSpec(
                namespace,
                name,
                shorten(releaseName),
                target.isEmpty() ? namespace : target,
                storage.isEmpty() ? namespace : storage,
                spec.path("suspend").asBoolean(false),
                spec,
                helmRelease.path("status"));
    }

    /** Names longer than 53 characters: the first 40, a hyphen, the first 12 hex digits of the name's SHA-256. */
    static String shorten(String name) {
        if (name.length() <= MAX_RELEASE_NAME) {
            return name;
        }
        try {
            String sum = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
            return name.substring(0, MAX_RELEASE_NAME - (SHORT_HASH + 1)) + "-" + sum.substring(0, SHORT_HASH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The latest release snapshot helm-controller recorded ({@code status.history[0]}), or a missing node. */
    JsonNode latestSnapshot() {
        return status.path("history").path(0);
    }

    /**
     * The chart version helm-controller last attempted when it differs from the one in its latest snapshot (an upgrade
     * it has not finished or that failed); empty otherwise.
     */
    String pendingChartVersion() {
        String attempted = status.path("lastAttemptedRevision").asText("");
        String installed = latestSnapshot().path("chartVersion").asText("");
        return !attempted.isEmpty() && !attempted.equals(installed) ? attempted : "";
    }

    String what() {
        return "Flux HelmRelease " + namespace + "/" + name;
    }
}
