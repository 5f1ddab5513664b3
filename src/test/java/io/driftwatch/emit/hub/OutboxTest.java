package io.driftwatch.emit.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    private final AtomicLong dropped = new AtomicLong();

    private static String json(long seq) {
        return "{\"seq\":" + seq + ",\"type\":\"opened\",\"pad\":\"" + "x".repeat(80) + "\"}";
    }

    private static void add(Outbox o, int n) throws IOException {
        o.append(n, (i, seq) -> json(seq));
    }

    @Test
    void assignsIncreasingSequenceNumbersFromOne() throws IOException {
        Outbox o = Outbox.inMemory(100, 1 << 20, dropped::addAndGet);
        assertThat(o.append(3, (i, seq) -> json(seq))).isEqualTo(3);
        assertThat(o.peek(10, 1 << 20)).extracting(Outbox.Entry::seq).containsExactly(1L, 2L, 3L);
        assertThat(o.lastSeq()).isEqualTo(3);
    }

    @Test
    void whenFullByCountItDropsTheOldestAndCountsThem() throws IOException {
        Outbox o = Outbox.inMemory(5, 1 << 20, dropped::addAndGet);
        add(o, 8);
        assertThat(o.size()).isEqualTo(5);
        assertThat(o.peek(10, 1 << 20)).extracting(Outbox.Entry::seq).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(dropped).hasValue(3);
        assertThat(o.takeDropped()).isTrue();
        assertThat(o.takeDropped()).as("reported once").isFalse();
    }

    @Test
    void whenFullByBytesItDropsTheOldest() throws IOException {
        int lineBytes = json(10).length() + 1;
        Outbox o = Outbox.inMemory(1000, lineBytes * 4L, dropped::addAndGet);
        add(o, 10);
        assertThat(o.size()).isEqualTo(4);
        assertThat(o.bytes()).isLessThanOrEqualTo(lineBytes * 4L);
        assertThat(o.peek(10, 1 << 20).get(0).seq()).isEqualTo(7);
        assertThat(dropped).hasValue(6);
    }

    @Test
    void ackRemovesEverythingUpToTheAcknowledgedSeq() throws IOException {
        Outbox o = Outbox.inMemory(100, 1 << 20, dropped::addAndGet);
        add(o, 5);
        o.ack(3);
        assertThat(o.peek(10, 1 << 20)).extracting(Outbox.Entry::seq).containsExactly(4L, 5L);
        o.ack(3);
        assertThat(o.size()).isEqualTo(2);
        assertThat(dropped).hasValue(0);
    }

    @Test
    void peekHonoursCountAndByteBudgetButAlwaysReturnsOne() throws IOException {
        Outbox o = Outbox.inMemory(100, 1 << 20, dropped::addAndGet);
        add(o, 10);
        assertThat(o.peek(3, 1 << 20)).hasSize(3);
        assertThat(o.peek(10, json(1).length() * 2L + 2)).hasSize(2);
        assertThat(o.peek(10, 1)).hasSize(1);
    }

    @Test
    void onDiskItKeepsUnacknowledgedEventsAndTheSequenceAcrossARestart(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("outbox.jsonl");
        String stream;
        try (Outbox o = Outbox.onDisk(file, 100, 1 << 20, dropped::addAndGet)) {
            stream = o.stream();
            add(o, 6);
            o.ack(4);
        }
        try (Outbox o = Outbox.onDisk(file, 100, 1 << 20, dropped::addAndGet)) {
            assertThat(o.stream()).isEqualTo(stream);
            assertThat(o.peek(10, 1 << 20)).extracting(Outbox.Entry::seq).containsExactly(5L, 6L);
            assertThat(o.append(1, (i, seq) -> json(seq))).isEqualTo(7);
        }
    }

    @Test
    void onDiskAFullyAcknowledgedOutboxStillContinuesItsSequence(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("outbox.jsonl");
        try (Outbox o = Outbox.onDisk(file, 100, 1 << 20, dropped::addAndGet)) {
            add(o, 3000); // enough head markers to compact
            for (long s = 1; s <= 3000; s += 7) {
                o.ack(s);
            }
            o.ack(3000);
            assertThat(o.size()).isZero();
        }
        assertThat(Files.size(file)).as("compacted").isLessThan(10_000);
        try (Outbox o = Outbox.onDisk(file, 100, 1 << 20, dropped::addAndGet)) {
            assertThat(o.size()).isZero();
            assertThat(o.lastSeq()).isEqualTo(3000);
        }
    }

    @Test
    void onDiskALineTornByACrashIsSkippedAndLaterAppendsSurvive(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("outbox.jsonl");
        try (Outbox o = Outbox.onDisk(file, 100, 1 << 20, dropped::addAndGet)) {
            add(o, 2);
        }
        Files.writeString(file, "{\"seq\":3,\"type\":\"ope", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (Outbox o = Outbox.onDisk(file, 100, 1 << 20, dropped::addAndGet)) {
            assertThat(o.peek(10, 1 << 20)).extracting(Outbox.Entry::seq).containsExactly(1L, 2L);
            add(o, 1);
        }
        try (Outbox o = Outbox.onDisk(file, 100, 1 << 20, dropped::addAndGet)) {
            assertThat(o.peek(10, 1 << 20)).extracting(Outbox.Entry::seq).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void onDiskBoundsApplyToWhatARestartFinds(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("outbox.jsonl");
        try (Outbox o = Outbox.onDisk(file, 100, 1 << 20, dropped::addAndGet)) {
            add(o, 50);
        }
        try (Outbox o = Outbox.onDisk(file, 10, 1 << 20, dropped::addAndGet)) {
            assertThat(o.size()).isEqualTo(10);
            assertThat(o.peek(1, 1 << 20).get(0).seq()).isEqualTo(41);
        }
        assertThat(dropped).hasValue(40);
    }

    @Test
    void discardDropsRefusedEventsAndCountsThem() throws IOException {
        Outbox o = Outbox.inMemory(100, 1 << 20, dropped::addAndGet);
        add(o, 5);
        o.discard(2);
        assertThat(o.size()).isEqualTo(3);
        assertThat(dropped).hasValue(2);
        assertThat(o.takeDropped()).isTrue();
    }
}
