package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.agent.AgentRunner;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Browser;
import io.driftwatch.testing.CachedBinary;
import io.driftwatch.testing.ServerProcess;
import io.driftwatch.testing.TestHub;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/**
 * OIDC sign-in against a real OpenID provider (zitadel/oidc's example OP, built by scripts/test-binaries.sh) with real
 * users, in a real browser (Chromium through Selenium), on a hub fed by two real agents (clusters labelled
 * team=payments and team=search): alice (group payments-team) and bob (group search-team) each sign in through the
 * provider's login page and see only their cluster, in the page and in the API with their session; dana, in both
 * groups, sees both clusters and not a third (team=ops); signing out goes through the provider's end_session endpoint,
 * which ends the user's session there; a user in no mapped group is refused; a forged state and an ID token whose
 * nonce is not the hub's are refused.
 */
@WithKubeApiServer
@Order(CachedBinary.AFTER_BACKGROUND_BUILD) // needs a binary built beside the tests
class OidcConsoleIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String VERSION = "3.52.0";
    /** The revision of scripts/test-binaries.sh's main for the provider (r2: post-logout URIs, ended sessions). */
    private static final String OP_REVISION = "r2";

    private static final String CLIENT = "driftwatch-console";

    @Test
    void peopleSignInThroughTheProviderAndSeeOnlyTheirGroupsClusters(
            LocalKubeCluster cluster, TestNamespace ns, @TempDir Path tmp) throws Exception {
        Path desired = Files.createDirectories(tmp.resolve("desired"));
        Files.writeString(desired.resolve("settings.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: %s}
                data: {a: "1"}
                """.formatted(ns.name()));
        String suffix = Integer.toHexString(ns.name().hashCode());
        String pay = "payments-" + suffix;
        String search = "search-" + suffix;
        String ops = "ops-" + suffix; // a third team's cluster, that dana's two groups do not reach
        int opPort = ServerProcess.freePort();
        int hubPort = ServerProcess.freePort();
        String issuer = "http://127.0.0.1:" + opPort + "/";
        String base = "http://127.0.0.1:" + hubPort;
        String redirect = base + "/console/oidc/callback";
        String afterLogout = base + "/console/";
        Path secret = Files.writeString(tmp.resolve("client-secret"), "a-client-secret-for-the-test\n");
        Files.writeString(tmp.resolve("users.json"), """
                {"alice": {"ID": "alice", "Username": "alice", "Password": "alice-password", "Email": "alice@example.com",
                           "EmailVerified": true, "PreferredLanguage": "en", "Groups": ["payments-team", "everyone"]},
                 "bob":   {"ID": "bob", "Username": "bob", "Password": "bob-password", "Email": "bob@example.com",
                           "EmailVerified": true, "PreferredLanguage": "en", "Groups": ["search-team"]},
                 "carol": {"ID": "carol", "Username": "carol", "Password": "carol-password", "Email": "carol@example.com",
                           "EmailVerified": true, "PreferredLanguage": "en", "Groups": ["interns"]},
                 "dana":  {"ID": "dana", "Username": "dana", "Password": "dana-password", "Email": "dana@example.com",
                           "EmailVerified": true, "PreferredLanguage": "en",
                           "Groups": ["search-team", "interns", "payments-team"]}}
                """);
        String oidc = """
                listen: {host: 127.0.0.1, port: %d}
                console:
                  oidc:
                    issuer: %s
                    clientId: %s
                    clientSecretFile: '%s'
                    redirectUrl: %s
                    groups:
                      payments-team: {team: payments}
                      search-team: {team: search}
                      ops-team: {team: ops}
                """.formatted(hubPort, issuer, CLIENT, secret, redirect);
        try (ServerProcess op = ServerProcess.start(
                        "oidc-op",
                        List.of(
                                binary().toString(),
                                "-addr",
                                "127.0.0.1:" + opPort,
                                "-users",
                                tmp.resolve("users.json").toString(),
                                "-client-id",
                                CLIENT,
                                "-client-secret-file",
                                secret.toString(),
                                "-redirect-uris",
                                redirect,
                                "-post-logout-redirect-uris",
                                afterLogout),
                        tmp,
                        issuer + ".well-known/openid-configuration",
                        WAIT);
                TestHub hub = TestHub.start(
                        TestHub.sqlite(tmp.resolve("hub.db")) + oidc, List.of(pay, search, ops), 0, Clock.systemUTC());
                AgentRunner a = AgentRunner.start(
                        ConsoleBrowserIT.agent(pay, "payments", ns, desired, tmp, hub), cluster.adminConfig());
                AgentRunner b = AgentRunner.start(
                        ConsoleBrowserIT.agent(search, "search", ns, desired, tmp, hub), cluster.adminConfig());
                Browser browser = Browser.start()) {
            ConsoleBrowserIT.awaitBothClustersReported(hub);
            assertThat(hub.post(ops, "heartbeat", HubBodies.heartbeat("ops-agent", "{\"team\":\"ops\"}"))
                            .statusCode())
                    .isEqualTo(200);

            // alice: payments-team → only the payments cluster, back on the page she started from
            signIn(browser, base + "/console/#/clusters", "alice", "alice-password");
            Cookie session = browser.driver.manage().getCookieNamed(Console.COOKIE);
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.isSecure()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");
            assertThat(browser.driver.getCurrentUrl()).endsWith("/console/#/clusters");
            assertThat(browser.<String>await(
                            "who", WAIT, d -> d.findElement(By.id("who")).getText()))
                    .contains("oidc:alice")
                    .contains("team=payments");
            String clusters = browser.await("clusters", WAIT, d -> d.findElement(By.id("clusters")))
                    .getText();
            assertThat(clusters).contains(pay).doesNotContain(search);
            assertThat(apiStatus(browser, "/api/v1/drifts?cluster=" + search)).isEqualTo(403L);
            assertThat(apiStatus(browser, "/api/v1/drifts?cluster=" + pay)).isEqualTo(200L);
            assertThat(apiBody(browser, "/api/v1/clusters")).contains(pay).doesNotContain(search);
            browser.screenshot(tmp, "oidc-alice");

            // sign out: the hub session ends, and the browser goes through the provider's end_session endpoint
            // (id_token_hint, post_logout_redirect_uri, state) and comes back to the console, signed out
            assertThat(ended(issuer)).isEmpty();
            browser.driver.findElement(By.id("sign-out")).click();
            browser.await("signed out", WAIT, d -> d.findElement(By.id("oidc-sign-in")));
            assertThat(browser.driver.getCurrentUrl()).startsWith(afterLogout + "?state=");
            assertThat(ended(issuer)).containsExactly("alice " + CLIENT);
            assertThat(apiStatus(browser, "/api/v1/clusters")).isEqualTo(401L);
            // the next sign-in asks for the provider's login again (see docs/console.md: the example provider keeps
            // no login session of its own, so this would hold without the sign-out at the provider too)
            signIn(browser, base + "/console/#/clusters", "bob", "bob-password");
            assertThat(browser.<String>await(
                            "who", WAIT, d -> d.findElement(By.id("who")).getText()))
                    .contains("oidc:bob")
                    .contains("team=search");
            assertThat(browser.await("clusters", WAIT, d -> d.findElement(By.id("clusters")))
                            .getText())
                    .contains(search)
                    .doesNotContain(pay);
            assertThat(apiStatus(browser, "/api/v1/clusters/" + pay + "/drifts"))
                    .isIn(403L, 404L);
            assertThat(apiStatus(browser, "/api/v1/drifts?cluster=" + pay)).isEqualTo(403L);
            assertThat(apiBody(browser, "/api/v1/drifts")).doesNotContain(pay);

            // carol's groups are not mapped: refused, no session
            browser.driver.findElement(By.id("sign-out")).click();
            browser.await("signed out", WAIT, d -> d.findElement(By.id("oidc-sign-in")));
            assertThat(ended(issuer)).containsExactly("alice " + CLIENT, "bob " + CLIENT);
            providerLogin(browser, "carol", "carol-password");
            browser.await(
                    "carol refused",
                    WAIT,
                    d -> d.findElement(By.tagName("body")).getText().contains("none of the groups"));
            assertThat(browser.driver.manage().getCookieNamed(Console.COOKIE)).isNull();

            // dana is in payments-team and search-team (and the unmapped interns): both teams' clusters, not ops
            signIn(browser, base + "/console/#/clusters", "dana", "dana-password");
            assertThat(browser.<String>await(
                            "who", WAIT, d -> d.findElement(By.id("who")).getText()))
                    .contains("oidc:dana")
                    .contains("team=payments or team=search");
            assertThat(browser.<String>await("both teams' clusters", WAIT, d -> {
                        String t = d.findElement(By.id("clusters")).getText();
                        return t.contains(pay) && t.contains(search) ? t : null;
                    }))
                    .doesNotContain(ops);
            assertThat(apiBody(browser, "/api/v1/clusters"))
                    .contains(pay, search)
                    .doesNotContain(ops);
            assertThat(apiStatus(browser, "/api/v1/drifts?cluster=" + pay + "&cluster=" + search))
                    .isEqualTo(200L);
            assertThat(apiStatus(browser, "/api/v1/drifts?cluster=" + ops)).isEqualTo(403L);
            assertThat(apiBody(browser, "/api/v1/events?cluster=" + ops))
                    .contains("cluster " + ops + ": outside the clusters oidc:dana may read (clusters labelled"
                            + " team=payments or team=search)");
            assertThat(apiStatus(browser, "/api/v1/events/stream?cluster=" + ops))
                    .isEqualTo(403L);
            // the page: a drift of the third cluster is refused (before the hub even looks the drift up)
            browser.driver.get(base + "/console/#/drift/" + ops + "/any-drift");
            assertThat(browser.await("refused in the page", WAIT, d -> d.findElement(By.cssSelector("#view .error")))
                            .getText())
                    .contains("cluster " + ops + ": outside the clusters oidc:dana may read");
            browser.screenshot(tmp, "oidc-dana");

            // the page's sign-out request answers a one-time hub link, never the ID token; the ID token is in no
            // cookie; following the link reaches the provider, which ends dana's session and sends her back
            assertThat(browser.driver.manage().getCookies())
                    .noneMatch(c -> c.getValue().startsWith("eyJ"));
            String answer = (String) browser.asyncJs("const done = arguments[arguments.length - 1];"
                    + "fetch('/console/session', {method: 'DELETE', credentials: 'same-origin'})"
                    + ".then(r => r.text()).then(done);");
            assertThat(answer)
                    .startsWith("{\"signOutAt\":\"/console/oidc/logout?handle=")
                    .doesNotContain("eyJ");
            String signOutAt = answer.replaceAll(".*\"signOutAt\":\"([^\"]+)\".*", "$1");
            assertThat(apiStatus(browser, "/api/v1/clusters")).isEqualTo(401L);
            browser.driver.get(base + signOutAt);
            browser.await("back from the provider", WAIT, d -> d.findElement(By.id("oidc-sign-in")));
            assertThat(browser.driver.getCurrentUrl()).startsWith(afterLogout + "?state=");
            assertThat(ended(issuer)).containsExactly("alice " + CLIENT, "bob " + CLIENT, "dana " + CLIENT);
            // the link is one-time
            browser.driver.get(base + signOutAt);
            assertThat(browser.driver.findElement(By.tagName("body")).getText()).contains("unknown, used or expired");

            assertForgedStateAndNonceAreRefused(base, "alice", "alice-password");
        }
    }

    private static void signIn(Browser browser, String start, String user, String password) {
        browser.driver.get(start);
        providerLogin(browser, user, password);
        browser.await(
                "the console after sign-in",
                WAIT,
                d -> d.findElement(By.id("sign-out")).isDisplayed());
    }

    /** From the console's sign-in form: the single sign-on link, the provider's login page, its form. */
    private static void providerLogin(Browser browser, String user, String password) {
        browser.await("the single sign-on link", WAIT, d -> d.findElement(By.id("oidc-sign-in")))
                .click();
        browser.await("the provider's login page", WAIT, d -> d.findElement(By.id("username")))
                .sendKeys(user);
        browser.driver.findElement(By.id("password")).sendKeys(password);
        browser.driver
                .findElement(By.cssSelector("form button[type='submit'], form input[type='submit']"))
                .click();
    }

    /** The sessions the provider's end_session endpoint has ended ("user client"), from the test OP's own report. */
    private static List<String> ended(String issuer) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(issuer + "driftwatch-test/ended-sessions"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body().lines().toList();
    }

    private static long apiStatus(Browser browser, String path) {
        return (Long) browser.asyncJs(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status));",
                path);
    }

    private static String apiBody(Browser browser, String path) {
        return (String) browser.asyncJs(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done);",
                path);
    }

    /**
     * Outside the browser, with a plain HTTP client (the flow cookie passed by hand: it is Secure, which Java's cookie
     * store keeps to https): a callback with a state the hub never issued is refused; and a flow whose authorization
     * request at the provider carries another nonce than the hub's (same state, same PKCE challenge, so the code
     * exchange itself succeeds) gives an ID token the hub refuses.
     */
    private static void assertForgedStateAndNonceAreRefused(String base, String user, String password)
            throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> start = get(http, base + "/console/oidc/login", null);
        assertThat(start.statusCode()).isEqualTo(302);
        String authorize = start.headers().firstValue("location").orElseThrow();
        String state = param(authorize, "state");
        String flowCookie = start.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith(OidcLogin.FLOW_COOKIE + "="))
                .map(c -> c.split(";", 2)[0])
                .findFirst()
                .orElseThrow();

        HttpResponse<String> forgedState =
                get(http, base + "/console/oidc/callback?code=whatever&state=" + state + "x", flowCookie);
        assertThat(forgedState.statusCode()).isEqualTo(400);
        assertThat(forgedState.body()).contains("Unknown or expired sign-in");

        String nonce = param(authorize, "nonce");
        String tampered =
                authorize.replace("nonce=" + URLEncoder.encode(nonce, StandardCharsets.UTF_8), "nonce=forged");
        assertThat(tampered).isNotEqualTo(authorize);
        HttpResponse<String> back = loginAtProvider(http, tampered, user, password, base, flowCookie);
        assertThat(back.statusCode()).isEqualTo(401);
        assertThat(back.body()).contains("nonce does not match");
        assertThat(back.headers().allValues("set-cookie"))
                .noneMatch(c -> c.startsWith(Console.COOKIE + "=") && !c.startsWith(Console.COOKIE + "=;"));
    }

    /** Follows the provider's redirects and posts its login form until it sends the browser back to the hub. */
    private static HttpResponse<String> loginAtProvider(
            HttpClient http, String url, String user, String password, String hub, String flowCookie) throws Exception {
        HttpResponse<String> r = get(http, url, null);
        for (int hops = 0; hops < 10; hops++) {
            if (r.statusCode() == 302 || r.statusCode() == 303) {
                String next = r.uri()
                        .resolve(r.headers().firstValue("location").orElseThrow())
                        .toString();
                boolean toHub = next.startsWith(hub);
                r = get(http, next, toHub ? flowCookie : null);
                if (toHub) {
                    return r;
                }
                continue;
            }
            Matcher id = Pattern.compile("name=\"id\" value=\"([^\"]+)\"").matcher(r.body());
            assertThat(id.find()).as("the provider's login form: " + r.body()).isTrue();
            String form = "id=" + URLEncoder.encode(id.group(1), StandardCharsets.UTF_8) + "&username=" + user
                    + "&password=" + password;
            r = http.send(
                    HttpRequest.newBuilder(r.uri().resolve("/login/username"))
                            .header("content-type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        throw new AssertionError("the provider never sent the browser back to the hub");
    }

    private static HttpResponse<String> get(HttpClient http, String url, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (cookie != null) {
            request.header("cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String param(String url, String name) {
        for (String kv : URI.create(url).getRawQuery().split("&")) {
            if (kv.startsWith(name + "=")) {
                return URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(name + " not in " + url);
    }

    /** The provider: {@code DRIFTWATCH_OIDC_OP}, else the cache scripts/test-binaries.sh builds into. */
    private static Path binary() {
        return CachedBinary.find(
                "DRIFTWATCH_OIDC_OP",
                "zitadel-oidc-op-v" + VERSION + "-" + OP_REVISION,
                "oidc-op",
                "the OpenID provider",
                "run scripts/test-binaries.sh oidc-op (builds zitadel/oidc v" + VERSION + "'s example provider,"
                        + " about 70 CPU-s cold)");
    }
}
