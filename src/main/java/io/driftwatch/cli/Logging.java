package io.driftwatch.cli;

import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * How the process logs, chosen once the command line is parsed: {@code --log-format}/{@code --log-level} over
 * {@code DRIFTWATCH_LOG_FORMAT}/{@code DRIFTWATCH_LOG_LEVEL} over the command's default. The servers ({@code agent},
 * {@code hub}) log JSON lines at INFO for log pipelines; every other command is for a person or a CI log and logs
 * text, warnings only (INFO with the command's own {@code --verbose}). Either way logs go to stderr, formatted by
 * {@link LogConfigurator} (Logback configured in code, once: no XML is read).
 */
final class Logging {

    /** The commands that run as servers; their logs are read by machines. */
    static final Set<String> SERVERS = Set.of("driftwatch agent", "driftwatch hub");

    static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    enum Format {
        json,
        text
    }

    /** The chosen format and level (one of {@link #LEVELS}). */
    record Choice(Format format, String level) {}

    private Logging() {}

    /** A wrong value of a flag or environment variable; the message names it. */
    static final class LoggingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoggingException(String message) {
            super(message);
        }
    }

    /**
     * The choice for {@code command} (its qualified name, e.g. {@code driftwatch diff}), given the flags (null when
     * not given), whether the command's {@code --verbose} was given, and the environment.
     */
    static Choice choose(
            String command, Format flagFormat, String flagLevel, boolean verbose, Map<String, String> env) {
        boolean server = SERVERS.contains(command);
        Format format = flagFormat;
        if (format == null) {
            String fromEnv = blankToNull(env.get("DRIFTWATCH_LOG_FORMAT"));
            format = fromEnv == null ? (server ? Format.json : Format.text) : format(fromEnv, "DRIFTWATCH_LOG_FORMAT");
        }
        String level = flagLevel == null ? null : level(flagLevel, "--log-level");
        if (level == null) {
            String fromEnv = blankToNull(env.get("DRIFTWATCH_LOG_LEVEL"));
            level = fromEnv != null ? level(fromEnv, "DRIFTWATCH_LOG_LEVEL") : server || verbose ? "INFO" : "WARN";
        }
        return new Choice(format, level);
    }

    /**
     * An execution strategy that configures logging for the parsed command, then runs it. A bad logging value is a
     * usage error (exit 2) before anything runs.
     */
    static CommandLine.IExecutionStrategy configuringStrategy() {
        return parseResult -> {
            Choice choice;
            try {
                choice = choice(parseResult, System.getenv());
            } catch (LoggingException e) {
                CommandLine leaf = leaf(parseResult).commandSpec().commandLine();
                leaf.getErr().println("error: " + e.getMessage());
                return ExitCodes.ERROR;
            }
            apply(choice);
            return new CommandLine.RunLast().execute(parseResult);
        };
    }

    static Choice choice(CommandLine.ParseResult parseResult, Map<String, String> env) {
        Format format = null;
        String level = null;
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--log-format")) {
                format = r.matchedOptionValue("--log-format", null);
            }
            if (r.hasMatchedOption("--log-level")) {
                level = r.matchedOptionValue("--log-level", null);
            }
        }
        CommandLine.ParseResult leaf = leaf(parseResult);
        boolean verbose = leaf.hasMatchedOption("--verbose");
        return choose(leaf.commandSpec().qualifiedName(), format, level, verbose, env);
    }

    /** Reconfigures Logback with the chosen format and level. */
    static void apply(Choice choice) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            LogConfigurator.apply(context, choice);
        }
    }

    /**
     * What Logback starts with, before a command line is parsed: the environment's choice for a command that is not a
     * server, text at WARN when it names none or a value that is not valid (the command line reports that).
     */
    static Choice fromEnvironment(Map<String, String> env) {
        try {
            return choose("", null, null, false, env);
        } catch (LoggingException e) {
            return new Choice(Format.text, "WARN");
        }
    }

    private static CommandLine.ParseResult leaf(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult leaf = parseResult;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    private static Format format(String value, String source) {
        try {
            return Format.valueOf(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LoggingException(source + ": '" + value + "' is not one of json, text");
        }
    }

    private static String level(String value, String source) {
        String level = value.trim().toUpperCase(Locale.ROOT);
        if (level.equals("WARNING")) {
            return "WARN";
        }
        if (!LEVELS.contains(level)) {
            throw new LoggingException(source + ": '" + value + "' is not one of "
                    + String.join(", ", LEVELS).toLowerCase(Locale.ROOT));
        }
        return level;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
