package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code diff}'s filters offline: desired objects and extras alike, the counts, and bad filters named at once. */
class DiffFiltersTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path tmp;

    private Path desired;
    private Path live;

    @BeforeEach
    void files() throws IOException {
        desired = Files.writeString(tmp.resolve("shop.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-config, namespace: shop, labels: {tier: web}}
                data: {a: "1"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: db-config, namespace: shop, labels: {tier: db}}
                data: {a: "1"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: other, namespace: billing, labels: {tier: web}}
                data: {a: "1"}
                """);
        live = Files.writeString(tmp.resolve("live.yaml"), """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: v1, kind: ConfigMap, data: {a: "2"},
                   metadata: {name: web-config, namespace: shop, labels: {tier: web}}}
                - {apiVersion: v1, kind: ConfigMap, data: {a: "2"},
                   metadata: {name: db-config, namespace: shop, labels: {tier: db}}}
                - {apiVersion: v1, kind: ConfigMap, data: {a: "2"},
                   metadata: {name: other, namespace: billing, labels: {tier: web}}}
                - {apiVersion: v1, kind: ConfigMap, data: {b: "1"},
                   metadata: {name: stray-web, namespace: shop, labels: {tier: web, app.kubernetes.io/instance: shop}}}
                - {apiVersion: v1, kind: ConfigMap, data: {b: "1"},
                   metadata: {name: stray-db, namespace: shop, labels: {tier: db, app.kubernetes.io/instance: shop}}}
                """);
    }

    private int run(String... args) {
        CommandLine cl = DriftwatchCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 6];
        System.arraycopy(
                new String[] {"diff", "--desired", desired.toString(), "--live", live.toString(), "--no-color"},
                0,
                all,
                0,
                6);
        System.arraycopy(args, 0, all, 6, args.length);
        return cl.execute(all);
    }

    private JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void withoutAFilterEveryObjectIsDiffed() throws IOException {
        assertThat(run("-o", "json")).as(err.toString()).isEqualTo(ExitCodes.DRIFT);
        assertThat(json().path("drifts").findValuesAsText("name"))
                .containsExactlyInAnyOrder("db-config", "other", "stray-db", "stray-web", "web-config");
        assertThat(json().path("summary").has("filteredOut")).isFalse();
    }

    @Test
    void aSelectorFiltersDesiredObjectsAndExtrasAndSaysHowMany() throws IOException {
        assertThat(run("-l", "tier in (web)", "-o", "json")).as(err.toString()).isEqualTo(ExitCodes.DRIFT);
        assertThat(json().path("drifts").findValuesAsText("name"))
                .containsExactlyInAnyOrder("other", "stray-web", "web-config");
        assertThat(json().path("summary").path("desired").asInt()).isEqualTo(2);
        assertThat(json().path("summary").path("filteredOut").path("desired").asInt())
                .isEqualTo(1);
        assertThat(json().path("summary").path("filteredOut").path("extra").asInt())
                .isEqualTo(1);
        assertThat(json().path("summary").path("filteredOut").path("filter").asText())
                .isEqualTo("--selector 'tier in (web)'");
    }

    @Test
    void theNamespaceFilterAndTheSelectorTogether() {
        assertThat(run("--only-namespace", "shop", "--selector", "tier!=web"))
                .as(err.toString())
                .isEqualTo(ExitCodes.DRIFT);
        assertThat(out.toString())
                .contains("ConfigMap shop/db-config")
                .contains("ConfigMap shop/stray-db")
                .doesNotContain("web-config")
                .doesNotContain("stray-web")
                .doesNotContain("billing/other")
                .contains("Filtered out by --selector 'tier!=web' --only-namespace shop: 2 desired objects, "
                        + "1 extra object.");
    }

    @Test
    void nothingLeftIsTheEmptyDesiredErrorNamingTheFilterUnlessAllowed() {
        assertThat(run("--only-namespace", "nowhere")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString())
                .contains("--desired " + desired + " has 3 objects but none passes " + "--only-namespace nowhere")
                .contains("--allow-empty");
        assertThat(run("--only-namespace", "nowhere", "--allow-empty"))
                .as(err.toString())
                .isEqualTo(ExitCodes.OK);
    }

    @Test
    void kindsResolveAgainstTheInputOffline() {
        assertThat(run("--kind", "configmap")).as(err.toString()).isEqualTo(ExitCodes.DRIFT);
        assertThat(run("--kind", "Deployment,cm", "--kind", "secret")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString())
                .contains("--kind: 'Deployment' is not a kind the input files hold")
                .contains("'secret' is not a kind");
    }

    @Test
    void badFiltersAreNamedAllAtOnce() {
        assertThat(run("-l", "tier=web,=x", "--only-namespace", "Shop_1,ok")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString())
                .contains("--selector 'tier=web,=x': '=x': not a requirement")
                .contains("--only-namespace 'Shop_1' is not a namespace name")
                .doesNotContain("'ok'");
    }

    @Test
    void requestTimeoutsAreKubectls() {
        assertThat(RequestTimeouts.parse("0")).isZero();
        assertThat(RequestTimeouts.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(RequestTimeouts.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(RequestTimeouts.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(RequestTimeouts.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(RequestTimeouts.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(RequestTimeouts.millis(Duration.ZERO)).isZero();
        assertThat(RequestTimeouts.millis(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(run("--request-timeout", "soon")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--request-timeout: 'soon' is not a timeout");
        assertThat(run("--request-timeout", "-1s")).isEqualTo(ExitCodes.ERROR);
    }
}
