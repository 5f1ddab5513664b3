package io.driftwatch.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.driftwatch.diff.ManagerRules;
import io.driftwatch.diff.Tracking;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the agent's YAML configuration, applies {@code DRIFTWATCH_*} environment overrides, and validates it. A wrong
 * setting fails here, naming the setting; nothing starts with a half-valid configuration.
 */
public final class ConfigLoader {

    private static final int MAX_FULL_CONTEXT_LINES = 100_000;
    private static final long MAX_SNAPSHOT_FULL_DIFF_BYTES = 1L << 30;
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** Environment variables that override single settings: name → (config path, value conversion). */
    static final Map<String, EnvOverride> ENV_OVERRIDES = new LinkedHashMap<>();

    record EnvOverride(String path, Function<String, Object> convert) {}

    static {
        ENV_OVERRIDES.put("DRIFTWATCH_CLUSTER", new EnvOverride("cluster", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_CLUSTER_LABELS", new EnvOverride("clusterLabels", ConfigLoader::labels));
        ENV_OVERRIDES.put("DRIFTWATCH_HTTP_HOST", new EnvOverride("http.host", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HTTP_PORT", new EnvOverride("http.port", Integer::valueOf));
        ENV_OVERRIDES.put(
                "DRIFTWATCH_RESYNC_INTERVAL_SECONDS", new EnvOverride("resyncInterval", v -> Long.parseLong(v) + "s"));
        ENV_OVERRIDES.put(
                "DRIFTWATCH_LEADER_ELECTION_ENABLED", new EnvOverride("leaderElection.enabled", ConfigLoader::bool));
        ENV_OVERRIDES.put("DRIFTWATCH_LEASE_NAMESPACE", new EnvOverride("leaderElection.leaseNamespace", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_EVENTS_ENABLED", new EnvOverride("events.enabled", ConfigLoader::bool));
        ENV_OVERRIDES.put("DRIFTWATCH_MAX_DRIFT_SERIES", new EnvOverride("metrics.maxDriftSeries", Integer::valueOf));
        ENV_OVERRIDES.put("DRIFTWATCH_STATE_FILE", new EnvOverride("stateFile", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_URL", new EnvOverride("hub.url", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_TOKEN_FILE", new EnvOverride("hub.tokenFile", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_CA_FILE", new EnvOverride("hub.caFile", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_OUTBOX_PATH", new EnvOverride("hub.outboxPath", v -> v));
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new Durations.Deserializer()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {}

    /**
     * Reads, binds and validates {@code file}. {@code droppedMetricLabels}: the label names the agent's meter registry
     * strips from every series (Vert.x's disabled labels, see {@code AgentMetrics.VERTX_DROPPED_LABELS}), which a
     * cluster label therefore cannot be called.
     */
    public static AgentConfig load(Path file, Map<String, String> env, Set<String> droppedMetricLabels) {
        return bind(ConfigFile.read(file), env, file.toString(), droppedMetricLabels);
    }

    /** Binds and validates an already-parsed tree (the environment's overrides applied first). */
    public static AgentConfig bind(
            ObjectNode tree, Map<String, String> env, String source, Set<String> droppedMetricLabels) {
        List<String> problems = new ArrayList<>();
        applyOverrides(tree, env, ENV_OVERRIDES, problems);
        if (!problems.isEmpty()) {
            throw ConfigException.of(source, problems);
        }
        ConfigBinding<AgentConfig> binding = ConfigBinding.bind(YAML, tree, AgentConfig.class);
        problems.addAll(binding.problems());
        AgentConfig config = binding.value() != null
                ? binding.value()
                : new AgentConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        config = withLeaseNamespace(config, env);
        List<String> invalid = new ArrayList<>();
        validate(config, droppedMetricLabels, invalid);
        invalid.stream().filter(p -> !binding.alreadyReported(p)).forEach(problems::add);
        if (!problems.isEmpty()) {
            throw ConfigException.of(source, problems);
        }
        return config;
    }

    /** The effective configuration as YAML for the start-up log. Tokens live in files, so paths are all it holds. */
    public static String describe(AgentConfig config) {
        try {
            return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                    .registerModule(new SimpleModule()
                            .addSerializer(Duration.class, new ToStringSerializerBase(Duration.class) {
                                @Override
                                public String valueToString(Object value) {
                                    return Durations.format((Duration) value);
                                }
                            }))
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writeValueAsString(config);
        } catch (JsonProcessingException e) {
            return config.toString();
        }
    }

    static void applyOverrides(
            ObjectNode tree, Map<String, String> env, Map<String, EnvOverride> overrides, List<String> problems) {
        overrides.forEach((name, override) -> {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return;
            }
            try {
                Object converted = override.convert().apply(value.trim());
                String[] parts = override.path().split("\\.");
                ObjectNode parent = tree;
                for (int i = 0; i < parts.length - 1; i++) {
                    JsonNode child = parent.get(parts[i]);
                    parent = child instanceof ObjectNode o ? o : parent.putObject(parts[i]);
                }
                parent.set(parts[parts.length - 1], YAML.valueToTree(converted));
            } catch (RuntimeException e) {
                problems.add(name + "=" + value + ": " + e.getMessage());
            }
        });
    }

    private static AgentConfig withLeaseNamespace(AgentConfig config, Map<String, String> env) {
        AgentConfig.LeaderElection le = config.leaderElection();
        if (!le.enabled() || le.leaseNamespace() != null) {
            return config;
        }
        String namespace = env.get("POD_NAMESPACE");
        if (namespace == null && Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
            try {
                namespace = Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
            } catch (IOException e) {
                namespace = null;
            }
        }
        if (namespace == null) {
            return config;
        }
        return new AgentConfig(
                config.cluster(),
                config.clusterLabels(),
                config.http(),
                config.scope(),
                config.diff(),
                config.resyncInterval(),
                config.sources(),
                new AgentConfig.LeaderElection(
                        le.enabled(),
                        le.leaseName(),
                        namespace,
                        le.leaseDuration(),
                        le.renewDeadline(),
                        le.retryPeriod()),
                config.events(),
                config.metrics(),
                config.stateFile(),
                config.shutdownTimeout(),
                config.hub(),
                config.audit());
    }

    /** A cluster label's name as a Prometheus label (what {@code driftwatch_cluster_info} carries). */
    public static String metricLabelName(String key) {
        String name = key.replaceAll("[^a-zA-Z0-9_]", "_");
        return !name.isEmpty() && Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    private static void validate(AgentConfig c, Set<String> droppedMetricLabels, List<String> problems) {
        if (c.cluster() == null || c.cluster().isBlank()) {
            problems.add("cluster: required (a name for this cluster, e.g. prod-eu-1; or DRIFTWATCH_CLUSTER)");
        }
        if (c.http().port() < 0 || c.http().port() > 65535) {
            problems.add("http.port: " + c.http().port() + " is not a TCP port (0-65535; 0 picks a free one)");
        }
        ConfigBinding.tlsPair("http.", c.http().tlsCertFile(), c.http().tlsKeyFile(), problems);
        if (c.resyncInterval().compareTo(Duration.ofSeconds(10)) < 0) {
            problems.add("resyncInterval: " + Durations.format(c.resyncInterval()) + " is below the minimum of 10s");
        }
        for (String key : c.clusterLabels().keySet()) {
            String name = metricLabelName(key);
            String why = name.equals("cluster")
                    ? "it is the agent's own label"
                    : name.startsWith("__")
                            ? "names starting with __ are reserved by Prometheus"
                            : droppedMetricLabels.contains(name)
                                    ? "Vert.x's metrics drop "
                                            + String.join(", ", new TreeSet<>(droppedMetricLabels))
                                            + " from every series"
                                    : null;
            if (why != null) {
                problems.add("clusterLabels." + key + ": the agent's metrics cannot carry a label named " + name + " ("
                        + why + "); choose another name");
            }
        }
        if (c.metrics().maxDriftSeries() < 0) {
            problems.add("metrics.maxDriftSeries: must be 0 or more");
        }
        if (c.metrics().actorLabels() && !c.audit().enabled()) {
            problems.add("metrics.actorLabels: true needs audit (set audit.tokenFile): without audit events no drift "
                    + "has an actor to label");
        }
        if (c.shutdownTimeout().isNegative() || c.shutdownTimeout().isZero()) {
            problems.add("shutdownTimeout: must be positive");
        }
        AgentConfig.LeaderElection le = c.leaderElection();
        if (le.enabled()) {
            if (le.leaseNamespace() == null || le.leaseNamespace().isBlank()) {
                problems.add("leaderElection.leaseNamespace: required when leader election is enabled "
                        + "(set it, DRIFTWATCH_LEASE_NAMESPACE or POD_NAMESPACE, or run in a pod)");
            }
            if (le.renewDeadline().compareTo(le.leaseDuration()) >= 0) {
                problems.add("leaderElection.renewDeadline: must be shorter than leaseDuration");
            }
            if (le.retryPeriod().compareTo(le.renewDeadline()) >= 0) {
                problems.add("leaderElection.retryPeriod: must be shorter than renewDeadline");
            }
        }
        Set<String> names = new HashSet<>();
        List<AgentConfig.DirectoryApp> dirs = c.sources().directories();
        for (int i = 0; i < dirs.size(); i++) {
            AgentConfig.DirectoryApp app = dirs.get(i);
            String at = "sources.directories[" + i + "]";
            if (app.name() == null || app.name().isBlank()) {
                problems.add(at + ".name: required");
            } else if (!names.add(app.name())) {
                problems.add(at + ".name: '" + app.name() + "' is used by another app");
            }
            if (app.path() == null) {
                problems.add(at + ".path: required");
            }
            if (app.pollInterval().compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add(at + ".pollInterval: must be at least 1s");
            }
        }
        List<GitAppSpec> git = c.sources().git().apps();
        for (int i = 0; i < git.size(); i++) {
            var app = git.get(i);
            for (String problem : app.problems()) {
                problems.add("sources.git." + problem);
            }
            if (app.name() != null && !names.add(app.name())) {
                problems.add("sources.git.apps[" + i + "].name: '" + app.name() + "' is used by another app");
            }
        }
        Path webhookSecret = c.sources().git().webhookSecretFile();
        if (webhookSecret != null && ConfigBinding.unreadableFile(webhookSecret) != null) {
            problems.add("sources.git.webhookSecretFile: " + ConfigBinding.unreadableFile(webhookSecret));
        }
        validateLimits(c.sources().limits(), problems);
        validateAudit(c.audit(), problems);
        if (c.sources().git().renderCacheBytes() < (1 << 20)) {
            problems.add("sources.git.renderCacheBytes: must be at least 1 MiB");
        }
        AgentConfig.ArgoCd argocd = c.sources().argocd();
        if (argocd != null) {
            if (argocd.enabled() || argocd.tokenFile() != null) {
                problems.addAll(argocd.connection().problems("sources.argocd"));
            }
            if (argocd.pollInterval().compareTo(Duration.ofSeconds(10)) < 0) {
                problems.add("sources.argocd.pollInterval: must be at least 10s");
            }
            if (argocd.relistInterval().compareTo(Duration.ofSeconds(30)) < 0) {
                problems.add("sources.argocd.relistInterval: must be at least 30s");
            }
            if (argocd.projects().stream().anyMatch(p -> p == null || p.isBlank())) {
                problems.add("sources.argocd.projects: entries must be project names, not empty");
            }
        }
        boolean argocdApps = argocd != null && argocd.enabled();
        AgentConfig.Flux flux = c.sources().flux();
        if (flux != null) {
            validateFlux(flux, argocdApps, c.diff(), problems);
        }
        if (names.isEmpty() && !argocdApps && flux == null && problems.isEmpty()) {
            problems.add("sources: no application configured (add sources.directories, sources.git.apps, "
                    + "sources.argocd or sources.flux)");
        }
        validateHub(c.hub(), problems);
        validateOtlp(c.metrics().otlp(), problems);
        validateManagers(c.diff().managers(), problems);
        if (c.diff().fullContextLines() < 0 || c.diff().fullContextLines() > MAX_FULL_CONTEXT_LINES) {
            problems.add("diff.fullContextLines: must be between 0 (3 lines around each change) and "
                    + MAX_FULL_CONTEXT_LINES + ", not " + c.diff().fullContextLines());
        }
        for (int i = 0; i < c.diff().ignoreDifferences().size(); i++) {
            var rule = c.diff().ignoreDifferences().get(i);
            if (rule.jsonPointers().isEmpty() && rule.managedFieldsManagers().isEmpty()) {
                problems.add("diff.ignoreDifferences[" + i + "]: needs jsonPointers or managedFieldsManagers");
            }
        }
    }

    /**
     * Namespaces must be namespace names and the selector must parse. Flux's apps are tracked by Flux's ownership
     * label, so they cannot share an agent with Argo CD's (tracked Argo CD's way) nor with a tracking set in
     * {@code diff.tracking}.
     */
    private static void validateFlux(
            AgentConfig.Flux flux, boolean argocd, AgentConfig.Diff diff, List<String> problems) {
        for (int i = 0; i < flux.namespaces().size(); i++) {
            String ns = flux.namespaces().get(i);
            if (ns == null || !NAMESPACE.matcher(ns).matches()) {
                problems.add("sources.flux.namespaces[" + i + "]: '" + ns + "' is not a namespace name (lower-case "
                        + "letters, digits and '-', at most 63 characters)");
            }
        }
        try {
            LabelSelector.parse(flux.selector());
        } catch (IllegalArgumentException e) {
            problems.add("sources.flux.selector: " + e.getMessage());
        }
        if (flux.pollInterval().compareTo(Duration.ofSeconds(10)) < 0) {
            problems.add("sources.flux.pollInterval: must be at least 10s");
        }
        AgentConfig.FluxHelm helm = flux.helmReleases();
        if (helm != null
                && !helm.desired().equals(AgentConfig.FluxHelm.CHART)
                && !helm.desired().equals(AgentConfig.FluxHelm.RELEASE_STORAGE)) {
            problems.add("sources.flux.helmReleases.desired: '" + helm.desired() + "' is not "
                    + AgentConfig.FluxHelm.CHART + " or " + AgentConfig.FluxHelm.RELEASE_STORAGE);
        }
        if (helm != null && helm.valuesSecrets() && helm.desired().equals(AgentConfig.FluxHelm.RELEASE_STORAGE)) {
            problems.add("sources.flux.helmReleases.valuesSecrets: only read with desired: chart (release storage "
                    + "holds the merged values already)");
        }
        if (argocd) {
            problems.add("sources.flux: cannot be combined with sources.argocd in one agent (Flux's objects are "
                    + "tracked by Flux's label, Argo CD's by Argo CD's tracking); run one agent for each");
        }
        if (!diff.tracking().equals(Tracking.defaults())) {
            problems.add("diff.tracking: not used with sources.flux (Flux's apps are tracked by the label "
                    + "kustomize.toolkit.fluxcd.io/name); remove it");
        }
    }

    /** Manager globs must be non-empty names; one glob in two groups is ambiguous; unknown is drift or controller. */
    private static void validateManagers(AgentConfig.Managers m, List<String> problems) {
        Map<String, String> groupOf = new LinkedHashMap<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("appliers", m.appliers());
        groups.put("outOfBand", m.outOfBand());
        groups.put("controllers", m.controllers());
        groups.forEach((group, globs) -> {
            for (int i = 0; i < globs.size(); i++) {
                String glob = globs.get(i);
                String at = "diff.managers." + group + "[" + i + "]";
                if (glob == null || glob.isBlank()) {
                    problems.add(at + ": must be a field manager name or glob, not empty");
                } else if (glob.length() > 128) {
                    problems.add(at + ": '" + glob.substring(0, 20) + "...' is longer than a field manager can be "
                            + "(128 characters)");
                } else {
                    String other = groupOf.putIfAbsent(glob, group);
                    if (other != null && !other.equals(group)) {
                        problems.add(at + ": '" + glob + "' is also in diff.managers." + other
                                + " (a manager belongs to one group)");
                    }
                }
            }
        });
        if (ManagerRules.UnknownManagers.parse(m.unknown()) == null) {
            problems.add("diff.managers.unknown: '" + m.unknown() + "' is not one of drift, controller");
        }
    }

    private static void validateLimits(AgentConfig.ManifestLimits l, List<String> problems) {
        if (l.maxDocumentBytes() < 1024) {
            problems.add("sources.limits.maxDocumentBytes: must be at least 1024 (1 KiB)");
        }
        if (l.maxTotalBytes() < 1024) {
            problems.add("sources.limits.maxTotalBytes: must be at least 1024 (1 KiB)");
        } else if (l.maxTotalBytes() < l.maxDocumentBytes()) {
            problems.add("sources.limits.maxTotalBytes: " + l.maxTotalBytes() + " is below maxDocumentBytes ("
                    + l.maxDocumentBytes() + ")");
        }
        if (l.maxDocuments() < 1) {
            problems.add("sources.limits.maxDocuments: must be at least 1");
        }
    }

    private static void validateOtlp(AgentConfig.Otlp otlp, List<String> problems) {
        if (otlp == null) {
            return;
        }
        try {
            URI uri = otlp.url() == null ? null : URI.create(otlp.url());
            if (uri == null
                    || !"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
                    || uri.getHost() == null) {
                problems.add("metrics.otlp.url: required, the http(s) URL of an OTLP/HTTP metrics endpoint "
                        + "(e.g. http://otel-collector:4318/v1/metrics)");
            }
        } catch (IllegalArgumentException e) {
            problems.add("metrics.otlp.url: " + otlp.url() + " is not a URL: " + e.getMessage());
        }
        otlp.headers().forEach((name, file) -> {
            if (name.isBlank() || !name.chars().allMatch(ch -> ch > 32 && ch < 127 && ch != ':')) {
                problems.add("metrics.otlp.headers: '" + name + "' is not an HTTP header name");
            } else if (file == null || ConfigBinding.unreadableFile(file) != null) {
                problems.add("metrics.otlp.headers." + name + ": " + file + " is not readable (the header value is "
                        + "read from this file)");
            }
        });
        if (otlp.step().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("metrics.otlp.step: must be at least 1s");
        }
    }

    private static void validateHub(AgentConfig.Hub hub, List<String> problems) {
        if (!hub.enabled()) {
            return;
        }
        try {
            URI uri = URI.create(hub.url());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add("hub.url: " + hub.url() + " is not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            problems.add("hub.url: " + hub.url() + " is not a URL: " + e.getMessage());
        }
        if (hub.tokenFile() == null) {
            problems.add("hub.tokenFile: required when hub.url is set (the cluster's bearer token, read from a file)");
        } else if (ConfigBinding.unreadableFile(hub.tokenFile()) != null) {
            problems.add("hub.tokenFile: " + ConfigBinding.unreadableFile(hub.tokenFile()));
        }
        if (hub.caFile() != null && ConfigBinding.unreadableFile(hub.caFile()) != null) {
            problems.add("hub.caFile: " + ConfigBinding.unreadableFile(hub.caFile()));
        }
        if (hub.consoleUrl() != null) {
            try {
                URI console = URI.create(hub.consoleUrl());
                if (!"https".equals(console.getScheme()) && !"http".equals(console.getScheme())
                        || console.getHost() == null
                        || console.getFragment() != null) {
                    problems.add(
                            "hub.consoleUrl: " + hub.consoleUrl()
                                    + " is not an http(s) URL without a fragment (e.g. https://driftwatch.example.com/console/)");
                }
            } catch (IllegalArgumentException e) {
                problems.add("hub.consoleUrl: " + hub.consoleUrl() + " is not a URL: " + e.getMessage());
            }
        }
        if (hub.caFile() != null && hub.insecure()) {
            problems.add("hub.insecure: cannot be combined with hub.caFile (pick one)");
        }
        if (hub.outboxMaxEvents() < 1) {
            problems.add("hub.outboxMaxEvents: must be at least 1");
        }
        if (hub.outboxMaxBytes() < 64 << 10) {
            problems.add("hub.outboxMaxBytes: must be at least 64 KiB");
        }
        if (hub.batchSize() < 1 || hub.batchSize() > 10_000) {
            problems.add("hub.batchSize: must be between 1 and 10000");
        }
        if (hub.snapshotInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("hub.snapshotInterval: must be at least 1s");
        }
        if (hub.heartbeatInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("hub.heartbeatInterval: must be at least 1s");
        }
        if (hub.metricsEnabled() && hub.metricsInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("hub.metricsInterval: must be at least 1s (or 0 to push no metrics)");
        }
        if (hub.requestTimeout().compareTo(Duration.ofMillis(100)) < 0) {
            problems.add("hub.requestTimeout: must be at least 100ms");
        }
        if (hub.snapshotFullDiffBytes() < 0 || hub.snapshotFullDiffBytes() > MAX_SNAPSHOT_FULL_DIFF_BYTES) {
            problems.add(
                    "hub.snapshotFullDiffBytes: must be between 0 (snapshots carry 3 lines around each change) and "
                            + MAX_SNAPSHOT_FULL_DIFF_BYTES + " (1 GiB, the hub's largest limits.maxBodyBytes), not "
                            + hub.snapshotFullDiffBytes());
        }
    }

    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("expected key=value[,key=value...]");
            }
            labels.put(kv[0].trim(), kv[1].trim());
        }
        return labels;
    }

    static Boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /**
     * An audit log may not exist yet (the API server creates it on its first event, and between a rotation's rename and
     * create it is missing), but its directory must, and an existing one must be a readable file.
     */
    private static String auditLogProblem(Path file) {
        if (Files.exists(file)) {
            return ConfigBinding.unreadableFile(file);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return file + " does not exist and neither does its directory " + dir;
        }
        return Files.isReadable(dir) ? null : file + " does not exist and its directory " + dir + " is not readable";
    }

    private static void validateAudit(AgentConfig.Audit audit, List<String> problems) {
        if (audit.tokenFile() != null && ConfigBinding.unreadableFile(audit.tokenFile()) != null) {
            problems.add("audit.tokenFile: " + ConfigBinding.unreadableFile(audit.tokenFile()));
        }
        if (audit.logFile() != null) {
            String problem = auditLogProblem(audit.logFile());
            if (problem != null) {
                problems.add("audit.logFile: " + problem);
            }
        }
        if (audit.window().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("audit.window: must be at least 1s");
        }
        if (audit.maxWrites() < 1) {
            problems.add("audit.maxWrites: must be 1 or more");
        }
        if (audit.maxBodyBytes() < 1024) {
            problems.add("audit.maxBodyBytes: must be at least 1024");
        }
    }
}
