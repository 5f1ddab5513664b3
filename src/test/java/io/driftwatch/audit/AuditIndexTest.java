package io.driftwatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditIndexTest {

    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static AuditWrite write(String id, String name, String subresource, Instant at) {
        return new AuditWrite(
                id,
                "patch",
                new AuditWrite.ObjectRef("apps", "deployments", subresource, "shop", name),
                "alice",
                List.of("ops"),
                null,
                null,
                "10.0.0.7",
                AuditSamples.KUBECTL,
                "kubectl-edit",
                at,
                at.plusMillis(10),
                null);
    }

    @Test
    void keepsWritesPerObjectWithSubresourcesOnceEach() {
        AuditIndex index = new AuditIndex(100, Duration.ofMinutes(10), new MovableClock());
        assertThat(index.add(write("1", "web", "", T0))).isTrue();
        assertThat(index.add(write("2", "web", "scale", T0.plusSeconds(1)))).isTrue();
        assertThat(index.add(write("1", "web", "", T0))).isFalse();
        index.add(write("3", "api", "", T0));

        assertThat(index.writes(new AuditWrite.ObjectRef("apps", "deployments", "", "shop", "web")))
                .extracting(AuditWrite::auditID)
                .containsExactly("1", "2");
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.dropped()).isZero();
    }

    @Test
    void forgetsWritesOlderThanTheWindow() {
        MovableClock clock = new MovableClock();
        AuditIndex index = new AuditIndex(100, Duration.ofMinutes(10), clock);
        index.add(write("1", "web", "", T0));
        clock.now = T0.plus(Duration.ofMinutes(11));

        assertThat(index.writes(new AuditWrite.ObjectRef("apps", "deployments", "", "shop", "web")))
                .isEmpty();
        assertThat(index.dropped()).isZero();
    }

    @Test
    void boundedInAllAndPerObjectCountingWhatItDrops() {
        AuditIndex index = new AuditIndex(50, Duration.ofMinutes(10), new MovableClock());
        for (int i = 0; i < AuditIndex.PER_OBJECT + 5; i++) {
            index.add(write("w" + i, "web", "", T0.plusMillis(i)));
        }
        assertThat(index.writes(new AuditWrite.ObjectRef("apps", "deployments", "", "shop", "web")))
                .hasSize(AuditIndex.PER_OBJECT)
                .first()
                .extracting(AuditWrite::auditID)
                .isEqualTo("w5");
        assertThat(index.dropped()).isEqualTo(5);

        for (int i = 0; i < 200; i++) {
            index.add(write("o" + i, "obj-" + i, "", T0));
        }
        assertThat(index.size()).isLessThanOrEqualTo(50);
        assertThat(index.dropped()).isGreaterThanOrEqualTo(5 + 200 + AuditIndex.PER_OBJECT - 50);
    }
}
