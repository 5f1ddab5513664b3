package io.driftwatch;

import io.driftwatch.cli.DriftwatchCommand;

/** Entry point of the {@code driftwatch} command line. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(DriftwatchCommand.execute(args));
    }
}
