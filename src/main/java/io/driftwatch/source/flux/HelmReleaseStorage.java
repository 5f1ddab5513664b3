package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * Helm's release storage, Secret driver (pure): a Secret of type {@value #SECRET_TYPE} labelled {@code owner=helm},
 * {@code name=<release>}, {@code version=<n>}, whose {@code release} key holds the release as JSON, gzipped and
 * base64-encoded by Helm (and base64-encoded once more by the API, as every Secret value). Decoded with a size cap,
 * since a release's manifest is read whole.
 */
final class HelmReleaseStorage {

    static final String SECRET_TYPE = "helm.sh/release.v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};

    private HelmReleaseStorage() {}

    /** One stored release revision: what Helm installed and how that went. */
    record Release(
            String name,
            String namespace,
            int version,
            String status,
            String description,
            String chart,
            Instant lastDeployed,
            String manifest) {

        boolean deployed() {
            return "deployed".equals(status);
        }
    }

    /**
     * Decodes the {@code release} value of a release Secret as the API returns it ({@code data.release}, base64).
     *
     * @throws IllegalArgumentException when it is not a Helm release, or larger than {@code maxBytes} decoded
     */
    static Release decode(String apiValue, long maxBytes) {
        byte[] helmEncoded;
        byte[] raw;
        try {
            helmEncoded = Base64.getDecoder().decode(apiValue.strip());
            raw = Base64.getDecoder().decode(helmEncoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the release value is not base64-encoded as Helm writes it", e);
        }
        byte[] json;
        try {
            json = raw.length > 1 && raw[0] == GZIP_MAGIC[0] && raw[1] == GZIP_MAGIC[1] ? gunzip(raw, maxBytes) : raw;
        } catch (IOException e) {
            throw new IllegalArgumentException("the release value is not gzip as Helm writes it: " + e.getMessage(), e);
        }
        JsonNode release;
        try {
            release = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the release value is not JSON: " + e.getMessage(), e);
        }
        if (release == null || !release.isObject() || !release.hasNonNull("name")) {
            throw new IllegalArgumentException("the release value is not a Helm release (no name)");
        }
        JsonNode chart = release.path("chart").path("metadata");
        return new Release(
                release.path("name").asText(),
                release.path("namespace").asText(""),
                release.path("version").asInt(0),
                release.path("info").path("status").asText("unknown"),
                release.path("info").path("description").asText(""),
                chart.path("name").asText("?") + "-" + chart.path("version").asText("?"),
                instant(release.path("info").path("last_deployed").asText(null)),
                release.path("manifest").asText(""));
    }

    private static byte[] gunzip(byte[] gz, long maxBytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (out.length > maxBytes) {
                throw new IOException("the release is larger than " + maxBytes + " bytes decoded");
            }
            return out;
        }
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
