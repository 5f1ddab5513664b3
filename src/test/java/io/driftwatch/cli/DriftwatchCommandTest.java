package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.testing.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftwatchCommandTest {

    @Test
    void versionPrintsTheProjectVersion() {
        CliRun run = CliRun.of("version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout())
                .startsWith("driftwatch ")
                .doesNotContain("${project.version}")
                .contains("Java 17");
    }

    @Test
    void versionAsJsonAndYamlHasCommitBuildTimeAndJava() throws Exception {
        CliRun json = CliRun.of("version", "-o", "json");
        assertThat(json.exitCode()).isZero();
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.stdout());
        assertThat(node.fieldNames())
                .toIterable()
                .containsExactly("version", "gitCommit", "gitTreeState", "buildTime", "javaVersion");
        assertThat(node.get("version").asText()).doesNotContain("${").isNotEqualTo("unknown");
        // built by Maven from a Git checkout here; a build outside one says unknown (BuildInfoTest)
        assertThat(node.get("gitCommit").asText()).matches("[0-9a-f]{40}|unknown");
        assertThat(node.get("gitTreeState").asText()).isIn("clean", "dirty", "unknown");
        assertThat(java.time.Instant.parse(node.get("buildTime").asText())).isBefore(java.time.Instant.now());
        assertThat(node.get("javaVersion").asText()).isEqualTo(System.getProperty("java.version"));

        CliRun yaml = CliRun.of("version", "--output=yaml");
        assertThat(yaml.exitCode()).isZero();
        var fromYaml = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(yaml.stdout());
        assertThat(fromYaml).isEqualTo(node);
    }

    @Test
    void helpListsCommands() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: driftwatch").contains("version");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : DriftwatchCommand.commandLine().getSubcommands().keySet()) {
            CliRun run = CliRun.of(sub, "--help");
            assertThat(run.exitCode()).as(sub).isZero();
            assertThat(run.stdout()).as(sub).contains("Usage:");
        }
    }

    @Test
    void unknownCommandExitsWithTwo() {
        CliRun run = CliRun.of("frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("frobnicate");
    }

    @Test
    void aRunOfOneNamedCommandBuildsThatCommandOnly() {
        assertThat(DriftwatchCommand.commandNamed("diff", "--dir", "x")).isEqualTo("diff");
        assertThat(DriftwatchCommand.commandNamed("--log-level", "info", "--log-format", "json", "version"))
                .isEqualTo("version");
        assertThat(DriftwatchCommand.commandNamed("--log-level=info", "agent", "--config", "a.yaml"))
                .isEqualTo("agent");
        assertThat(DriftwatchCommand.commandLine(DriftwatchCommand.commandNamed("diff", "--dir", "x"))
                        .getSubcommands()
                        .keySet())
                .containsExactly("diff");
    }

    @Test
    void helpCompletionAndUnknownWordsGetEveryCommand() {
        for (String[] args : List.of(
                new String[] {},
                new String[] {"--help"},
                new String[] {"help", "diff"},
                new String[] {"completion"},
                new String[] {"frobnicate"},
                new String[] {"--log-level", "diff"})) {
            assertThat(DriftwatchCommand.commandNamed(args))
                    .as(List.of(args).toString())
                    .isNull();
        }
        assertThat(DriftwatchCommand.commandLine(null).getSubcommands().keySet())
                .containsExactly("agent", "hub", "diff", "demo", "version", "completion", "help");
    }

    @Test
    void aCommandBuiltAloneParsesAndFailsAsInTheWholeTree() {
        String[] bad = {"diff", "--no-such-flag"};
        StringWriter alone = new StringWriter();
        StringWriter whole = new StringWriter();
        int aloneCode = DriftwatchCommand.commandLine(DriftwatchCommand.commandNamed(bad))
                .setErr(new PrintWriter(alone, true))
                .execute(bad);
        int wholeCode = DriftwatchCommand.commandLine()
                .setErr(new PrintWriter(whole, true))
                .execute(bad);
        assertThat(aloneCode).isEqualTo(wholeCode).isEqualTo(ExitCodes.ERROR);
        assertThat(alone.toString()).isEqualTo(whole.toString()).contains("--no-such-flag");
    }
}
