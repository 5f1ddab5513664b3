package io.driftwatch.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background updates that are not drift: a label only a controller writes ({@code bench-controller}), on random
 * ConfigMaps, at a given rate spread over a few threads (one PATCH can take longer than the interval between two at
 * hundreds per second). The achieved rate is measured, not assumed.
 */
final class BackgroundChurn implements AutoCloseable {

    private final ScheduledExecutorService pool;
    private final AtomicLong updates = new AtomicLong();
    private final long started = System.nanoTime();

    private BackgroundChurn(int threads) {
        this.pool = Executors.newScheduledThreadPool(threads);
    }

    /** Starts {@code perSecond} updates a second over {@code threads} threads, on {@code configMaps}. */
    static BackgroundChurn start(
            KubernetesClient client, List<? extends HasMetadata> configMaps, int perSecond, int threads) {
        BackgroundChurn churn = new BackgroundChurn(threads);
        PatchContext patch = new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("bench-controller")
                .build();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(7 + t);
            churn.pool.scheduleAtFixedRate(
                    () -> {
                        HasMetadata target = configMaps.get(random.nextInt(configMaps.size()));
                        try {
                            client.configMaps()
                                    .inNamespace(target.getMetadata().getNamespace())
                                    .withName(target.getMetadata().getName())
                                    .patch(
                                            patch,
                                            "{\"metadata\":{\"labels\":{\"bench/touched\":\""
                                                    + churn.updates.incrementAndGet() + "\"}}}");
                        } catch (RuntimeException e) {
                            if (!churn.pool.isShutdown()) { // shutdownNow interrupts the update in flight
                                System.err.println("[churn] background update failed: " + e.getMessage());
                            }
                        }
                    },
                    0,
                    1_000_000L * threads / perSecond,
                    TimeUnit.MICROSECONDS);
        }
        return churn;
    }

    /** Updates sent so far. */
    long updates() {
        return updates.get();
    }

    /** Updates per second since the start. */
    double achievedPerSecond() {
        return updates.get() / ((System.nanoTime() - started) / 1e9);
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
