package io.driftwatch.diff;

import java.util.List;
import java.util.Objects;

/**
 * How live objects are marked as belonging to an app: Argo CD's tracking annotation and/or the instance label (its
 * value the app's name), or owners recorded in a pair of labels, name and namespace, as Flux records them: what
 * kustomize-controller applied carries {@code kustomize.toolkit.fluxcd.io/name} and {@code /namespace}, what
 * helm-controller installed {@code helm.toolkit.fluxcd.io/name} and {@code /namespace}; the app is then
 * {@code <kind>/<namespace>/<name>} ({@link Owner#app}), so two Flux objects of the same name in different namespaces,
 * or of different kinds, are different apps.
 */
public record Tracking(String annotation, String label, List<Owner> owners) {

    public static final String DEFAULT_ANNOTATION = "argocd.argoproj.io/tracking-id";
    public static final String DEFAULT_LABEL = "app.kubernetes.io/instance";

    /**
     * An owner recorded in two labels; the app it names is {@code <kind>/<namespace>/<name>}.
     *
     * @param kind           the owner's kind, e.g. "Kustomization", the app name's first part
     * @param nameLabel      the label holding the owner's name
     * @param namespaceLabel the label holding the owner's namespace
     */
    public record Owner(String kind, String nameLabel, String namespaceLabel) {

        public Owner {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(nameLabel, "nameLabel");
            Objects.requireNonNull(namespaceLabel, "namespaceLabel");
        }

        /** The app name of the owner {@code namespace/name}: "Kustomization/flux-system/apps". */
        public String app(String namespace, String name) {
            return kind + "/" + namespace + "/" + name;
        }

        /** The label selector of the objects owned by {@code app} ({@link #app}), or null if it is not this kind's. */
        public String selector(String app) {
            String[] parts = app.split("/", -1);
            if (parts.length != 3 || !parts[0].equals(kind)) {
                return null;
            }
            return nameLabel + "=" + parts[2] + "," + namespaceLabel + "=" + parts[1];
        }
    }

    public Tracking {
        owners = owners == null ? List.of() : List.copyOf(owners);
    }

    public Tracking(String annotation, String label) {
        this(annotation, label, List.of());
    }

    /** Tracking by owner labels only. */
    public static Tracking owners(Owner... owners) {
        return new Tracking(null, null, List.of(owners));
    }

    public static Tracking defaults() {
        return new Tracking(DEFAULT_ANNOTATION, DEFAULT_LABEL);
    }
}
