package io.driftwatch.cli;

import io.driftwatch.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code driftwatch} command; each subcommand is added by the part that implements it. */
@Command(name = "driftwatch",
        mixinStandardHelpOptions = true,
        versionProvider = DriftwatchCommand.Version.class,
        description = "Detects, attributes and tracks drift between Git and live Kubernetes state.",
        subcommands = {AgentCommand.class, HubCommand.class, DiffCommand.class, DemoCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class})
public final class DriftwatchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with driftwatch's conventions: exit 2 on usage errors and failures, as {@code kubectl diff}. */
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
            BuildInfo info = BuildInfo.current();
            return new String[] {"driftwatch " + info.version() + " (Java " + info.javaVersion() + ")"};
        }
    }
}
