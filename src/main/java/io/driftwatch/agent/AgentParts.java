package io.driftwatch.agent;

import io.driftwatch.emit.hub.HubReporter;
import io.driftwatch.source.git.GitRepositories;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The assembled agent ({@link AgentAssembly}), as {@link Agent} starts and stops it. Nullable parts are those not
 * configured; the steps below skip them, so the agent's start-up chain and shutdown order read without null checks.
 */
record AgentParts(
        KubernetesClient client,
        Reconciler reconciler,
        Outputs outputs,
        Apps apps,
        List<Apps.Configured> configuredApps,
        ArgoCdApps argocd,
        GitRepositories repositories,
        GitWebhookRoute webhook,
        HubReporter hub,
        LeaderElection election,
        Resyncs resyncs,
        Readiness readiness,
        FluxApps flux) {

    /**
     * The start stage: every configured app loads (and polls), Argo CD's apps and Flux's Kustomizations are listed and watched, the lease is
     * campaigned for (or this replica leads at once), resyncs are scheduled, the hub reporter pushes; then readiness
     * is what the parts say.
     */
    void start() {
        configuredApps.forEach(app -> apps.add(app.source(), app.pollMillis()));
        if (argocd != null) {
            argocd.start();
        }
        if (flux != null) {
            flux.start();
        }
        if (election != null) {
            election.start();
        } else {
            reconciler.leading(true);
        }
        resyncs.start();
        if (hub != null) {
            hub.start();
        }
        readiness.started();
    }

    /** Stops what brings work in: the lease released, resync timers, Argo CD's stream, the Flux watch, app polling, informers. */
    void stopInputs() {
        if (election != null) {
            election.stop();
        }
        resyncs.close();
        if (argocd != null) {
            argocd.close();
        }
        if (flux != null) {
            flux.close();
        }
        apps.close();
        reconciler.live().close();
    }

    /** Closes the Git repositories (after the source and render pools have stopped using them). */
    void closeRepositories() {
        if (repositories != null) {
            repositories.close();
        }
    }

    /** One last push to the hub, within the deadline; then the client closes. */
    void stopOutputs(long deadlineNanos) {
        if (hub != null) {
            hub.stop(deadlineNanos);
        }
        client.close();
    }
}
