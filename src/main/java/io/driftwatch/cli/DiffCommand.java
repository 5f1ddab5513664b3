package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.config.ArgoCdConnection;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.config.RepoUrls;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.BuiltinResourceScope;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.DriftReport;
import io.driftwatch.diff.ListSchema;
import io.driftwatch.diff.ManifestException;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.ManifestReader;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.ReportJson;
import io.driftwatch.diff.ReportText;
import io.driftwatch.diff.ReportYaml;
import io.driftwatch.diff.ResourceScope;
import io.driftwatch.diff.Tracking;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.live.ApiResource;
import io.driftwatch.live.ClusterOpenApi;
import io.driftwatch.live.LiveReader;
import io.driftwatch.live.OpenApiCache;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.flux.FluxHelmReleaseSource;
import io.driftwatch.source.flux.FluxKustomizationSource;
import io.driftwatch.source.git.GitAppSource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code driftwatch diff}: one-shot drift report for people and CI. Compares the manifests of a directory, or of a
 * Git repository rendered as Argo CD renders it (plain, Kustomize, Helm), or of an Argo CD app as its repo-server
 * renders it, with the live cluster, or two files offline. Exit 0 no drift, 1 drift, 2 error, as {@code kubectl diff}.
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compare desired manifests with live objects and report drift: which objects, which fields, "
                    + "who changed them and when.",
            "Exit codes: 0 no drift, 1 drift, 2 error."
        })
