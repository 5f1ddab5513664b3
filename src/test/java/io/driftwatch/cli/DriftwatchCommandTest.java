package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DriftwatchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = DriftwatchCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertThat(run("version")).isZero();
        assertThat(out.toString()).startsWith("driftwatch ").doesNotContain("${project.version}").contains("Java 17");
    }

    @Test
    void helpListsCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: driftwatch").contains("version");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : DriftwatchCommand.commandLine().getSubcommands().keySet()) {
            out.getBuffer().setLength(0);
            assertThat(run(sub, "--help")).as(sub).isZero();
            assertThat(out.toString()).as(sub).contains("Usage:");
        }
    }

    @Test
    void unknownCommandExitsWithTwo() {
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("frobnicate");
    }
}
