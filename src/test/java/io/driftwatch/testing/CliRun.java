package io.driftwatch.testing;

import io.driftwatch.cli.DriftwatchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the real {@code driftwatch} command line in this JVM: exit code and what it printed. */
public record CliRun(int exitCode, String stdout, String stderr) {

    /** {@code driftwatch ARGS}, with the production command line's error handlers. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = DriftwatchCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
