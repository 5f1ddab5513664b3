package io.driftwatch.emit.hub;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift events waiting for the hub's acknowledgement, in sequence order, bounded by count and bytes. When a new event
 * does not fit, the oldest events are dropped (and counted): they are history; the current state is never lost
 * because the next snapshot carries it. With a {@link OutboxFile} every change is also written to disk, so events and
 * the sequence survive a restart; without one it lives in memory only.
 *
 * <p>The stream id names this outbox's sequence: a new outbox (memory, or a fresh file) starts a new stream at seq 1.
 * Thread-safe.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** Renders the {@code index}-th appended event, numbered {@code seq}, as its JSON line. */
    @FunctionalInterface
    public interface Renderer {
        String render(int index, long seq);
    }

    /** One queued event: its sequence number and its JSON line (which includes the seq). */
    public record Entry(long seq, String json, int bytes) {}

    private final int maxEvents;
    private final long maxBytes;
    private final OutboxFile file;
    private final LongConsumer onDropped;
    private final String stream;
    private final Deque<Entry> queue = new ArrayDeque<>();
    private long nextSeq;
    private long bytes;
    private boolean dropsSinceSnapshot;

    private Outbox(
            int maxEvents, long maxBytes, OutboxFile file, OutboxFile.Contents contents, LongConsumer onDropped) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.file = file;
        this.onDropped = onDropped;
        this.stream = contents.stream();
        this.nextSeq = contents.nextSeq();
        contents.entries().forEach(this::enqueue);
        trim();
    }

    public static Outbox inMemory(int maxEvents, long maxBytes, LongConsumer onDropped) {
        return new Outbox(
                maxEvents,
                maxBytes,
                null,
                new OutboxFile.Contents(UUID.randomUUID().toString(), 1, List.of()),
                onDropped);
    }

    /** Opens (or creates) the outbox file; what a previous run left unacknowledged is queued again. */
    public static Outbox onDisk(Path path, int maxEvents, long maxBytes, LongConsumer onDropped) throws IOException {
        OutboxFile file = new OutboxFile(path);
        OutboxFile.Contents contents = file.load();
        if (!contents.entries().isEmpty()) {
            LOG.info(
                    "hub outbox {}: {} unacknowledged events from a previous run (stream {}, next seq {})",
                    path,
                    contents.entries().size(),
                    contents.stream(),
                    contents.nextSeq());
        }
        return new Outbox(maxEvents, maxBytes, file, contents, onDropped);
    }

    public String stream() {
        return stream;
    }

    /**
     * Assigns the next sequence numbers to {@code count} events and queues them as {@code render} writes them.
     * Returns the last assigned seq.
     */
    public synchronized long append(int count, Renderer render) throws IOException {
        List<Entry> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seq = nextSeq++;
            String json = render.render(i, seq);
            added.add(new Entry(seq, json, utf8Length(json) + 1));
        }
        if (file != null) {
            file.append(added);
        }
        added.forEach(this::enqueue);
        trim();
        return nextSeq - 1;
    }

    /** The highest sequence number assigned so far (0 when none): what a snapshot taken now covers. */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    /** Up to {@code max} events, oldest first, at most {@code budget} bytes (always at least one). */
    public synchronized List<Entry> peek(int max, long budget) {
        List<Entry> out = new ArrayList<>(Math.min(max, queue.size()));
        long used = 0;
        for (Entry e : queue) {
            if (out.size() >= max || (!out.isEmpty() && used + e.bytes() > budget)) {
                break;
            }
            out.add(e);
            used += e.bytes();
        }
        return out;
    }

    /** The hub stored everything up to {@code seq}: forget it. */
    public synchronized void ack(long seq) throws IOException {
        boolean removed = false;
        while (!queue.isEmpty() && queue.peekFirst().seq() <= seq) {
            bytes -= queue.removeFirst().bytes();
            removed = true;
        }
        if (removed && file != null) {
            file.head(seq, queue, stream, nextSeq);
        }
    }

    /** Drops events up to {@code seq} that the hub refused for good (counted like overflow). */
    public synchronized void discard(long seq) throws IOException {
        long n = queue.stream().filter(e -> e.seq() <= seq).count();
        ack(seq);
        if (n > 0) {
            lost(n);
        }
    }

    /** {@code n} events never made it into the outbox (it could not be written): counted like overflow. */
    public synchronized void lost(long n) {
        dropsSinceSnapshot = true;
        onDropped.accept(n);
    }

    public synchronized int size() {
        return queue.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    /** True (once) when events were dropped since the last call: the hub needs a snapshot to heal the gap. */
    public synchronized boolean takeDropped() {
        boolean d = dropsSinceSnapshot;
        dropsSinceSnapshot = false;
        return d;
    }

    private void enqueue(Entry e) {
        queue.addLast(e);
        bytes += e.bytes();
    }

    private void trim() {
        long dropped = 0;
        long through = 0;
        while (!queue.isEmpty() && (queue.size() > maxEvents || bytes > maxBytes)) {
            Entry e = queue.removeFirst();
            bytes -= e.bytes();
            through = e.seq();
            dropped++;
        }
        if (dropped > 0) {
            dropsSinceSnapshot = true;
            onDropped.accept(dropped);
            if (file != null) {
                try {
                    file.head(through, queue, stream, nextSeq);
                } catch (IOException e) {
                    LOG.warn("hub outbox: cannot record dropped events: {}", e.toString());
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            file.close();
        }
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
