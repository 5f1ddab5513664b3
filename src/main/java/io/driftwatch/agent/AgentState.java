package io.driftwatch.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.drift.DriftRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the agent is in its life — starting (not assembled yet), running (its {@link AgentParts}), stopping — and what
 * its HTTP endpoints and embedders read from it at any of those moments: readiness, {@code /api/v1/status}, the open
 * drifts, and the parts routes reach once they exist. The agent's only mutable state.
 */
final class AgentState {

    private final String cluster;
    private final String identity;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** The assembled parts; null until the assemble stage is done. */
    private volatile AgentParts parts;

    AgentState(String cluster, String identity) {
        this.cluster = cluster;
        this.identity = identity;
    }

    /**
     * The assemble stage is done: from now on the agent is what its parts say. False, and nothing published, when the
     * agent began stopping first (a stop during start-up, e.g. SIGTERM while connecting): the caller closes the parts,
     * which the stop never saw. Ordered with {@link #markStopping} by this object's lock, so a stop either sees the
     * parts or they are refused.
     */
    synchronized boolean assembled(AgentParts assembled) {
        if (stopping.get()) {
            return false;
        }
        this.parts = assembled;
        return true;
    }

    /** Marks the agent as stopping (not ready from now on); true the first time only, so it stops once. */
    synchronized boolean markStopping() {
        return stopping.compareAndSet(false, true);
    }

    /** The assembled parts; null while starting. */
    AgentParts parts() {
        return parts;
    }

    /** The reconciler; null while starting. */
    Reconciler reconciler() {
        AgentParts p = parts;
        return p == null ? null : p.reconciler();
    }

    /** The Git webhook route; null while starting. */
    GitWebhookRoute webhook() {
        AgentParts p = parts;
        return p == null ? null : p.webhook();
    }

    /** Why the agent is not ready; empty when it is. May wait on the informers: call it off the event loop. */
    List<String> notReadyReasons() {
        AgentParts p = parts;
        if (stopping.get()) {
            return List.of("shutting down");
        }
        return p == null ? List.of("starting") : p.readiness().notReadyReasons();
    }

    /** {@code /api/v1/status}; off the event loop, like {@link #notReadyReasons()}. */
    ObjectNode status() {
        AgentParts p = parts;
        return p == null
                ? Readiness.starting(cluster, identity)
                : p.readiness().status(cluster, identity, notReadyReasons());
    }

    /** The drifts open now (a published snapshot: any thread). */
    List<DriftRecord> openDrifts() {
        AgentParts p = parts;
        return p == null ? List.of() : p.reconciler().openDrifts();
    }
}
