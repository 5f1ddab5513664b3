package io.driftwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code agent --check-config} and {@code hub --check-config} once the configuration is valid. */
final class CheckConfig {

    private CheckConfig() {}

    /** Prints that {@code file} is valid and the effective configuration (secrets omitted); the exit code, 0. */
    static int print(PrintWriter out, Path file, Object config) {
        out.println("# " + file + ": valid. Effective configuration (defaults filled in, environment overrides "
                + "applied, secrets omitted):");
        out.print(EffectiveConfig.yaml(config));
        out.flush();
        return ExitCodes.OK;
    }
}
