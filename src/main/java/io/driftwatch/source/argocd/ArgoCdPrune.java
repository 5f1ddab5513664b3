package io.driftwatch.source.argocd;

import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.source.argocd.rest.model.SyncPolicy;
import io.driftwatch.source.argocd.rest.model.SyncPolicyAutomated;
import java.util.List;

/**
 * Whether Argo CD deletes an app's objects that Git no longer has, by itself: only an automated sync with
 * {@code spec.syncPolicy.automated.prune: true} (and {@code automated.enabled} not false) prunes; without it Argo CD
 * shows them OutOfSync ("requires pruning") until someone syncs with prune. The sync option {@code Prune=false} or
 * {@code Prune=confirm} — the app's {@code syncPolicy.syncOptions}, or an object's
 * {@code argocd.argoproj.io/sync-options} annotation, which overrides the app's — keeps an object (confirm: until a
 * person confirms).
 */
final class ArgoCdPrune {

    static final String SYNC_OPTIONS = "argocd.argoproj.io/sync-options";
    private static final PrunePolicy.Marker[] KEEP = {
        new PrunePolicy.Marker(SYNC_OPTIONS, "Prune=false", false),
        new PrunePolicy.Marker(SYNC_OPTIONS, "Prune=confirm", false)
    };
    private static final PrunePolicy.Marker PRUNE = new PrunePolicy.Marker(SYNC_OPTIONS, "Prune=true", false);

    private ArgoCdPrune() {}

    static PrunePolicy of(Application app) {
        SyncPolicy policy = app.getSpec() == null ? null : app.getSpec().getSyncPolicy();
        SyncPolicyAutomated automated = policy == null ? null : policy.getAutomated();
        if (automated == null || Boolean.FALSE.equals(automated.getEnabled())) {
            return PrunePolicy.keeps(
                    "Argo CD app without automated sync: it prunes only when someone syncs with prune");
        }
        if (!Boolean.TRUE.equals(automated.getPrune())) {
            return PrunePolicy.keeps("Argo CD syncPolicy.automated.prune is not true");
        }
        List<String> options = policy.getSyncOptions() == null ? List.of() : policy.getSyncOptions();
        for (String option : options) {
            String o = option.trim();
            if (o.equals("Prune=false") || o.equals("Prune=confirm")) {
                return PrunePolicy.keeps("Argo CD syncPolicy.syncOptions " + o, PRUNE);
            }
        }
        return PrunePolicy.prunes("Argo CD automated prune", KEEP);
    }
}
