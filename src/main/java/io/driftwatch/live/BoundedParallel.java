package io.driftwatch.live;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Blocking reads from the API server a few at a time, results in the order the inputs were given (so what callers
 * build from them does not depend on which answer came first). A one-shot command makes dozens of small requests
 * (discovery per group-version, a metadata list per kind); one after the other their round trips add up. The first
 * failure, in input order, is thrown as the call threw it. Blocking: call it off the event loop.
 */
final class BoundedParallel {

    /** Requests in flight at once: enough to hide round trips, few enough to spare the API server. */
    static final int READS = 4;

    private BoundedParallel() {}

    static <T, R> List<R> map(List<T> inputs, Function<T, R> read) {
        if (inputs.size() <= 1) {
            List<R> out = new ArrayList<>(inputs.size());
            inputs.forEach(i -> out.add(read.apply(i)));
            return out;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(READS, inputs.size()), r -> {
            Thread t = new Thread(r, "driftwatch-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(inputs.size());
            inputs.forEach(i -> futures.add(pool.submit(() -> read.apply(i))));
            List<R> out = new ArrayList<>(inputs.size());
            for (Future<R> f : futures) {
                out.add(result(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> R result(Future<R> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading from the API server", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
