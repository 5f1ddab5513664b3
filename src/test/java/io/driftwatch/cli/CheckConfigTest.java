package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent --check-config} and {@code hub --check-config}: validate, print the effective config, exit. */
class CheckConfigTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String HASH = "3f1c9d0a5b2e47f6a8c1d9e0b7a6f5e4d3c2b1a09f8e7d6c5b4a392817f6e5d4";

    @TempDir
    Path tmp;

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(tmp.resolve(name), yaml);
    }

    /** The YAML after the first comment line. */
    private static JsonNode printed(CliRun run) throws IOException {
        assertThat(run.stdout()).startsWith("# ");
        return YAML.readTree(run.stdout().substring(run.stdout().indexOf('\n') + 1));
    }

    @Test
    void validAgentConfigIsPrintedWithDefaultsAndNoSecretAndNothingStarts() throws IOException {
        Path token = write("hub-token", "s3cr3t-push-token");
        Path config = write("agent.yaml", """
                cluster: prod-eu-1
                leaderElection: {leaseNamespace: driftwatch}
                hub: {url: "https://ci:pa55word@hub.example.com:8443", tokenFile: %s}
                sources:
                  limits: {maxDocumentBytes: 65536}
                  directories:
                  - {name: shop, path: /manifests/shop}
                  git:
                    apps:
                    - {name: web, repoUrl: "https://ghp_tokenAsUser@github.com/acme/web.git", path: apps/web,
                       targetNamespace: web}
                """.formatted(token));

        CliRun run = CliRun.of("agent", "--config", config.toString(), "--check-config");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .startsWith("# " + config + ": valid.")
                .doesNotContain("s3cr3t-push-token")
                .doesNotContain("pa55word")
                .doesNotContain("ghp_tokenAsUser");
        JsonNode effective = printed(run);
        assertThat(effective.at("/cluster").asText()).isEqualTo("prod-eu-1");
        assertThat(effective.at("/resyncInterval").asText()).isEqualTo("10m");
        assertThat(effective.at("/http/port").asInt()).isEqualTo(8080);
        assertThat(effective.at("/hub/tokenFile").asText()).isEqualTo(token.toString());
        assertThat(effective.at("/hub/url").asText()).isEqualTo("https://<omitted>@hub.example.com:8443");
        assertThat(effective.at("/sources/git/apps/0/repoUrl").asText())
                .isEqualTo("https://<omitted>@github.com/acme/web.git");
        assertThat(effective.at("/sources/limits/maxDocumentBytes").asLong()).isEqualTo(65536);
        assertThat(effective.at("/sources/limits/maxDocuments").asInt()).isEqualTo(50_000);
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void agentConfigWithSeveralProblemsListsThemAllAndExitsTwo() throws IOException {
        Path config = write("agent.yaml", """
                cluster: ""
                http: {port: 99999, tls: true}
                resyncInterval: soon
                leaderElection: {enabled: false}
                sources:
                  limits: {maxDocumentBytes: 10, maxDocuments: 0}
                  directories:
                  - {name: shop}
                hub: {url: "https://hub.example.com", tokenFile: %s}
                """.formatted(tmp));

        CliRun run = CliRun.of("agent", "-c", config.toString(), "--check-config");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .contains("invalid configuration in " + config)
                .contains("http.tls: unknown setting")
                .contains("resyncInterval: ")
                .contains("cluster: required")
                .contains("http.port: 99999 is not a TCP port")
                .contains("sources.limits.maxDocumentBytes: must be at least 1024")
                .contains("sources.limits.maxDocuments: must be at least 1")
                .contains("sources.directories[0].path: required")
                .contains("hub.tokenFile: " + tmp + " is a directory");
    }

    @Test
    void validHubConfigIsPrintedWithTokenHashesAndDatabasePasswordOmitted() throws IOException {
        Path config = write("hub.yaml", """
                listen: {port: 0}
                storage: {type: postgresql, postgresUrl: "jdbc:postgresql://db:5432/dw?user=hub&password=hunter2"}
                clusters:
                - {name: prod-eu-1, tokenSha256: %s}
                readTokens:
                - {name: grafana, tokenSha256File: %s}
                """.formatted(HASH, write("grafana.sha256", HASH.replace('3', '4'))));

        CliRun run = CliRun.of("hub", "--config", config.toString(), "--check-config");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .doesNotContain(HASH)
                .doesNotContain(HASH.replace('3', '4'))
                .doesNotContain("hunter2");
        JsonNode effective = printed(run);
        assertThat(effective.at("/clusters/0/name").asText()).isEqualTo("prod-eu-1");
        assertThat(effective.at("/clusters/0/tokenSha256").asText()).isEqualTo("<omitted>");
        assertThat(effective.at("/readTokens/0/tokenSha256").asText()).isEqualTo("<omitted>");
        assertThat(effective.at("/storage/postgresUrl").asText())
                .isEqualTo("jdbc:postgresql://db:5432/dw?user=hub&password=<omitted>");
        assertThat(effective.at("/retention/history").asText()).isNotEmpty();
        assertThat(effective.at("/listen/idleTimeout").asText()).isEqualTo("1m");
    }

    @Test
    void hubConfigWithSeveralProblemsListsThemAllAndExitsTwo() throws IOException {
        Path config = write("hub.yaml", """
                listen: {port: -1, tlsCertFile: /nonexistent/cert.pem}
                storage: {type: mysql}
                clusters:
                - {name: "bad name!", tokenSha256: nothex}
                retention: {history: 1m}
                extra: 1
                """);

        CliRun run = CliRun.of("hub", "-c", config.toString(), "--check-config");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .contains("extra: unknown setting")
                .contains("listen.port: -1 is not a TCP port")
                .contains("listen.tlsCertFile, listen.tlsKeyFile: set both")
                .contains("storage.type: 'mysql' is not sqlite or postgresql")
                .contains("clusters[0].name: required")
                .contains("retention.history: must be at least 1h");
    }

    @Test
    void urlSecretsAreOmittedButSshUsersAndPlainTextKept() {
        assertThat(EffectiveConfig.withoutUrlSecrets("ssh://git@github.com/acme/web.git"))
                .isEqualTo("ssh://git@github.com/acme/web.git");
        assertThat(EffectiveConfig.withoutUrlSecrets("https://u:p@h/x?token=abc&a=b"))
                .isEqualTo("https://<omitted>@h/x?token=<omitted>&a=b");
        assertThat(EffectiveConfig.withoutUrlSecrets("password=not-a-url")).isEqualTo("password=not-a-url");
    }
}
