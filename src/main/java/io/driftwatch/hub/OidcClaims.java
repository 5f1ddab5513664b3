package io.driftwatch.hub;

import io.driftwatch.config.HubConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the hub requires of a verified ID token beyond its signature (which vertx-auth-oauth2 checks against the
 * provider's JWKS, with its issuer and audience): the claims present and right, named all at once; and which
 * clusters its user may read, from the groups claim and {@code console.oidc.groups}.
 */
final class OidcClaims {

    /** Clock difference tolerated between the hub and the provider for {@code exp} and {@code iat}. */
    static final long LEEWAY_SECONDS = 60;

    private OidcClaims() {}

    /** Every reason to refuse {@code claims}; empty when they may sign in. */
    static List<String> problems(JsonObject claims, String issuer, String clientId, String nonce, long nowSeconds) {
        List<String> problems = new ArrayList<>();
        if (claims == null) {
            return List.of("the provider sent no ID token that verifies against its published keys (JWKS), issuer and"
                    + " audience");
        }
        if (!trimSlash(claims.getString("iss", "")).equals(trimSlash(issuer))) {
            problems.add("issuer '" + claims.getString("iss") + "' is not " + issuer);
        }
        Object aud = claims.getValue("aud");
        boolean forUs =
                aud instanceof String s ? s.equals(clientId) : aud instanceof JsonArray a && a.contains(clientId);
        if (!forUs) {
            problems.add("audience " + aud + " does not include client " + clientId);
        }
        Long exp = number(claims, "exp");
        if (exp == null) {
            problems.add("no expiry (exp)");
        } else if (exp + LEEWAY_SECONDS < nowSeconds) {
            problems.add("expired at " + exp + " (now " + nowSeconds + ")");
        }
        Long iat = number(claims, "iat");
        if (iat != null && iat - LEEWAY_SECONDS > nowSeconds) {
            problems.add("issued in the future (iat " + iat + ", now " + nowSeconds + ")");
        }
        if (!nonce.equals(claims.getString("nonce"))) {
            problems.add("nonce does not match the one this sign-in sent (a replayed or foreign token)");
        }
        if (claims.getString("sub", "").isEmpty()) {
            problems.add("no subject (sub)");
        }
        return problems;
    }

    /** The user's name for logs and the page: the configured claim, else email, else the subject. */
    static String user(JsonObject claims, HubConfig.Oidc config) {
        for (String claim : List.of(config.userClaim(), "email", "sub")) {
            Object v = claims.getValue(claim);
            if (v instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return "?";
    }

    /** The groups claim as a list: a JSON array of strings, or one string. */
    static List<String> groups(JsonObject claims, String claim) {
        Object v = claims.getValue(claim);
        if (v instanceof String s) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        if (v instanceof JsonArray a) {
            a.forEach(g -> {
                if (g instanceof String s) {
                    out.add(s);
                }
            });
        }
        return out;
    }

    /**
     * The cluster label sets a member of {@code userGroups} may read: one per group of {@code mapping} the user is in
     * (in configuration order), adding up; empty when the user is in none (refused).
     */
    static List<Map<String, String>> scopes(Collection<String> userGroups, Map<String, Map<String, String>> mapping) {
        return mapping.entrySet().stream()
                .filter(e -> userGroups.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** Why a user in none of the mapped groups is refused: the user and every group its token carried. */
    static String notLetIn(String user, List<String> groups, String claim) {
        return "User " + user + " (groups " + groups + ", claim '" + claim
                + "') is in none of the groups this hub lets in (console.oidc.groups).";
    }

    private static Long number(JsonObject claims, String name) {
        return claims.getValue(name) instanceof Number n ? n.longValue() : null;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
