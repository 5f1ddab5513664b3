package io.driftwatch.agent;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.argocd.ApplicationStream;
import io.driftwatch.source.argocd.ArgoCdSource;
import io.driftwatch.source.argocd.rest.model.Application;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argo CD's apps: found by listing (at start, after every reconnect of the application stream, and every
 * relistInterval), each loaded every pollInterval and at once when the stream reports a change; an app the stream
 * reports deleted is dropped. An app that only vanishes from a list (the token lost access) keeps its last desired
 * state and reports its load errors.
 */
final class ArgoCdApps implements ApplicationStream.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArgoCdApps.class);

    private final ArgoCdSource argocd;
    private final AgentConfig.ArgoCd settings;
    private final Apps apps;
    private final Vertx vertx;
    private final ExecutorService sourcePool;
    private final ApplicationStream stream;
    private volatile boolean listed;
    private volatile long relistTimer = -1;

    ArgoCdApps(ArgoCdSource argocd, AgentConfig.ArgoCd settings, Apps apps, Vertx vertx, ExecutorService sourcePool) {
        this.argocd = argocd;
        this.settings = settings;
        this.apps = apps;
        this.vertx = vertx;
        this.sourcePool = sourcePool;
        this.stream = new ApplicationStream(argocd, this);
    }

    /** Starts the stream (its own thread) and the periodic relist. */
    void start() {
        stream.start();
        relistTimer = vertx.setPeriodic(settings.relistInterval().toMillis(), id -> sourcePool.execute(stream::relist));
    }

    /** True once the apps have been listed (readiness waits for it). */
    boolean listed() {
        return listed;
    }

    @Override
    public void listed(List<Application> list) {
        for (Application app : list) {
            changed("ADDED", app);
        }
        listed = true;
    }

    @Override
    public void changed(String type, Application app) {
        String name = app.getMetadata() == null ? null : app.getMetadata().getName();
        if (name == null || apps.closed()) {
            return;
        }
        boolean known = apps.has(name);
        if ("DELETED".equals(type)) {
            apps.remove(name);
        } else if (!known) {
            apps.add(argocd.appSource(app), settings.pollInterval().toMillis());
        } else if ("MODIFIED".equals(type)) {
            apps.load(name);
        }
    }

    @Override
    public void failed(SourceException error) {
        LOG.warn("argo cd: {}", error.getMessage());
    }

    @Override
    public void close() {
        if (relistTimer >= 0) {
            vertx.cancelTimer(relistTimer);
        }
        stream.close();
    }
}
