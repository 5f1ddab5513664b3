package io.driftwatch.diff;

import java.nio.file.Path;

/** Bad manifest input; the message names the file, and the line when known. */
public final class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    public ManifestException(Path file, int line, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    public ManifestException(Path file, int line, String message) {
        this(file, line, message, null);
    }

    public Path file() {
        return file;
    }

    /** 1-based line, 0 when unknown. */
    public int line() {
        return line;
    }
}
