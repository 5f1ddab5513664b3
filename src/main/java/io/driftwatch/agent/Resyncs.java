package io.driftwatch.agent;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's timers: full resyncs, each with a search for apps' objects in kinds not watched (the first search
 * as soon as the first full diff is done), and a retry of deferred objects every second. The sweep runs on its own
 * "driftwatch-sweep" thread.
 */
final class Resyncs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Resyncs.class);

    private final Vertx vertx;
    private final Reconciler reconciler;
    private final StraySweep sweep;
    private final ExecutorService sweepThread;
    private final Duration interval;
    private final AtomicBoolean firstSweepDone = new AtomicBoolean();
    private final List<Long> timers = new CopyOnWriteArrayList<>();

    Resyncs(Vertx vertx, Reconciler reconciler, StraySweep sweep, ExecutorService sweepThread, Duration interval) {
        this.vertx = vertx;
        this.reconciler = reconciler;
        this.sweep = sweep;
        this.sweepThread = sweepThread;
        this.interval = interval;
    }

    void start() {
        timers.add(vertx.setPeriodic(interval.toMillis(), id -> {
            reconciler.fullResync();
            sweepSoon();
        }));
        timers.add(vertx.setPeriodic(1000, id -> {
            reconciler.retryDeferred();
            if (reconciler.initialDiffDone() && firstSweepDone.compareAndSet(false, true)) {
                sweepSoon();
            }
        }));
    }

    private void sweepSoon() {
        sweepThread.execute(() -> {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                LOG.warn("searching kinds not watched for apps' objects failed: {}", e.toString());
            }
        });
    }

    @Override
    public void close() {
        timers.forEach(vertx::cancelTimer);
    }
}
