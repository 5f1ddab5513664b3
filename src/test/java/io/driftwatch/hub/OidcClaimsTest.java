package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.config.HubConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcClaimsTest {

    private static final long NOW = 1_800_000_000L;
    private static final String ISSUER = "https://idp.example.com/";

    private static JsonObject good() {
        return new JsonObject()
                .put("iss", ISSUER)
                .put("aud", new JsonArray().add("driftwatch"))
                .put("sub", "u-1")
                .put("exp", NOW + 300)
                .put("iat", NOW - 5)
                .put("nonce", "n-1")
                .put("groups", new JsonArray().add("search-team").add("payments-team"));
    }

    @Test
    void aTokenWithTheRightClaimsPasses() {
        assertThat(OidcClaims.problems(good(), "https://idp.example.com", "driftwatch", "n-1", NOW))
                .isEmpty();
        assertThat(OidcClaims.problems(good().put("aud", "driftwatch"), ISSUER, "driftwatch", "n-1", NOW))
                .isEmpty();
    }

    @Test
    void everyWrongClaimIsNamed() {
        JsonObject bad = good().put("iss", "https://evil.example.com/")
                .put("aud", "someone-else")
                .put("exp", NOW - 3600)
                .put("nonce", "replayed");
        bad.remove("sub");

        assertThat(OidcClaims.problems(bad, ISSUER, "driftwatch", "n-1", NOW))
                .hasSize(5)
                .anyMatch(p -> p.startsWith("issuer 'https://evil.example.com/'"))
                .anyMatch(p -> p.contains("does not include client driftwatch"))
                .anyMatch(p -> p.startsWith("expired"))
                .anyMatch(p -> p.startsWith("nonce does not match"))
                .anyMatch(p -> p.contains("no subject"));
    }

    @Test
    void noVerifiedTokenIsRefused() {
        assertThat(OidcClaims.problems(null, ISSUER, "driftwatch", "n-1", NOW))
                .singleElement()
                .asString()
                .contains("JWKS");
    }

    @Test
    void theScopesOfEveryConfiguredGroupTheUserIsInAddUp() {
        Map<String, Map<String, String>> mapping = new LinkedHashMap<>();
        mapping.put("payments-team", Map.of("team", "payments"));
        mapping.put("search-team", Map.of("team", "search"));
        mapping.put("prod-readers", Map.of("team", "payments", "env", "prod"));
        mapping.put("platform", Map.of());

        // both groups of the token, in configuration order (not the token's)
        assertThat(OidcClaims.scopes(OidcClaims.groups(good(), "groups"), mapping))
                .containsExactly(Map.of("team", "payments"), Map.of("team", "search"));
        // overlapping groups: both kept, the reader sees the union (ClusterScopeTest)
        assertThat(OidcClaims.scopes(List.of("prod-readers", "payments-team"), mapping))
                .containsExactly(Map.of("team", "payments"), Map.of("team", "payments", "env", "prod"));
        // one unlimited group among limited ones: every cluster
        Principal admin = new Principal(
                Principal.Role.READER, "oidc:root", OidcClaims.scopes(List.of("search-team", "platform"), mapping));
        assertThat(admin.scoped()).isFalse();
        // groups the hub does not list add nothing; none listed at all is a refusal
        assertThat(OidcClaims.scopes(List.of("interns", "search-team"), mapping))
                .containsExactly(Map.of("team", "search"));
        assertThat(OidcClaims.scopes(List.of("interns"), mapping)).isEmpty();
        assertThat(OidcClaims.scopes(List.of(), mapping)).isEmpty();
        assertThat(OidcClaims.notLetIn("carol", List.of("interns", "guests"), "groups"))
                .isEqualTo("User carol (groups [interns, guests], claim 'groups') is in none of the groups this hub"
                        + " lets in (console.oidc.groups).");
        assertThat(OidcClaims.groups(new JsonObject().put("roles", "admins"), "roles"))
                .containsExactly("admins");
        assertThat(OidcClaims.groups(new JsonObject(), "groups")).isEmpty();
    }

    @Test
    void theUserIsNamedByTheConfiguredClaimElseEmailElseSubject() {
        HubConfig.Oidc config = new HubConfig.Oidc(null, null, null, null, null, null, null, null, null);

        assertThat(OidcClaims.user(good().put("preferred_username", "alice"), config))
                .isEqualTo("alice");
        assertThat(OidcClaims.user(good().put("email", "a@example.com"), config))
                .isEqualTo("a@example.com");
        assertThat(OidcClaims.user(good(), config)).isEqualTo("u-1");
    }

    @Test
    void theCodeChallengeIsS256OfTheVerifier() {
        // RFC 7636 appendix B
        assertThat(OidcLogin.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
