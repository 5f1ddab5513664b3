package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class HelmReleaseStorageTest {

    private static final String RELEASE = """
            {"name":"shop-web","namespace":"shop","version":3,
             "info":{"status":"deployed","description":"Upgrade complete","last_deployed":"2026-12-03T19:00:00.5+01:00"},
             "chart":{"metadata":{"name":"web","version":"1.2.0"}},
             "manifest":"---\\n# Source: web/templates/cm.yaml\\napiVersion: v1\\nkind: ConfigMap\\n"}""";

    /** As the API returns a release Secret's value: base64 of Helm's base64 of gzip of JSON. */
    private static String stored(byte[] json, boolean gzip) throws Exception {
        byte[] body = json;
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(json);
            }
            body = out.toByteArray();
        }
        byte[] helm = Base64.getEncoder().encode(body);
        return Base64.getEncoder().encodeToString(helm);
    }

    @Test
    void decodesTheReleaseAsHelmStoresIt() throws Exception {
        var release = HelmReleaseStorage.decode(stored(RELEASE.getBytes(StandardCharsets.UTF_8), true), 1 << 20);
        assertThat(release.name()).isEqualTo("shop-web");
        assertThat(release.namespace()).isEqualTo("shop");
        assertThat(release.version()).isEqualTo(3);
        assertThat(release.deployed()).isTrue();
        assertThat(release.chart()).isEqualTo("web-1.2.0");
        assertThat(release.lastDeployed()).isEqualTo(Instant.parse("2026-12-03T18:00:00.5Z"));
        assertThat(release.manifest()).contains("kind: ConfigMap");
        // Helm reads releases stored without gzip too
        assertThat(HelmReleaseStorage.decode(stored(RELEASE.getBytes(StandardCharsets.UTF_8), false), 1 << 20)
                        .manifest())
                .isEqualTo(release.manifest());
    }

    @Test
    void refusesWhatIsNotAReleaseOrTooLarge() throws Exception {
        assertThatThrownBy(() -> HelmReleaseStorage.decode("%%%", 100)).hasMessageContaining("not base64");
        assertThatThrownBy(() -> HelmReleaseStorage.decode(stored("[1]".getBytes(StandardCharsets.UTF_8), true), 100))
                .hasMessageContaining("not a Helm release");
        assertThatThrownBy(() -> HelmReleaseStorage.decode(stored(RELEASE.getBytes(StandardCharsets.UTF_8), true), 10))
                .hasMessageContaining("larger than 10 bytes");
    }

    @Test
    void releaseNamesAreShortenedAsHelmControllerDoes() {
        assertThat(HelmReleaseSpec.shorten("a".repeat(53))).isEqualTo("a".repeat(53));
        String longName = "some-front-appended-namespace-release-with-a-very-long-name";
        String shortened = HelmReleaseSpec.shorten(longName);
        assertThat(shortened).hasSize(53).startsWith(longName.substring(0, 40) + "-");
        assertThat(shortened.substring(41)).matches("[0-9a-f]{12}");
    }
}
