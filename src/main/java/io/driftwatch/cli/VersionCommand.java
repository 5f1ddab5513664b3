package io.driftwatch.cli;

import io.driftwatch.BuildInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftwatch version}: prints the build's version. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the driftwatch version.")
final class VersionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        BuildInfo info = BuildInfo.current();
        spec.commandLine().getOut().println("driftwatch " + info.version() + " (Java " + info.javaVersion() + ")");
        return ExitCodes.OK;
    }
}
