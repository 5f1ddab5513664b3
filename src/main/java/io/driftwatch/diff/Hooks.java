package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Objects Argo CD leaves out of an app's comparison, by their annotations, with Argo CD's own rules (gitops-engine's
 * {@code pkg/sync/hook/hook.go} and {@code hook/helm/hook.go}, Argo CD's {@code controller/hook.go} and
 * {@code controller/state.go}): sync hooks (Argo CD's or Helm's) are run, not kept, so neither their desired nor their
 * live copy is compared; objects marked {@code Skip} are never applied; and a live object annotated
 * {@code argocd.argoproj.io/compare-options: IgnoreExtraneous} never counts as extra.
 */
public final class Hooks {

    public static final String ARGOCD_HOOK = "argocd.argoproj.io/hook";
    public static final String HELM_HOOK = "helm.sh/hook";
    public static final String COMPARE_OPTIONS = "argocd.argoproj.io/compare-options";

    /** Argo CD's hook types ({@code HookType} in gitops-engine's sync/common); {@code Skip} is not a hook. */
    private static final Set<String> ARGOCD_TYPES =
            Set.of("PreSync", "Sync", "PostSync", "SyncFail", "PostDelete", "PreDelete", "Skip");

    private static final Set<String> ARGOCD_DELETE_HOOKS = Set.of("PreDelete", "PostDelete");
    private static final Set<String> HELM_DELETE_HOOKS = Set.of("pre-delete", "post-delete");

    private Hooks() {}

    /**
     * A hook: {@code argocd.argoproj.io/hook} set to anything but only {@code Skip}; else {@code helm.sh/hook} set to
     * anything but {@code crd-install} (Helm 2's CRD marker, not a hook); or either naming a delete hook.
     */
    public static boolean isHook(JsonNode object) {
        JsonNode annotations = object.path("metadata").path("annotations");
        boolean argoCd = annotations.has(ARGOCD_HOOK);
        if (!argoCd && !annotations.has(HELM_HOOK)) {
            return false; // asked for every compared object: the common case costs two lookups
        }
        if (argoCd) {
            if (!skipOnly(annotations)) {
                return true;
            }
        } else if (annotations.has(HELM_HOOK)
                && !"crd-install".equals(annotations.path(HELM_HOOK).asText())) {
            return true;
        }
        return csv(annotations, ARGOCD_HOOK).stream().anyMatch(ARGOCD_DELETE_HOOKS::contains)
                || csv(annotations, HELM_HOOK).stream().anyMatch(HELM_DELETE_HOOKS::contains);
    }

    /** {@code argocd.argoproj.io/hook: Skip} and no other Argo CD hook type: Argo CD neither applies nor compares it. */
    public static boolean isSkipped(JsonNode object) {
        return skipOnly(object.path("metadata").path("annotations"));
    }

    /** Left out of desired state: hooks and skipped objects. */
    public static boolean notCompared(JsonNode desired) {
        return isHook(desired) || isSkipped(desired);
    }

    /** Never reported extra when live: hooks, and objects whose compare options say {@code IgnoreExtraneous}. */
    public static boolean neverExtra(JsonNode live) {
        return isHook(live)
                || csv(live.path("metadata").path("annotations"), COMPARE_OPTIONS)
                        .contains("IgnoreExtraneous");
    }

    private static boolean skipOnly(JsonNode annotations) {
        if (!annotations.has(ARGOCD_HOOK)) {
            return false;
        }
        List<String> types = csv(annotations, ARGOCD_HOOK).stream()
                .filter(ARGOCD_TYPES::contains)
                .toList();
        return types.size() == 1 && types.get(0).equals("Skip");
    }

    private static List<String> csv(JsonNode annotations, String key) {
        String value = annotations.path(key).asText("");
        if (value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
