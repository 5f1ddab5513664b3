package io.driftwatch.audit;

import static io.driftwatch.audit.AuditSamples.event;
import static io.driftwatch.audit.AuditSamples.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditIngestTest {

    private static final String T = "2026-05-01T10:00:00Z";
    private final AuditIndex index =
            new AuditIndex(100, Duration.ofMinutes(10), Clock.fixed(Instant.parse(T), ZoneOffset.UTC));
    private final AuditIngest ingest =
            new AuditIngest("s3cret".getBytes(StandardCharsets.UTF_8), new AuditEvents((g, r) -> true), index);

    private static byte[] batch() {
        return list(event(
                        "a1",
                        "patch",
                        "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=kubectl-edit",
                        "alice",
                        null,
                        "deployments",
                        "",
                        "web",
                        T,
                        T,
                        200,
                        null))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPostWithTheTokenIsIndexedOnce() {
        AuditIngest.Outcome first = ingest.post("Bearer s3cret", batch());
        AuditIngest.Outcome again = ingest.post("bearer s3cret", batch());

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.added()).extracting(AuditWrite::auditID).containsExactly("a1");
        assertThat(again.added()).isEmpty();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void postsWithoutTheRightTokenAreRefusedBeforeTheBodyIsRead() {
        for (String header : new String[] {null, "Bearer wrong", "Basic czNjcmV0", "Bearer s3cret2"}) {
            AuditIngest.Outcome o = ingest.post(header, batch());
            assertThat(o.status()).isEqualTo(401);
            assertThat(o.result()).isEqualTo("unauthenticated");
            assertThat(o.message()).doesNotContain("s3cret");
        }
        assertThat(index.size()).isZero();
    }

    @Test
    void aMalformedBodyIsRefusedWithItsProblems() {
        AuditIngest.Outcome o = ingest.post("Bearer s3cret", "{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(o.status()).isEqualTo(400);
        assertThat(o.result()).isEqualTo("malformed");
        assertThat(o.message()).contains("kind is 'Pod', expected 'EventList'").contains("items is missing");
    }

    @Test
    void anEmptyTokenFileIsAnError(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("token"), "\n");
        assertThatThrownBy(() -> AuditIngest.readToken(empty)).hasMessageContaining("is empty");
        Path good = Files.writeString(dir.resolve("good"), "s3cret\n");
        assertThat(new String(AuditIngest.readToken(good), StandardCharsets.UTF_8))
                .isEqualTo("s3cret");
    }
}
