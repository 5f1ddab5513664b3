package io.driftwatch.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delayDoublesFromTheInitialValueUntilTheCap() {
        assertThat(Backoff.delay(1, 0.5)).isEqualTo(Backoff.INITIAL);
        assertThat(Backoff.delay(2, 0.5)).isEqualTo(Backoff.INITIAL.multipliedBy(2));
        assertThat(Backoff.delay(3, 0.5)).isEqualTo(Backoff.INITIAL.multipliedBy(4));
        assertThat(Backoff.delay(20, 0.5)).isEqualTo(Backoff.MAX);
        assertThat(Backoff.delay(10_000, 0.5)).isEqualTo(Backoff.MAX);
    }

    @Test
    void jitterStaysWithinItsBoundsAroundTheBaseDelay() {
        for (int failures = 1; failures < 40; failures++) {
            Duration base = Backoff.delay(failures, 0.5);
            Duration low = Backoff.delay(failures, 0.0);
            Duration high = Backoff.delay(failures, 0.999_999);
            assertThat(low.toMillis())
                    .isBetween(Math.round(base.toMillis() * (1 - Backoff.JITTER)) - 1, base.toMillis());
            assertThat(high.toMillis())
                    .isBetween(base.toMillis(), Math.round(base.toMillis() * (1 + Backoff.JITTER)) + 1);
        }
    }

    @Test
    void successResetsTheSequence() {
        Backoff b = new Backoff(() -> 0.5);
        b.failed();
        b.failed();
        assertThat(b.failed()).isEqualTo(Backoff.INITIAL.multipliedBy(4));
        b.succeeded();
        assertThat(b.failures()).isZero();
        assertThat(b.failed()).isEqualTo(Backoff.INITIAL);
    }
}
