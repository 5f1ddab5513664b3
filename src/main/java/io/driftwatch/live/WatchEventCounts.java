package io.driftwatch.live;

import java.util.concurrent.atomic.LongAdder;

/**
 * Watch notifications one kind's informers delivered since the agent started, by type: what the API server sent, not
 * what the agent made of it. {@code unchanged} counts updates carrying the resourceVersion the store already held (a
 * relist or resync replaying an object), which the agent drops before diffing. Survives the kind's informers being
 * stopped and started again, so the counts only grow. Incremented on the informers' threads without allocating.
 */
public final class WatchEventCounts {

    private final String group;
    private final String kind;
    private final LongAdder added = new LongAdder();
    private final LongAdder updated = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder unchanged = new LongAdder();

    public WatchEventCounts(String group, String kind) {
        this.group = group;
        this.kind = kind;
    }

    /** The API group ("" for the core group). */
    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    public long added() {
        return added.sum();
    }

    public long updated() {
        return updated.sum();
    }

    public long deleted() {
        return deleted.sum();
    }

    /** Updates with an unchanged resourceVersion, dropped as non-changes. */
    public long unchanged() {
        return unchanged.sum();
    }

    public void count(LiveEvent.Type type) {
        switch (type) {
            case ADDED -> added.increment();
            case UPDATED -> updated.increment();
            case DELETED -> deleted.increment();
        }
    }

    public void countUnchanged() {
        unchanged.increment();
    }
}
