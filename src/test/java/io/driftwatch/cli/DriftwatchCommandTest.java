package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.testing.CliRun;
import org.junit.jupiter.api.Test;

class DriftwatchCommandTest {

    @Test
    void versionPrintsTheProjectVersion() {
        CliRun run = CliRun.of("version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("driftwatch ").doesNotContain("${project.version}").contains("Java 17");
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
}
