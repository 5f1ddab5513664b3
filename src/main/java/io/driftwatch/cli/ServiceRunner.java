package io.driftwatch.cli;

import io.vertx.core.Future;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code driftwatch agent} and {@code driftwatch hub} run: stop from a JVM shutdown hook, start within a timeout
 * (a failure is logged and printed, exit code 1), then wait until the hook has stopped the service.
 */
final class ServiceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {}

    /**
     * @param name         what runs ("agent", "hub"), for messages
     * @param start        starts the service; its future completes once it runs
     * @param stop         stops it (called once, from the shutdown hook)
     * @param startTimeout how long start-up may take
     * @return the exit code: 0 after a stop, 1 when start-up failed
     */
    static int run(String name, Supplier<Future<Void>> start, Runnable stop, Duration startTimeout, PrintWriter err)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.run();
                            stopped.countDown();
                        },
                        "driftwatch-shutdown"));
        try {
            start.get().toCompletionStage().toCompletableFuture().get(startTimeout.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.error("{} start-up failed: {}", name, cause.toString(), cause);
            err.println("error: " + name + " start-up failed: " + cause.getMessage());
            return 1;
        }
        stopped.await();
        return ExitCodes.OK;
    }
}
