package io.driftwatch.agent;

import io.driftwatch.audit.Attributor;
import io.driftwatch.audit.AuditEvents;
import io.driftwatch.audit.AuditIndex;
import io.driftwatch.audit.AuditIngest;
import io.driftwatch.audit.AuditLogTailer;
import io.driftwatch.audit.AuditWrite;
import io.driftwatch.audit.Identity;
import io.driftwatch.config.AgentConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent's audit parts: the index of recent writes, the attributor the reconciler uses, the webhook route ({@code
 * POST /api/v1/audit}, only when a token file is configured) and the audit log follower (only when a log file is
 * configured). Writes reach the reconciler, once assembled.
 */
final class AgentAudit {

    static final String PATH = "/api/v1/audit";
    private static final Duration LOG_POLL = Duration.ofMillis(500);

    private final AgentConfig.Audit config;
    private final AuditIndex index;
    private final Attributor attributor;
    private final AuditEvents events;
    private final Supplier<Reconciler> reconciler;
    /** Follows audit.logFile; null when none is set. */
    private final AuditLogTailer tailer;

    private ScheduledExecutorService logThread;

    AgentAudit(AgentConfig.Audit config, Clock clock, Supplier<Reconciler> reconciler) {
        this.config = config;
        this.reconciler = reconciler;
        this.index = new AuditIndex(config.maxWrites(), config.window(), clock);
        this.attributor = new Attributor(index, new Identity(config.controllers()));
        this.events = new AuditEvents((group, resource) -> {
            Reconciler r = reconciler.get();
            return r == null || r.watchesResource(group, resource);
        });
        this.tailer = config.logFile() == null
                ? null
                : new AuditLogTailer(config.logFile(), events, index, config.maxBodyBytes(), clock, this::arrived);
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

    /** Exports the index's size and drops, and the log lines read by result. */
    void register(MeterRegistry registry) {
        Gauge.builder("driftwatch_audit_index_writes", index, AuditIndex::size)
                .description("Audit writes held for attribution")
                .register(registry);
        FunctionCounter.builder("driftwatch_audit_dropped_total", index, AuditIndex::dropped)
                .description("Audit writes dropped by the index's bounds before their window passed")
                .register(registry);
        if (tailer != null) {
            for (String result : AuditLogTailer.RESULTS) {
                FunctionCounter.builder("driftwatch_audit_log_lines_total", tailer, t -> t.lines(result))
                        .description("Lines read from the audit log file (audit.logFile), by result")
                        .tag("result", result)
                        .register(registry);
            }
        }
    }

    /** Starts following {@code audit.logFile} on its own thread, "driftwatch-audit-log", when configured. */
    void startLog() {
        if (tailer == null) {
            return;
        }
        logThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "driftwatch-audit-log");
            t.setDaemon(true);
            return t;
        });
        logThread.scheduleWithFixedDelay(tailer::poll, 0, LOG_POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops following the log file (waits for a poll under way). */
    void stopLog(long deadlineNanos) {
        if (logThread != null) {
            AgentPools.shutdown(logThread, deadlineNanos);
            tailer.close();
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
        AuditRoute route = new AuditRoute(new AuditIngest(token, events, index), blocking, registry, this::arrived);
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
