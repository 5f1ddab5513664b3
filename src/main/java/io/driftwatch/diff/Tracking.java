package io.driftwatch.diff;

/**
 * How live objects are marked as belonging to an app: Argo CD's tracking annotation and/or the instance label, and
 * optionally a second label looked at when the first is absent (Flux marks what kustomize-controller applied and what
 * helm-controller installed with two different labels, both holding the app's name).
 */
public record Tracking(String annotation, String label, String otherLabel) {

    public static final String DEFAULT_ANNOTATION = "argocd.argoproj.io/tracking-id";
    public static final String DEFAULT_LABEL = "app.kubernetes.io/instance";

    public Tracking(String annotation, String label) {
        this(annotation, label, null);
    }

    public static Tracking defaults() {
        return new Tracking(DEFAULT_ANNOTATION, DEFAULT_LABEL);
    }
}
