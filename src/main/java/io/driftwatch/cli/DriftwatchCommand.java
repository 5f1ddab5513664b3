package io.driftwatch.cli;

import io.driftwatch.BuildInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level {@code driftwatch} command. Its subcommands are added in code ({@link #SUBCOMMANDS}) rather than
 * listed in the annotation, so that a run of one named command builds picocli's model of that command only (see
 * {@link #execute}); help, completion and anything unrecognised get the whole tree.
 */
@Command(
        name = "driftwatch",
        mixinStandardHelpOptions = true,
        versionProvider = DriftwatchCommand.Version.class,
        description = "Detects, attributes and tracks drift between Git and live Kubernetes state.")
public final class DriftwatchCommand implements Runnable {

    /** Every subcommand by name, in the order help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    /** The top-level options that take a value (the value is not a command name). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--log-format", "--log-level");

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

    /**
     * Runs {@code driftwatch ARGS} as the program does: logging configured for the command, then the command. When
     * the arguments name a subcommand other than {@code help} and {@code completion}, only that subcommand's model is
     * built (picocli builds a command's model by reflection when it is added, ≈ 0.1–0.3 s per command on a cold JVM);
     * parsing, help and errors of that command are the same either way.
     */
    public static int execute(String... args) {
        return commandLine(commandNamed(args))
                .setExecutionStrategy(Logging.configuringStrategy())
                .execute(args);
    }

    /**
     * A command line with driftwatch's conventions: exit 2 on usage errors and failures, as {@code kubectl diff}.
     * Logging is left as it is (in-process callers such as tests keep theirs); {@link #execute} configures it.
     */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The subcommand {@code args} run, if they run one whose model can be built alone; null when they ask for the
     * whole tree (no subcommand, {@code help}, {@code completion}, or a word that is no subcommand's name).
     */
    static String commandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                boolean alone = SUBCOMMANDS.containsKey(arg) && !arg.equals("help") && !arg.equals("completion");
                return alone ? arg : null;
            }
        }
        return null;
    }

    /** As {@link #commandLine()}, with only the subcommand {@code only} (all when null). */
    static CommandLine commandLine(String only) {
        CommandLine cl = new CommandLine(new DriftwatchCommand());
        SUBCOMMANDS.forEach((name, command) -> {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(name, command.get());
            }
        });
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

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("agent", AgentCommand::new);
        commands.put("hub", HubCommand::new);
        commands.put("diff", DiffCommand::new);
        commands.put("demo", DemoCommand::new);
        commands.put("version", VersionCommand::new);
        commands.put("completion", CompletionCommand::new);
        commands.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {VersionCommand.oneLine(BuildInfo.current())};
        }
    }
}
