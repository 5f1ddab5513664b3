package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.config.HubConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

    private static final HubConfig CONFIG = new HubConfig(
            null,
            null,
            List.of(
                    new HubConfig.ClusterToken("prod-eu-1", TokenHash.sha256Hex("agent-a")),
                    new HubConfig.ClusterToken("prod-us-1", TokenHash.sha256Hex("agent-b"))),
            List.of(new HubConfig.ReadToken("grafana", TokenHash.sha256Hex("reader"))),
            null,
            null,
            null,
            null,
            null,
            null);

    @Test
    void hashIsTheHexSha256OfTheTrimmedTokenAsSha256sumPrintsIt() {
        // printf %s driftwatch-hub | sha256sum
        assertThat(TokenHash.sha256Hex("driftwatch-hub"))
                .isEqualTo("6f660645601398d745c60da0931352a1ee3c98afd48559d8ce291def134b64df");
        assertThat(TokenHash.sha256Hex("driftwatch-hub\n")).isEqualTo(TokenHash.sha256Hex("driftwatch-hub"));
    }

    @Test
    void clusterTokenResolvesToItsClusterAndMayWriteOnlyThatCluster() {
        Principal p = new Tokens(CONFIG).authenticate("Bearer agent-a").orElseThrow();
        assertThat(p).isEqualTo(new Principal(Principal.Role.CLUSTER, "prod-eu-1"));
        assertThat(p.mayWrite("prod-eu-1")).isTrue();
        assertThat(p.mayWrite("prod-us-1")).isFalse();
        assertThat(p.mayRead()).isFalse();
    }

    @Test
    void readTokenMayReadButNeverWrite() {
        Principal p = new Tokens(CONFIG).authenticate("bearer reader").orElseThrow();
        assertThat(p.mayRead()).isTrue();
        assertThat(p.mayWrite("grafana")).isFalse();
    }

    @Test
    void missingMalformedAndUnknownTokensAreRejected() {
        Tokens tokens = new Tokens(CONFIG);
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate("Basic YWdlbnQtYQ==")).isEmpty();
        assertThat(tokens.authenticate("Bearer ")).isEmpty();
        assertThat(tokens.authenticate("Bearer agent-c")).isEmpty();
        assertThat(tokens.authenticate("Bearer " + TokenHash.sha256Hex("agent-a")))
                .as("the hash is not the token")
                .isEmpty();
    }

    @Test
    void principalNeverPrintsTheToken() {
        assertThat(new Tokens(CONFIG)
                        .authenticate("Bearer agent-a")
                        .orElseThrow()
                        .toString())
                .isEqualTo("cluster:prod-eu-1")
                .doesNotContain("agent-a");
    }
}
