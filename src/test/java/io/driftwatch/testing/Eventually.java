package io.driftwatch.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition that the system reaches asynchronously; a bounded wait, not a performance assertion. */
public final class Eventually {

    private Eventually() {}

    /** Polls until {@code condition} holds; fails with {@code describe}'s latest answer when it never does. */
    public static void await(String what, Duration timeout, Supplier<Boolean> condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        if (Boolean.TRUE.equals(condition.get())) {
            return;
        }
        throw new AssertionError(
                "gave up after " + timeout.toSeconds() + " s waiting for " + what + "; last state:\n" + describe.get());
    }

    public static void await(String what, Duration timeout, Supplier<Boolean> condition) {
        await(what, timeout, condition, () -> "(no detail)");
    }
}
