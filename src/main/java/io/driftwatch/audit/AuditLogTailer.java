package io.driftwatch.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the JSON-lines audit log the API server's log backend writes ({@code --audit-log-path}), one {@code Event} a
 * line, and puts the writes of watched kinds into the index.
 *
 * <p>Rotation-safe: the file is identified by its file key (inode). When the path names another file (the API server
 * renamed the old one and created a new one), the old file, still open, is read to its end first, then the new one
 * from its start; when the file shrank under the read position (truncated in place), it is read again from its start.
 * Nothing already read is read again. A path that is missing for a while (between a rotation's rename and create, or
 * before the first event) is waited for.
 *
 * <p>Bounded: a line longer than {@code maxLineBytes} is skipped (counted {@code too-large}), so one runaway line
 * cannot grow memory; writes are handed on in batches of at most {@link #BATCH} as they are read. At the first open
 * the file's events older than the index's window are skipped (counted {@code old}); the rest fill the index so drifts
 * open at start can be attributed. Line contents are never logged (they may hold Secret values when a policy logs
 * bodies).
 *
 * <p>Not thread-safe: {@link #poll()} runs on one thread, the agent's "driftwatch-audit-log".
 */
public final class AuditLogTailer {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogTailer.class);

    /** The most writes handed on at once. */
    public static final int BATCH = 1000;

    /** The results lines are counted by. */
    public static final List<String> RESULTS = List.of("kept", "ignored", "old", "malformed", "too-large");

    private static final int CHUNK = 64 * 1024;

    private final Path file;
    private final AuditEvents events;
    private final AuditIndex index;
    private final int maxLineBytes;
    private final Clock clock;
    private final Consumer<List<AuditWrite>> arrived;
    private final Map<String, AtomicLong> lines = new ConcurrentHashMap<>();
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);

    private FileChannel channel;
    private Object fileKey;
    private long position;
    private boolean first = true;
    private boolean missingLogged;
    /** The start of a line not yet ended by a newline; never more than maxLineBytes. */
    private byte[] partial = new byte[0];

    private boolean skipping;
    private List<AuditWrite> pending = new ArrayList<>();

    /**
     * @param arrived receives the writes new to the index, in batches of at most {@link #BATCH}
     */
    public AuditLogTailer(
            Path file,
            AuditEvents events,
            AuditIndex index,
            int maxLineBytes,
            Clock clock,
            Consumer<List<AuditWrite>> arrived) {
        this.file = file;
        this.events = events;
        this.index = index;
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
        this.arrived = arrived;
        RESULTS.forEach(r -> lines.put(r, new AtomicLong()));
    }

    /** Lines read since start with this result (one of {@link #RESULTS}). */
    public long lines(String result) {
        return lines.get(result).get();
    }

    /** Reads what was appended since the last poll, following a rotation or truncation. */
    public void poll() {
        try {
            if (channel == null && !open()) {
                return;
            }
            drain();
            Object now = currentKey();
            if (now == null) {
                return; // renamed away, the new file not created yet: keep the old one open
            }
            if (!now.equals(fileKey)) {
                drain(); // written after our last read and before the rename
                LOG.info("audit log {} was rotated; following the new file", file);
                close();
                open();
                drain();
            } else if (Files.size(file) < position) {
                LOG.info("audit log {} was truncated; reading it from its start", file);
                position = 0;
                partial = new byte[0];
                skipping = false;
                drain();
            }
        } catch (IOException e) {
            LOG.warn("cannot read audit log {}: {}", file, e.toString());
            close();
        } finally {
            flush();
        }
    }

    /** Closes the file. */
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing audit log {}: {}", file, e.toString());
            }
        }
        channel = null;
        fileKey = null;
        partial = new byte[0];
        skipping = false;
    }

    private boolean open() throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            if (!missingLogged) {
                LOG.info("audit log {} does not exist yet; waiting for it", file);
                missingLogged = true;
            }
            return false;
        }
        missingLogged = false;
        fileKey = Objects.requireNonNullElse(currentKey(), new Object());
        position = 0;
        return true;
    }

    private Object currentKey() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Reads the open file from the position to its end, line by line. */
    private void drain() throws IOException {
        while (true) {
            chunk.clear();
            int n = channel.read(chunk, position);
            if (n <= 0) {
                first = false;
                return;
            }
            position += n;
            split(chunk.array(), n);
        }
    }

    private void split(byte[] bytes, int length) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                line(bytes, start, i);
                start = i + 1;
            }
        }
        keep(bytes, start, length);
    }

    /** One complete line: the bytes kept from earlier reads and {@code bytes[from, to)}. */
    private void line(byte[] bytes, int from, int to) {
        if (skipping || partial.length + (to - from) > maxLineBytes) {
            count("too-large");
            LOG.warn("audit log {}: a line over {} bytes skipped", file, maxLineBytes);
            partial = new byte[0];
            skipping = false;
            return;
        }
        byte[] whole = new byte[partial.length + (to - from)];
        System.arraycopy(partial, 0, whole, 0, partial.length);
        System.arraycopy(bytes, from, whole, partial.length, to - from);
        partial = new byte[0];
        String text = new String(whole, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
            event(text);
        }
    }

    private void keep(byte[] bytes, int from, int to) {
        if (skipping || from == to) {
            return;
        }
        if (partial.length + (to - from) > maxLineBytes) {
            skipping = true; // counted when the line ends
            partial = new byte[0];
            return;
        }
        byte[] more = new byte[partial.length + (to - from)];
        System.arraycopy(partial, 0, more, 0, partial.length);
        System.arraycopy(bytes, from, more, partial.length, to - from);
        partial = more;
    }

    private void event(String text) {
        AuditWrite w;
        try {
            w = events.parseLine(text);
        } catch (AuditEvents.MalformedAuditException e) {
            count("malformed");
            // a JSON parser's message may quote the line; only the problems found in a parsed event are safe to log
            String why = e.getMessage().startsWith("not JSON") ? "not JSON" : e.getMessage();
            LOG.warn("audit log {}: a line is not an audit.k8s.io/v1 Event: {}", file, why);
            return;
        }
        if (w == null) {
            count("ignored");
            return;
        }
        if (first && w.completed().isBefore(clock.instant().minus(index.window()))) {
            count("old");
            return;
        }
        count("kept");
        if (index.add(w)) {
            pending.add(w);
            if (pending.size() >= BATCH) {
                flush();
            }
        }
    }

    private void flush() {
        if (!pending.isEmpty()) {
            List<AuditWrite> batch = pending;
            pending = new ArrayList<>();
            arrived.accept(batch);
        }
    }

    private void count(String result) {
        lines.get(result).incrementAndGet();
    }
}
