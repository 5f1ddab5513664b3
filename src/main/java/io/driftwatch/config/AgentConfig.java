package io.driftwatch.config;

import io.driftwatch.diff.Glob;
import io.driftwatch.diff.IgnoreRule;
import io.driftwatch.diff.Tracking;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent's whole configuration, parsed once from YAML (plus {@code DRIFTWATCH_*} overrides) by {@link ConfigLoader}
 * and validated before anything starts. Every field has a default, so a minimal file names the cluster and one app.
 */
public record AgentConfig(
        String cluster,
        Map<String, String> clusterLabels,
        Http http,
        Scope scope,
        Diff diff,
        Duration resyncInterval,
        Sources sources,
        LeaderElection leaderElection,
        Events events,
        Metrics metrics,
        Path stateFile,
        Duration shutdownTimeout,
        Hub hub,
        Audit audit) {

    public AgentConfig {
        clusterLabels = clusterLabels == null ? Map.of() : Map.copyOf(clusterLabels);
        http = http == null ? new Http(null, null, null, null) : http;
        scope = scope == null ? new Scope(null, null) : scope;
        diff = diff == null ? new Diff(null, null, null, null, null, null, null) : diff;
        resyncInterval = resyncInterval == null ? Duration.ofMinutes(10) : resyncInterval;
        sources = sources == null ? new Sources(null, null, null, null, null, null) : sources;
        leaderElection =
                leaderElection == null ? new LeaderElection(null, null, null, null, null, null) : leaderElection;
        events = events == null ? new Events(null, null) : events;
        metrics = metrics == null ? new Metrics(null, null, null) : metrics;
        shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(20) : shutdownTimeout;
        hub = hub == null ? Hub.DISABLED : hub;
        audit = audit == null ? new Audit(null, null, null, null, null, null) : audit;
    }

    /**
     * Who made each change, from Kubernetes audit events: posted to {@code POST /api/v1/audit} (the API server's
     * webhook backend, or a forwarder) with the bearer token of {@code tokenFile}, and/or read from the JSON-lines audit
     * log the API server's log backend writes ({@code logFile}). Off unless a token file or a log file is set.
     *
     * @param tokenFile the bearer token webhook posts must carry; null: the endpoint answers 404
     * @param logFile an audit log file ({@code kube-apiserver --audit-log-path}) to follow; null: none
     * @param window how long writes are kept for matching (default 15m)
     * @param maxWrites the most writes kept in all (default 100000); more are dropped, oldest first, and counted
     * @param maxBodyBytes the largest post accepted (default 16 MiB)
     * @param controllers identities (globs) that are controllers besides kube-system's ServiceAccounts and
     *                    {@code system:} users
     */
    public record Audit(
            Path tokenFile,
            Path logFile,
            Duration window,
            Long maxWrites,
            Integer maxBodyBytes,
            List<String> controllers) {
        public Audit {
            window = window == null ? Duration.ofMinutes(15) : window;
            maxWrites = maxWrites == null ? 100_000L : maxWrites;
            maxBodyBytes = maxBodyBytes == null ? 16 * 1024 * 1024 : maxBodyBytes;
            controllers = controllers == null ? List.of() : List.copyOf(controllers);
        }

        public boolean enabled() {
            return tokenFile != null || logFile != null;
        }
    }

    /**
     * The probe, metrics and webhook listener; TLS when both PEM files are set (the API server's audit webhook sends
     * its bearer token only to an {@code https} server).
     */
    public record Http(String host, Integer port, Path tlsCertFile, Path tlsKeyFile) {
        public Http {
            host = host == null ? "0.0.0.0" : host;
            port = port == null ? 8080 : port;
        }

        public boolean tls() {
            return tlsCertFile != null;
        }
    }

    /** What the agent looks at: namespaces and kinds (as {@code Kind} or {@code group/Kind}) in and out. */
    public record Scope(Filter namespaces, Filter kinds) {
        /** Argo CD v3's default resource exclusions: high-churn kinds nobody declares in Git. */
        public static final List<String> DEFAULT_KIND_EXCLUDES = List.of(
                "Event",
                "events.k8s.io/Event",
                "Endpoints",
                "discovery.k8s.io/EndpointSlice",
                "coordination.k8s.io/Lease",
                "authentication.k8s.io/TokenReview",
                "authorization.k8s.io/SubjectAccessReview",
                "authorization.k8s.io/SelfSubjectAccessReview",
                "authorization.k8s.io/LocalSubjectAccessReview",
                "certificates.k8s.io/CertificateSigningRequest",
                "cilium.io/CiliumIdentity",
                "cilium.io/CiliumEndpoint",
                "kyverno.io/PolicyReport",
                "wgpolicyk8s.io/PolicyReport");

        public Scope {
            namespaces = namespaces == null ? new Filter(null, null) : namespaces;
            kinds = kinds == null ? new Filter(null, DEFAULT_KIND_EXCLUDES) : kinds;
        }
    }

    /** Include (empty = all) and exclude lists; exclude wins. Entries may be globs. */
    public record Filter(List<String> include, List<String> exclude) {
        public Filter {
            include = include == null ? List.of() : List.copyOf(include);
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
        }
    }

    /**
     * The diff engine's settings. {@code fullContextLines}: a drift's YAML diff sent to the hub holds the whole object
     * (every unchanged line, folded by the console) when the object's larger side has at most this many lines, and 3
     * lines around each change above it; 0 sends 3 lines for all (default {@value #DEFAULT_FULL_CONTEXT_LINES}).
     */
    public record Diff(
            List<IgnoreRule> ignoreDifferences,
            Managers managers,
            Tracking tracking,
            Boolean countAdmission,
            Boolean ignoreHpaReplicas,
            Path redactionKeyFile,
            Integer fullContextLines) {
        public static final int DEFAULT_FULL_CONTEXT_LINES = 2_000;

        public Diff {
            fullContextLines = fullContextLines == null ? DEFAULT_FULL_CONTEXT_LINES : fullContextLines;
            ignoreDifferences = ignoreDifferences == null ? List.of() : List.copyOf(ignoreDifferences);
            managers = managers == null ? new Managers(null, null, null, null) : managers;
            tracking = tracking == null ? Tracking.defaults() : tracking;
            countAdmission = countAdmission != null && countAdmission;
            ignoreHpaReplicas = ignoreHpaReplicas == null || ignoreHpaReplicas;
        }
    }

    /**
     * Extra field managers (globs) added to the built-in appliers, out-of-band and controller groups, and what a manager
     * in none of them is taken for: {@code drift} (default, cause {@code unknown-manager}) or {@code controller}.
     */
    public record Managers(List<String> appliers, List<String> outOfBand, List<String> controllers, String unknown) {
        public Managers {
            appliers = appliers == null ? List.of() : List.copyOf(appliers);
            outOfBand = outOfBand == null ? List.of() : List.copyOf(outOfBand);
            controllers = controllers == null ? List.of() : List.copyOf(controllers);
            unknown = unknown == null ? "drift" : unknown;
        }
    }

    /**
     * Where desired state comes from. {@code allowEmpty} lists the apps (names or globs) that may render to no objects;
     * for any other app an empty render is a source error (a wrong path, like Argo CD's automated sync refusing to
     * prune an app to nothing without {@code allowEmpty}). {@code limits} bound what one directory or Git app's
     * manifests may hold.
     */
    public record Sources(
            List<DirectoryApp> directories,
            Git git,
            ArgoCd argocd,
            List<String> allowEmpty,
            ManifestLimits limits,
            Flux flux) {
        public Sources {
            limits = limits == null ? new ManifestLimits(null, null, null) : limits;
            directories = directories == null ? List.of() : List.copyOf(directories);
            git = git == null ? new Git(null, null, null, null, null, null, null, null) : git;
            allowEmpty = allowEmpty == null ? List.of() : List.copyOf(allowEmpty);
        }

        /** Whether the app may render to no objects. */
        public boolean emptyAllowed(String app) {
            return allowEmpty.stream().anyMatch(glob -> Glob.matches(glob, app));
        }
    }

    /**
     * How much manifest input one directory or Git app may have each time it is read (for Git: each render): bytes
     * per document, bytes in all its files (or the tool's output), and objects; the defaults are {@code diff}'s.
     */
    public record ManifestLimits(Long maxDocumentBytes, Long maxTotalBytes, Integer maxDocuments) {
        public ManifestLimits {
            io.driftwatch.diff.ManifestLimits d = io.driftwatch.diff.ManifestLimits.DEFAULT;
            maxDocumentBytes = maxDocumentBytes == null ? d.maxDocumentBytes() : maxDocumentBytes;
            maxTotalBytes = maxTotalBytes == null ? d.maxTotalBytes() : maxTotalBytes;
            maxDocuments = maxDocuments == null ? d.maxDocuments() : maxDocuments;
        }

        /** The reader's limits, named by their keys in error messages; call on a validated configuration. */
        public io.driftwatch.diff.ManifestLimits toLimits() {
            return new io.driftwatch.diff.ManifestLimits(
                    maxDocumentBytes,
                    maxTotalBytes,
                    maxDocuments,
                    new io.driftwatch.diff.ManifestLimits.Names(
                            "sources.limits.maxDocumentBytes",
                            "sources.limits.maxTotalBytes",
                            "sources.limits.maxDocuments"));
        }
    }

    /**
     * Apps whose desired state Argo CD renders (disabled while {@code server} is unset): the apps of {@code projects}
     * (empty: all the token may see) matching the label {@code selector}, found by listing and followed through
     * Argo CD's application stream; each app's manifests are read at its synced revision every {@code pollInterval}
     * and whenever the stream reports a change; the list is read again every {@code relistInterval}.
     */
    public record ArgoCd(
            String server,
            Path tokenFile,
            Path caFile,
            Boolean insecure,
            String rootPath,
            Duration requestTimeout,
            List<String> projects,
            String selector,
            String appNamespace,
            Duration pollInterval,
            Duration relistInterval) {
        public ArgoCd {
            projects = projects == null ? List.of() : List.copyOf(projects);
            pollInterval = pollInterval == null ? Duration.ofMinutes(3) : pollInterval;
            relistInterval = relistInterval == null ? Duration.ofMinutes(5) : relistInterval;
        }

        public boolean enabled() {
            return server != null && !server.isBlank();
        }

        /** The connection settings. */
        public ArgoCdConnection connection() {
            return new ArgoCdConnection(server, tokenFile, caFile, insecure, rootPath, requestTimeout);
        }
    }

    /**
     * Flux Kustomizations ({@code kustomize.toolkit.fluxcd.io/v1}) as apps, when the section is present: those in
     * {@code namespaces} (empty: every namespace) matching the label {@code selector} (kubectl's {@code -l} syntax,
     * empty: all), watched, each one's desired state rendered from its source's artifact whenever Flux's status of it
     * changes (a new applied or attempted revision, a spec change, suspension, readiness) and at least every
     * {@code pollInterval}. An app is named after its Kustomization, as Flux's ownership label is. With
     * {@code helmReleases}, the HelmReleases ({@code helm.toolkit.fluxcd.io/v2}) so selected are apps too.
     */
    public record Flux(List<String> namespaces, String selector, Duration pollInterval, FluxHelm helmReleases) {
        public Flux {
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
            selector = selector == null ? "" : selector.strip();
            pollInterval = pollInterval == null ? Duration.ofMinutes(3) : pollInterval;
        }
    }

    /**
     * HelmReleases as apps: their desired state rendered from the chart artifact with the merged values
     * ({@code desired: chart}, the default) or read from Helm's release storage ({@code release-storage}: reads
     * Secrets); {@code valuesSecrets}: whether Secrets named in {@code valuesFrom} may be read (chart mode).
     */
    public record FluxHelm(String desired, Boolean valuesSecrets) {
        public static final String CHART = "chart";
        public static final String RELEASE_STORAGE = "release-storage";

        public FluxHelm {
            desired = desired == null ? CHART : desired.strip();
            valuesSecrets = valuesSecrets != null && valuesSecrets;
        }
    }

    /**
     * Apps rendered from Git by the agent itself (see {@link GitAppSpec} for one app's settings), the shared clone
     * cache, and the push webhook ({@code POST /hooks/git}, GitHub or GitLab, secret from a file).
     */
    public record Git(
            Path cacheDir,
            Path webhookSecretFile,
            Duration minFetchInterval,
            Long renderCacheBytes,
            Duration renderTimeout,
            Path kustomizeBinary,
            Path helmBinary,
            List<GitAppSpec> apps) {
        public Git {
            cacheDir = cacheDir == null ? Path.of(System.getProperty("java.io.tmpdir"), "driftwatch-git") : cacheDir;
            minFetchInterval = minFetchInterval == null ? Duration.ofSeconds(10) : minFetchInterval;
            renderCacheBytes = renderCacheBytes == null ? 64L << 20 : renderCacheBytes;
            renderTimeout = renderTimeout == null ? Duration.ofSeconds(60) : renderTimeout;
            apps = apps == null ? List.of() : List.copyOf(apps);
        }
    }

    /** An app whose rendered manifests are files in a local directory (a mounted volume, a CI artifact). */
    public record DirectoryApp(String name, Path path, String targetNamespace, Duration pollInterval) {
        public DirectoryApp {
            pollInterval = pollInterval == null ? Duration.ofSeconds(30) : pollInterval;
        }
    }

    /** Lease-based leader election among agent replicas; only the leader diffs and emits. */
    public record LeaderElection(
            Boolean enabled,
            String leaseName,
            String leaseNamespace,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod) {
        public LeaderElection {
            enabled = enabled == null || enabled;
            leaseName = leaseName == null ? "driftwatch-agent" : leaseName;
            leaseDuration = leaseDuration == null ? Duration.ofSeconds(15) : leaseDuration;
            renewDeadline = renewDeadline == null ? Duration.ofSeconds(10) : renewDeadline;
            retryPeriod = retryPeriod == null ? Duration.ofSeconds(2) : retryPeriod;
        }
    }

    /** Kubernetes Events on drifted objects. */
    public record Events(Boolean enabled, Duration minInterval) {
        public Events {
            enabled = enabled == null || enabled;
            minInterval = minInterval == null ? Duration.ofMinutes(1) : minInterval;
        }
    }

    /** Metric settings: the per-drift series cap, and an optional OTLP push of every meter. */
    /**
     * @param maxDriftSeries the most per-drift series (default 1000)
     * @param otlp OTLP push, null when off
     * @param actorLabels true: the per-drift series carry a {@code user} label, the audit user name of the drift's
     *                    first attributed change (personal data in metrics; off by default; needs audit)
     */
    public record Metrics(Integer maxDriftSeries, Otlp otlp, Boolean actorLabels) {
        public Metrics {
            maxDriftSeries = maxDriftSeries == null ? 1000 : maxDriftSeries;
            actorLabels = actorLabels != null && actorLabels;
        }
    }

    /**
     * OTLP/HTTP metrics push (Micrometer's OTLP registry) to a Prometheus OTLP receiver, an OpenTelemetry Collector,
     * Mimir, ...: every meter, cumulative, every {@code step}. Header values (e.g. {@code Authorization}) are read
     * from files on every push; {@code resourceAttributes} are added to {@code service.name=driftwatch-agent} and
     * {@code service.instance.id=<agent id>}.
     */
    public record Otlp(String url, Map<String, Path> headers, Duration step, Map<String, String> resourceAttributes) {
        public Otlp {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            step = step == null ? Duration.ofSeconds(30) : step;
            resourceAttributes = resourceAttributes == null ? Map.of() : Map.copyOf(resourceAttributes);
        }
    }

    /**
     * Reporting to the hub (disabled while {@code url} is unset): drift events through an outbox (on disk when
     * {@code outboxPath} is set, else in memory), bounded by count and bytes; full snapshots, heartbeats and the
     * agent's metrics on timers. {@code consoleUrl}: the hub's console as people reach it (the hub's
     * {@code console.externalUrl} + {@code /console/}); when set, Kubernetes Event messages link to the drift there.
     */
    public record Hub(
            String url,
            Path tokenFile,
            Path caFile,
            Boolean insecure,
            Path outboxPath,
            Integer outboxMaxEvents,
            Long outboxMaxBytes,
            Duration snapshotInterval,
            Duration heartbeatInterval,
            Integer batchSize,
            Duration requestTimeout,
            Duration metricsInterval,
            String consoleUrl,
            Long snapshotFullDiffBytes) {
        static final Hub DISABLED =
                new Hub(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        /** Default of {@code snapshotFullDiffBytes}: a quarter of the hub's default body limit (8 MiB). */
        public static final long DEFAULT_SNAPSHOT_FULL_DIFF_BYTES = 2L << 20;

        public Hub {
            insecure = insecure != null && insecure;
            outboxMaxEvents = outboxMaxEvents == null ? 10_000 : outboxMaxEvents;
            outboxMaxBytes = outboxMaxBytes == null ? 64L << 20 : outboxMaxBytes;
            snapshotInterval = snapshotInterval == null ? Duration.ofMinutes(5) : snapshotInterval;
            heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(30) : heartbeatInterval;
            batchSize = batchSize == null ? 500 : batchSize;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
            metricsInterval = metricsInterval == null ? Duration.ofSeconds(30) : metricsInterval;
            snapshotFullDiffBytes =
                    snapshotFullDiffBytes == null ? DEFAULT_SNAPSHOT_FULL_DIFF_BYTES : snapshotFullDiffBytes;
        }

        /** Whether every replica pushes its metrics to the hub ({@code metricsInterval: 0} turns it off). */
        public boolean metricsEnabled() {
            return !metricsInterval.isZero();
        }

        public boolean enabled() {
            return url != null && !url.isBlank();
        }
    }
}
