package io.driftwatch.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.audit.AuditIngest;
import io.driftwatch.audit.AuditWrite;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/audit}: audit events as the API server's webhook backend posts them. Parsing and indexing run on
 * the "driftwatch-http" pool; the writes new to the index are handed on (the reconciler re-diffs the open drifts they
 * touch). Posts are counted by result ({@code driftwatch_audit_posts_total}: accepted, unauthenticated, malformed,
 * too-large).
 */
final class AuditRoute {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String POSTS = "driftwatch_audit_posts_total";

    private final AuditIngest ingest;
    private final ExecutorService blocking;
    private final Consumer<List<AuditWrite>> arrived;
    private final MeterRegistry registry;

    AuditRoute(
            AuditIngest ingest, ExecutorService blocking, MeterRegistry registry, Consumer<List<AuditWrite>> arrived) {
        this.ingest = ingest;
        this.blocking = blocking;
        this.arrived = arrived;
        this.registry = registry;
        for (String result : List.of("accepted", "unauthenticated", "malformed", "too-large")) {
            counter(result);
        }
    }

    void handle(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        byte[] body =
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        AgentPools.call(blocking, ctx.vertx().getOrCreateContext(), () -> {
                    AuditIngest.Outcome o = ingest.post(authorization, body);
                    if (!o.added().isEmpty()) {
                        arrived.accept(o.added());
                    }
                    return o;
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.error("audit post failed: {}", ar.cause().toString());
                        ctx.response().setStatusCode(500).end("audit post failed\n");
                        return;
                    }
                    answer(ctx, ar.result());
                });
    }

    /** The body handler refused a body over the limit. */
    void tooLarge(RoutingContext ctx) {
        counter("too-large").increment();
        LOG.warn("audit post refused: body over audit.maxBodyBytes");
        ctx.response().setStatusCode(413).end("audit post refused: body larger than audit.maxBodyBytes\n");
    }

    private void answer(RoutingContext ctx, AuditIngest.Outcome o) {
        counter(o.result()).increment();
        if (o.status() != 200) {
            LOG.warn("audit post from {} refused ({}): {}", ctx.request().remoteAddress(), o.status(), o.message());
        }
        ctx.response()
                .setStatusCode(o.status())
                .putHeader("content-type", "application/json")
                .end(JSON.createObjectNode().put("message", o.message()).toString());
    }

    private Counter counter(String result) {
        return Counter.builder(POSTS)
                .description("Audit event posts received, by result")
                .tag("result", result)
                .register(registry);
    }
}
