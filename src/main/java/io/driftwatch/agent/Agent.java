package io.driftwatch.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.config.ConfigLoader;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.ManagerRules;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.drift.DriftStateFile;
import io.driftwatch.drift.DriftTracker;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.emit.DriftLog;
import io.driftwatch.emit.KubeEvents;
import io.driftwatch.emit.OtlpMetrics;
import io.driftwatch.emit.hub.HubClient;
import io.driftwatch.emit.hub.HubReporter;
import io.driftwatch.emit.hub.Outbox;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.live.LiveCache;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DirectoryAppSource;
import io.driftwatch.source.argocd.ApplicationStream;
import io.driftwatch.source.argocd.ArgoCdClient;
import io.driftwatch.source.argocd.ArgoCdSource;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.source.git.GitAppSource;
import io.driftwatch.source.git.GitRepositories;
import io.driftwatch.source.git.GitWebhook;
import io.driftwatch.source.git.RenderCache;
import io.driftwatch.source.git.Renderers;
import io.driftwatch.source.git.ToolBinaries;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driftwatch agent: one visible start-up chain — HTTP listener (probes and metrics) first, then discovery,
 * informers, sources, leader election — and one bounded shutdown. Blocking work runs on named, bounded pools:
 * "driftwatch-diff" (one thread: index, diff, lifecycle), "driftwatch-source" (loading desired state),
 * "driftwatch-emit" (Kubernetes Events, state file). Vert.x serves HTTP and fires timers; its event loop never blocks.
 */
