package io.driftwatch.cli;

import io.driftwatch.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code driftwatch} command; each subcommand is added by the part that implements it. */
@Command(
        name = "driftwatch",
        mixinStandardHelpOptions = true,
        versionProvider = DriftwatchCommand.Version.class,
        description = "Detects, attributes and tracks drift between Git and live Kubernetes state.",
        subcommands = {
            AgentCommand.class,
            HubCommand.class,
            DiffCommand.class,
            DemoCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class DriftwatchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Read from the parse result by Logging (any command may carry them, before or after its name).
    @Option(
            names = "--log-format",
            paramLabel = "json|text",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Log format on stderr: json (one event per line; default for agent and hub) or text "
                    + "(default for the other commands). Overrides DRIFTWATCH_LOG_FORMAT.")
    Logging.Format logFormat;

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Log level: trace, debug, info, warn, error or off (default: info for agent and hub, warn "
                    + "for the other commands). Overrides DRIFTWATCH_LOG_LEVEL.")
    String logLevel;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs {@code driftwatch ARGS} as the program does: logging configured for the command, then the command. */
    public static int execute(String... args) {
        return commandLine().setExecutionStrategy(Logging.configuringStrategy()).execute(args);
    }

    /**
     * A command line with driftwatch's conventions: exit 2 on usage errors and failures, as {@code kubectl diff}.
     * Logging is left as it is (in-process callers such as tests keep theirs); {@link #execute} configures it.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DriftwatchCommand());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("error: " + ex.getMessage());
            failed.getErr().println("See '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.ERROR;
        });
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            line.getErr().println("error: " + ex.getMessage());
            return ExitCodes.ERROR;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {VersionCommand.oneLine(BuildInfo.current())};
        }
    }
}
