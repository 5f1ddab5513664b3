package io.driftwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigLoaderTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String HASH = "a".repeat(64);

    private static HubConfig bind(String yaml, Map<String, String> env) throws Exception {
        return HubConfigLoader.bind((ObjectNode) YAML.readTree(yaml), env, "hub.yaml");
    }

    @Test
    void aMinimalConfigNamesOneClusterAndGetsDefaults() throws Exception {
        HubConfig c = bind("clusters: [{name: prod-eu-1, tokenSha256: " + HASH + "}]", Map.of());
        assertThat(c.storage().type()).isEqualTo("sqlite");
        assertThat(c.retention().history()).isEqualTo(Duration.ofDays(30));
        assertThat(c.listen().port()).isEqualTo(8443);
        assertThat(c.limits().maxBatchEvents()).isEqualTo(1000);
        assertThat(c.metrics().clusterInfoLabels()).containsExactly("env", "region");
        assertThat(c.metrics().maxDriftSeries()).isEqualTo(2000);
    }

    @Test
    void thePerDriftSeriesCapIsSetByFileOrEnvironmentAndMustNotBeNegative() throws Exception {
        String clusters = "clusters: [{name: a, tokenSha256: " + HASH + "}]\n";
        assertThat(bind(clusters + "metrics: {maxDriftSeries: 0}", Map.of())
                        .metrics()
                        .maxDriftSeries())
                .isZero();
        assertThat(bind(clusters, Map.of("DRIFTWATCH_HUB_MAX_DRIFT_SERIES", "50"))
                        .metrics()
                        .maxDriftSeries())
                .isEqualTo(50);
        assertThatThrownBy(() -> bind(clusters + "metrics: {maxDriftSeries: -1}", Map.of()))
                .hasMessageContaining("metrics.maxDriftSeries: must be 0 or more");
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        assertThatThrownBy(() -> bind("""
                clusters:
                - {name: 'bad name', tokenSha256: secret}
                - {name: ok, tokenSha256: %1$s}
                readTokens: [{name: grafana, tokenSha256: %1$s}]
                storage: {type: mysql}
                listen: {tlsCertFile: /nonexistent.pem}
                metrics: {clusterInfoLabels: [cluster], relayStaleAfter: 0s, relayMaxSeriesPerCluster: 0}
                retention: {history: 5m}
                """.formatted(HASH), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clusters[0].name")
                .hasMessageContaining("clusters[0].tokenSha256: must be 64 lower-case hex digits")
                .hasMessageContaining("readTokens[0].tokenSha256: the same token is used by another entry")
                .hasMessageContaining("storage.type: 'mysql'")
                .hasMessageContaining("listen.tlsCertFile, listen.tlsKeyFile: set both")
                .hasMessageContaining("metrics.clusterInfoLabels: 'cluster'")
                .hasMessageContaining("metrics.relayStaleAfter: must be at least 1s")
                .hasMessageContaining("metrics.relayMaxSeriesPerCluster: must be between 1 and 1000000")
                .hasMessageContaining("retention.history");
    }

    @Test
    void postgresNeedsAJdbcUrlAndEnvironmentOverridesApply() throws Exception {
        assertThatThrownBy(() ->
                        bind("clusters: [{name: a, tokenSha256: " + HASH + "}]\nstorage: {type: postgresql}", Map.of()))
                .hasMessageContaining("storage.postgresUrl");
        HubConfig c = bind(
                "clusters: [{name: a, tokenSha256: " + HASH + "}]",
                Map.of(
                        "DRIFTWATCH_HUB_STORAGE_TYPE", "postgresql",
                        "DRIFTWATCH_HUB_POSTGRES_URL", "jdbc:postgresql://db:5432/dw",
                        "DRIFTWATCH_HUB_RETENTION_DAYS", "7"));
        assertThat(c.storage().postgres()).isTrue();
        assertThat(c.retention().history()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void unknownSettingsAreRefused() {
        assertThatThrownBy(() -> bind("clusters: [{name: a, tokenSha256: " + HASH + "}]\nclustres: []", Map.of()))
                .hasMessageContaining("clustres: unknown setting (known: ");
    }

    @Test
    void theDescriptionHoldsNoTokenHash() throws Exception {
        HubConfig c = bind("clusters: [{name: a, tokenSha256: " + HASH + "}]", Map.of());
        assertThat(HubConfigLoader.describe(c)).contains("clusters [a]").doesNotContain(HASH);
    }

    @Test
    void everyUnknownKeyTypeErrorAndBadValueIsListedAtOnce() {
        String yaml = """
                listen: {port: x, tls: true}
                storage: {type: sqlite, poolSize: [1]}
                clusters:
                - {name: a, tokenSha256: %s, extra: 1}
                - {name: "bad name", tokenSha256: short}
                limits: {maxBodyBytes: 10KB}
                retention: {history: forever}
                """.formatted(HASH);

        assertThatThrownBy(() -> bind(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen.port: \"x\" is not a whole number")
                .hasMessageContaining(
                        "listen.tls: unknown setting (known: headerTimeout, host, idleTimeout, maxHeaderBytes, port, "
                                + "requestTimeout, tlsCertFile, tlsKeyFile)")
                .hasMessageContaining("storage.poolSize: expected a whole number, got a list")
                .hasMessageContaining("clusters[0].extra: unknown setting")
                .hasMessageContaining("clusters[1].name: required, letters, digits")
                .hasMessageContaining("clusters[1].tokenSha256: must be 64 lower-case hex digits")
                .hasMessageContaining("limits.maxBodyBytes: \"10KB\" is not a whole number")
                .hasMessageContaining("retention.history: \"forever\" is not a duration")
                .hasMessageNotContaining("java.")
                .hasMessageNotContaining("`");
    }

    @Test
    void aReadTokenMayBeLimitedToClustersByLabelAndTheConsoleHasSafeDefaults() throws Exception {
        HubConfig c = bind("""
                clusters: [{name: a, tokenSha256: %s}]
                readTokens: [{name: payments, tokenSha256: %s, clusterLabels: {team: payments}}]
                """.formatted(HASH, "b".repeat(64)), Map.of());
        assertThat(c.readTokens().get(0).clusterLabels()).isEqualTo(List.of(Map.of("team", "payments")));
        assertThat(c.console().secureCookies()).isTrue();
        assertThat(c.console().sessionTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(c.console().proxyAuth()).isNull();
    }

    @Test
    void badConsoleSettingsAreNamedAtOnce() {
        assertThatThrownBy(() -> bind("""
                        clusters: [{name: a, tokenSha256: %s}]
                        console:
                          sessionTtl: 10s
                          proxyAuth: {tokenSha256: REPLACE-me, users: {}}
                        """.formatted(HASH), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.sessionTtl: must be between 1m and 7d")
                .hasMessageContaining("console.proxyAuth.tokenSha256: 'REPLACE-me' is a placeholder")
                .hasMessageContaining("console.proxyAuth.users: list who may sign in");
    }

    @Test
    void oidcSettingsAreCheckedAllAtOnce() {
        assertThatThrownBy(() -> bind("""
                        clusters: [{name: a, tokenSha256: %s}]
                        console:
                          externalUrl: 'ftp://driftwatch.example.com'
                          oidc:
                            issuer: http://idp.example.com
                            clientSecretFile: /nonexistent/secret
                            redirectUrl: https://driftwatch.example.com/callback
                            scopes: [profile]
                        """.formatted(HASH), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.externalUrl: 'ftp://driftwatch.example.com' is not an absolute http")
                .hasMessageContaining("console.oidc.issuer: must be https")
                .hasMessageContaining("console.oidc.clientId: required")
                .hasMessageContaining("console.oidc.clientSecretFile: /nonexistent/secret does not exist")
                .hasMessageContaining("console.oidc.redirectUrl: its path must be /console/oidc/callback")
                .hasMessageContaining("console.oidc.scopes: must include openid")
                .hasMessageContaining("console.oidc.groups: map each group");
    }

    @Test
    void oidcDefaultsAndTheConsoleUrl(@TempDir Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "s");
        HubConfig c = bind("""
                clusters: [{name: a, tokenSha256: %s}]
                console:
                  externalUrl: https://driftwatch.example.com/
                  oidc:
                    issuer: https://dex.example.com
                    clientId: driftwatch
                    clientSecretFile: '%s'
                    redirectUrl: https://driftwatch.example.com/console/oidc/callback
                    groups: {platform: {}, payments: {team: payments}}
                """.formatted(HASH, secret), Map.of());

        assertThat(c.console().consoleUrl()).isEqualTo("https://driftwatch.example.com/console/");
        assertThat(c.console().oidc().scopes()).containsExactly("openid", "profile", "email", "groups");
        assertThat(c.console().oidc().groupsClaim()).isEqualTo("groups");
        assertThat(c.console().oidc().groups().keySet()).containsExactly("platform", "payments");
        // after signing out at the provider: back to the console, next to the callback
        assertThat(c.console().oidc().postLogoutUrl()).isEqualTo("https://driftwatch.example.com/console/");
    }

    @Test
    void aReadTokensClusterLabelsMayBeAListOfLabelSetsThatAddUp() throws Exception {
        HubConfig c = bind("""
                clusters: [{name: a, tokenSha256: %s}]
                readTokens:
                - {name: two-teams, tokenSha256: %s, clusterLabels: [{team: payments, env: prod}, {team: search}]}
                - {name: all, tokenSha256: %s}
                """.formatted(HASH, "b".repeat(64), "c".repeat(64)), Map.of());
        assertThat(c.readTokens().get(0).clusterLabels())
                .containsExactly(Map.of("team", "payments", "env", "prod"), Map.of("team", "search"));
        assertThat(c.readTokens().get(1).clusterLabels()).containsExactly(Map.of());
    }

    @Test
    void badLabelSetsProxyGroupsAndLogoutUrlAreNamedAtOnce(@TempDir Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "s");
        assertThatThrownBy(() -> bind(
                        """
                        clusters: [{name: a, tokenSha256: %s}]
                        readTokens:
                        - {name: r, tokenSha256: %s, clusterLabels: [{team: payments}, {'': x}]}
                        - {name: none, tokenSha256: %s, clusterLabels: []}
                        - {name: blank, tokenSha256: %s, clusterLabels: [{team: search}, ~]}
                        console:
                          proxyAuth:
                            tokenSha256: %s
                            users: {bob: {team: payments}, eve: {' ': y}}
                            groups: {search-team: {team: search}}
                          oidc:
                            issuer: https://dex.example.com
                            clientId: driftwatch
                            clientSecretFile: '%s'
                            redirectUrl: https://driftwatch.example.com/console/oidc/callback
                            postLogoutRedirectUrl: 'https://driftwatch.example.com/console/#/fleet'
                            groups: {payments: {team: payments}, broken: {'': z}}
                        """.formatted(HASH, "b".repeat(64), "d".repeat(64), "e".repeat(64), "c".repeat(64), secret),
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("readTokens[0].clusterLabels[1]: label keys must be non-empty")
                .hasMessageNotContaining("readTokens[0].clusterLabels[0]")
                .hasMessageContaining("readTokens[1].clusterLabels: an empty list lets the token read nothing")
                .hasMessageContaining("readTokens[2].clusterLabels[1]: give its clusterLabels ({} for every cluster)")
                .hasMessageContaining("console.proxyAuth.users.eve: label keys must be non-empty")
                .hasMessageContaining("console.proxyAuth.groups: needs groupsHeader")
                .hasMessageContaining("console.oidc.groups.broken: label keys must be non-empty")
                .hasMessageContaining("console.oidc.postLogoutRedirectUrl: must not have a fragment");
        assertThatThrownBy(() -> bind("""
                        clusters: [{name: a, tokenSha256: %s}]
                        console:
                          oidc:
                            issuer: https://dex.example.com
                            clientId: driftwatch
                            clientSecretFile: '%s'
                            redirectUrl: https://driftwatch.example.com/console/oidc/callback
                            postLogoutRedirectUrl: /console/
                            groups: {payments: {team: payments}}
                        """.formatted(HASH, secret), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "console.oidc.postLogoutRedirectUrl: '/console/' is not an absolute http or" + " https URL");
    }
}
