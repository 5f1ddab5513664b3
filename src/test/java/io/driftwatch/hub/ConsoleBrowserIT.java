package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.agent.AgentRunner;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Accessibility;
import io.driftwatch.testing.Browser;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestHub;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console in a real browser (Debian's Chromium through Selenium) against a real hub fed by two real agents
 * (clusters labelled team=payments and team=search) watching the real API server: sign in with a read token, see a
 * drift made with kubectl appear without reload, open it (changed field, manager, diff), fold and unfold, the
 * clusters view, a reader limited to team=payments refused the other cluster in the page and in the API, and a
 * 5,000-line diff drawn and scrolled (its timings are written to target/console-benchmark.txt, never asserted). Each
 * main view passes axe-core's WCAG 2 A/AA rules, and a drift is opened and its diff folded by keyboard alone.
 */
@WithKubeApiServer
class ConsoleBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String PAYMENTS_TOKEN = "payments-reader-token";
    private static final int BIG_KEYS = 2_500;
    private static final Path SHOTS = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));

    @Test
    void theConsoleShowsLiveDriftsTheirDiffAndKeepsScopedReadersToTheirClusters(
            LocalKubeCluster cluster, TestNamespace ns, @TempDir Path tmp) throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        Path desired = desired(tmp, ns);
        kubectl.run("apply", "-n", ns.name(), "-f", desired.toString());
        String suffix = Integer.toHexString(ns.name().hashCode());
        String pay = "payments-" + suffix;
        String search = "search-" + suffix;
        String readers = "- {name: payments, tokenSha256: " + TokenHash.sha256Hex(PAYMENTS_TOKEN)
                + ", clusterLabels: {team: payments}}\n";
        try (TestHub hub = TestHub.start(
                        TestHub.sqlite(tmp.resolve("hub.db")), List.of(pay, search), 0, Clock.systemUTC(), readers);
                AgentRunner a =
                        AgentRunner.start(agent(pay, "payments", ns, desired, tmp, hub), cluster.adminConfig());
                AgentRunner b =
                        AgentRunner.start(agent(search, "search", ns, desired, tmp, hub), cluster.adminConfig());
                Browser browser = Browser.start()) {
            awaitBothClustersReported(hub);
            // loopback is a secure context, so the Secure session cookie is kept over plain HTTP in the test
            String base = "http://127.0.0.1:" + hub.port();

            signIn(browser, base, TestHub.READ_TOKEN);
            Cookie session = browser.driver.manage().getCookieNamed(Console.COOKIE);
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.isSecure()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");
            assertThat(browser.js("return document.cookie")).isEqualTo(""); // HttpOnly: scripts cannot read it
            browser.await(
                    "the event stream is connected",
                    WAIT,
                    d -> text(d.findElement(By.id("live"))).equals("live"));

            // a drift made with kubectl appears without a reload
            browser.js("window.noReload = 'still the same page'");
            patchSettings(kubectl, ns, "{\"key-02\":\"changed by hand\",\"key-14\":\"also changed\"}");
            WebElement row = browser.await(
                    "the drift appears live",
                    WAIT,
                    d -> d.findElements(By.cssSelector("#drifts tr[data-drift^='" + pay + "/']")).stream()
                            .filter(r -> r.getText().contains("settings"))
                            .findFirst()
                            .orElse(null));
            assertThat(browser.js("return window.noReload")).isEqualTo("still the same page");
            assertThat(row.getText()).contains("kubectl-patch").contains("modified");
            browser.await(
                    "counts per cluster",
                    WAIT,
                    d -> text(d.findElement(By.id("count-cluster"))).contains(search));
            browser.screenshot(SHOTS, "console-fleet");
            Accessibility.assertNoViolations(browser, "the fleet");

            // the count tables and the drift table are redrawn on every event: the keyboard focus stays on the same
            // control (a new element after the redraw, found by its data-focus mark)
            assertFocusKeptAcrossARedraw(
                    browser, kubectl, ns, "#count-cluster button[data-focus='count:cluster=" + search + "']", "key-03");
            assertFocusKeptAcrossARedraw(
                    browser,
                    kubectl,
                    ns,
                    "#drifts tr[data-drift^='" + search + "/'] a[data-focus^='drift:" + search + "/']",
                    "key-04");

            // filter by cluster label: the state is in the URL
            browser.driver.findElement(By.id("f-label")).sendKeys("team=search");
            browser.await(
                    "label filter in the URL", WAIT, d -> d.getCurrentUrl().contains("label=team%3Dsearch"));
            browser.await(
                    "only the search cluster's drifts",
                    WAIT,
                    d -> d.findElements(By.cssSelector("#drifts tbody tr")).stream()
                            .allMatch(r -> r.getAttribute("data-drift").startsWith(search + "/")));
            browser.driver.findElement(By.id("f-label")).clear();
            browser.driver.get(base + "/console/#/fleet?cluster=" + pay);

            // open the drift by keyboard: Tab to its link, Enter; then changed fields, manager, diff
            String settingsLink = "#drifts tr[data-drift='" + pay + "/" + driftId(hub, pay, "settings") + "'] a";
            browser.await("the drift row again", WAIT, d -> d.findElement(By.cssSelector(settingsLink)));
            Accessibility.tabTo(browser, settingsLink, false);
            Accessibility.assertFocusVisible(browser);
            Accessibility.press(browser, Keys.ENTER);
            WebElement changes = browser.await("the changed fields", WAIT, d -> d.findElement(By.id("changes")));
            assertThat(changes.getText())
                    .contains("data.key-02")
                    .contains("changed by hand")
                    .contains("kubectl-patch")
                    .contains("Update");
            WebElement diff = browser.driver.findElement(By.cssSelector("#diff .diff-scroll"));
            assertThat(diff.getText()).contains("key-02: changed by hand").contains("key-14: also changed");
            assertThat(browser.driver.findElements(By.cssSelector("#diff mark.wa")).stream()
                            .map(WebElement::getText)
                            .collect(Collectors.joining(" ")))
                    .as("changed words highlighted")
                    .contains("changed")
                    .contains("hand")
                    .doesNotContain("key-02");
            assertThat(text(browser.driver.findElement(By.id("timeline")))).containsIgnoringCase("opened");
            assertThat(text(browser.driver.findElement(By.id("commands"))))
                    .contains("kubectl --context '" + pay + "' -n '" + ns.name()
                            + "' get ConfigMap 'settings' -o yaml --show-managed-fields")
                    .contains("patch ConfigMap 'settings' --type=json");

            // fold and unfold unchanged runs
            int folded = folds(browser);
            assertThat(folded).as("unchanged runs folded").isPositive();
            assertThat(browser.js("const tops = [...document.querySelectorAll('#diff .row')]"
                            + ".map(r => Math.round(r.getBoundingClientRect().top));"
                            + "return tops.length > 1 && new Set(tops).size === tops.length"))
                    .as("every diff row has its own line (none drawn over another)")
                    .isEqualTo(Boolean.TRUE);
            browser.driver.findElement(By.cssSelector("#diff button.unfold")).click();
            assertThat(folds(browser)).isEqualTo(folded - 1);
            browser.driver.findElement(By.id("expand-all")).click();
            assertThat(folds(browser)).isZero();
            browser.driver.findElement(By.id("collapse-all")).click();
            assertThat(folds(browser)).isEqualTo(folded);
            foldAndUnfoldByKeyboard(browser, folded);
            assertEveryFoldOfTheWholeObjectOpens(browser, folded);
            Accessibility.assertNoViolations(browser, "a drift with its inline diff");
            browser.driver
                    .findElement(By.cssSelector("label[for='diff-mode-split']"))
                    .click();
            assertThat(browser.driver.findElements(By.cssSelector("#diff .row.split")))
                    .isNotEmpty();
            browser.screenshot(SHOTS, "console-drift");
            Accessibility.assertNoViolations(browser, "a drift with its side-by-side diff");

            // the object link alerts and Grafana use resolves to the same drift
            browser.driver.get(base + "/console/#/object?cluster=" + pay + "&namespace=" + ns.name()
                    + "&kind=ConfigMap&name=settings");
            assertThat(browser.await("the drift by its object", WAIT, d -> d.findElement(By.id("changes")))
                            .getText())
                    .contains("data.key-02");
            browser.driver.get(base + "/console/#/object?cluster=" + pay + "&namespace=" + ns.name()
                    + "&kind=ConfigMap&name=no-such-object");
            assertThat(browser.await("no open drift", WAIT, d -> d.findElement(By.cssSelector("#view [role=status]")))
                            .getText())
                    .contains("No open drift of ConfigMap " + ns.name() + "/no-such-object");
            browser.driver.get(base + "/console/#/drift/" + pay + "/" + driftId(hub, pay, "settings"));
            browser.await("the drift again", WAIT, d -> d.findElement(By.id("changes")));

            browser.driver.findElement(By.id("nav-clusters")).click();
            WebElement clusters = browser.await("clusters", WAIT, d -> d.findElement(By.id("clusters")));
            assertThat(clusters.getText())
                    .contains(pay)
                    .contains(search)
                    .contains("team=payments")
                    .contains("up");
            browser.screenshot(SHOTS, "console-clusters");
            Accessibility.assertNoViolations(browser, "the clusters");

            // a reader limited to team=payments: the page and the API refuse the other cluster
            browser.driver.findElement(By.id("sign-out")).click();
            browser.await("signed out", WAIT, d -> d.findElement(By.id("token")));
            Accessibility.assertNoViolations(browser, "the sign-in page");
            signIn(browser, base, PAYMENTS_TOKEN);
            assertThat(text(browser.driver.findElement(By.id("who")))).contains("team=payments");
            String searchDrift = driftId(hub, search, "settings");
            browser.await(
                    "the payments drift is listed",
                    WAIT,
                    d -> !d.findElements(By.cssSelector("#drifts tr[data-drift^='" + pay + "/']"))
                            .isEmpty());
            assertThat(browser.driver.findElements(By.cssSelector("#drifts tr[data-drift^='" + search + "/']")))
                    .isEmpty();
            browser.driver.get(base + "/console/#/drift/" + search + "/" + searchDrift);
            assertThat(browser.await("refused in the page", WAIT, d -> d.findElement(By.cssSelector("#view .error")))
                            .getText())
                    .contains("cluster " + search + ": outside the clusters payments may read");
            Object status = browser.asyncJs(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch('/api/v1/drifts?cluster=' + arguments[0]).then(r => done(r.status));",
                    search);
            assertThat(status).isEqualTo(403L);
            assertThat(hub.get("/api/v1/clusters/" + search + "/drifts/" + searchDrift, PAYMENTS_TOKEN)
                            .statusCode())
                    .isEqualTo(403);
            assertThat(hub.get("/api/v1/events?cluster=" + search, PAYMENTS_TOKEN)
                            .statusCode())
                    .isEqualTo(403);
            assertThat(hub.get("/api/v1/clusters", PAYMENTS_TOKEN).body())
                    .contains(pay)
                    .doesNotContain(search);
            assertThat(hub.get("/api/v1/drifts", PAYMENTS_TOKEN).body())
                    .contains(pay)
                    .doesNotContain(search);
            assertSignInIsCsrfSafe(hub);

            // a 5,000-line diff: drawn and scrolled; timings recorded, not asserted
            kubectl.run(
                    "-n",
                    ns.name(),
                    "patch",
                    "configmap",
                    "big",
                    "--type=merge",
                    "--patch-file",
                    bigPatch(tmp).toString());
            Eventually.await("the big drift reached the hub", WAIT, () -> driftId(hub, pay, "big") != null);
            String bigId = driftId(hub, pay, "big");
            Eventually.await(
                    "the big drift has every change",
                    WAIT,
                    () -> hub.read("/api/v1/clusters/" + pay + "/drifts/" + bigId)
                                    .path("drift")
                                    .path("changes")
                                    .size()
                            == BIG_KEYS);
            browser.driver.get("about:blank");
            browser.driver.get(base + "/console/#/drift/" + pay + "/" + bigId);
            browser.await("the big diff is drawn", WAIT, d -> browser.js("return window.driftwatchDiff !== undefined"));
            String figures = measure(browser);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/console-benchmark.txt"), figures);
            System.out.println("console benchmark: " + figures);
            assertThat(((Number) browser.js("return window.driftwatchDiff.lines")).intValue())
                    .isGreaterThanOrEqualTo(2 * BIG_KEYS);
            assertBigChangeListIsPaged(browser);
            browser.js("document.querySelector('#diff').scrollIntoView()"); // the diff, not the changes table
            browser.screenshot(SHOTS, "console-big-diff");
        }
    }

    private static void signIn(Browser browser, String base, String token) {
        browser.driver.get(base + "/console/");
        WebElement input = browser.await("the sign-in form", WAIT, d -> d.findElement(By.id("token")));
        assertThat(browser.driver
                        .findElement(By.cssSelector("label[for='token']"))
                        .getText())
                .isEqualTo("Read token");
        input.sendKeys(token);
        browser.driver
                .findElement(By.cssSelector("form.sign-in button[type='submit']"))
                .click();
        browser.await("the fleet after sign-in", WAIT, d -> d.findElement(By.id("drifts")));
    }

    /** Sign-in from another origin, or without Origin, or as a form, is refused; a good one sets the cookie. */
    private static void assertSignInIsCsrfSafe(TestHub hub) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String url = hub.url() + "/console/session";
        String body = "{\"token\":\"" + TestHub.READ_TOKEN + "\"}";
        HttpResponse<String> evil = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/json")
                        .header("origin", "https://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.body()).contains("is not this hub");
        assertThat(evil.headers().firstValue("set-cookie")).isEmpty();
        HttpResponse<String> form = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .header(
                                "origin",
                                "http://127.0.0.1:" + URI.create(hub.url()).getPort())
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + TestHub.READ_TOKEN))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(403);
        HttpResponse<String> good = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", "application/json")
                        .header(
                                "origin",
                                "http://127.0.0.1:" + URI.create(hub.url()).getPort())
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(good.statusCode()).isEqualTo(200);
        // cookie attribute names are case-insensitive (RFC 6265 5.2; Netty writes "HTTPOnly")
        List<String> attributes = Arrays.stream(
                        good.headers().firstValue("set-cookie").orElseThrow().split(";"))
                .map(a -> a.strip().toLowerCase(Locale.ROOT))
                .toList();
        assertThat(attributes).contains("httponly", "secure", "samesite=strict");
    }

    /** 2,500 changed fields: 100 rows drawn at a time, the next page, and a filter over all of them. */
    private static void assertBigChangeListIsPaged(Browser browser) {
        assertThat(browser.driver.findElements(By.cssSelector("#changes tbody tr")))
                .hasSize(100);
        assertThat(text(browser.driver.findElement(By.id("changes-count")))).isEqualTo("Fields 1–100 of 2,500");
        assertThat(text(browser.driver.findElement(By.id("changes"))))
                .contains("data.key-0099")
                .doesNotContain("key-0100");
        browser.driver.findElement(By.id("changes-next")).click();
        assertThat(text(browser.driver.findElement(By.id("changes-count")))).isEqualTo("Fields 101–200 of 2,500");
        assertThat(text(browser.driver.findElement(By.id("changes"))))
                .contains("data.key-0100")
                .doesNotContain("key-0099");
        browser.driver.findElement(By.id("changes-filter")).sendKeys("key-2499");
        browser.await(
                "the filter finds the last field",
                WAIT,
                d -> text(d.findElement(By.id("changes-count"))).equals("Fields 1–1 of 1 matching"));
        assertThat(browser.driver.findElements(By.cssSelector("#changes tbody tr")))
                .hasSize(1);
        assertThat(text(browser.driver.findElement(By.id("changes")))).contains("edited by hand 2499");
    }

    /** First paint, the diff drawn, the main thread free again, and the slowest of 20 scroll steps to the end. */
    private static String measure(Browser browser) {
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) browser.asyncJs("""
                const done = arguments[arguments.length - 1];
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                const drawn = performance.getEntriesByName('driftwatch-diff-drawn')[0];
                setTimeout(async () => {
                  const interactive = performance.now();
                  const box = document.querySelector('#diff .diff-scroll');
                  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                  let worst = 0;
                  for (let i = 1; i <= 20; i++) {
                    const t0 = performance.now();
                    box.scrollTop = (box.scrollHeight - box.clientHeight) * i / 20;
                    await frame();
                    worst = Math.max(worst, performance.now() - t0);
                  }
                  done({fcp: fcp ? fcp.startTime : -1, drawn: drawn.startTime, interactive, worstScroll: worst,
                        lines: window.driftwatchDiff.lines, rows: window.driftwatchDiff.viewer.rows(),
                        domRows: document.querySelectorAll('#diff .row').length,
                        last: box.innerText.includes('key-2499')});
                }, 0);
                """);
        assertThat(t.get("last"))
                .as("the last line is drawn after scrolling to the end")
                .isEqualTo(Boolean.TRUE);
        assertThat(((Number) t.get("domRows")).intValue())
                .as("only the rows in view are in the DOM")
                .isLessThan(200);
        return String.format(
                "diff lines %s, rows %s, rows in the DOM %s; first contentful paint %.0f ms, diff drawn %.0f ms,"
                        + " main thread free %.0f ms after navigation; slowest scroll step %.0f ms%n",
                t.get("lines"),
                t.get("rows"),
                t.get("domRows"),
                ((Number) t.get("fcp")).doubleValue(),
                ((Number) t.get("drawn")).doubleValue(),
                ((Number) t.get("interactive")).doubleValue(),
                ((Number) t.get("worstScroll")).doubleValue());
    }

    /** A fold opened with Enter, then Expand all and Collapse all reached with Shift+Tab and pressed with Enter. */
    private static void foldAndUnfoldByKeyboard(Browser browser, int folded) {
        Accessibility.tabTo(browser, "#diff button.unfold", false);
        Accessibility.assertFocusVisible(browser);
        Accessibility.press(browser, Keys.ENTER);
        assertThat(folds(browser)).isEqualTo(folded - 1);
        Accessibility.tabTo(browser, "#expand-all", true);
        Accessibility.assertFocusVisible(browser);
        Accessibility.press(browser, Keys.ENTER);
        assertThat(folds(browser)).isZero();
        Accessibility.tabTo(browser, "#collapse-all", true);
        Accessibility.assertFocusVisible(browser);
        Accessibility.press(browser, Keys.ENTER);
        assertThat(folds(browser)).isEqualTo(folded);
    }

    /**
     * The agent sent the small object whole (diff.fullContextLines): no line is missing from the hub ("not part of the
     * diff"), every fold opens one by one, by keyboard and by click, and then every line of the object is in the diff.
     */
    private static void assertEveryFoldOfTheWholeObjectOpens(Browser browser, int folded) {
        assertThat(browser.driver.findElements(By.cssSelector("#diff .row.gap")))
                .as("no gap between hunks: the diff holds the whole object")
                .isEmpty();
        assertThat(text(browser.driver.findElement(By.id("diff")))).doesNotContain("not part of the diff");
        assertThat(((Number) browser.js("return window.driftwatchDiff.lines")).intValue())
                .as("every line of the object (24 keys and the lines around them), changed lines twice")
                .isGreaterThanOrEqualTo(24 + 5);
        for (int open = 1; open <= folded; open++) {
            Accessibility.tabTo(browser, "#diff button.unfold", false);
            Accessibility.press(browser, Keys.ENTER);
            assertThat(folds(browser))
                    .as("folds left after opening %d by keyboard", open)
                    .isEqualTo(folded - open);
        }
        browser.driver.findElement(By.id("collapse-all")).click();
        assertThat(folds(browser)).isEqualTo(folded);
        for (int open = 1; open <= folded; open++) {
            browser.driver.findElement(By.cssSelector("#diff button.unfold")).click();
            assertThat(folds(browser))
                    .as("folds left after opening %d by click", open)
                    .isEqualTo(folded - open);
        }
        assertThat(browser.driver.findElements(By.cssSelector("#diff button.unfold")))
                .isEmpty();
        String whole = text(browser.driver.findElement(By.cssSelector("#diff .diff-scroll")));
        assertThat(whole).contains("apiVersion: v1", "kind: ConfigMap", "name: settings");
        for (int i = 0; i < 24; i++) {
            assertThat(whole).contains(String.format("key-%02d: value %d", i, i));
        }
        assertThat(browser.driver.findElements(By.cssSelector("#diff .row.gap")))
                .isEmpty();
        browser.driver.findElement(By.id("collapse-all")).click();
        assertThat(folds(browser)).isEqualTo(folded);
    }

    private static int folds(Browser browser) {
        return ((Number) browser.js("return window.driftwatchDiff.viewer.folds()")).intValue();
    }

    private static String text(WebElement e) {
        return e.getText().strip();
    }

    private static String driftId(TestHub hub, String cluster, String name) {
        return hub.openDrifts("cluster=" + cluster).stream()
                .filter(d -> d.path("name").asText().equals(name))
                .map(d -> d.path("id").asText())
                .findFirst()
                .orElse(null);
    }

    /** "settings": 24 keys (unchanged runs between the changes fold); "big": 2,500 keys, all changed later. */
    private static Path desired(Path tmp, TestNamespace ns) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("desired"));
        String settings = IntStream.range(0, 24)
                .mapToObj(i -> String.format("  key-%02d: value %d%n", i, i))
                .collect(Collectors.joining());
        Files.writeString(dir.resolve("settings.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: %s, labels: {app.kubernetes.io/instance: %s}}
                data:
                %s""".formatted(ns.name(), ns.name(), settings));
        String big = IntStream.range(0, BIG_KEYS)
                .mapToObj(i -> String.format("  key-%04d: original value %d%n", i, i))
                .collect(Collectors.joining());
        Files.writeString(dir.resolve("big.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: big, namespace: %s, labels: {app.kubernetes.io/instance: %s}}
                data:
                %s""".formatted(ns.name(), ns.name(), big));
        return dir;
    }

    private static Path bigPatch(Path tmp) throws IOException {
        String data = IntStream.range(0, BIG_KEYS)
                .mapToObj(i -> String.format("\"key-%04d\": \"edited by hand %d\"", i, i))
                .collect(Collectors.joining(","));
        return Files.writeString(tmp.resolve("big-patch.json"), "{\"data\":{" + data + "}}");
    }

    /** Both agents have sent a snapshot (so their clusters, with their labels, are known to the hub). */
    /**
     * Tabs to {@code css}, changes the drifted ConfigMap's {@code key} with kubectl (an event, so a redraw), and waits
     * until the focused element is a new element matching {@code css}: the old one was replaced and the focus moved to
     * its successor, not dropped to the page.
     */
    private static void assertFocusKeptAcrossARedraw(
            Browser browser, Kubectl kubectl, TestNamespace ns, String css, String key) {
        Accessibility.tabTo(browser, css, false);
        browser.js("document.activeElement.beforeRedraw = true");
        patchSettings(kubectl, ns, "{\"" + key + "\":\"changed while focused\"}");
        browser.await(
                "the focus kept on " + css + " across a redraw",
                WAIT,
                d -> Boolean.TRUE.equals(browser.js(
                        "const e = document.activeElement;"
                                + " return e.beforeRedraw === undefined && e.matches(arguments[0]) && e.isConnected",
                        css)));
        Accessibility.assertFocusVisible(browser);
    }

    /** Changes the ConfigMap {@code settings} with {@code kubectl patch}: {@code data} merged into its data. */
    private static void patchSettings(Kubectl kubectl, TestNamespace ns, String data) {
        kubectl.run("-n", ns.name(), "patch", "configmap", "settings", "--type=merge", "-p", "{\"data\":" + data + "}");
    }

    static void awaitBothClustersReported(TestHub hub) {
        Eventually.await(
                "both clusters reported",
                WAIT,
                () -> hub.read("/api/v1/clusters").path("clusters").findValuesAsText("snapshotTakenAt").stream()
                                .filter(s -> !s.equals("null"))
                                .count()
                        == 2);
    }

    /** An agent of cluster {@code name} labelled team={@code team}, reading {@code dir}, reporting to {@code hub}. */
    static String agent(String name, String team, TestNamespace ns, Path dir, Path tmp, TestHub hub)
            throws IOException {
        Path token = tmp.resolve(name + ".token");
        Files.writeString(token, TestHub.token(name) + "\n");
        return """
                cluster: %1$s
                clusterLabels: {team: %2$s, env: test}
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                events: {enabled: false}
                sources:
                  directories:
                  - {name: %3$s, path: %4$s, targetNamespace: %3$s, pollInterval: 2s}
                hub:
                  url: %5$s
                  tokenFile: %6$s
                  outboxPath: %7$s
                  heartbeatInterval: 2s
                  requestTimeout: 5s
                """.formatted(name, team, ns.name(), dir, hub.url(), token, tmp.resolve(name + "-outbox.jsonl"));
    }
}
