package io.driftwatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTailerTest {

    private static final String NOW = "2026-05-01T10:00:00Z";

    @TempDir
    Path dir;

    private final List<String> arrived = new ArrayList<>();
    private final AuditIndex index =
            new AuditIndex(1000, Duration.ofMinutes(10), Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC));

    private AuditLogTailer tailer(Path file, int maxLineBytes) {
        return new AuditLogTailer(
                file,
                new AuditEvents((g, r) -> true),
                index,
                maxLineBytes,
                Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC),
                batch -> batch.forEach(w -> arrived.add(w.auditID())));
    }

    private static String line(String auditID) {
        return line(auditID, NOW);
    }

    private static String line(String auditID, String at) {
        return AuditSamples.event(
                        auditID,
                        "patch",
                        "/apis/apps/v1/namespaces/shop/deployments/web",
                        "alice",
                        null,
                        "deployments",
                        "",
                        "web",
                        at,
                        at,
                        200,
                        null)
                + "\n";
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void followsAppendsAndAPartialLineOnlyOnceItEnds() throws IOException {
        Path log = dir.resolve("audit.log");
        AuditLogTailer t = tailer(log, 1 << 20);
        t.poll(); // not there yet: waits
        append(log, line("a1"));
        String second = line("a2");
        append(log, second.substring(0, 40));
        t.poll();
        assertThat(arrived).containsExactly("a1");

        append(log, second.substring(40));
        t.poll();
        t.poll();
        assertThat(arrived).containsExactly("a1", "a2");
        assertThat(t.lines("kept")).isEqualTo(2);
    }

    @Test
    void followsRenameAndCreateRotationReadingTheOldFileToItsEndFirst() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, line("a1"));
        AuditLogTailer t = tailer(log, 1 << 20);
        t.poll();
        // written after the last poll, then rotated away as the API server's log backend does
        append(log, line("a2"));
        Files.move(log, dir.resolve("audit-2026-05-01T10-00-00.000.log"));
        t.poll(); // the path is missing: still reading the old file
        // the new file grows past the old file's size before the next poll: no size-based guess would see it
        append(log, line("b1") + line("b2") + line("b3"));
        t.poll();
        append(log, line("b4"));
        t.poll();

        assertThat(arrived).containsExactly("a1", "a2", "b1", "b2", "b3", "b4");
    }

    @Test
    void aTruncatedFileIsReadFromItsStartWithoutReReadingWhatWasRead() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, line("a1") + line("a2"));
        AuditLogTailer t = tailer(log, 1 << 20);
        t.poll();
        try (FileChannel c = FileChannel.open(log, StandardOpenOption.WRITE)) {
            c.truncate(0);
        }
        append(log, line("c1"));
        t.poll();
        t.poll();

        assertThat(arrived).containsExactly("a1", "a2", "c1");
        assertThat(t.lines("kept")).isEqualTo(3);
    }

    @Test
    void aLineOverTheLimitIsSkippedAndCountedMalformedLinesCountedAndOldEventsSkippedAtStart() throws IOException {
        Path log = dir.resolve("audit.log");
        String big = "{\"x\":\"" + "y".repeat(5000) + "\"}\n";
        append(log, line("old", "2026-05-01T09:00:00Z") + big + "not json\n" + line("a1"));
        AuditLogTailer t = tailer(log, 4096);
        t.poll();
        append(log, "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"}\n" + line("a2"));
        t.poll();

        assertThat(arrived).containsExactly("a1", "a2");
        assertThat(t.lines("too-large")).isEqualTo(1);
        assertThat(t.lines("malformed")).isEqualTo(2);
        assertThat(t.lines("old")).isEqualTo(1);
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void aLineOverTheLimitSplitAcrossReadsIsSkippedAndTheNextLineKept() throws IOException {
        Path log = dir.resolve("audit.log");
        AuditLogTailer t = tailer(log, 4096);
        append(log, "{\"x\":\"" + "y".repeat(3000));
        t.poll();
        append(log, "y".repeat(3000));
        t.poll();
        append(log, "\"}\n" + line("a1"));
        t.poll();

        assertThat(arrived).containsExactly("a1");
        assertThat(t.lines("too-large")).isEqualTo(1);
    }
}
