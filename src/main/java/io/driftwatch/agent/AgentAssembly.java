package io.driftwatch.agent;

import io.driftwatch.audit.Attributor;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.ManagerRules;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.Tracking;
import io.driftwatch.drift.DriftStateFile;
import io.driftwatch.drift.DriftTracker;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.emit.DriftLog;
import io.driftwatch.emit.KubeEvents;
import io.driftwatch.emit.hub.HubClient;
import io.driftwatch.emit.hub.HubEvents;
import io.driftwatch.emit.hub.HubReporter;
import io.driftwatch.emit.hub.Outbox;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.live.LiveCache;
import io.driftwatch.source.DirectoryAppSource;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.argocd.ArgoCdClient;
import io.driftwatch.source.argocd.ArgoCdSource;
import io.driftwatch.source.flux.FluxHelmReleaseSource;
import io.driftwatch.source.flux.FluxKustomizationSource;
import io.driftwatch.source.flux.FluxSources;
import io.driftwatch.source.flux.FluxWatch;
import io.driftwatch.source.flux.ReferenceWatches;
import io.driftwatch.source.git.GitAppSource;
import io.driftwatch.source.git.GitRepositories;
import io.driftwatch.source.git.GitWebhook;
import io.driftwatch.source.git.RenderCache;
import io.driftwatch.source.git.Renderers;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the agent: its {@link Runtime} when it is created, then, once connected, its {@link AgentParts} from the
 * configuration and the client, each from parts built before it, every dependency passed at construction. Nothing is
 * started here (no informer, timer, load or thread) and nothing is set on a part later. {@link #assemble} runs on the
 * diff thread: reading the state file, Argo CD's settings and the hub outbox blocks.
 */
final class AgentAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(AgentAssembly.class);

    /**
     * What the agent runs on, created before it listens: the named pools, the metric registries, Vert.x (its metrics in
     * those registries), the agent's own meters and, with audit on, its audit parts (null when off).
     */
    record Runtime(AgentPools pools, AgentRegistries registries, Vertx vertx, AgentMetrics metrics, AgentAudit audit) {}

    /** Argo CD as a source, and the tracking method its server uses (null when it could not be read yet). */
    private record ArgoCd(ArgoCdSource source, Tracking tracking) {}

    private final AgentConfig config;
    private final String identity;
    private final Clock clock;
    private final Vertx vertx;
    private final AgentPools pools;
    private final AgentRegistries registries;
    private final AgentMetrics metrics;
    private final Attributor attributor;

    AgentAssembly(AgentConfig config, String identity, Clock clock, Runtime runtime) {
        this.attributor = runtime.audit() == null ? null : runtime.audit().attributor();
        this.config = config;
        this.identity = identity;
        this.clock = clock;
        this.vertx = runtime.vertx();
        this.pools = runtime.pools();
        this.registries = runtime.registries();
        this.metrics = runtime.metrics();
    }

    /**
     * The runtime; a blocked event loop is logged with where it is stuck after 2 s (Vert.x's default: 5 s).
     *
     * @param reconciler the reconciler once assembled (null before), which audit writes reach
     */
    static Runtime runtime(AgentConfig config, String identity, Clock clock, Supplier<Reconciler> reconciler) {
        AgentRegistries registries = new AgentRegistries(config, identity);
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setWarningExceptionTime(2)
                .setWarningExceptionTimeUnit(TimeUnit.SECONDS)
                .setMetricsOptions(registries.vertxMetrics()));
        registries.bindJvmMetrics();
        AgentMetrics metrics = new AgentMetrics(
                registries.meters(),
                config.metrics().maxDriftSeries(),
                config.metrics().actorLabels());
        metrics.clusterInfo(config.clusterLabels());
        AgentAudit audit = config.audit().enabled() ? new AgentAudit(config.audit(), clock, reconciler) : null;
        if (audit != null) {
            audit.register(registries.meters());
        }
        return new Runtime(AgentPools.create(), registries, vertx, metrics, audit);
    }

    /** Every part, each from parts built before it; nothing started. */
    AgentParts assemble(KubernetesClient client, ApiDiscovery discovery) {
        ScopeFilter scope = new ScopeFilter(config.scope());
        DriftTracker tracker = new DriftTracker(config.cluster());
        DriftStateFile stateFile = config.stateFile() == null ? null : new DriftStateFile(config.stateFile());
        Map<String, Set<String>> appKinds = Map.of();
        if (stateFile != null) {
            try {
                tracker.remember(stateFile.load());
                appKinds = stateFile.loadAppKinds();
            } catch (IOException e) {
                LOG.warn("ignoring the unreadable drift state file {}: {}", stateFile.path(), e.getMessage());
            }
        }
        KubeEvents events = config.events().enabled()
                ? new KubeEvents(
                        client,
                        metrics,
                        config.events().minInterval(),
                        identity,
                        clock,
                        KubeEvents.consoleDrifts(config.hub().consoleUrl(), config.cluster()))
                : null;
        Published published = new Published(appKinds);
        Outbox outbox = config.hub().enabled() ? outbox() : null;
        Outputs outputs = new Outputs(
                metrics,
                new DriftLog(config.cluster()),
                events,
                stateFile,
                published,
                outbox == null ? none -> {} : new HubEvents(outbox),
                pools.emit(),
                clock);
        AgentConfig.ArgoCd argoSettings = config.sources().argocd();
        AgentConfig.Flux fluxSettings = config.sources().flux();
        ArgoCd argo = argoSettings != null && argoSettings.enabled() ? argoCd(argoSettings) : null;
        List<String> informerNamespaces =
                scope.informerNamespaces(config.scope().namespaces().include());
        Reconciler reconciler = new Reconciler(
                ClusterSchema.of(client),
                discovery,
                listener -> new LiveCache(client, informerNamespaces, listener),
                pools.diff(),
                tracker,
                metrics,
                diffOptions(
                        argo != null
                                ? argo.tracking()
                                : fluxSettings != null ? FluxKustomizationSource.AGENT_TRACKING : null),
                scope,
                published,
                outputs,
                attributor,
                clock);
        StraySweep sweep = new StraySweep(client, reconciler, reconciler.live(), scope, informerNamespaces);
        Apps apps = new Apps(vertx, pools.source(), reconciler, metrics, config.sources(), clock);
        ArgoCdApps argocd =
                argo == null ? null : new ArgoCdApps(argo.source(), argoSettings, apps, vertx, pools.source());
        List<Apps.Configured> configured = new ArrayList<>();
        ManifestLimits limits = config.sources().limits().toLimits();
        FluxApps flux = fluxSettings == null ? null : fluxApps(client, fluxSettings, apps, limits);
        for (AgentConfig.DirectoryApp app : config.sources().directories()) {
            String namespace = app.targetNamespace() != null ? app.targetNamespace() : "default";
            configured.add(new Apps.Configured(
                    new DirectoryAppSource(app.name(), app.path(), namespace, clock, limits),
                    app.pollInterval().toMillis()));
        }
        AgentConfig.Git git = config.sources().git();
        GitRepositories repositories = git.apps().isEmpty() ? null : gitApps(git, limits, configured);
        GitWebhook webhook = git.webhookSecretFile() == null || git.apps().isEmpty()
                ? null
                : new GitWebhook(git.webhookSecretFile());
        HubReporter hub = outbox == null ? null : hubReporter(outbox, reconciler, apps);
        LeaderElection election = config.leaderElection().enabled()
                ? new LeaderElection(client, config.leaderElection(), identity, reconciler::leading)
                : null;
        return new AgentParts(
                client,
                reconciler,
                outputs,
                apps,
                List.copyOf(configured),
                argocd,
                repositories,
                new GitWebhookRoute(webhook, apps, pools.http()),
                hub,
                election,
                new Resyncs(vertx, reconciler, sweep, pools.sweep(), config.resyncInterval()),
                new Readiness(apps, argocd, reconciler.live(), reconciler, flux),
                flux);
    }

    /**
     * Flux's Kustomizations (and HelmReleases when configured): watched, each rendered with the Git apps' kustomize and
     * helm binaries on the render pool.
     */
    private FluxApps fluxApps(KubernetesClient client, AgentConfig.Flux flux, Apps apps, ManifestLimits limits) {
        AgentConfig.Git git = config.sources().git();
        Map<ToolBinaries.Tool, Path> tools = new EnumMap<>(ToolBinaries.Tool.class);
        if (git.kustomizeBinary() != null) {
            tools.put(ToolBinaries.Tool.KUSTOMIZE, git.kustomizeBinary());
        }
        if (git.helmBinary() != null) {
            tools.put(ToolBinaries.Tool.HELM, git.helmBinary());
        }
        AgentConfig.FluxHelm helm = flux.helmReleases();
        FluxSources sources = new FluxSources(
                client,
                new ToolBinaries(tools, System.getenv()),
                new ToolRunner(pools.render(), git.renderTimeout()),
                limits,
                clock,
                helm != null && helm.desired().equals(AgentConfig.FluxHelm.RELEASE_STORAGE)
                        ? FluxHelmReleaseSource.Mode.RELEASE_STORAGE
                        : FluxHelmReleaseSource.Mode.CHART,
                helm != null && helm.valuesSecrets());
        List<FluxWatch.Kind> kinds = helm == null
                ? List.of(FluxWatch.Kind.KUSTOMIZATION)
                : List.of(FluxWatch.Kind.KUSTOMIZATION, FluxWatch.Kind.HELM_RELEASE);
        return new FluxApps(
                sources,
                apps,
                flux.pollInterval().toMillis(),
                kinds,
                (kind, listener) -> new FluxWatch(client, kind, flux.namespaces(), flux.selector(), listener),
                listener -> new ReferenceWatches(client, listener));
    }

    /** The Git apps' sources, sharing one repository cache, render cache and renderers. */
    private GitRepositories gitApps(AgentConfig.Git git, ManifestLimits limits, List<Apps.Configured> configured) {
        GitRepositories repositories = new GitRepositories(
                GitRepositories.Settings.defaults()
                        .withCacheDir(git.cacheDir())
                        .withMinFetchInterval(git.minFetchInterval()),
                clock);
        RenderCache renderCache = new RenderCache(git.renderCacheBytes());
        CaffeineCacheMetrics.monitor(registries.meters(), renderCache.cache(), "driftwatch_render");
        Map<ToolBinaries.Tool, Path> tools = new EnumMap<>(ToolBinaries.Tool.class);
        if (git.kustomizeBinary() != null) {
            tools.put(ToolBinaries.Tool.KUSTOMIZE, git.kustomizeBinary());
        }
        if (git.helmBinary() != null) {
            tools.put(ToolBinaries.Tool.HELM, git.helmBinary());
        }
        Renderers renderers =
                new Renderers(new ToolBinaries(tools, System.getenv()), pools.render(), git.renderTimeout(), limits);
        for (GitAppSpec spec : git.apps()) {
            configured.add(new Apps.Configured(
                    new GitAppSource(spec, repositories, renderCache, renderers, clock),
                    spec.pollInterval().toMillis()));
        }
        return repositories;
    }

    /**
     * The Argo CD source, and the tracking method its server uses (it calls the server). When the server cannot be
     * reached yet, the configured tracking stays and the apps report why.
     */
    private ArgoCd argoCd(AgentConfig.ArgoCd a) {
        ArgoCdSource source;
        try {
            source = new ArgoCdSource(
                    new ArgoCdClient(a.connection()), a.projects(), a.selector(), a.appNamespace(), clock);
        } catch (SourceException e) {
            throw new IllegalStateException("sources.argocd: " + e.getMessage(), e);
        }
        try {
            Tracking tracking = source.settings().tracking();
            LOG.info(
                    "Argo CD {} ({}): tracking live objects by {}",
                    source.client().base(),
                    source.client().version(),
                    tracking);
            return new ArgoCd(source, tracking);
        } catch (SourceException e) {
            LOG.warn("Argo CD settings not read, keeping the configured tracking: {}", e.getMessage());
            return new ArgoCd(source, null);
        }
    }

    /**
     * @param argocdTracking the tracking Argo CD's server uses, or Flux's label with {@code sources.flux}, which wins
     *                       over the configured one; null: none
     */
    private DiffOptions diffOptions(Tracking argocdTracking) {
        AgentConfig.Diff d = config.diff();
        ManagerRules defaults = ManagerRules.defaults();
        List<String> appliers = new ArrayList<>(defaults.appliers());
        appliers.addAll(d.managers().appliers());
        List<String> outOfBand = new ArrayList<>(defaults.outOfBand());
        outOfBand.addAll(d.managers().outOfBand());
        return DiffOptions.defaults()
                .withManagers(new ManagerRules(
                        appliers,
                        outOfBand,
                        d.managers().controllers(),
                        ManagerRules.UnknownManagers.parse(d.managers().unknown())))
                .withIgnoreRules(d.ignoreDifferences())
                .withTracking(argocdTracking != null ? argocdTracking : d.tracking())
                .withCountAdmissionAsDrift(d.countAdmission())
                .withIgnoreHpaReplicas(d.ignoreHpaReplicas())
                .withIncludeYamlDiff(config.hub().enabled()) // the hub serves each drift's YAML diff
                .withYamlDiffContextLines(d.fullContextLines())
                .withRedactionKey(redactionKey());
    }

    private byte[] redactionKey() {
        if (config.diff().redactionKeyFile() != null) {
            try {
                return Files.readAllBytes(config.diff().redactionKeyFile());
            } catch (IOException e) {
                throw new IllegalStateException(
                        "diff.redactionKeyFile " + config.diff().redactionKeyFile() + " cannot be read: "
                                + e.getMessage(),
                        e);
            }
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** The hub outbox (opened here, on the diff thread: it may read a file). */
    private Outbox outbox() {
        AgentConfig.Hub h = config.hub();
        try {
            return h.outboxPath() == null
                    ? Outbox.inMemory(h.outboxMaxEvents(), h.outboxMaxBytes(), metrics::hubDropped)
                    : Outbox.onDisk(h.outboxPath(), h.outboxMaxEvents(), h.outboxMaxBytes(), metrics::hubDropped);
        } catch (IOException e) {
            throw new IllegalStateException("hub: " + e.getMessage(), e);
        }
    }

    /** The hub reporter, pushing the outbox the reconciler's events are queued in. */
    private HubReporter hubReporter(Outbox outbox, Reconciler reconciler, Apps apps) {
        AgentConfig.Hub h = config.hub();
        try {
            return new HubReporter(
                    h,
                    config.cluster(),
                    config.clusterLabels(),
                    identity,
                    outbox,
                    new HubClient(h),
                    metrics,
                    clock,
                    new HubAgentState(reconciler, pools.diff(), apps::statusJson),
                    registries.prometheus().getPrometheusRegistry());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("hub: " + e.getMessage(), e);
        }
    }
}
