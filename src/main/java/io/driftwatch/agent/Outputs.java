package io.driftwatch.agent;

import io.driftwatch.diff.ObjectKey;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftStateFile;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.emit.DriftLog;
import io.driftwatch.emit.KubeEvents;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where drift events go: metrics, the JSON log and the hub outbox at once (cheap; the outbox assigns sequence
 * numbers in event order), Kubernetes Events and the state file on the "driftwatch-emit" thread (API calls and disk).
 * Built before the reconciler, with everything it writes to: nothing is set on it afterwards.
 */
final class Outputs implements Reconciler.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(Outputs.class);

    private final AgentMetrics metrics;
    private final DriftLog log;
    private final KubeEvents kubeEvents;
    private final DriftStateFile stateFile;
    private final Published published;
    private final ExecutorService emitThread;
    private final Clock clock;
    private final Consumer<List<DriftEvent>> hub;

    /** @param hub where events are queued for the hub, on the diff thread ({@code events -> {}} without a hub) */
    Outputs(
            AgentMetrics metrics,
            DriftLog log,
            KubeEvents kubeEvents,
            DriftStateFile stateFile,
            Published published,
            Consumer<List<DriftEvent>> hub,
            ExecutorService emitThread,
            Clock clock) {
        this.metrics = metrics;
        this.log = log;
        this.kubeEvents = kubeEvents;
        this.stateFile = stateFile;
        this.published = published;
        this.hub = hub;
        this.emitThread = emitThread;
        this.clock = clock;
    }

    @Override
    public void accept(List<DriftEvent> events) {
        Instant now = clock.instant();
        for (DriftEvent event : events) {
            metrics.driftEvent(event, now);
            log.log(event, now);
        }
        hub.accept(events);
        emitThread.execute(() -> {
            if (kubeEvents != null) {
                events.forEach(e -> kubeEvents.emit(e, e.record().drift().apiVersion()));
            }
            saveState();
        });
    }

    /** Writes the state file soon, on the emit thread (an app gained a kind). */
    @Override
    public void kindsChanged() {
        emitThread.execute(this::saveState);
    }

    /** From the Kubernetes Events a predecessor emitted, when Events are on (it lists them: a blocking call). */
    @Override
    public Map<ObjectKey, Instant> predecessorOnsets() {
        return kubeEvents == null ? Map.of() : kubeEvents.recoverOnsets();
    }

    /** Writes the open drifts' onsets and the apps' kinds; also called at shutdown. */
    void saveState() {
        if (stateFile == null) {
            return;
        }
        try {
            stateFile.save(published.openDrifts(), published.kindsEverHad());
        } catch (IOException e) {
            LOG.warn("cannot write the drift state file {}: {}", stateFile.path(), e.toString());
        }
    }
}
