package io.driftwatch.agent;

import io.driftwatch.audit.Attributor;
import io.driftwatch.audit.AuditEvents;
import io.driftwatch.audit.AuditIndex;
import io.driftwatch.audit.AuditIngest;
import io.driftwatch.audit.AuditWrite;
import io.driftwatch.audit.Identity;
import io.driftwatch.config.AgentConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The agent's audit parts: the index of recent writes, the attributor the reconciler uses, and the webhook route
 * ({@code POST /api/v1/audit}, only when a token file is configured). Writes reach the reconciler, once assembled.
 */
final class AgentAudit {

    static final String PATH = "/api/v1/audit";

    private final AgentConfig.Audit config;
    private final AuditIndex index;
    private final Attributor attributor;
    private final AuditEvents events;
    private final Supplier<Reconciler> reconciler;

    AgentAudit(AgentConfig.Audit config, Clock clock, Supplier<Reconciler> reconciler) {
        this.config = config;
        this.reconciler = reconciler;
        this.index = new AuditIndex(config.maxWrites(), config.window(), clock);
        this.attributor = new Attributor(index, new Identity(config.controllers()));
        this.events = new AuditEvents((group, resource) -> {
            Reconciler r = reconciler.get();
            return r == null || r.watchesResource(group, resource);
        });
    }

    Attributor attributor() {
        return attributor;
    }

    AuditEvents events() {
        return events;
    }

    AuditIndex index() {
        return index;
    }

    /** New writes: the reconciler re-diffs the open drifts they touch. */
    void arrived(List<AuditWrite> writes) {
        Reconciler r = reconciler.get();
        if (r != null) {
            r.auditArrived(writes);
        }
    }

    /** Adds the webhook route when a token file is configured. */
    void mount(Router router, ExecutorService blocking, MeterRegistry registry) {
        if (config.tokenFile() == null) {
            return;
        }
        byte[] token;
        try {
            token = AuditIngest.readToken(config.tokenFile());
        } catch (IOException e) {
            throw new UncheckedIOException("audit.tokenFile " + config.tokenFile() + " cannot be read: " + e, e);
        }
        AuditRoute route =
                new AuditRoute(new AuditIngest(token, events, index), index, blocking, registry, this::arrived);
        router.post(PATH)
                .handler(BodyHandler.create().setBodyLimit(config.maxBodyBytes()))
                .handler(route::handle)
                .failureHandler(ctx -> {
                    if (ctx.statusCode() == 413) {
                        route.tooLarge(ctx);
                    } else {
                        ctx.next();
                    }
                });
    }
}
