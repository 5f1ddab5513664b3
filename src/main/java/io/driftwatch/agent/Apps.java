package io.driftwatch.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.git.GitWebhook;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps the agent compares, one {@link App} record each: its source, its poll timer and its load status. Apps are
 * added at start and by Argo CD's application stream, removed by the stream, and loaded on their timer, on a stream
 * change or on a Git webhook; every change to an app's record goes through this class, under its lock. Loads run on
 * the "driftwatch-source" pool and hand what they read to the reconciler.
 */
final class Apps implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Apps.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One app: where its desired state comes from, the timer that reloads it, and how the last load went. */
    record App(AppSource source, long timer, Status status) {}

    /**
     * @param attempted a load has finished (well or not)
     * @param revision  the last revision loaded, null before the first
     * @param error     why the last load failed, null when it did not
     */
    record Status(boolean attempted, String revision, String error) {
        static final Status NEW = new Status(false, null, null);
    }

    /** An app as configured: its source and how often to poll it. */
    record Configured(AppSource source, long pollMillis) {}

    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Vertx vertx;
    private final ExecutorService sourcePool;
    private final Reconciler reconciler;
    private final AgentMetrics metrics;
    private final AgentConfig.Sources settings;
    private final Clock clock;
    private volatile boolean closed;

    Apps(
            Vertx vertx,
            ExecutorService sourcePool,
            Reconciler reconciler,
            AgentMetrics metrics,
            AgentConfig.Sources settings,
            Clock clock) {
        this.vertx = vertx;
        this.sourcePool = sourcePool;
        this.reconciler = reconciler;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    /** Registers an app (unless one of that name is known): loads it now and every {@code pollMillis}. */
    void add(AppSource source, long pollMillis) {
        synchronized (this) {
            if (closed || apps.containsKey(source.app())) {
                return;
            }
            long timer = vertx.setPeriodic(pollMillis, id -> load(source.app()));
            apps.put(source.app(), new App(source, timer, Status.NEW));
        }
        registerMetrics(source.app());
        load(source.app());
    }

    /**
     * Creates the app's zero-valued series on the source pool, not on the caller's thread: they are about 40 meters
     * an app (a drift-events counter per type, cause and event), each an O(1) registration but together 0.2–0.5 ms an
     * app on a quiet machine, and the start adds every configured app in one turn of the event loop — 250 apps held
     * it for 2.6–3.6 s beside Argo CD. Series a load creates itself are registered alike, so the order does not
     * matter.
     */
    private void registerMetrics(String app) {
        if (!closed) {
            sourcePool.execute(() -> metrics.knownApp(app));
        }
    }

    /** Drops an app (deleted in its source): no more loads, and its desired objects are no longer desired. */
    void remove(String app) {
        App removed;
        synchronized (this) {
            removed = apps.remove(app);
        }
        if (removed == null) {
            return;
        }
        vertx.cancelTimer(removed.timer());
        reconciler.desiredLoaded(
                new DesiredState(app, "deleted", null, List.of(), clock.instant()),
                removed.source().targetNamespace());
        LOG.info("app {}: deleted in its source; no longer compared", app);
    }

    synchronized boolean has(String app) {
        return apps.containsKey(app);
    }

    /** The sources of every app, in the order they were added. */
    synchronized List<AppSource> sources() {
        return apps.values().stream().map(App::source).toList();
    }

    /** Every app's status, in the order they were added (a copy). */
    synchronized Map<String, Status> statuses() {
        Map<String, Status> copy = new LinkedHashMap<>();
        apps.forEach((name, app) -> copy.put(name, app.status()));
        return copy;
    }

    /** Per-app source health, {@code {app: {revision, healthy, stale, error}}}, for the status page and the hub. */
    ObjectNode statusJson() {
        ObjectNode json = JSON.createObjectNode();
        statuses().forEach((name, status) -> {
            ObjectNode app = json.putObject(name);
            app.put("revision", status.revision());
            app.put("healthy", status.error() == null);
            app.put("stale", status.error() != null && status.revision() != null);
            if (status.error() != null) {
                app.put("error", status.error());
            }
        });
        return json;
    }

    /** Asks the apps a verified webhook names to fetch, and loads them now; returns their names. */
    List<String> refresh(GitWebhook.Result result) {
        List<String> refreshed = result.refresh(sources());
        refreshed.forEach(this::load);
        return refreshed;
    }

    /** Loads an app's desired state now, off the calling thread (no-op for unknown apps and once closed). */
    void load(String app) {
        if (closed) {
            return;
        }
        sourcePool.execute(() -> {
            App current;
            synchronized (this) {
                current = apps.get(app);
            }
            if (current != null) {
                loadNow(current.source(), current.status().revision());
            }
        });
    }

    private void loadNow(AppSource source, String lastRevision) {
        String app = source.app();
        try {
            var changed = source.loadIfChanged(lastRevision);
            if (changed.isPresent()) {
                DesiredState state = changed.get();
                if (state.objects().isEmpty() && !settings.emptyAllowed(app)) {
                    throw new SourceException(
                            SourceException.Reason.EMPTY,
                            "revision " + state.revision()
                                    + " yields no objects (a wrong path? list the app in sources.allowEmpty if it is meant to "
                                    + "be empty)");
                }
                LOG.info(
                        "app {}: desired state at revision {} ({} objects)",
                        app,
                        state.revision(),
                        state.objects().size());
                update(app, s -> new Status(s.attempted(), state.revision(), s.error()));
                reconciler.desiredLoaded(state, source.targetNamespace());
            }
            update(app, s -> new Status(true, s.revision(), null));
            metrics.sourceSync(app, true, clock.instant());
        } catch (SourceException e) {
            update(
                    app,
                    s -> new Status(
                            true, s.revision(), e.reason().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage()));
            metrics.sourceSync(app, false, clock.instant());
            LOG.warn(
                    "app {}: source-error ({}), keeping the last good desired state{}: {}",
                    app,
                    e.reason(),
                    lastRevision != null ? " (now stale)" : "",
                    e.getMessage());
        } catch (RuntimeException e) {
            update(app, s -> new Status(true, s.revision(), "internal: " + e));
            metrics.sourceSync(app, false, clock.instant());
            LOG.error("app {}: loading desired state failed", app, e);
        }
    }

    /** Changes an app's status, unless the app was removed meanwhile. */
    private synchronized void update(String app, UnaryOperator<Status> change) {
        apps.computeIfPresent(app, (name, a) -> new App(a.source(), a.timer(), change.apply(a.status())));
    }

    boolean closed() {
        return closed;
    }

    /** No more loads: timers cancelled, sources closed. */
    @Override
    public void close() {
        List<App> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(apps.values());
        }
        all.forEach(a -> vertx.cancelTimer(a.timer()));
        all.forEach(a -> a.source().close());
    }
}
