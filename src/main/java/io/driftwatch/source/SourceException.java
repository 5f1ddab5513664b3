package io.driftwatch.source;

/** Desired state could not be loaded; the message says why, for people (logs, metrics, the hub). */
public final class SourceException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * What failed, small closed set usable as a metric label (AUTH: the server refused the credentials; EMPTY: the
     * source yielded no objects, which is taken for a wrong path unless the app is allowed to be empty).
     */
    public enum Reason {
        FETCH,
        PARSE,
        RENDER,
        CONFIG,
        AUTH,
        EMPTY,
        /** The GitOps tool says it is not applying the app (a suspended or failing Flux Kustomization): no drift. */
        UNHEALTHY
    }

    private final Reason reason;

    public SourceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public SourceException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
