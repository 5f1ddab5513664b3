package io.driftwatch.diff;

import java.util.List;

/**
 * Sorts field managers into appliers (the GitOps tool applying Git), out-of-band (people and ad-hoc tools) and
 * controllers (everything else). Entries are globs; appliers win over out-of-band.
 */
public record ManagerRules(List<String> appliers, List<String> outOfBand) {

    public enum ManagerGroup { APPLIER, OUT_OF_BAND, CONTROLLER }

    public static final List<String> DEFAULT_APPLIERS = List.of(
            "argocd-controller", "argocd-application-controller", "kustomize-controller", "helm-controller", "helm",
            "kubectl-client-side-apply");
    public static final List<String> DEFAULT_OUT_OF_BAND = List.of(
            "kubectl", "kubectl-edit", "kubectl-patch", "kubectl-label", "kubectl-annotate", "kubectl-set",
            "kubectl-scale", "kubectl-rollout", "Mozilla", "k9s", "Go-http-client", "dashboard");

    public ManagerRules {
        appliers = List.copyOf(appliers);
        outOfBand = List.copyOf(outOfBand);
    }

    public static ManagerRules defaults() {
        return new ManagerRules(DEFAULT_APPLIERS, DEFAULT_OUT_OF_BAND);
    }

    /** Defaults with the configured applier(s) instead of the default appliers. */
    public ManagerRules withAppliers(List<String> newAppliers) {
        return new ManagerRules(newAppliers, outOfBand);
    }

    public ManagerRules withOutOfBand(List<String> newOutOfBand) {
        return new ManagerRules(appliers, newOutOfBand);
    }

    public ManagerGroup classify(String manager) {
        if (manager == null) {
            return ManagerGroup.CONTROLLER;
        }
        if (appliers.stream().anyMatch(g -> Glob.of(g).matches(manager))) {
            return ManagerGroup.APPLIER;
        }
        if (outOfBand.stream().anyMatch(g -> Glob.of(g).matches(manager))) {
            return ManagerGroup.OUT_OF_BAND;
        }
        return ManagerGroup.CONTROLLER;
    }
}