final class DiffCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Directory of manifests (YAML/JSON, multi-document, kind: List; recursive) to compare "
                        + "with the live cluster.")
        Path dir;

        @ArgGroup(exclusive = false)
        Offline offline;

        @ArgGroup(exclusive = false, heading = "%nDesired state from Git (instead of --dir):%n")
        GitInput git;

        @ArgGroup(exclusive = false, heading = "%nDesired state from Argo CD (instead of --dir):%n")
        ArgoCdInput argocd;

        @Option(
                names = "--flux-kustomization",
                paramLabel = "NS/NAME",
                description = "A Flux Kustomization (kustomize.toolkit.fluxcd.io/v1): its source's artifact from "
                        + "source-controller, rendered as kustomize-controller renders it, is compared with the live "
                        + "cluster (read through the same kubeconfig).")
        String fluxKustomization;

        @ArgGroup(exclusive = false, heading = "%nDesired state from a Flux HelmRelease (instead of --dir):%n")
        FluxHelmInput fluxHelm;

        @Option(
                names = "--helm-installed",
                paramLabel = "NS/NAME",
                description = "A Helm release (plain helm install, no Flux): the manifest of its latest revision in "
                        + "Helm's release storage (Secrets of type helm.sh/release.v1 in NS) is compared with the live "
                        + "cluster; extras are found by the label app.kubernetes.io/instance=NAME.")
        String helmRelease;
    }

    static final class FluxHelmInput {
        @Option(
                names = "--flux-helmrelease",
                paramLabel = "NS/NAME",
                required = true,
                description = "A Flux HelmRelease (helm.toolkit.fluxcd.io/v2): its chart artifact from "
                        + "source-controller rendered with its merged values as helm-controller installs it, or its "
                        + "installed release (--flux-helm-desired), is compared with the live cluster.")
        String reference;

        @Option(
                names = "--flux-helm-desired",
                paramLabel = "FROM",
                defaultValue = "chart",
                description = "chart: render the chart artifact with the merged values (default); release-storage: "
                        + "the manifest Helm stored for the latest release revision (reads Secrets of type "
                        + "helm.sh/release.v1; also works for plain helm install).")
        String desiredFrom;

        @Option(
                names = "--flux-values-secrets",
                description = "Read the Secrets a HelmRelease's valuesFrom names (default: refused with an error).")
        boolean readSecrets;

        FluxHelmReleaseSource.Mode mode() {
            return switch (desiredFrom) {
                case "chart" -> FluxHelmReleaseSource.Mode.CHART;
                case "release-storage" -> FluxHelmReleaseSource.Mode.RELEASE_STORAGE;
                default ->
                    throw new DiffSettings.SettingsException(
                            "--flux-helm-desired '" + desiredFrom + "' is not chart or release-storage");
            };
        }
    }

    static final class ArgoCdInput {
        @Option(
                names = "--argocd-server",
                paramLabel = "URL",
                required = true,
                description = "Argo CD API server (https://argocd.example.com); the app's rendered manifests at its "
                        + "synced revision are compared with the live cluster.")
        String server;

        @Option(names = "--argocd-app", paramLabel = "NAME", required = true, description = "The Argo CD application.")
        String app;

        @Option(
                names = "--argocd-app-namespace",
                paramLabel = "NS",
                description = "The application's namespace (apps in any namespace; default: Argo CD's own).")
        String appNamespace;

        @Option(
                names = "--argocd-token-file",
                paramLabel = "FILE",
                description = "File holding an Argo CD API token (a project-role token with 'applications, get' is "
                        + "enough).")
        Path tokenFile;

        @Option(
                names = "--argocd-ca-file",
                paramLabel = "FILE",
                description = "PEM CA certificate(s) to trust for the Argo CD server (default: the JVM's CAs).")
        Path caFile;

        @Option(names = "--argocd-insecure", description = "Accept any TLS certificate from the Argo CD server.")
        boolean insecure;

        @Option(
                names = "--argocd-rootpath",
                paramLabel = "PATH",
                description = "Path prefix Argo CD is served under (argocd-server --rootpath).")
        String rootPath;

        ArgoCdConnection connection() {
            return new ArgoCdConnection(server, tokenFile, caFile, insecure, rootPath, null);
        }
    }

    static final class Offline {
        @Option(
                names = "--desired",
                paramLabel = "FILE",
                required = true,
                description = "Desired manifests, compared offline with --live.")
        Path desired;

        @Option(
                names = "--live",
                paramLabel = "FILE",
                required = true,
                description = "Live objects as the API server returns them (kubectl get -o yaml, managedFields "
                        + "included, or --show-managed-fields).")
        Path live;
    }

    static final class GitInput {
        @Option(
                names = "--repo",
                paramLabel = "URL",
                required = true,
                description = "Git repository to read desired state from (https://, ssh://, git@host:org/repo, "
                        + "file://), rendered like Argo CD: Kustomize, Helm or plain YAML, and compared with the "
                        + "live cluster.")
        String repo;

        @Option(
                names = "--path",
                paramLabel = "DIR",
                defaultValue = ".",
                description = "Directory inside the repository (default: the root).")
        String path;

        @Option(
                names = "--revision",
                paramLabel = "REV",
                defaultValue = GitAppSpec.DEFAULT_REVISION,
                description = "Branch, tag or commit (default: ${DEFAULT-VALUE}, the remote's default branch).")
        String revision;

        @Option(
                names = "--renderer",
                paramLabel = "NAME",
                defaultValue = "auto",
                description = "auto, plain, kustomize or helm (default: auto, by kustomization.yaml / Chart.yaml).")
        String renderer;

        @Option(
                names = "--helm-values",
                paramLabel = "FILE",
                split = ",",
                description = "Helm values file(s) relative to the chart, inside the repository, in order.")
        List<String> helmValues = new ArrayList<>();

        @Option(
                names = "--helm-inline-values",
                paramLabel = "FILE",
                description = "A local YAML file of Helm values applied after --helm-values (like inline values "
                        + "in the agent's config).")
        Path helmInlineValues;

        @Option(
                names = "--helm-release",
                paramLabel = "NAME",
                description = "Helm release name (default: the app name).")
        String helmRelease;

        @Option(
                names = "--kube-version",
                paramLabel = "VERSION",
                description = "Kubernetes version Helm charts see (helm template --kube-version).")
        String kubeVersion;

        @Option(
                names = "--token-file",
                paramLabel = "FILE",
                description = "File holding an HTTPS token (sent as basic auth password, or see --token-scheme).")
        Path tokenFile;

        @Option(
                names = "--token-scheme",
                paramLabel = "SCHEME",
                defaultValue = "basic",
                description = "basic (default) or bearer.")
        String tokenScheme;

        @Option(names = "--username-file", paramLabel = "FILE", description = "File holding the HTTPS user name.")
        Path usernameFile;

        @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the HTTPS password.")
        Path passwordFile;

        @Option(names = "--ssh-key-file", paramLabel = "FILE", description = "Private key for SSH URLs.")
        Path sshKeyFile;

        @Option(
                names = "--known-hosts-file",
                paramLabel = "FILE",
                description = "known_hosts for SSH URLs (unknown hosts are refused).")
        Path knownHostsFile;

        @Option(
                names = "--git-cache-dir",
                paramLabel = "DIR",
                description = "Where repositories are cloned and kept between runs (default: $TMPDIR/driftwatch-git).")
        Path cacheDir;
    }

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "As kubectl's -n: the namespace of namespaced desired objects that set none (default: the "
                    + "Argo CD app's destination, else the kubeconfig context's, else default). Not a filter: objects "
                    + "whose manifests name another namespace are diffed there (kubectl would refuse them); to diff "
                    + "only some namespaces use --only-namespace.")
    String namespace;

    @Mixin
    DiffFilterOptions filters;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(
            names = "--request-timeout",
            paramLabel = "DURATION",
            description = "As kubectl's: how long to wait for each request to the Kubernetes API server: 0 for no "
                    + "limit, a plain number of seconds, or a duration (30s, 1m, 1h30m, 500ms). Default: the "
                    + "client's 10s.")
    String requestTimeout;

    @Option(
            names = "--context",
            paramLabel = "NAME",
            description = "Kubeconfig context to use (default: its current-context); an unknown name is an error "
                    + "naming the available ones.")
    String context;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(
            names = "--show-diff",
            description = "Include the unified YAML diff in json/yaml output (text always has it).")
    boolean showDiff;

    @Option(
            names = "--audit-log",
            paramLabel = "FILE",
            description = "A Kubernetes audit log (kube-apiserver --audit-log-path: one audit.k8s.io/v1 Event a line): "
                    + "each change gets the actor who made it (user, groups, impersonatedBy, sourceIP, userAgent, "
                    + "auditID, match exact/probable). Needs the live cluster.")
    Path auditLog;

    @Option(names = "--no-color", description = "Never colour text output (also: NO_COLOR set).")
    boolean noColor;

    @Option(
            names = "--allow-empty",
            description = "Accept desired state with no objects (default: an empty directory, render or Argo CD app is "
                    + "an error, exit 2, so a wrong path cannot pass a CI gate).")
    boolean allowEmpty;

    @Option(
            names = "--max-document-bytes",
            paramLabel = "BYTES",
            defaultValue = "3145728",
            description =
                    "Largest manifest document read (default: ${DEFAULT-VALUE}, 3 MiB; Kubernetes refuses objects "
                            + "over ~1.5 MiB).")
    long maxDocumentBytes;

    @Option(
            names = "--max-total-bytes",
            paramLabel = "BYTES",
            defaultValue = "268435456",
            description = "Most manifest bytes read from --dir/--desired/--live (default: ${DEFAULT-VALUE}, 256 MiB).")
    long maxTotalBytes;

    @Option(
            names = "--max-documents",
            paramLabel = "N",
            defaultValue = "50000",
            description = "Most objects read from one input (default: ${DEFAULT-VALUE}).")
    int maxDocuments;

    @Mixin
    DiffSettings settings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** A valid label value (what a label selector can match). */
    private static final Pattern LABEL_VALUE = Pattern.compile("(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private String server;
    /** The --request-timeout given, as typed, for error messages; null when not given. */
    private String timeoutGiven;

    private DiffFilterOptions.Parsed parsedFilters;
    private DiffFilter filter = DiffFilter.NONE;
    private int desiredFilteredOut;
    private int extrasFilteredOut;
    /** How live objects are tracked, when the desired state's source says (Argo CD's settings); else the options'. */
    private Tracking tracking;
    /** When the desired content last changed, the evidence for pending-sync; null when the input cannot say. */
    private Instant desiredChangedAt;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            parsedFilters = filters.parse();
            checkAuditLog();
            Duration timeout = requestTimeout();
            DriftReport report;
            if (input.dir != null) {
                report = diffAgainstCluster(
                        settings.app(input.dir),
                        timeout,
                        ns -> nonEmpty(
                                readDirectory(input.dir),
                                "--dir " + input.dir + " holds no Kubernetes objects "
                                        + "(no .yaml, .yml or .json manifests, or only empty documents)"));
            } else if (input.argocd != null) {
                ArgoCdDesiredState.Loaded loaded = ArgoCdDesiredState.load(
                        input.argocd.connection(), input.argocd.app, input.argocd.appNamespace, err);
                if (namespace == null) {
                    namespace = loaded.namespace();
                }
                tracking = loaded.tracking();
                report = diffAgainstCluster(
                        settings.app != null ? settings.app : input.argocd.app,
                        timeout,
                        ns -> nonEmpty(
                                loaded.objects(),
                                "Argo CD app " + input.argocd.app + " has no manifests at its " + "synced revision"));
            } else if (input.fluxKustomization != null) {
                Config config = clientConfig();
                if (timeout != null) {
                    config.setRequestTimeout(RequestTimeouts.millis(timeout));
                }
                FluxDesiredState.Loaded loaded = FluxDesiredState.load(input.fluxKustomization, config, limits(), err);
                if (namespace == null) {
                    namespace = loaded.namespace();
                }
                tracking = FluxKustomizationSource.TRACKING;
                desiredChangedAt = loaded.revisionTime();
                report = diffAgainstCluster(
                        settings.app != null ? settings.app : loaded.app(),
                        timeout,
                        ns -> nonEmpty(
                                loaded.objects(),
                                "Flux Kustomization " + input.fluxKustomization + " renders no objects"));
            } else if (input.fluxHelm != null) {
                Config config = clientConfig();
                if (timeout != null) {
                    config.setRequestTimeout(RequestTimeouts.millis(timeout));
                }
                FluxHelmDesiredState.Loaded loaded = FluxHelmDesiredState.load(
                        input.fluxHelm.reference,
                        input.fluxHelm.mode(),
                        input.fluxHelm.readSecrets,
                        config,
                        limits(),
                        err);
                if (namespace == null) {
                    namespace = loaded.namespace();
                }
                tracking = FluxHelmDesiredState.TRACKING;
                desiredChangedAt = loaded.changedAt();
                report = diffAgainstCluster(
                        settings.app != null ? settings.app : loaded.app(),
                        timeout,
                        ns -> nonEmpty(
                                loaded.objects(), "Flux HelmRelease " + input.fluxHelm.reference + " has no objects"));
            } else if (input.helmRelease != null) {
                Config config = clientConfig();
                if (timeout != null) {
                    config.setRequestTimeout(RequestTimeouts.millis(timeout));
                }
                HelmReleaseDesiredState.Loaded loaded =
                        HelmReleaseDesiredState.load(input.helmRelease, config, limits(), err);
                if (namespace == null) {
                    namespace = loaded.namespace();
                }
                tracking = HelmReleaseDesiredState.TRACKING;
                report = diffAgainstCluster(
                        settings.app != null ? settings.app : loaded.release(),
                        timeout,
                        ns -> nonEmpty(
                                loaded.state().objects(),
                                "Helm release " + input.helmRelease + " has no objects in its manifest"));
            } else if (input.git != null) {
                String app = gitAppName(input.git);
                report = diffAgainstCluster(
                        app,
                        timeout,
                        ns -> nonEmpty(
                                GitDesiredState.load(gitSpec(input.git, app, ns), input.git.cacheDir, err),
                                "--repo " + RepoUrls.redact(input.git.repo) + " --path " + input.git.path
                                        + " renders no Kubernetes objects"));
            } else {
                report = diffOffline(input.offline);
            }
            out.print(render(report));
            out.flush();
            return report.hasDrift() ? ExitCodes.DRIFT : ExitCodes.OK;
        } catch (ManifestException
                | ApiDiscovery.UnknownKindException
                | DiffSettings.SettingsException
                | SourceException
                | ClusterConnection.ConnectionException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.ERROR;
        } catch (KubernetesClientException e) {
            err.println("error: " + describe(e));
            return ExitCodes.ERROR;
        }
    }

    private DriftReport diffOffline(Offline files) throws ManifestException {
        if (Files.isDirectory(files.live)) {
            throw new DiffSettings.SettingsException("--live " + files.live + " is a directory; it takes one file of "
                    + "live objects (kubectl get -o yaml --show-managed-fields ... > live.yaml)");
        }
        List<ObjectNode> desired = nonEmpty(
                ManifestReader.read(files.desired, limits()),
                "--desired " + files.desired + " holds no Kubernetes objects");
        List<JsonNode> live = List.copyOf(ManifestReader.read(files.live, limits()));
        String ns = namespace != null ? namespace : "default";
        filter = parsedFilters.resolve(KindNames.inObjects(desired, live));
        DiffEngine engine = engine(ns, BuiltinResourceScope.INSTANCE, new BuiltinListSchema());
        DiffFilter.Selection selection = select(desired, engine, "--desired " + files.desired);
        return filtered(
                run(settings.app(files.desired), selection.kept(), live, engine, null), selection, live, engine);
    }

    /** Where the desired manifests of a cluster diff come from, given the namespace for objects that set none. */
    @FunctionalInterface
    interface DesiredLoader {
        List<ObjectNode> load(String namespace) throws ManifestException, SourceException;
    }

    /** The objects, unless there are none and --allow-empty is not set: nothing to compare is a wrong path. */
    private List<ObjectNode> nonEmpty(List<ObjectNode> objects, String why) {
        if (objects.isEmpty() && !allowEmpty) {
            throw new DiffSettings.SettingsException(
                    why + "; nothing to compare (pass --allow-empty if that is " + "intended)");
        }
        return objects;
    }

    private ManifestLimits limits() {
        try {
            return new ManifestLimits(maxDocumentBytes, maxTotalBytes, maxDocuments);
        } catch (IllegalArgumentException e) {
            throw new DiffSettings.SettingsException(
                    "--max-document-bytes, --max-total-bytes, --max-documents: " + e.getMessage());
        }
    }

    private List<ObjectNode> readDirectory(Path dir) throws ManifestException {
        if (!Files.isDirectory(dir)) {
            throw new ManifestException(dir, 0, "not a directory");
        }
        return ManifestReader.read(dir, limits());
    }

    private DriftReport diffAgainstCluster(String app, Duration timeout, DesiredLoader loader)
            throws ManifestException, SourceException {
        Config config = clientConfig();
        config.setRequestRetryBackoffLimit(2); // a one-shot command fails fast instead of backing off for ~20 s
        if (timeout != null) {
            config.setRequestTimeout(RequestTimeouts.millis(timeout));
            config.setConnectionTimeout(RequestTimeouts.millis(timeout));
        }
        server = config.getMasterUrl();
        String ns = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
        List<ObjectNode> all = loader.load(ns);
        try (KubernetesClient client = OneShotClients.build(config)) {
            ApiDiscovery discovery = ApiDiscovery.discover(client);
            filter = parsedFilters.resolve(KindNames.of(discovery));
            List<ObjectNode> ofKinds =
                    all.stream().filter(filter::kindAllowedFor).toList();
            // a kind or version the cluster does not serve is named with the versions it does serve
            ofKinds.forEach(m -> discovery.require(
                    m.path("apiVersion").asText(), m.path("kind").asText()));
            // the schemas are fetched and parsed while the live objects are read: neither needs the other
            CompletableFuture<ListSchema> schema = CompletableFuture.supplyAsync(
                    () -> ClusterOpenApi.load(
                            client,
                            ofKinds.stream()
                                    .map(m -> m.path("apiVersion").asText())
                                    .toList(),
                            OpenApiCache.inUserCache()),
                    SCHEMA_READER);
            // object keys and app tracking do not depend on list schemas
            DiffEngine keys = engine(ns, discovery, new BuiltinListSchema());
            DiffFilter.Selection selection = select(all, keys, "desired state");
            LiveReader reader = new LiveReader(client, discovery);
            Set<LiveReader.Scope> scopes = reader.scopesFor(selection.kept(), ns);
            List<JsonNode> live = new ArrayList<>(reader.list(scopes));
            live.addAll(strays(reader, keys, app, scopes, ns));
            DiffEngine engine = engine(ns, discovery, join(schema));
            DriftReport report =
                    filtered(run(app, selection.kept(), live, engine, desiredChangedAt), selection, live, engine);
            return auditLog == null
                    ? report
                    : AuditLogAttribution.attribute(
                            auditLog,
                            report,
                            byKey(live, engine),
                            key -> discovery
                                    .find(key.group(), key.kind())
                                    .map(ApiResource::plural)
                                    .orElse(null),
                            engine.options().countAdmissionAsDrift(),
                            spec.commandLine().getErr());
        }
    }

    /** Reads the OpenAPI schemas beside the main thread; a daemon, so a failed command still exits. */
    private static final Executor SCHEMA_READER = task -> {
        Thread t = new Thread(task, "driftwatch-openapi");
        t.setDaemon(true);
        t.start();
    };

    /** The value, or what computing it threw, as it threw it. */
    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The desired objects the filter keeps; none left is an error unless --allow-empty, as for empty input. */
    private DiffFilter.Selection select(List<ObjectNode> desired, DiffEngine engine, String source) {
        DiffFilter.Selection selection = filter.select(desired, engine::keyOf);
        desiredFilteredOut = selection.filteredOut();
        if (filter.active() && !desired.isEmpty()) {
            nonEmpty(
                    selection.kept(),
                    source + " has " + desired.size() + " object" + (desired.size() == 1 ? "" : "s")
                            + " but none passes " + filter.description());
        }
        return selection;
    }

    private DriftReport filtered(
            DriftReport report, DiffFilter.Selection selection, List<JsonNode> live, DiffEngine engine) {
        if (!filter.active()) {
            return report;
        }
        DiffFilter.Filtered out = filter.dropExtras(
                report, selection, byKey(live, engine), engine.options().countAdmissionAsDrift());
        extrasFilteredOut = out.extrasFilteredOut();
        return out.report();
    }

    private static Map<ObjectKey, JsonNode> byKey(List<JsonNode> live, DiffEngine engine) {
        Map<ObjectKey, JsonNode> liveByKey = new HashMap<>();
        live.forEach(l -> liveByKey.put(engine.keyOf(l), l));
        return liveByKey;
    }

    /** --audit-log: a readable file, and a live cluster (audit events name kinds by the plurals discovery knows). */
    private void checkAuditLog() {
        if (auditLog == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (input.offline != null) {
            problems.add("--audit-log needs the live cluster (--dir, --repo, --argocd-server or --flux-kustomization), "
                    + "not --desired/--live: audit events name kinds by the resource names the API server serves");
        }
        String file = AuditLogAttribution.problem(auditLog);
        if (file != null) {
            problems.add(file);
        }
        if (!problems.isEmpty()) {
            throw new DiffSettings.SettingsException(String.join("; ", problems));
        }
    }

    /**
     * The app's live objects of kinds desired state does not have in its namespaces (Git dropped them, or someone
     * created them): every other listable kind is searched by metadata, label-selected when tracking is by label only.
     * Kinds the credentials may not list are named on stderr; the diff goes on without them.
     */
    private List<JsonNode> strays(
            LiveReader reader, DiffEngine engine, String app, Set<LiveReader.Scope> scopes, String ns) {
        Set<String> namespaces = new TreeSet<>();
        namespaces.add(ns);
        scopes.stream()
                .map(LiveReader.Scope::namespace)
                .filter(n -> !n.isEmpty())
                .forEach(namespaces::add);
        namespaces.retainAll(filter.allowedNamespaces(namespaces));
        Tracking tracking = engine.options().tracking();
        boolean labelOnly =
                (tracking.annotation() == null || tracking.annotation().isEmpty())
                        && tracking.label() != null
                        && !tracking.label().isEmpty()
                        && LABEL_VALUE.matcher(app).matches();
        LiveReader.Tracked found = reader.tracked(
                scope -> scopes.contains(scope)
                        || !filter.kindAllowed(
                                scope.resource().group(), scope.resource().kind()),
                namespaces,
                labelOnly ? tracking.label() + "=" + app : null,
                object -> engine.trackedApp(engine.keyOf(object), object)
                        .filter(app::equals)
                        .isPresent());
        if (!found.unreadable().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("warning: extra objects not looked for in "
                    + found.unreadable().size() + " kind(s) the " + "credentials cannot list: "
                    + String.join(", ", found.unreadable()));
            err.flush();
        }
        return found.objects();
    }

    /** --app, else the last segment of --path, else the repository's name. */
    private String gitAppName(GitInput git) {
        if (settings.app != null) {
            return settings.app;
        }
        String path = Path.of(git.path).normalize().toString();
        String base = path.isEmpty() || path.equals(".") ? RepoUrls.normalize(git.repo) : path;
        String last = base.substring(base.lastIndexOf('/') + 1);
        String cleaned = last.replaceAll("[^A-Za-z0-9_.-]", "-").replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        return cleaned.isEmpty() ? "git" : cleaned.substring(0, Math.min(cleaned.length(), 63));
    }

    private GitAppSpec gitSpec(GitInput git, String app, String ns) throws SourceException {
        GitAppSpec.Renderer renderer;
        GitAppSpec.TokenScheme scheme;
        try {
            renderer = GitAppSpec.Renderer.of(git.renderer);
            scheme = GitAppSpec.TokenScheme.of(git.tokenScheme);
        } catch (IllegalArgumentException e) {
            throw new DiffSettings.SettingsException("--" + e.getMessage());
        }
        JsonNode inline = null;
        if (git.helmInlineValues != null) {
            try {
                inline = YAML.readTree(git.helmInlineValues.toFile());
            } catch (IOException e) {
                throw new DiffSettings.SettingsException(
                        "--helm-inline-values " + git.helmInlineValues + ": " + e.getMessage());
            }
        }
        GitAppSpec.Helm helm =
                git.helmValues.isEmpty() && inline == null && git.helmRelease == null && git.kubeVersion == null
                        ? GitAppSpec.Helm.NONE
                        : new GitAppSpec.Helm(git.helmRelease, git.helmValues, inline, git.kubeVersion);
        GitAppSpec.Auth auth = new GitAppSpec.Auth(
                git.tokenFile, scheme, git.usernameFile, git.passwordFile, git.sshKeyFile, git.knownHostsFile);
        return GitAppSource.validated(
                new GitAppSpec(app, git.repo, git.revision, git.path, ns, renderer, helm, auth, null));
    }

    private DiffEngine engine(String ns, ResourceScope scope, ListSchema schema) {
        DiffOptions options = settings.toOptions().withTargetNamespace(ns);
        if (tracking != null) {
            options = options.withTracking(tracking);
        }
        options = options.withIncludeYamlDiff(showDiff || output == OutputFormat.text);
        return new DiffEngine(options, scope, schema);
    }

    private static DriftReport run(
            String app, List<ObjectNode> desired, List<JsonNode> live, DiffEngine engine, Instant changedAt) {
        List<DesiredObject> objects =
                desired.stream().map(m -> new DesiredObject(m, app, changedAt)).toList();
        // one shot: nothing was seen before, so a missing object is reported as not yet applied
        return engine.diffAll(objects, live, key -> false);
    }

    private String render(DriftReport report) throws Exception {
        if (output == OutputFormat.text) {
            return ReportText.render(report, colour()) + (filter.active() ? filteredLine() + "\n" : "");
        }
        ObjectNode json = ReportJson.toJson(report);
        if (filter.active()) {
            ObjectNode filtered = ((ObjectNode) json.path("summary")).putObject("filteredOut");
            filtered.put("desired", desiredFilteredOut);
            filtered.put("extra", extrasFilteredOut);
            filtered.put("filter", filter.description());
        }
        return output == OutputFormat.json ? Json.pretty(json) + "\n" : ReportYaml.render(json);
    }

    private String filteredLine() {
        return "Filtered out by " + filter.description() + ": " + desiredFilteredOut + " desired object"
                + (desiredFilteredOut == 1 ? "" : "s") + ", " + extrasFilteredOut + " extra object"
                + (extrasFilteredOut == 1 ? "" : "s") + ".";
    }

    private Duration requestTimeout() {
        if (requestTimeout == null) {
            return null;
        }
        timeoutGiven = requestTimeout;
        try {
            return RequestTimeouts.parse(requestTimeout);
        } catch (IllegalArgumentException e) {
            throw new DiffSettings.SettingsException("--request-timeout: " + e.getMessage());
        }
    }

    private boolean colour() {
        return !noColor && System.getenv("NO_COLOR") == null && System.console() != null;
    }

    private Config clientConfig() {
        return ClusterConnection.resolve(kubeconfig, context);
    }

    private String describe(KubernetesClientException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (e.getCode() > 0) {
            return "the cluster at " + server + " answered " + e.getCode() + ": " + e.getMessage();
        }
        if (RequestTimeouts.isTimeout(e)) {
            return "the cluster at " + server + " did not answer within "
                    + (timeoutGiven != null ? "--request-timeout " + timeoutGiven : "the client's 10s request timeout")
                    + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + "); a longer "
                    + "--request-timeout, or 0 for none, waits longer";
        }
        return "cannot reach the cluster at " + server + ": " + root.getClass().getSimpleName() + ": "
                + root.getMessage();
    }

    enum OutputFormat {
        text,
        json,
        yaml
    }
}
