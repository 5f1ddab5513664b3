package io.driftwatch.cli;

/** Exit codes shared by every command, following {@code kubectl diff}: 0 no drift, 1 drift, 2 error. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int DRIFT = 1;
    public static final int ERROR = 2;

    private ExitCodes() {}
}
