package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which log format and level each command gets from flags, environment and its own default. */
class LoggingTest {

    private static Logging.Choice parsed(Map<String, String> env, String... args) {
        return Logging.choice(DriftwatchCommand.commandLine().parseArgs(args), env);
    }

    @Test
    void serversLogJsonAtInfoAndOneShotCommandsTextWarningsOnly() {
        assertThat(parsed(Map.of(), "agent", "-c", "a.yaml"))
                .isEqualTo(new Logging.Choice(Logging.Format.json, "INFO"));
        assertThat(parsed(Map.of(), "hub", "-c", "h.yaml")).isEqualTo(new Logging.Choice(Logging.Format.json, "INFO"));
        assertThat(parsed(Map.of(), "diff", "--dir", "d")).isEqualTo(new Logging.Choice(Logging.Format.text, "WARN"));
        assertThat(parsed(Map.of(), "version")).isEqualTo(new Logging.Choice(Logging.Format.text, "WARN"));
        // hash-token is a one-shot command under the hub
        assertThat(parsed(Map.of(), "hub", "hash-token")).isEqualTo(new Logging.Choice(Logging.Format.text, "WARN"));
        assertThat(parsed(Map.of(), "demo")).isEqualTo(new Logging.Choice(Logging.Format.text, "WARN"));
        assertThat(parsed(Map.of(), "demo", "-v")).isEqualTo(new Logging.Choice(Logging.Format.text, "INFO"));
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheDefault() {
        Map<String, String> env = Map.of("DRIFTWATCH_LOG_FORMAT", "text", "DRIFTWATCH_LOG_LEVEL", "debug");
        assertThat(parsed(env, "agent", "-c", "a.yaml")).isEqualTo(new Logging.Choice(Logging.Format.text, "DEBUG"));
        assertThat(parsed(env, "agent", "-c", "a.yaml", "--log-format", "json", "--log-level", "warn"))
                .isEqualTo(new Logging.Choice(Logging.Format.json, "WARN"));
        // before the command's name as well as after it
        assertThat(parsed(Map.of(), "--log-format", "json", "--log-level", "INFO", "diff", "--dir", "d"))
                .isEqualTo(new Logging.Choice(Logging.Format.json, "INFO"));
        assertThat(parsed(Map.of("DRIFTWATCH_LOG_FORMAT", " "), "diff", "--dir", "d")
                        .format())
                .isEqualTo(Logging.Format.text);
    }

    @Test
    void badValuesAreNamedWithTheirSource() {
        assertThatThrownBy(() -> parsed(Map.of(), "diff", "--dir", "d", "--log-level", "loud"))
                .isInstanceOf(Logging.LoggingException.class)
                .hasMessage("--log-level: 'loud' is not one of trace, debug, info, warn, error, off");
        assertThatThrownBy(() -> parsed(Map.of("DRIFTWATCH_LOG_FORMAT", "xml"), "agent", "-c", "a.yaml"))
                .hasMessage("DRIFTWATCH_LOG_FORMAT: 'xml' is not one of json, text");
        assertThatThrownBy(() -> parsed(Map.of("DRIFTWATCH_LOG_LEVEL", "chatty"), "version"))
                .hasMessageStartingWith("DRIFTWATCH_LOG_LEVEL: 'chatty'");
    }

    @Test
    void beforeTheCommandLineIsParsedTheEnvironmentChoosesElseTextWarnings() {
        assertThat(Logging.fromEnvironment(Map.of())).isEqualTo(new Logging.Choice(Logging.Format.text, "WARN"));
        assertThat(Logging.fromEnvironment(Map.of("DRIFTWATCH_LOG_FORMAT", "json", "DRIFTWATCH_LOG_LEVEL", "debug")))
                .isEqualTo(new Logging.Choice(Logging.Format.json, "DEBUG"));
        // a bad value is reported once the command line is parsed; until then the default holds
        assertThat(Logging.fromEnvironment(Map.of("DRIFTWATCH_LOG_FORMAT", "xml")))
                .isEqualTo(new Logging.Choice(Logging.Format.text, "WARN"));
    }

    @Test
    void anUnknownFormatFlagIsAUsageError() {
        var run = io.driftwatch.testing.CliRun.of("version", "--log-format", "xml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.stderr()).contains("--log-format").contains("xml");
    }

    @Test
    void everyCommandListsTheLoggingFlagsInItsHelp() {
        for (String sub : DriftwatchCommand.commandLine().getSubcommands().keySet()) {
            if (sub.equals("help")) {
                continue;
            }
            var run = io.driftwatch.testing.CliRun.of(sub, "--help");
            assertThat(run.stdout()).as(sub).contains("--log-format=json|text").contains("--log-level=LEVEL");
        }
    }
}
