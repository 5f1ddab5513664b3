package io.driftwatch.agent;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's named, bounded pools for blocking work: "driftwatch-diff" (one thread: index, diff, lifecycle),
 * "driftwatch-emit" (Kubernetes Events, state file), "driftwatch-source" (loading desired state), "driftwatch-render"
 * (kustomize, helm), "driftwatch-sweep" (the stray sweep) and "driftwatch-http" (blocking calls made from HTTP
 * handlers: readiness, status, webhook verification). Vert.x's unnamed default worker pool is not used.
 */
record AgentPools(
        ExecutorService diff,
        ExecutorService emit,
        ExecutorService source,
        ExecutorService render,
        ExecutorService sweep,
        ExecutorService http) {

    private static final Logger LOG = LoggerFactory.getLogger(AgentPools.class);

    static AgentPools create() {
        return new AgentPools(
                Executors.newSingleThreadExecutor(named("driftwatch-diff")),
                Executors.newSingleThreadExecutor(named("driftwatch-emit")),
                Executors.newFixedThreadPool(2, named("driftwatch-source")),
                Executors.newFixedThreadPool(2, named("driftwatch-render")),
                Executors.newSingleThreadExecutor(named("driftwatch-sweep")),
                Executors.newFixedThreadPool(2, named("driftwatch-http")));
    }

    /** Runs blocking work on a pool; the result completes on the given Vert.x context (the caller's event loop). */
    static <T> Future<T> call(ExecutorService pool, Context context, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        pool.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return Future.fromCompletionStage(result, context);
    }

    /** Stops a pool, waiting for its work until the deadline, then interrupting it. */
    static void shutdown(ExecutorService pool, long deadlineNanos) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warn("{} did not finish its work before the shutdown deadline; interrupting it", pool);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a Vert.x close until the deadline; logs (does not throw) when it does not finish in time. */
    static void await(Future<Void> future, long deadlineNanos, String what) {
        try {
            future.toCompletionStage()
                    .toCompletableFuture()
                    .get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            LOG.warn("{} did not close before the shutdown deadline: {}", what, e.toString());
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
