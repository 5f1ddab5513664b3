package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code driftwatch diff --desired --live}: offline comparison, exit codes, output formats and bad input. */
class DiffCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path tmp;

    private int run(String... args) {
        CommandLine cl = DriftwatchCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static String fixture(String name) {
        try {
            return Path.of(DiffCommandTest.class.getResource("/diff/" + name).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void exitsZeroWithEmptyReportWhenOnlyServerDefaultsDiffer() throws IOException {
        int code = run(
                "diff",
                "--desired",
                fixture("deployment-desired.yaml"),
                "--live",
                fixture("deployment-live.yaml"),
                "-n",
                "shop",
                "-o",
                "json");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(json().path("drifts")).isEmpty();
        assertThat(json().path("summary").path("desired").asInt()).isEqualTo(1);
    }

    @Test
    void exitsOneAndNamesFieldAndManagerWhenAPortWasAddedByHand() throws IOException {
        int code = run(
                "diff",
                "--desired",
                fixture("service-desired.yaml"),
                "--live",
                fixture("service-live.yaml"),
                "-n",
                "shop",
                "-o",
                "json");

        assertThat(code).isEqualTo(ExitCodes.DRIFT);
        JsonNode change = json().path("drifts").get(0).path("changes").get(0);
        assertThat(change.path("field").asText()).isEqualTo("spec.ports[port=80,protocol=TCP]");
        assertThat(change.path("op").asText()).isEqualTo("added");
        assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");
        assertThat(change.path("cause").asText()).isEqualTo("out-of-band");
    }

    @Test
    void yamlOutputCarriesTheSameReport() throws IOException {
        int code = run(
                "diff",
                "--desired",
                fixture("service-desired.yaml"),
                "--live",
                fixture("service-live.yaml"),
                "-n",
                "shop",
                "-o",
                "yaml");

        assertThat(code).isEqualTo(ExitCodes.DRIFT);
        JsonNode report = new YAMLMapper().readTree(out.toString());
        assertThat(report.path("drifts").get(0).path("kind").asText()).isEqualTo("Service");
        assertThat(report.path("summary").path("drifted").asInt()).isEqualTo(1);
    }

    @Test
    void textOutputHasHeaderUnifiedDiffAndSummaryWithoutColourWhenNotATerminal() {
        int code = run(
                "diff",
                "--desired",
                fixture("service-desired.yaml"),
                "--live",
                fixture("service-live.yaml"),
                "-n",
                "shop");

        assertThat(code).isEqualTo(ExitCodes.DRIFT);
        assertThat(out.toString())
                .contains("Service shop/")
                .contains("--- desired")
                .contains("+++ live")
                .contains("kubectl-patch")
                .doesNotContain("\u001b[");
        assertThat(out.toString().strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("Drift: 1 object");
    }

    @Test
    void secretValuesNeverAppearInAnyFormat() throws IOException {
        String desired = Files.readString(Path.of(fixture("secret-desired.yaml")));
        String live = Files.readString(Path.of(fixture("secret-live.yaml")));
        for (String format : new String[] {"text", "json", "yaml"}) {
            out.getBuffer().setLength(0);
            assertThat(run(
                            "diff",
                            "--desired",
                            fixture("secret-desired.yaml"),
                            "--live",
                            fixture("secret-live.yaml"),
                            "-n",
                            "shop",
                            "-o",
                            format,
                            "--show-diff"))
                    .isEqualTo(ExitCodes.DRIFT);
            assertThat(out.toString()).as(format).contains("redacted:sha256:");
            for (String value : secretValues(desired + live)) {
                assertThat(out.toString()).as(format + " leaks " + value).doesNotContain(value);
            }
        }
    }

    /** Every value under data/stringData in the fixtures, plain and as written. */
    private static java.util.List<String> secretValues(String yaml) throws IOException {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (JsonNode doc : new YAMLMapper()
                .readerFor(JsonNode.class)
                .<JsonNode>readValues(yaml)
                .readAll()) {
            for (String section : new String[] {"data", "stringData"}) {
                doc.path(section).fields().forEachRemaining(e -> {
                    values.add(e.getValue().asText());
                    if (section.equals("data")) {
                        values.add(new String(java.util.Base64.getDecoder()
                                .decode(e.getValue().asText())));
                    }
                });
            }
        }
        return values.stream().filter(v -> v.length() >= 4).toList();
    }

    @Test
    void ignoreFileInArgoCdShapeSilencesTheRule() throws IOException {
        Path rules = tmp.resolve("ignore.yaml");
        Files.writeString(rules, """
                ignoreDifferences:
                - kind: Service
                  jsonPointers: [/spec/ports]
                """);

        int code = run(
                "diff",
                "--desired",
                fixture("service-desired.yaml"),
                "--live",
                fixture("service-live.yaml"),
                "-n",
                "shop",
                "-o",
                "json",
                "--ignore-file",
                rules.toString());

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(json().path("drifts")).isEmpty();
    }

    @Test
    void ignoreFileWithAnUnknownSettingIsAnErrorNamingIt() throws IOException {
        Path rules = tmp.resolve("ignore.yaml");
        Files.writeString(rules, "- kind: Service\n  jsonPointer: /spec/ports\n");

        int code = run(
                "diff",
                "--desired",
                fixture("service-desired.yaml"),
                "--live",
                fixture("service-live.yaml"),
                "--ignore-file",
                rules.toString());

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("ignore.yaml").contains("rule 1").contains("jsonPointer");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void unparseableYamlIsAnErrorNamingFileAndLineAndPrintsNoResult() throws IOException {
        Path bad = tmp.resolve("broken.yaml");
        Files.writeString(bad, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [unclosed\n");

        int code = run("diff", "--desired", bad.toString(), "--live", fixture("service-live.yaml"));

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("broken.yaml:6");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anAuditLogNeedsTheLiveClusterAndAReadableFileBothProblemsNamed() {
        int code = run(
                "diff",
                "--desired",
                fixture("service-desired.yaml"),
                "--live",
                fixture("service-live.yaml"),
                "--audit-log",
                "/nonexistent/audit.log");

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString())
                .contains("--audit-log needs the live cluster")
                .contains("--audit-log /nonexistent/audit.log does not exist or is not readable");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void missingInputIsAUsageError() {
        assertThat(run("diff")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--dir");
        err.getBuffer().setLength(0);
        assertThat(run("diff", "--desired", fixture("service-desired.yaml"))).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--live");
    }

    @Test
    void unreadableKubeconfigIsAnError() throws IOException {
        Files.writeString(tmp.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");

        int code = run(
                "diff",
                "--dir",
                tmp.toString(),
                "--kubeconfig",
                tmp.resolve("nope").toString());

        assertThat(code).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--kubeconfig").contains("nope");
    }

    @Test
    void anUnknownManagerIsDriftUnlessConfiguredAsAController() throws IOException {
        Path live = tmp.resolve("service-live.yaml");
        Files.writeString(
                live, Files.readString(Path.of(fixture("service-live.yaml"))).replace("kubectl-patch", "netbox-sync"));
        int code = run(
                "diff",
                "--desired",
                fixture("service-desired.yaml"),
                "--live",
                live.toString(),
                "-n",
                "shop",
                "-o",
                "json");
        assertThat(code).isEqualTo(ExitCodes.DRIFT);
        JsonNode change = json().path("drifts").get(0).path("changes").get(0);
        assertThat(change.path("cause").asText()).isEqualTo("unknown-manager");
        assertThat(change.path("note").asText()).contains("--controller netbox-sync");

        out.getBuffer().setLength(0);
        assertThat(run(
                        "diff",
                        "--desired",
                        fixture("service-desired.yaml"),
                        "--live",
                        live.toString(),
                        "-n",
                        "shop",
                        "--controller",
                        "netbox-*"))
                .isEqualTo(ExitCodes.OK);
        assertThat(run(
                        "diff",
                        "--desired",
                        fixture("service-desired.yaml"),
                        "--live",
                        live.toString(),
                        "-n",
                        "shop",
                        "--unknown-managers",
                        "controller"))
                .isEqualTo(ExitCodes.OK);
        assertThat(run(
                        "diff",
                        "--desired",
                        fixture("service-desired.yaml"),
                        "--live",
                        live.toString(),
                        "-n",
                        "shop",
                        "--unknown-managers",
                        "ignore"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--unknown-managers: 'ignore' is not one of drift, controller");
    }

    @Test
    void helpNamesTheRealDefaultOutOfBandManagers() {
        run("diff", "--help");
        String help = out.toString().replaceAll("\\s+", " ");
        for (String manager : io.driftwatch.diff.ManagerRules.DEFAULT_OUT_OF_BAND) {
            assertThat(help).contains(manager);
        }
        assertThat(help).doesNotContain("kubectl*,").contains("--controller").contains("--unknown-managers");
    }

    /** A kubeconfig whose server nothing answers: the checks below must fail before any connection. */
    private String deadKubeconfig() throws IOException {
        return Files.writeString(tmp.resolve("kubeconfig"), """
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: c, context: {cluster: c, user: u}}]
                current-context: c
                """).toString();
    }

    @Test
    void anEmptyDirectoryIsAnErrorNotNoDrift() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path readmeOnly = Files.createDirectories(tmp.resolve("docs-only"));
        Files.writeString(readmeOnly.resolve("README.md"), "# not a manifest\n");
        Files.writeString(readmeOnly.resolve("blank.yaml"), "---\n---\n");

        for (Path dir : List.of(empty, readmeOnly)) {
            err.getBuffer().setLength(0);
            assertThat(run("diff", "--dir", dir.toString(), "--kubeconfig", deadKubeconfig()))
                    .isEqualTo(ExitCodes.ERROR);
            assertThat(err.toString())
                    .contains("--dir " + dir + " holds no Kubernetes objects")
                    .contains("--allow-empty")
                    .doesNotContain("cannot reach");
        }
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void allowEmptyGoesOnToTheCluster() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        assertThat(run("diff", "--dir", empty.toString(), "--kubeconfig", deadKubeconfig(), "--allow-empty"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("cannot reach the cluster at https://127.0.0.1:1");
    }

    @Test
    void emptyDesiredFileOfflineIsAnErrorUnlessAllowed() throws IOException {
        Path empty = Files.writeString(tmp.resolve("desired.yaml"), "# nothing\n");

        assertThat(run("diff", "--desired", empty.toString(), "--live", fixture("service-live.yaml")))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--desired " + empty + " holds no Kubernetes objects");
        assertThat(run(
                        "diff",
                        "--desired",
                        empty.toString(),
                        "--live",
                        fixture("service-live.yaml"),
                        "--allow-empty",
                        "-o",
                        "json"))
                .isEqualTo(ExitCodes.OK);
    }

    @Test
    void liveMustBeAFileAndNeedsDesired() {
        assertThat(run("diff", "--desired", fixture("service-desired.yaml"), "--live", tmp.toString()))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--live " + tmp + " is a directory; it takes one file of live objects");
        err.getBuffer().setLength(0);
        assertThat(run("diff", "--live", fixture("service-live.yaml"))).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--desired");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void manifestLimitsAreFlags() throws IOException {
        Path big = Files.writeString(
                tmp.resolve("big.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n" + "data: {a: \"" + "z".repeat(5000) + "\"}\n");

        assertThat(run(
                        "diff",
                        "--desired",
                        big.toString(),
                        "--live",
                        fixture("service-live.yaml"),
                        "--max-document-bytes",
                        "2048"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString())
                .contains(big.toString())
                .contains("a YAML document exceeds the limit of 2048 bytes (--max-document-bytes)");
        assertThat(out.toString()).isEmpty();
    }
}
