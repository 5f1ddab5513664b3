package io.driftwatch.emit.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox on disk: one append-only JSON-lines segment. The first line is a header
 * {@code {"stream":..,"nextSeq":..}}; then event lines (the wire JSON of one event, with its {@code seq}) and head
 * markers {@code {"head":N}} (everything up to N was acknowledged or dropped). Appends are cheap; when dead lines
 * outnumber live ones (or nothing is live) the file is rewritten to a temporary file and atomically renamed over the old one. Loading
 * rewrites it too, which also discards a line torn by a crash.
 *
 * <p>Why JSON lines and not SQLite: the agent image needs no native library, each event is written once as the exact
 * bytes that are sent, and a crash can at worst tear the last line, which loading skips.
 */
final class OutboxFile {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIN_DEAD_FOR_COMPACTION = 1000;
    private static final int MIN_DEAD_WHEN_EMPTY = 100;

    record Contents(String stream, long nextSeq, List<Outbox.Entry> entries) {}

    private final Path path;
    private BufferedWriter writer;
    private long live;
    private long dead;

    OutboxFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    Contents load() throws IOException {
        String stream = null;
        long nextSeq = 1;
        long head = 0;
        List<Outbox.Entry> entries = new ArrayList<>();
        int torn = 0;
        if (Files.exists(path)) {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    torn++;
                    continue;
                }
                if (node.has("stream") && node.has("nextSeq")) {
                    stream = node.get("stream").asText();
                    nextSeq = Math.max(nextSeq, node.get("nextSeq").asLong());
                } else if (node.has("head")) {
                    head = Math.max(head, node.get("head").asLong());
                } else if (node.path("seq").canConvertToLong()
                        && node.path("seq").asLong() > 0) {
                    long seq = node.get("seq").asLong();
                    entries.add(new Outbox.Entry(seq, line, Outbox.utf8Length(line) + 1));
                    nextSeq = Math.max(nextSeq, seq + 1);
                } else {
                    torn++;
                }
            }
        }
        if (torn > 0) {
            LOG.warn("hub outbox {}: skipped {} unreadable lines (a write torn by a crash)", path, torn);
        }
        if (stream == null) {
            stream = UUID.randomUUID().toString();
        }
        long acked = head;
        List<Outbox.Entry> pending =
                entries.stream().filter(e -> e.seq() > acked).toList();
        rewrite(stream, nextSeq, pending);
        return new Contents(stream, nextSeq, pending);
    }

    void append(Collection<Outbox.Entry> entries) throws IOException {
        for (Outbox.Entry e : entries) {
            writer.write(e.json());
            writer.write('\n');
        }
        writer.flush();
        live += entries.size();
    }

    /** Records that everything up to {@code seq} is gone; compacts when the file is mostly dead lines. */
    void head(long seq, Collection<Outbox.Entry> remaining, String stream, long nextSeq) throws IOException {
        writer.write("{\"head\":" + seq + "}\n");
        writer.flush();
        dead += live - remaining.size() + 1;
        live = remaining.size();
        if (dead >= MIN_DEAD_FOR_COMPACTION && dead > live || live == 0 && dead >= MIN_DEAD_WHEN_EMPTY) {
            rewrite(stream, nextSeq, remaining);
        }
    }

    private void rewrite(String stream, long nextSeq, Collection<Outbox.Entry> entries) throws IOException {
        close();
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(ch)) {
            StringBuilder sb = new StringBuilder();
            sb.append(JSON.createObjectNode().put("stream", stream).put("nextSeq", nextSeq))
                    .append('\n');
            for (Outbox.Entry e : entries) {
                sb.append(e.json()).append('\n');
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        live = entries.size();
        dead = 1;
    }

    void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warn("hub outbox {}: close failed: {}", path, e.toString());
            }
            writer = null;
        }
    }
}
