package io.driftwatch.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.emit.hub.HubReporter;
import io.driftwatch.emit.hub.Outbox;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the hub reporter reads from the agent. A snapshot is taken on the diff thread — where events are produced and
 * numbered — so its open drifts and its seq describe the same moment; there is none until the leader's first full diff.
 * App health comes from the apps' own records, not from the agent's whole status.
 */
final class HubAgentState implements HubReporter.AgentState {

    private final Reconciler reconciler;
    private final Executor diffThread;
    private final Supplier<? extends JsonNode> sources;

    HubAgentState(Reconciler reconciler, Executor diffThread, Supplier<? extends JsonNode> sources) {
        this.reconciler = reconciler;
        this.diffThread = diffThread;
        this.sources = sources;
    }

    @Override
    public boolean leading() {
        return reconciler.isLeader();
    }

    @Override
    public CompletableFuture<HubReporter.Snapshot> snapshot(Outbox outbox) {
        if (!reconciler.isLeader() || !reconciler.initialDiffDone()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(
                () -> reconciler.isLeader()
                        ? new HubReporter.Snapshot(outbox.lastSeq(), reconciler.openDrifts())
                        : null,
                diffThread);
    }

    @Override
    public JsonNode sources() {
        return sources.get();
    }
}
