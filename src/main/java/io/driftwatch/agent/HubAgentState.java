package io.driftwatch.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.emit.hub.HubReporter;
import io.driftwatch.emit.hub.Outbox;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * What the hub reporter reads from the agent. A snapshot is taken on the diff thread — where events are produced and
 * numbered — so its open drifts and its seq describe the same moment; there is none until the leader's first full diff.
 */
final class HubAgentState implements HubReporter.AgentState {

    private final Supplier<Reconciler> reconciler;
    private final ExecutorService diffThread;
    private final Supplier<JsonNode> sources;

    HubAgentState(Supplier<Reconciler> reconciler, ExecutorService diffThread, Supplier<JsonNode> sources) {
        this.reconciler = reconciler;
        this.diffThread = diffThread;
        this.sources = sources;
    }

    @Override
    public boolean leading() {
        Reconciler r = reconciler.get();
        return r != null && r.isLeader();
    }

    @Override
    public CompletableFuture<HubReporter.Snapshot> snapshot(Outbox outbox) {
        Reconciler r = reconciler.get();
        if (r == null || !r.isLeader() || !r.initialDiffDone()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> r.isLeader()
                ? new HubReporter.Snapshot(outbox.lastSeq(), r.openDrifts()) : null, diffThread);
    }

    @Override
    public JsonNode sources() {
        return sources.get();
    }
}
