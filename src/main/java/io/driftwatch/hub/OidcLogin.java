package io.driftwatch.hub;

import io.driftwatch.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect sign-in for the console: authorization code flow with PKCE (S256), a {@code state} bound to the
 * browser that started it (a short-lived cookie holding a random value whose hash the flow keeps) and a
 * {@code nonce} the ID token must carry. vertx-auth-oauth2 does discovery, the code exchange (client secret, code
 * verifier) and the ID token's signature against the provider's JWKS with its issuer and audience, all without
 * blocking the event loop; {@link OidcClaims} then requires the claims and maps the user's groups to the clusters
 * it may read. A successful sign-in becomes an ordinary console session.
 */
final class OidcLogin {

    static final String FLOW_COOKIE = "driftwatch_oidc";
    static final String LOGIN_PATH = "/console/oidc/login";
    static final String CALLBACK_PATH = "/console/oidc/callback";
    static final String LOGOUT_PATH = "/console/oidc/logout";
    private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);
    private static final long FLOW_TTL_MS = 10 * 60_000;
    private static final long LOGOUT_TTL_MS = 2 * 60_000;
    private static final int MAX_FLOWS = 10_000;

    /** A console route to return to after sign-in (the page's URL fragment): {@code #/...}, nothing that leaves it. */
    private static final Pattern RETURN_TO = Pattern.compile("#/[A-Za-z0-9/_.~%?=&+,:@-]{0,2000}");

    /**
     * A sign-in under way, by its state: the nonce, the PKCE verifier, the hash of the browser's flow cookie and the
     * console route to return to.
     */
    private record Flow(String nonce, String verifier, byte[] browserHash, String then, long expiresMs) {}

    /** A sign-out at the provider under way: the ended session's ID token, until the page follows its handle. */
    private record Logout(String idToken, long expiresMs) {}

    private final Vertx vertx;
    private final HubConfig.Oidc config;
    private final String clientSecret;
    private final Sessions sessions;
    private final boolean secureCookies;
    private final LongSupplier clock;
    private final Map<String, Flow> flows = new ConcurrentHashMap<>();
    private final Map<String, Logout> logouts = new ConcurrentHashMap<>();
    private final AtomicReference<Future<OAuth2Auth>> provider = new AtomicReference<>();
    private final SecureRandom random = new SecureRandom();

    OidcLogin(
            Vertx vertx,
            HubConfig.Oidc config,
            String clientSecret,
            Sessions sessions,
            boolean secureCookies,
            LongSupplier clock) {
        this.vertx = vertx;
        this.config = config;
        this.clientSecret = clientSecret;
        this.sessions = sessions;
        this.secureCookies = secureCookies;
        this.clock = clock;
    }

    /** The client secret from its file (read once at start-up, before the listener opens); never logged. */
    static String readSecret(Path file) {
        try {
            String secret = Files.readString(file).strip();
            if (secret.isEmpty()) {
                throw new IllegalStateException("console.oidc.clientSecretFile: " + file + " is empty");
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("console.oidc.clientSecretFile: cannot read " + file + ": " + e, e);
        }
    }

    void mount(Router router) {
        router.get(LOGIN_PATH).handler(this::login);
        router.get(CALLBACK_PATH).handler(this::callback);
        router.get(LOGOUT_PATH).handler(this::logout);
    }

    /** The provider from its discovery document and JWKS; fetched on first use, again after a failure. */
    private Future<OAuth2Auth> provider() {
        Future<OAuth2Auth> current = provider.get();
        if (current != null) {
            return current;
        }
        String site = config.issuer().endsWith("/")
                ? config.issuer().substring(0, config.issuer().length() - 1)
                : config.issuer();
        OAuth2Options options = new OAuth2Options()
                .setFlow(OAuth2FlowType.AUTH_CODE)
                .setSite(site)
                .setClientId(config.clientId())
                .setClientSecret(clientSecret)
                .setValidateIssuer(true);
        Future<OAuth2Auth> discovered = OpenIDConnectAuth.discover(vertx, options);
        if (!provider.compareAndSet(null, discovered)) {
            return provider.get();
        }
        discovered.onFailure(e -> {
            provider.compareAndSet(discovered, null);
            LOG.warn("OIDC discovery at {} failed: {}", config.issuer(), e.getMessage());
        });
        return discovered;
    }

    private void login(RoutingContext ctx) {
        long now = clock.getAsLong();
        flows.values().removeIf(f -> f.expiresMs() <= now);
        if (flows.size() >= MAX_FLOWS) {
            text(ctx, 503, "Too many sign-ins under way; try again in a few minutes.");
            return;
        }
        String state = random();
        String nonce = random();
        String verifier = random();
        String browser = random();
        String requested = ctx.queryParams().get("then");
        String then = requested != null && RETURN_TO.matcher(requested).matches() ? requested : "";
        provider()
                .onSuccess(p -> {
                    flows.put(state, new Flow(nonce, verifier, TokenHash.sha256(browser), then, now + FLOW_TTL_MS));
                    String url = p.authorizeURL(new OAuth2AuthorizationURL()
                            .setRedirectUri(config.redirectUrl())
                            .setScopes(config.scopes())
                            .setState(state)
                            .putAdditionalParameter("nonce", nonce)
                            .putAdditionalParameter("code_challenge", challenge(verifier))
                            .putAdditionalParameter("code_challenge_method", "S256"));
                    // Lax, not Strict: the provider's redirect back is a cross-site navigation
                    ctx.response()
                            .addCookie(flowCookie(browser, FLOW_TTL_MS / 1000))
                            .setStatusCode(302)
                            .putHeader("location", url)
                            .end();
                })
                .onFailure(e -> text(
                        ctx, 502, "The OpenID provider " + config.issuer() + " cannot be used: " + e.getMessage()));
    }

    private void callback(RoutingContext ctx) {
        String state = ctx.queryParams().get("state");
        Flow flow = state == null ? null : flows.remove(state);
        Cookie browser = ctx.request().getCookie(FLOW_COOKIE);
        ctx.response().addCookie(flowCookie("", 0));
        String error = ctx.queryParams().get("error");
        if (error != null) {
            String description = ctx.queryParams().get("error_description");
            text(
                    ctx,
                    401,
                    "The OpenID provider refused the sign-in: " + error
                            + (description == null ? "" : " (" + description + ")"));
            return;
        }
        if (flow == null || flow.expiresMs() <= clock.getAsLong()) {
            text(ctx, 400, "Unknown or expired sign-in (state); start again from the console.");
            return;
        }
        if (browser == null || !MessageDigest.isEqual(TokenHash.sha256(browser.getValue()), flow.browserHash())) {
            text(ctx, 400, "This sign-in was not started in this browser (state cookie missing or different).");
            return;
        }
        String code = ctx.queryParams().get("code");
        if (code == null || code.isBlank()) {
            text(ctx, 400, "The provider sent no authorization code.");
            return;
        }
        provider()
                .compose(p -> p.authenticate(new Oauth2Credentials()
                        .setFlow(OAuth2FlowType.AUTH_CODE)
                        .setCode(code)
                        .setRedirectUri(config.redirectUrl())
                        .setCodeVerifier(flow.verifier())))
                .onSuccess(user -> signedIn(
                        ctx,
                        user.attributes().getJsonObject("idToken"),
                        user.principal().getString("id_token"),
                        flow))
                .onFailure(e -> text(ctx, 401, "Sign-in failed: " + e.getMessage()));
    }

    private void signedIn(RoutingContext ctx, JsonObject claims, String idToken, Flow flow) {
        List<String> problems =
                OidcClaims.problems(claims, config.issuer(), config.clientId(), flow.nonce(), clock.getAsLong() / 1000);
        if (!problems.isEmpty()) {
            LOG.warn("OIDC sign-in refused: {}", String.join("; ", problems));
            text(ctx, 401, "The ID token was refused: " + String.join("; ", problems) + ".");
            return;
        }
        String user = OidcClaims.user(claims, config);
        List<String> groups = OidcClaims.groups(claims, config.groupsClaim());
        List<Map<String, String>> scopes = OidcClaims.scopes(groups, config.groups());
        if (scopes.isEmpty()) {
            LOG.info("OIDC user {} refused: groups {} are not in console.oidc.groups", user, groups);
            text(ctx, 403, OidcClaims.notLetIn(user, groups, config.groupsClaim()));
            return;
        }
        Principal who = new Principal(Principal.Role.READER, "oidc:" + user, scopes);
        Optional<String> id = sessions.create(who, idToken);
        if (id.isEmpty()) {
            text(ctx, 503, "Too many console sessions; try again later.");
            return;
        }
        LOG.info("OIDC user {} signed in (clusters labelled {})", user, ClusterScope.describe(who.clusterScopes()));
        ctx.response()
                .addCookie(Console.sessionCookie(id.get(), secureCookies, sessions.ttlSeconds()))
                .setStatusCode(302)
                .putHeader("location", "/console/" + flow.then())
                .end();
    }

    /**
     * After the hub session of an OpenID sign-in ended: where the page continues to sign out at the provider too, a hub
     * URL with a one-time handle ({@link #LOGOUT_PATH}) that redirects there, so that the ID token goes from the hub to
     * the provider without ever being in the page; empty when the provider's discovery document has no
     * {@code end_session_endpoint} (or the provider cannot be reached): then the sign-out is the hub's only.
     */
    Future<Optional<String>> signOutAt(String idToken) {
        return provider()
                .map(p -> {
                    if (p.endSessionURL(User.create(new JsonObject().put("id_token", idToken))) == null) {
                        return Optional.<String>empty();
                    }
                    long now = clock.getAsLong();
                    logouts.values().removeIf(l -> l.expiresMs() <= now);
                    if (logouts.size() >= MAX_FLOWS) {
                        return Optional.<String>empty();
                    }
                    String handle = random();
                    logouts.put(handle, new Logout(idToken, now + LOGOUT_TTL_MS));
                    return Optional.of(LOGOUT_PATH + "?handle=" + handle);
                })
                .otherwise(e -> {
                    LOG.warn(
                            "OIDC sign-out only on the hub: the provider {} cannot be used: {}",
                            config.issuer(),
                            e.getMessage());
                    return Optional.empty();
                });
    }

    /**
     * {@code GET /console/oidc/logout?handle=}: RP-initiated logout, a redirect to the provider's
     * {@code end_session_endpoint} with {@code id_token_hint}, {@code client_id}, {@code post_logout_redirect_uri} and
     * a random {@code state} (the provider echoes it back; nothing rides on it, the hub session is already gone).
     */
    private void logout(RoutingContext ctx) {
        String handle = ctx.queryParams().get("handle");
        Logout logout = handle == null ? null : logouts.remove(handle);
        if (logout == null || logout.expiresMs() <= clock.getAsLong()) {
            text(
                    ctx,
                    400,
                    "You are signed out of the console. This link to sign out at the OpenID provider too is"
                            + " unknown, used or expired; sign out there directly if you need to.");
            return;
        }
        provider()
                .onSuccess(p -> {
                    String url = p.endSessionURL(
                            User.create(new JsonObject().put("id_token", logout.idToken())),
                            new JsonObject()
                                    .put("client_id", config.clientId())
                                    .put("post_logout_redirect_uri", config.postLogoutUrl())
                                    .put("state", random()));
                    ctx.response().setStatusCode(302).putHeader("location", url).end();
                })
                .onFailure(e -> text(
                        ctx,
                        502,
                        "You are signed out of the console, but the OpenID provider " + config.issuer()
                                + " cannot be reached to sign out there: " + e.getMessage()));
    }

    private Cookie flowCookie(String value, long maxAgeSeconds) {
        return Cookie.cookie(FLOW_COOKIE, value)
                .setPath(CALLBACK_PATH)
                .setHttpOnly(true)
                .setSecure(secureCookies)
                .setSameSite(CookieSameSite.LAX)
                .setMaxAge(maxAgeSeconds);
    }

    private String random() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** RFC 7636 S256: BASE64URL(SHA-256(ASCII(verifier))). */
    static String challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(TokenHash.sha256(verifier));
    }

    private static void text(RoutingContext ctx, int status, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "text/plain; charset=utf-8")
                .end(message + "\n\nBack to the console: /console/\n");
    }
}
