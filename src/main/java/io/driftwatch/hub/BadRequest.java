package io.driftwatch.hub;

/** A request the hub refuses with a 4xx status and a JSON error naming what is wrong. */
public final class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public BadRequest(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static BadRequest invalid(String message) {
        return new BadRequest(400, "invalid", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
