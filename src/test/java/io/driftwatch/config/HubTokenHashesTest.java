package io.driftwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub refuses token hashes that are placeholders or guessable, and reads hashes from files (a mounted Secret). */
class HubTokenHashesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String HASH = "0123456789abcdef".repeat(4);

    @TempDir
    Path tmp;

    private static HubConfig bind(String yaml) throws Exception {
        return HubConfigLoader.bind((ObjectNode) YAML.readTree(yaml), Map.of(), "hub.yaml");
    }

    @Test
    void aPlaceholderIsRefusedAndNamed() {
        assertThatThrownBy(() -> bind("""
                clusters: [{name: prod-eu-1, tokenSha256: REPLACE-WITH-driftwatch-hub-hash-token}]
                readTokens: [{name: grafana, tokenSha256: '<sha256 of the token>'}]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "clusters[0].tokenSha256: 'REPLACE-WITH-driftwatch-hub-hash-token' is a placeholder")
                .hasMessageContaining("readTokens[0].tokenSha256: '<sha256 of the token>' is a placeholder")
                .hasMessageContaining("driftwatch hub hash-token --token-file FILE");
    }

    @Test
    void theHashOfAWellKnownWordIsRefusedNamingTheWord() throws Exception {
        // the hashes the example manifests once shipped, computed here so that no tracked file holds them
        assertThatThrownBy(() -> bind("""
                clusters: [{name: prod-eu-1, tokenSha256: %s}]
                readTokens: [{name: grafana, tokenSha256: %s}]
                """.formatted(sha256("secret"), sha256("test"))))
                .hasMessageContaining("clusters[0].tokenSha256: is the SHA-256 of the well-known word 'secret'")
                .hasMessageContaining("readTokens[0].tokenSha256: is the SHA-256 of the well-known word 'test'");
        // the empty token, too
        assertThatThrownBy(() -> bind("clusters: [{name: a, tokenSha256: "
                        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855}]"))
                .hasMessageContaining("the well-known word ''");
    }

    @Test
    void hashesAreReadFromFilesSuchAsAMountedSecret() throws Exception {
        Path cluster = Files.writeString(tmp.resolve("prod-eu-1"), HASH + "\n");
        Path reader = Files.writeString(tmp.resolve("grafana"), HASH.replace('0', 'f'));

        HubConfig c = bind("""
                clusters: [{name: prod-eu-1, tokenSha256File: '%s'}]
                readTokens: [{name: grafana, tokenSha256File: '%s'}]
                """.formatted(cluster, reader));

        assertThat(c.clusters().get(0).tokenSha256()).isEqualTo(HASH);
        assertThat(c.readTokens().get(0).tokenSha256()).isEqualTo(HASH.replace('0', 'f'));
    }

    @Test
    void aMissingHashFileABadOneOrBothKeysAreNamed() throws Exception {
        Path placeholder = Files.writeString(tmp.resolve("bad"), "CHANGE_ME");
        assertThatThrownBy(() -> bind("""
                clusters:
                - {name: a, tokenSha256File: '%s'}
                - {name: b, tokenSha256File: '%s', tokenSha256: %s}
                - {name: c, tokenSha256File: '%s'}
                - {name: d, tokenSha256File: '%s'}
                """.formatted(tmp.resolve("missing"), placeholder, HASH, tmp, placeholder)))
                .hasMessageContaining(
                        "clusters[0].tokenSha256File: " + tmp.resolve("missing") + " is not a readable file")
                .hasMessageContaining("clusters[1]: set tokenSha256 or tokenSha256File, not both")
                .hasMessageContaining("clusters[2].tokenSha256File: " + tmp + " is not a readable file");
        Path ok = Files.writeString(tmp.resolve("ok"), HASH);
        assertThatThrownBy(() -> bind("clusters: [{name: a, tokenSha256File: '%s'}, {name: b, tokenSha256File: '%s'}]"
                        .formatted(ok, placeholder)))
                .hasMessageContaining("clusters[1].tokenSha256: 'CHANGE_ME' is a placeholder");
    }

    private static String sha256(String word) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(word.getBytes(StandardCharsets.UTF_8)));
    }
}
