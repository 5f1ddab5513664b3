package io.driftwatch.diff;

/** How live objects are marked as belonging to an app: Argo CD's tracking annotation and/or the instance label. */
public record Tracking(String annotation, String label) {

    public static final String DEFAULT_ANNOTATION = "argocd.argoproj.io/tracking-id";
    public static final String DEFAULT_LABEL = "app.kubernetes.io/instance";

    public static Tracking defaults() {
        return new Tracking(DEFAULT_ANNOTATION, DEFAULT_LABEL);
    }
}
