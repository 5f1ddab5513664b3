package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
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
        long generation,
        Instant specWrittenAt,
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
                metadata.path("generation").asLong(0),
                specWrittenAt(metadata),
                spec,
                helmRelease.path("status"));
    }

    /**
     * When the HelmRelease itself (not its status) was last written: the latest time in its managedFields outside the
     * status subresource; null when none is recorded.
     */
    static Instant specWrittenAt(JsonNode metadata) {
        Instant latest = null;
        for (JsonNode entry : metadata.path("managedFields")) {
            Instant time = FluxReads.instant(entry.path("time").asText(null));
            if (!entry.path("subresource").asText("").isEmpty() || time == null) {
                continue;
            }
            latest = latest == null || time.isAfter(latest) ? time : latest;
        }
        return latest;
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

    /**
     * What, when it changes, changes a HelmRelease's desired state or health: its spec ({@code metadata.generation}),
     * the HelmChart helm-controller made for it, what helm-controller last attempted (generation, chart revision,
     * values digest), the latest release it installed (version and status), and its {@code Ready} status and reason.
     */
    static String reloadKey(JsonNode helmRelease) {
        JsonNode status = helmRelease.path("status");
        JsonNode latest = status.path("history").path(0);
        FluxStatus ready = FluxStatus.of(helmRelease);
        return String.join(
                "|",
                helmRelease.path("metadata").path("generation").asText(),
                status.path("helmChart").asText(),
                status.path("lastAttemptedGeneration").asText(),
                status.path("lastAttemptedRevision").asText(),
                status.path("lastAttemptedConfigDigest").asText(),
                latest.path("version").asText(),
                latest.path("status").asText(),
                ready.readyStatus(),
                ready.readyReason());
    }

    /**
     * Why helm-controller has yet to install what the HelmRelease asks for, or "" when it has: a spec generation it
     * has not attempted ({@code status.lastAttemptedGeneration}), a chart revision other than the installed one
     * ({@code status.history[0].chartVersion}), or values it attempted and did not install
     * ({@code lastAttemptedConfigDigest} vs the snapshot's {@code configDigest}).
     *
     * @param chartRevision the chart artifact's revision ({@code 1.2.3}, or {@code 1.2.3@sha256:...} from an
     *                      OCIRepository); empty when not known (release storage)
     */
    String pending(String chartRevision) {
        if (specPending()) {
            long attempted = status.path("lastAttemptedGeneration").asLong(-1);
            return "spec generation " + generation + " not attempted by helm-controller yet (last attempted: "
                    + (attempted < 0 ? "none" : attempted) + ")";
        }
        JsonNode latest = latestSnapshot();
        String installed = latest.path("chartVersion").asText("");
        if (!chartRevision.isEmpty() && !version(chartRevision).equals(version(installed))) {
            return "chart " + chartRevision + " not installed yet (installed: "
                    + (installed.isEmpty() ? "none" : installed) + ")";
        }
        String attemptedValues = status.path("lastAttemptedConfigDigest").asText("");
        if (!attemptedValues.isEmpty()
                && !attemptedValues.equals(latest.path("configDigest").asText(""))) {
            return "values " + attemptedValues + " attempted, not installed";
        }
        return "";
    }

    /**
     * Why the values driftwatch merged ({@code desiredDigest}, helm-controller's config digest of them) are not the
     * installed ones yet, or "" when they are, or when nothing is installed to compare with: values helm-controller has
     * not attempted (a {@code valuesFrom} ConfigMap or Secret changed since its last reconciliation), or attempted and
     * not installed (an upgrade under way; a failed one makes {@code Ready=False}, source health).
     */
    String valuesPending(String desiredDigest) {
        String installed = latestSnapshot().path("configDigest").asText("");
        if (installed.isEmpty() || installed.equals(desiredDigest)) {
            return "";
        }
        String attempted = status.path("lastAttemptedConfigDigest").asText("");
        if (attempted.equals(desiredDigest)) {
            return "values " + desiredDigest + " attempted by helm-controller, not installed yet (installed: "
                    + installed + ")";
        }
        return "values " + desiredDigest + " not attempted by helm-controller yet (last attempted: "
                + (attempted.isEmpty() ? "none" : attempted) + ", installed: " + installed + ")";
    }

    /** Whether helm-controller has not attempted the HelmRelease's current spec ({@code lastAttemptedGeneration}). */
    boolean specPending() {
        return status.path("lastAttemptedGeneration").asLong(-1) < generation;
    }

    /** A chart version without OCI digest or build metadata: {@code 1.2.3@sha256:..}, {@code 1.2.3+abc} → 1.2.3. */
    private static String version(String revision) {
        int end = revision.length();
        for (char c : new char[] {'@', '+'}) {
            int at = revision.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return revision.substring(0, end);
    }

    String what() {
        return "Flux HelmRelease " + namespace + "/" + name;
    }
}
