package io.driftwatch.net;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Bounded exponential backoff with jitter for retries (pushes to the hub, calls to Argo CD); every constant lives
 * here. The n-th consecutive failure waits {@code min(MAX, INITIAL * MULTIPLIER^(n-1))}, scaled by a random factor in
 * {@code [1 - JITTER, 1 + JITTER]} so a fleet of agents does not retry in lockstep after an outage.
 */
public final class Backoff {

    public static final Duration INITIAL = Duration.ofMillis(500);
    public static final Duration MAX = Duration.ofSeconds(30);
    public static final double MULTIPLIER = 2.0;
    public static final double JITTER = 0.2;

    private final DoubleSupplier random;
    private int failures;

    /** @param random uniform in [0, 1) */
    public Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    public Duration failed() {
        failures++;
        return delay(failures, random.getAsDouble());
    }

    public void succeeded() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }

    /** The wait after {@code failures} consecutive failures, for a random draw {@code r} in [0, 1). */
    static Duration delay(int failures, double r) {
        double base = INITIAL.toMillis() * Math.pow(MULTIPLIER, Math.min(failures - 1, 30));
        double capped = Math.min(base, MAX.toMillis());
        double jittered = capped * (1 - JITTER + 2 * JITTER * r);
        return Duration.ofMillis(Math.round(Math.min(jittered, MAX.toMillis() * (1 + JITTER))));
    }
}