public final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WEBHOOK_BODY_LIMIT = 5L << 20;   // GitHub caps payloads at 25 MB; pushes are far smaller

    private final AgentConfig config;
    private final Config clientConfig;
    private final Clock clock;
    private final String identity;
    private final PrometheusMeterRegistry registry;
    /** Where meters are registered: the Prometheus registry, plus the OTLP push when metrics.otlp is set. */
    private final MeterRegistry meters;
    private final MeterRegistry otlp;
    private final ExecutorService diffThread = Executors.newSingleThreadExecutor(named("driftwatch-diff"));
    private final ExecutorService emitThread = Executors.newSingleThreadExecutor(named("driftwatch-emit"));
    private final ExecutorService sourcePool = Executors.newFixedThreadPool(2, named("driftwatch-source"));
    private final ExecutorService renderPool = Executors.newFixedThreadPool(2, named("driftwatch-render"));
    private final ExecutorService sweepThread = Executors.newSingleThreadExecutor(named("driftwatch-sweep"));
    private final AtomicBoolean firstSweepDone = new AtomicBoolean();
    private StraySweep sweep;
    private GitRepositories repositories;
    private ArgoCdSource argocd;
    private io.driftwatch.diff.Tracking argocdTracking;
    private GitWebhook webhook;
    private final Map<String, Boolean> sourceAttempted = new ConcurrentHashMap<>();
    private final Map<String, String> sourceErrors = new ConcurrentHashMap<>();
    private final Map<String, String> sourceRevisions = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<AppSource> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Long> sourceTimers = new ConcurrentHashMap<>();
    private ApplicationStream argocdStream;
    private volatile boolean argocdListed;
    private final List<Long> timers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Vertx vertx;
    private KubernetesClient client;
    private AgentHttpServer http;
    private LiveCache live;
    private Reconciler reconciler;
    private Outputs outputs;
    private LeaderElection election;
    private AgentMetrics metrics;
    private HubReporter hub;
    private volatile boolean started;

    public Agent(AgentConfig config, Config clientConfig, Clock clock) {
        this.config = config;
        this.clientConfig = clientConfig;
        this.clock = clock;
        String host = System.getenv().getOrDefault("HOSTNAME", "agent");
        this.identity = host + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.registry = configure(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config.cluster());
        if (config.metrics().otlp() == null) {
            this.otlp = null;
            this.meters = registry;
        } else {
            this.otlp = configure(OtlpMetrics.registry(config.metrics().otlp(), identity), config.cluster());
            this.meters = new CompositeMeterRegistry().add(registry).add(otlp);
        }
    }

    /** Starts everything; the future completes when the agent runs (not when it is ready). */
    public Future<Void> start() {
        LOG.info("starting driftwatch agent {} for cluster {} with configuration:\n{}", identity, config.cluster(),
                ConfigLoader.describe(config));
        // a blocked event loop is a bug: log where it is stuck as soon as it is reported (default: only after 5 s)
        vertx = Vertx.vertx(new VertxOptions()
                .setWarningExceptionTime(2).setWarningExceptionTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
                .setMetricsOptions(new MicrometerMetricsOptions().setMicrometerRegistry(meters).setEnabled(true)
                        // Vert.x shares one metrics backend per registry name in a JVM: without a name of its own, a
                        // second agent in the same JVM (tests) would count its HTTP server in the first one's registry
                        .setRegistryName(identity)));
        // after Vert.x, which adds its meter filter (dropping the labels it has disabled) to the registry: a filter
        // added once meters exist does not apply to them, and Micrometer warns about it at every start
        bindJvmMetrics();
        metrics = new AgentMetrics(meters, config.metrics().maxDriftSeries());
        metrics.clusterInfo(config.clusterLabels());
        http = new AgentHttpServer(vertx, registry, this::notReadyReasons,
                () -> reconciler == null ? List.of() : reconciler.openDrifts(), this::status, clock);
        http.router().post("/hooks/git").handler(BodyHandler.create().setBodyLimit(WEBHOOK_BODY_LIMIT))
                .handler(this::gitWebhook);
        return http.listen(config.http().host(), config.http().port())
                .onSuccess(s -> LOG.info("listening on {}:{} (/healthz /readyz /metrics /api/v1/drifts)",
                        config.http().host(), s.actualPort()))
                .compose(s -> onDiffThread(this::connect))
                .compose(discovery -> onDiffThread(() -> wire(discovery)))
                .compose(v -> {
                    startSources();
                    startLeaderElection();
                    startTimers();
                    if (hub != null) {
                        hub.start();
                        LOG.info("reporting to the hub at {} ({} outbox)", config.hub().url(),
                                config.hub().outboxPath() == null ? "in-memory" : config.hub().outboxPath());
                    }
                    started = true;
                    return Future.<Void>succeededFuture();
                });
    }

    public int httpPort() {
        return http.port();
    }

    /** True when the agent is ready ({@code /readyz} answers 200): sources loaded, informers synced, first diff done. */
    public boolean ready() {
        return notReadyReasons().isEmpty();
    }

    /** The drifts open now, as {@code /api/v1/drifts} serves them (embedders such as {@code driftwatch demo}). */
    public List<DriftRecord> openDrifts() {
        return reconciler == null ? List.of() : reconciler.openDrifts();
    }

    /** True when every informer's watch is connected (tests and diagnostics). */
    boolean watchingAll() {
        return live != null && live.notWatching().isEmpty();
    }

    /** Runs a full resync now instead of at the next interval (tests). */
    void fullResyncForTest() {
        reconciler.fullResync();
    }

    private ApiDiscovery connect() {
        client = new KubernetesClientBuilder().withConfig(clientConfig).build();
        LOG.info("connected to {} (Kubernetes {})", clientConfig.getMasterUrl(),
                client.getKubernetesVersion().getGitVersion());
        return ApiDiscovery.discover(client);
    }

    private Void wire(ApiDiscovery discovery) {
        ScopeFilter scope = new ScopeFilter(config.scope());
        DriftTracker tracker = new DriftTracker(config.cluster());
        DriftStateFile stateFile = config.stateFile() == null ? null : new DriftStateFile(config.stateFile());
        Map<String, java.util.Set<String>> appKinds = Map.of();
        if (stateFile != null) {
            try {
                tracker.remember(stateFile.load());
                appKinds = stateFile.loadAppKinds();
            } catch (IOException e) {
                LOG.warn("ignoring the unreadable drift state file {}: {}", stateFile.path(), e.getMessage());
            }
        }
        KubeEvents events = config.events().enabled()
                ? new KubeEvents(client, metrics, config.events().minInterval(), identity, clock) : null;
        DriftLog log = new DriftLog(config.cluster());
        outputs = new Outputs(metrics, log, events, stateFile, () -> reconciler.openDrifts(), emitThread, clock);
        argocd = config.sources().argocd() != null && config.sources().argocd().enabled() ? newArgoCdSource() : null;
        reconciler = new Reconciler(client, diffThread, null, tracker, metrics, diffOptions(), discovery, scope,
                outputs, clock);
        reconciler.rememberKinds(appKinds);
        reconciler.onKindsChanged(outputs::saveStateSoon);
        outputs.rememberKindsFrom(reconciler::kindsEverHad);
        List<String> informerNamespaces = scope.informerNamespaces(config.scope().namespaces().include());
        live = new LiveCache(client, informerNamespaces, reconciler::liveChanged);
        reconciler.attach(live);
        sweep = new StraySweep(client, reconciler, live, scope, informerNamespaces);
        if (config.hub().enabled()) {
            hub = newHubReporter();
            outputs.reportTo(hub);
        }
        if (events != null) {
            reconciler.onsetRecovery(events::recoverOnsets);
        }
        return null;
    }

    /** The hub reporter with its outbox (opened here, on the diff thread: it may read a file). */
    private HubReporter newHubReporter() {
        AgentConfig.Hub h = config.hub();
        try {
            Outbox outbox = h.outboxPath() == null
                    ? Outbox.inMemory(h.outboxMaxEvents(), h.outboxMaxBytes(), metrics::hubDropped)
                    : Outbox.onDisk(h.outboxPath(), h.outboxMaxEvents(), h.outboxMaxBytes(), metrics::hubDropped);
            return new HubReporter(h, config.cluster(), config.clusterLabels(), identity, outbox, new HubClient(h),
                    metrics, clock, new HubAgentState(() -> reconciler, diffThread, () -> status().path("apps")),
                    registry.getPrometheusRegistry());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("hub: " + e.getMessage(), e);
        }
    }

    /**
     * The Argo CD source, and Argo CD's tracking method for the diff engine (read here, on the diff thread: it calls
     * the server). When the server cannot be reached yet, the configured tracking stays and the apps report why.
     */
    private ArgoCdSource newArgoCdSource() {
        AgentConfig.ArgoCd a = config.sources().argocd();
        try {
            ArgoCdSource source = new ArgoCdSource(new ArgoCdClient(a.connection()), a.projects(), a.selector(),
                    a.appNamespace(), clock);
            try {
                argocdTracking = source.settings().tracking();
                LOG.info("Argo CD {} ({}): tracking live objects by {}", source.client().base(),
                        source.client().version(), argocdTracking);
            } catch (io.driftwatch.source.SourceException e) {
                LOG.warn("Argo CD settings not read, keeping the configured tracking: {}", e.getMessage());
            }
            return source;
        } catch (io.driftwatch.source.SourceException e) {
            throw new IllegalStateException("sources.argocd: " + e.getMessage(), e);
        }
    }

    private DiffOptions diffOptions() {
        AgentConfig.Diff d = config.diff();
        ManagerRules defaults = ManagerRules.defaults();
        List<String> appliers = new ArrayList<>(defaults.appliers());
        appliers.addAll(d.managers().appliers());
        List<String> outOfBand = new ArrayList<>(defaults.outOfBand());
        outOfBand.addAll(d.managers().outOfBand());
        return DiffOptions.defaults()
                .withManagers(new ManagerRules(appliers, outOfBand, d.managers().controllers(),
                        ManagerRules.UnknownManagers.parse(d.managers().unknown())))
                .withIgnoreRules(d.ignoreDifferences())
                .withTracking(argocdTracking != null ? argocdTracking : d.tracking())
                .withCountAdmissionAsDrift(d.countAdmission())
                .withIgnoreHpaReplicas(d.ignoreHpaReplicas())
                .withIncludeYamlDiff(config.hub().enabled())   // the hub serves each drift's YAML diff
                .withRedactionKey(redactionKey());
    }

    private byte[] redactionKey() {
        if (config.diff().redactionKeyFile() != null) {
            try {
                return Files.readAllBytes(config.diff().redactionKeyFile());
            } catch (IOException e) {
                throw new IllegalStateException("diff.redactionKeyFile " + config.diff().redactionKeyFile()
                        + " cannot be read: " + e.getMessage(), e);
            }
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private void startSources() {
        io.driftwatch.diff.ManifestLimits limits = config.sources().limits().toLimits();
        for (AgentConfig.DirectoryApp app : config.sources().directories()) {
            String namespace = app.targetNamespace() != null ? app.targetNamespace() : "default";
            addSource(new DirectoryAppSource(app.name(), app.path(), namespace, clock, limits),
                    app.pollInterval().toMillis());
        }
        if (argocd != null) {
            startArgoCd(config.sources().argocd());
        }
        AgentConfig.Git git = config.sources().git();
        if (git.apps().isEmpty()) {
            return;
        }
        repositories = new GitRepositories(GitRepositories.Settings.defaults().withCacheDir(git.cacheDir())
                .withMinFetchInterval(git.minFetchInterval()), clock);
        RenderCache renderCache = new RenderCache(git.renderCacheBytes());
        CaffeineCacheMetrics.monitor(meters, renderCache.cache(), "driftwatch_render");
        Map<ToolBinaries.Tool, java.nio.file.Path> tools = new java.util.EnumMap<>(ToolBinaries.Tool.class);
        if (git.kustomizeBinary() != null) {
            tools.put(ToolBinaries.Tool.KUSTOMIZE, git.kustomizeBinary());
        }
        if (git.helmBinary() != null) {
            tools.put(ToolBinaries.Tool.HELM, git.helmBinary());
        }
        Renderers renderers = new Renderers(new ToolBinaries(tools, System.getenv()), renderPool, git.renderTimeout(),
                limits);
        for (GitAppSpec spec : git.apps()) {
            addSource(new GitAppSource(spec, repositories, renderCache, renderers, clock),
                    spec.pollInterval().toMillis());
        }
        if (git.webhookSecretFile() != null) {
            webhook = new GitWebhook(git.webhookSecretFile());
        }
    }

    /**
     * {@code POST /hooks/git}: a GitHub or GitLab push, verified against the secret, fetches the matching apps'
     * repositories at once instead of at their next poll. Verification reads the secret file, so it runs off the
     * event loop.
     */
    private void gitWebhook(RoutingContext ctx) {
        if (webhook == null) {
            ctx.response().setStatusCode(404).end("no webhook secret configured (sources.git.webhookSecretFile)\n");
            return;
        }
        Map<String, String> headers = new java.util.HashMap<>();
        ctx.request().headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        vertx.<GitWebhook.Result>executeBlocking(() -> webhook.verify(headers, body), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.response().setStatusCode(500).end("webhook failed\n");
                return;
            }
            GitWebhook.Result result = ar.result();
            List<String> apps = result.refresh(sources);
            sources.stream().filter(s -> apps.contains(s.app())).forEach(this::loadSource);
            if (result.accepted()) {
                LOG.info("git webhook: {}; refreshing {}", result.message(), apps.isEmpty() ? "nothing" : apps);
            } else {
                LOG.warn("git webhook rejected with {}: {}", result.status(), result.message());
            }
            ctx.response().setStatusCode(result.status()).putHeader("content-type", "application/json")
                    .end(JSON.createObjectNode().put("message", result.message())
                            .set("refreshed", JSON.valueToTree(apps)).toString());
        });
    }

    /**
     * Argo CD's apps: found by listing (at start, after every reconnect of the application stream, and every
     * relistInterval), each loaded every pollInterval and at once when the stream reports a change; an app the stream
     * reports deleted is dropped. An app that only vanishes from a list (the token lost access) keeps its last
     * desired state and reports its load errors.
     */
    private void startArgoCd(AgentConfig.ArgoCd settings) {
        long poll = settings.pollInterval().toMillis();
        argocdStream = new ApplicationStream(argocd, new ApplicationStream.Listener() {
            @Override
            public void listed(List<Application> apps) {
                for (Application app : apps) {
                    changed("ADDED", app);
                }
                argocdListed = true;
            }

            @Override
            public void changed(String type, Application app) {
                String name = app.getMetadata() == null ? null : app.getMetadata().getName();
                if (name == null || stopping.get()) {
                    return;
                }
                AppSource known = sources.stream().filter(s -> s.app().equals(name)).findFirst().orElse(null);
                if ("DELETED".equals(type)) {
                    if (known != null) {
                        removeSource(known);
                    }
                } else if (known == null) {
                    addSource(argocd.appSource(app), poll);
                } else if ("MODIFIED".equals(type)) {
                    loadSource(known);
                }
            }

            @Override
            public void failed(io.driftwatch.source.SourceException error) {
                LOG.warn("argo cd: {}", error.getMessage());
            }
        }).start();
        timers.add(vertx.setPeriodic(settings.relistInterval().toMillis(),
                id -> sourcePool.execute(argocdStream::relist)));
    }

    /** Registers a source: loads it now and every {@code pollMillis}. */
    synchronized void addSource(AppSource source, long pollMillis) {
        if (sources.stream().anyMatch(s -> s.app().equals(source.app()))) {
            return;
        }
        sources.add(source);
        sourceAttempted.put(source.app(), false);
        metrics.knownApp(source.app());
        loadSource(source);
        long timer = vertx.setPeriodic(pollMillis, id -> loadSource(source));
        timers.add(timer);
        sourceTimers.put(source.app(), timer);
    }

    /** Drops a source (its app was deleted): no more loads, and its desired objects are no longer desired. */
    private synchronized void removeSource(AppSource source) {
        sources.remove(source);
        Long timer = sourceTimers.remove(source.app());
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        sourceAttempted.remove(source.app());
        sourceErrors.remove(source.app());
        sourceRevisions.remove(source.app());
        reconciler.desiredLoaded(new io.driftwatch.source.DesiredState(source.app(), "deleted", null, List.of(),
                clock.instant()), source.targetNamespace());
        LOG.info("app {}: deleted in its source; no longer compared", source.app());
    }

    private void loadSource(AppSource source) {
        if (stopping.get()) {
            return;
        }
        sourcePool.execute(() -> {
            try {
                var changed = source.loadIfChanged(sourceRevisions.get(source.app()));
                if (changed.isPresent()) {
                    var state = changed.get();
                    if (state.objects().isEmpty() && !config.sources().emptyAllowed(source.app())) {
                        throw new io.driftwatch.source.SourceException(io.driftwatch.source.SourceException.Reason.EMPTY,
                                "revision " + state.revision() + " yields no objects (a wrong path? list the app in "
                                        + "sources.allowEmpty if it is meant to be empty)");
                    }
                    LOG.info("app {}: desired state at revision {} ({} objects)", source.app(), state.revision(),
                            state.objects().size());
                    sourceRevisions.put(source.app(), state.revision());
                    reconciler.desiredLoaded(state, source.targetNamespace());
                }
                sourceErrors.remove(source.app());
                metrics.sourceSync(source.app(), true, clock.instant());
            } catch (io.driftwatch.source.SourceException e) {
                sourceErrors.put(source.app(), e.reason().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
                metrics.sourceSync(source.app(), false, clock.instant());
                LOG.warn("app {}: source-error ({}), keeping the last good desired state{}: {}", source.app(),
                        e.reason(), sourceRevisions.containsKey(source.app()) ? " (now stale)" : "", e.getMessage());
            } catch (RuntimeException e) {
                sourceErrors.put(source.app(), "internal: " + e);
                metrics.sourceSync(source.app(), false, clock.instant());
                LOG.error("app {}: loading desired state failed", source.app(), e);
            } finally {
                sourceAttempted.put(source.app(), true);
            }
        });
    }

    private void startLeaderElection() {
        if (!config.leaderElection().enabled()) {
            reconciler.leading(true);
            return;
        }
        election = new LeaderElection(client, config.leaderElection(), identity, reconciler::leading);
        election.start();
    }

    /**
     * Full resyncs, each with a search for apps' objects in kinds not watched (the first one as soon as the first full
     * diff is done), and retries of deferred objects.
     */
    private void startTimers() {
        timers.add(vertx.setPeriodic(config.resyncInterval().toMillis(), id -> {
            reconciler.fullResync();
            sweepSoon();
        }));
        timers.add(vertx.setPeriodic(1000, id -> {
            reconciler.retryDeferred();
            if (reconciler.initialDiffDone() && firstSweepDone.compareAndSet(false, true)) {
                sweepSoon();
            }
        }));
    }

    private void sweepSoon() {
        sweepThread.execute(() -> {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                LOG.warn("searching kinds not watched for apps' objects failed: {}", e.toString());
            }
        });
    }

    /** Why the agent is not ready; empty when it is. Honest on followers too: they are ready to take over. */
    List<String> notReadyReasons() {
        List<String> reasons = new ArrayList<>();
        if (stopping.get()) {
            reasons.add("shutting down");
            return reasons;
        }
        if (!started) {
            reasons.add("starting");
            return reasons;
        }
        if (argocdStream != null && !argocdListed) {
            reasons.add("Argo CD apps not listed yet");
        }
        sourceAttempted.forEach((app, attempted) -> {
            if (!attempted) {
                reasons.add("app " + app + ": desired state not loaded yet");
            } else if (sourceRevisions.containsKey(app) && !reconciler.indexedApps().contains(app)) {
                reasons.add("app " + app + ": desired state not indexed yet");
            }
        });
        if (!live.allSynced()) {
            reasons.add("informers not synced yet");
        } else if (reconciler.isLeader() && !reconciler.initialDiffDone()) {
            reasons.add("first full diff in progress");
        }
        return reasons;
    }

    private ObjectNode status() {
        ObjectNode status = JSON.createObjectNode();
        status.put("cluster", config.cluster());
        status.put("identity", identity);
        status.put("leader", reconciler != null && reconciler.isLeader());
        status.put("ready", notReadyReasons().isEmpty());
        if (live != null) {
            status.set("unreadableKinds", JSON.valueToTree(live.unreadable()));
        }
        ObjectNode apps = status.putObject("apps");
        for (AppSource s : sources) {
            ObjectNode app = apps.putObject(s.app());
            app.put("revision", sourceRevisions.get(s.app()));
            app.put("healthy", !sourceErrors.containsKey(s.app()));
            app.put("stale", sourceErrors.containsKey(s.app()) && sourceRevisions.containsKey(s.app()));
            if (sourceErrors.containsKey(s.app())) {
                app.put("error", sourceErrors.get(s.app()));
            }
        }
        return status;
    }

    /**
     * Stops within the configured timeout: not ready at once, lease released, informers stopped, pending output
     * (Events, state file) flushed, Vert.x closed.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        LOG.info("stopping driftwatch agent {}", identity);
        if (election != null) {
            election.stop();
        }
        if (vertx != null) {
            timers.forEach(vertx::cancelTimer);
        }
        if (live != null) {
            live.close();
        }
        if (argocdStream != null) {
            argocdStream.close();
        }
        sources.forEach(AppSource::close);
        shutdown(sourcePool, deadline);
        shutdown(renderPool, deadline);
        shutdown(sweepThread, deadline);
        if (repositories != null) {
            repositories.close();
        }
        shutdown(diffThread, deadline);
        if (outputs != null) {
            emitThread.execute(outputs::saveState);
        }
        shutdown(emitThread, deadline);
        if (hub != null) {
            hub.stop(deadline);
        }
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            // two awaited steps: a callback chained onto the HTTP close would run on an event loop Vert.x has
            // already terminated, and the completion would never arrive
            await(http.close(), deadline, "HTTP listener");
            await(vertx.close(), deadline, "Vert.x");
        }
        if (otlp != null) {
            otlp.close();   // publishes once more
        }
        meters.close();
        registry.close();
        LOG.info("driftwatch agent {} stopped", identity);
    }

    private static void await(Future<Void> future, long deadlineNanos, String what) {
        try {
            future.toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            LOG.warn("{} did not close before the shutdown deadline: {}", what, e.toString());
        }
    }

    private static void shutdown(ExecutorService pool, long deadlineNanos) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warn("{} did not finish its work before the shutdown deadline; interrupting it", pool);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private <T> Future<T> onDiffThread(java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        diffThread.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return Future.fromCompletionStage(result, vertx.getOrCreateContext());
    }

    private static <R extends MeterRegistry> R configure(R registry, String cluster) {
        // every series names its cluster, so one Prometheus (or the hub) can hold many clusters' agents
        registry.config().commonTags("cluster", cluster);
        // two ProcessorMetrics names fail `promtool check metrics` (an abbreviated unit, a non-histogram _count);
        // process_cpu_usage and system_cpu_usage carry the same information
        registry.config().meterFilter(MeterFilter.deny(id ->
                id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        return registry;
    }

    private void bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
