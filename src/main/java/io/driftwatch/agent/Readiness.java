package io.driftwatch.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.live.LiveView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether the assembled agent is ready, and why not: every app's desired state loaded and indexed, Argo CD's apps
 * listed, every informer synced, and (on the leader) the first full diff done. Honest on followers too: they are ready
 * to take over. Asking the informers waits on fabric8's lock while a large initial list is stored, so callers compute
 * it off the event loop (the HTTP handlers use the "driftwatch-http" pool).
 */
final class Readiness {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Apps apps;
    private final ArgoCdApps argocd;
    private final FluxApps flux;
    private final LiveView live;
    private final Reconciler reconciler;
    private volatile boolean started;

    /**
     * @param argocd null when Argo CD is not a source
     * @param flux   null when Flux is not a source
     */
    Readiness(Apps apps, ArgoCdApps argocd, LiveView live, Reconciler reconciler, FluxApps flux) {
        this.flux = flux;
        this.apps = apps;
        this.argocd = argocd;
        this.live = live;
        this.reconciler = reconciler;
    }

    /** Every part has been started: from now on readiness is what the parts say. */
    void started() {
        started = true;
    }

    /** Why the agent is not ready; empty when it is. */
    List<String> notReadyReasons() {
        List<String> reasons = new ArrayList<>();
        if (!started) {
            reasons.add("starting");
            return reasons;
        }
        if (argocd != null && !argocd.listed()) {
            reasons.add("Argo CD apps not listed yet");
        }
        if (flux != null && !flux.listed()) {
            reasons.add("Flux objects not listed yet: " + flux.notListed());
        }
        Set<String> indexed = reconciler.indexedApps();
        apps.statuses().forEach((app, status) -> {
            if (!status.attempted()) {
                reasons.add("app " + app + ": desired state not loaded yet");
            } else if (status.revision() != null && !indexed.contains(app)) {
                reasons.add("app " + app + ": desired state not indexed yet");
            }
        });
        if (!live.allSynced()) {
            reasons.add("informers not synced yet");
        } else if (reconciler.isLeader() && !reconciler.initialDiffDone()) {
            reasons.add("first full diff in progress");
        }
        return reasons;
    }

    /** {@code /api/v1/status} before the parts exist: not leading, not ready, no apps. */
    static ObjectNode starting(String cluster, String identity) {
        ObjectNode status = header(cluster, identity, false, false);
        status.putObject("apps");
        return status;
    }

    /** {@code /api/v1/status}: leadership, readiness, kinds that cannot be listed, and every app's source health. */
    ObjectNode status(String cluster, String identity, List<String> notReadyReasons) {
        ObjectNode status = header(cluster, identity, reconciler.isLeader(), notReadyReasons.isEmpty());
        status.set("unreadableKinds", JSON.valueToTree(live.unreadable()));
        status.set("apps", apps.statusJson());
        return status;
    }

    private static ObjectNode header(String cluster, String identity, boolean leader, boolean ready) {
        ObjectNode status = JSON.createObjectNode();
        status.put("cluster", cluster);
        status.put("identity", identity);
        status.put("leader", leader);
        status.put("ready", ready);
        return status;
    }
}
