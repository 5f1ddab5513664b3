package io.driftwatch.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recent writes per object, bounded in time ({@code window}: older writes are forgotten) and in number ({@code
 * maxWrites} in all, {@link #PER_OBJECT} per object); writes pushed out by the bounds before their time are counted as
 * dropped. Thread-safe: ingest adds from its pool while the diff thread reads.
 */
public final class AuditIndex {

    /** The most writes kept per object: the newest. */
    public static final int PER_OBJECT = 32;

    private final Cache<AuditWrite.ObjectRef, List<AuditWrite>> byObject;
    private final Duration window;
    private final Clock clock;
    private final AtomicLong dropped = new AtomicLong();

    public AuditIndex(long maxWrites, Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
        this.byObject = Caffeine.newBuilder()
                .maximumWeight(maxWrites)
                .<AuditWrite.ObjectRef, List<AuditWrite>>weigher((k, v) -> v.size())
                .expireAfterWrite(window)
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(Runnable::run)
                .removalListener((k, v, cause) -> {
                    if (cause == RemovalCause.SIZE && v != null) {
                        dropped.addAndGet(v.size());
                    }
                })
                .build();
    }

    /** Adds a write (idempotent by audit id: a batch posted twice counts once); false when already known. */
    public boolean add(AuditWrite write) {
        boolean[] added = {false};
        byObject.asMap().compute(write.object().main(), (k, old) -> {
            List<AuditWrite> list = old == null ? new ArrayList<>() : new ArrayList<>(old);
            if (list.stream().anyMatch(w -> w.auditID().equals(write.auditID()))) {
                return old;
            }
            added[0] = true;
            list.add(write);
            list.sort(Comparator.comparing(AuditWrite::completed));
            Instant oldest = clock.instant().minus(window);
            list.removeIf(w -> w.completed().isBefore(oldest) && w != write);
            while (list.size() > PER_OBJECT) {
                list.remove(0);
                dropped.incrementAndGet();
            }
            return List.copyOf(list);
        });
        byObject.cleanUp();
        return added[0];
    }

    /** The writes to an object (on it or its subresources) within the window, oldest first. */
    public List<AuditWrite> writes(AuditWrite.ObjectRef object) {
        List<AuditWrite> list = byObject.getIfPresent(object.main());
        return list == null ? List.of() : list;
    }

    /** Writes held now. */
    public long size() {
        byObject.cleanUp();
        return byObject.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** Writes pushed out by the bounds before the window passed (since start). */
    public long dropped() {
        return dropped.get();
    }

    public Duration window() {
        return window;
    }
}
