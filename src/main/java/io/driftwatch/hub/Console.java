package io.driftwatch.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.HubConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The web console: static files from the jar under {@code /console/}, sign-in with a read token that becomes a
 * session cookie (HttpOnly, SameSite=Strict, Secure unless configured off), sign-out, and who is signed in. Every
 * data request goes to the read API, which resolves the same principal ({@link #principal}) and applies its cluster
 * scope. CSRF: the only state-changing requests (sign-in, sign-out) must be JSON from this origin ({@code Origin}
 * equal to the request's own), which a cross-site form cannot send and a cross-site script cannot send without a
 * CORS preflight the hub never answers.
 */
final class Console {

    static final String COOKIE = "driftwatch_session";
    private static final String ROOT = "io/driftwatch/hub/console";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final Tokens tokens;
    private final Sessions sessions;
    private final HubConfig.Console config;
    private final byte[] proxyHash;
    private final OidcLogin oidc;

    /** {@code oidc}: OpenID Connect sign-in, or null when {@code console.oidc} is not set. */
    Console(Tokens tokens, Sessions sessions, HubConfig.Console config, OidcLogin oidc) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.config = config;
        this.oidc = oidc;
        this.proxyHash = config.proxyAuth() == null
                ? null
                : HexFormat.of().parseHex(config.proxyAuth().tokenSha256());
    }

    void mount(Router router) {
        // Vert.x matches "/console" for "/console/" too: redirect only the exact paths
        router.get("/").handler(ctx -> redirect(ctx, "/console/"));
        router.get("/console").handler(ctx -> redirect(ctx, "/console/"));
        router.route("/console/*").handler(ctx -> {
            ctx.response()
                    .putHeader("content-security-policy", CSP)
                    .putHeader("x-content-type-options", "nosniff")
                    .putHeader("referrer-policy", "no-referrer")
                    .putHeader("x-frame-options", "DENY");
            ctx.next();
        });
        router.post("/console/session").handler(BodyHandler.create().setBodyLimit(8192));
        router.post("/console/session").handler(this::signIn);
        router.delete("/console/session").handler(this::signOut);
        // which sign-ins the page offers (before anyone is signed in)
        router.get("/console/sign-in-methods")
                .handler(ctx -> Http.json(
                        ctx,
                        200,
                        Http.JSON.createObjectNode().put("readToken", true).put("oidc", oidc != null)));
        if (oidc != null) {
            oidc.mount(router);
        }
        router.get("/console/*")
                .handler(StaticHandler.create(ROOT)
                        .setCachingEnabled(false)
                        .setDirectoryListing(false)
                        .setIndexPage("index.html"));
    }

    /**
     * The reader of a request: a bearer token, else a session cookie, else a trusted proxy's user header; empty when
     * none is valid.
     */
    Optional<Principal> principal(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header != null) {
            return tokens.authenticate(header);
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (cookie != null) {
            Optional<Principal> p = sessions.get(cookie.getValue());
            if (p.isPresent()) {
                return p;
            }
        }
        return proxyUser(ctx);
    }

    private Optional<Principal> proxyUser(RoutingContext ctx) {
        HubConfig.ProxyAuth proxy = config.proxyAuth();
        if (proxy == null) {
            return Optional.empty();
        }
        String secret = ctx.request().getHeader(proxy.secretHeader());
        String user = ctx.request().getHeader(proxy.userHeader());
        if (secret == null || user == null || secret.length() > 4096) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(TokenHash.sha256(secret.strip()), proxyHash)) {
            return Optional.empty();
        }
        String groups = proxy.groupsHeader() == null ? null : ctx.request().getHeader(proxy.groupsHeader());
        List<Map<String, String>> scopes = proxyScopes(proxy, user.strip(), groups);
        if (scopes.isEmpty()) {
            return Optional.empty(); // neither listed nor in a listed group: may not read
        }
        return Optional.of(new Principal(Principal.Role.READER, "proxy:" + user.strip(), scopes));
    }

    /**
     * The label sets a proxy user may read: its own entry in {@code users} and one per mapped group in the groups
     * header (comma-separated, as oauth2-proxy sends them), adding up; empty when none applies.
     */
    static List<Map<String, String>> proxyScopes(HubConfig.ProxyAuth proxy, String user, String groupsHeader) {
        List<Map<String, String>> scopes = new ArrayList<>();
        if (proxy.users().containsKey(user)) {
            scopes.add(proxy.users().get(user));
        }
        if (proxy.groupsHeader() != null && groupsHeader != null && groupsHeader.length() <= 16384) {
            Set<String> groups = Arrays.stream(groupsHeader.split(","))
                    .map(String::strip)
                    .filter(g -> !g.isEmpty())
                    .collect(Collectors.toSet());
            scopes.addAll(OidcClaims.scopes(groups, proxy.groups()));
        }
        return scopes;
    }

    private void signIn(RoutingContext ctx) {
        if (!sameOrigin(ctx)) {
            return;
        }
        JsonNode body = Http.parse(ctx.body().asString());
        String token = body.path("token").asText("");
        Optional<Principal> who = tokens.authenticate("Bearer " + token);
        if (who.isEmpty() || !who.get().mayRead()) {
            Http.error(ctx, 401, "unauthorized", "unknown read token");
            return;
        }
        Optional<String> id = sessions.create(who.get());
        if (id.isEmpty()) {
            Http.error(ctx, 503, "too_many_sessions", "too many console sessions; try again later");
            return;
        }
        ctx.response().addCookie(sessionCookie(id.get(), config.secureCookies(), sessions.ttlSeconds()));
        Http.json(ctx, 200, me(who.get()));
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure unless configured off; an empty value with 0 ends it. */
    static Cookie sessionCookie(String id, boolean secure, long maxAgeSeconds) {
        return Cookie.cookie(COOKIE, id)
                .setPath("/")
                .setHttpOnly(true)
                .setSecure(secure)
                .setSameSite(CookieSameSite.STRICT)
                .setMaxAge(maxAgeSeconds);
    }

    private void signOut(RoutingContext ctx) {
        if (!sameOrigin(ctx)) {
            return;
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        Optional<String> idToken = cookie == null ? Optional.empty() : sessions.remove(cookie.getValue());
        ctx.response().addCookie(sessionCookie("", config.secureCookies(), 0));
        if (oidc == null || idToken.isEmpty()) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        // signed in through the provider: the page continues there when it supports RP-initiated logout
        oidc.signOutAt(idToken.get()).onComplete(ar -> {
            if (ar.succeeded() && ar.result().isPresent()) {
                Http.json(
                        ctx,
                        200,
                        Http.JSON
                                .createObjectNode()
                                .put("signOutAt", ar.result().get()));
            } else {
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    /**
     * {@code GET /api/v1/me}: who the request is and the label sets of the clusters it may read (any one of them;
     * {@code [{}]} and {@code allClusters} for every cluster).
     */
    static ObjectNode me(Principal p) {
        ObjectNode o = Http.JSON.createObjectNode().put("name", p.name()).put("allClusters", !p.scoped());
        ArrayNode scopes = o.putArray("clusterScopes");
        p.clusterScopes().forEach(labels -> {
            ObjectNode one = scopes.addObject();
            labels.forEach(one::put);
        });
        return o;
    }

    /**
     * CSRF guard for sign-in and sign-out: a JSON body and an {@code Origin} naming this very host; anything else is
     * a 403 naming what was missing.
     */
    static boolean sameOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("origin");
        // HTTP/2 (h2 over TLS, or h2c as Java's client upgrades to) has no Host header, only :authority
        HostAndPort authority = ctx.request().authority();
        String type = ctx.request().getHeader("content-type");
        String problem = null;
        if (origin == null) {
            problem = "the Origin header is required";
        } else if (authority == null) {
            problem = "the Host header (or HTTP/2 :authority) is required";
        } else {
            try {
                URI o = URI.create(origin);
                String hostPort = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
                String host = authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
                if (!host.equalsIgnoreCase(hostPort)) {
                    problem = "Origin " + origin + " is not this hub";
                }
            } catch (IllegalArgumentException e) {
                problem = "the Origin header is not a URL";
            }
        }
        if (problem == null && ctx.request().method().name().equals("POST") && (type == null || !Http.isJson(type))) {
            problem = "the body must be application/json";
        }
        if (problem != null) {
            Http.error(ctx, 403, "csrf", problem);
            return false;
        }
        return true;
    }

    private static void redirect(RoutingContext ctx, String to) {
        if (ctx.request().path().equals(to)) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(302).putHeader("location", to).end();
    }
}
