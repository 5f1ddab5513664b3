package io.driftwatch.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the hub's YAML configuration, applies {@code DRIFTWATCH_HUB_*} environment overrides and validates it, naming
 * every bad setting at once.
 */
public final class HubConfigLoader {

    /** Cluster names travel in URLs, metric labels and SQL keys: keep them DNS-label-like. */
    public static final Pattern CLUSTER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}");

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    static final Map<String, ConfigLoader.EnvOverride> ENV_OVERRIDES = new LinkedHashMap<>();

    static {
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_HOST", new ConfigLoader.EnvOverride("listen.host", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_PORT", new ConfigLoader.EnvOverride("listen.port", Integer::valueOf));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_STORAGE_TYPE", new ConfigLoader.EnvOverride("storage.type", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_SQLITE_PATH", new ConfigLoader.EnvOverride("storage.sqlitePath", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_POSTGRES_URL", new ConfigLoader.EnvOverride("storage.postgresUrl", v -> v));
        ENV_OVERRIDES.put("DRIFTWATCH_HUB_POSTGRES_USER", new ConfigLoader.EnvOverride("storage.postgresUser", v -> v));
        ENV_OVERRIDES.put(
                "DRIFTWATCH_HUB_POSTGRES_PASSWORD_FILE",
                new ConfigLoader.EnvOverride("storage.postgresPasswordFile", v -> v));
        ENV_OVERRIDES.put(
                "DRIFTWATCH_HUB_MAX_DRIFT_SERIES",
                new ConfigLoader.EnvOverride("metrics.maxDriftSeries", Integer::valueOf));
        ENV_OVERRIDES.put(
                "DRIFTWATCH_HUB_RETENTION_DAYS",
                new ConfigLoader.EnvOverride("retention.history", v -> Long.parseLong(v) + "d"));
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new Durations.Deserializer()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private HubConfigLoader() {}

    public static HubConfig load(Path file, Map<String, String> env) {
        return bind(ConfigFile.read(file), env, file.toString());
    }

    public static HubConfig bind(ObjectNode tree, Map<String, String> env, String source) {
        List<String> problems = new ArrayList<>();
        ConfigLoader.applyOverrides(tree, env, ENV_OVERRIDES, problems);
        HubTokenHashes.readFiles(tree, problems);
        if (!problems.isEmpty()) {
            throw ConfigException.of(source, problems);
        }
        ConfigBinding<HubConfig> binding = ConfigBinding.bind(YAML, tree, HubConfig.class);
        problems.addAll(binding.problems());
        HubConfig config = binding.value() != null
                ? binding.value()
                : new HubConfig(null, null, null, null, null, null, null, null, null, null);
        List<String> invalid = new ArrayList<>();
        validate(config, invalid);
        invalid.stream().filter(p -> !binding.alreadyReported(p)).forEach(problems::add);
        if (!problems.isEmpty()) {
            throw ConfigException.of(source, problems);
        }
        return config;
    }

    /** The effective configuration for the start-up log: holds hashes and paths, never a token. */
    public static String describe(HubConfig config) {
        return "listen " + config.listen().host() + ":" + config.listen().port()
                + (config.listen().tls() ? " (TLS)" : " (plain HTTP)")
                + ", storage " + config.storage().type()
                + (config.storage().postgres()
                        ? " " + config.storage().postgresUrl()
                        : " " + config.storage().sqlitePath())
                + ", clusters "
                + config.clusters().stream().map(HubConfig.ClusterToken::name).toList()
                + ", read tokens "
                + config.readTokens().stream().map(HubConfig.ReadToken::name).toList()
                + ", limits " + config.limits() + ", retention "
                + Durations.format(config.retention().history())
                + ", agentDownAfter " + Durations.format(config.agentDownAfter())
                + ", maxDriftSeries " + config.metrics().maxDriftSeries();
    }

    private static void validate(HubConfig c, List<String> problems) {
        if (c.listen().port() < 0 || c.listen().port() > 65535) {
            problems.add("listen.port: " + c.listen().port() + " is not a TCP port (0-65535; 0 picks a free one)");
        }
        ConfigBinding.tlsPair("listen.", c.listen().tlsCertFile(), c.listen().tlsKeyFile(), problems);
        HubConfig.Listen l0 = c.listen();
        for (var t : List.of(
                Map.entry("idleTimeout", l0.idleTimeout()),
                Map.entry("headerTimeout", l0.headerTimeout()),
                Map.entry("requestTimeout", l0.requestTimeout()))) {
            if (t.getValue().compareTo(Duration.ofMillis(100)) < 0) {
                problems.add("listen." + t.getKey() + ": must be at least 100ms");
            }
        }
        if (l0.maxHeaderBytes() < 1024 || l0.maxHeaderBytes() > 1 << 20) {
            problems.add("listen.maxHeaderBytes: must be between 1 KiB and 1 MiB");
        }
        validateStorage(c.storage(), problems);
        Set<String> hashes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < c.clusters().size(); i++) {
            HubConfig.ClusterToken t = c.clusters().get(i);
            String at = "clusters[" + i + "]";
            if (t.name() == null || !CLUSTER_NAME.matcher(t.name()).matches()) {
                problems.add(at + ".name: required, letters, digits, '.', '_' or '-' (at most 63)");
            } else if (!names.add(t.name())) {
                problems.add(at + ".name: '" + t.name() + "' is listed twice");
            }
            HubTokenHashes.check(at, t.tokenSha256(), hashes, problems);
        }
        for (int i = 0; i < c.readTokens().size(); i++) {
            HubConfig.ReadToken t = c.readTokens().get(i);
            String at = "readTokens[" + i + "]";
            if (t.name() == null || t.name().isBlank()) {
                problems.add(at + ".name: required");
            }
            HubTokenHashes.check(at, t.tokenSha256(), hashes, problems);
            if (t.clusterLabels().isEmpty()) {
                problems.add(at + ".clusterLabels: an empty list lets the token read nothing; omit it (or {}) for every"
                        + " cluster, or list label sets");
            }
            for (int j = 0; j < t.clusterLabels().size(); j++) {
                ConsoleSettings.labels(
                        t.clusterLabels().size() == 1 ? at + ".clusterLabels" : at + ".clusterLabels[" + j + "]",
                        t.clusterLabels().get(j),
                        problems);
            }
        }
        validateConsole(c.console(), hashes, problems);
        if (c.clusters().isEmpty()) {
            problems.add("clusters: no cluster may push (add {name, tokenSha256} or {name, tokenSha256File} entries)");
        }
        HubConfig.Limits l = c.limits();
        if (l.maxBodyBytes() < 1024 || l.maxBodyBytes() > 1L << 30) {
            problems.add("limits.maxBodyBytes: must be between 1 KiB and 1 GiB");
        }
        if (l.maxBatchEvents() < 1) {
            problems.add("limits.maxBatchEvents: must be at least 1");
        }
        if (l.maxSnapshotDrifts() < 1) {
            problems.add("limits.maxSnapshotDrifts: must be at least 1");
        }
        if (l.maxClockSkew().isNegative() || l.maxClockSkew().compareTo(Duration.ofDays(7)) > 0) {
            problems.add("limits.maxClockSkew: must be between 0s and 7d");
        }
        if (c.retention().history().compareTo(Duration.ofHours(1)) < 0) {
            problems.add("retention.history: must be at least 1h");
        }
        if (c.retention().pruneInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("retention.pruneInterval: must be at least 1s");
        }
        if (c.agentDownAfter().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("agentDownAfter: must be at least 1s");
        }
        if (c.metrics().refreshInterval().compareTo(Duration.ofMillis(100)) < 0) {
            problems.add("metrics.refreshInterval: must be at least 100ms");
        }
        if (c.metrics().maxDriftSeries() < 0) {
            problems.add("metrics.maxDriftSeries: must be 0 or more");
        }
        for (String label : c.metrics().clusterInfoLabels()) {
            if (!LABEL_NAME.matcher(label).matches() || label.equals("cluster") || label.startsWith("__")) {
                problems.add("metrics.clusterInfoLabels: '" + label + "' is not a usable Prometheus label name");
            }
        }
        if (c.metrics().relayStaleAfter().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("metrics.relayStaleAfter: must be at least 1s (longer than the agents' hub.metricsInterval)");
        }
        if (c.metrics().relayMaxSeriesPerCluster() < 1 || c.metrics().relayMaxSeriesPerCluster() > 1_000_000) {
            problems.add("metrics.relayMaxSeriesPerCluster: must be between 1 and 1000000");
        }
        if (c.shutdownTimeout().isNegative() || c.shutdownTimeout().isZero()) {
            problems.add("shutdownTimeout: must be positive");
        }
    }

    private static void validateConsole(HubConfig.Console c, Set<String> hashes, List<String> problems) {
        if (c.sessionTtl().compareTo(Duration.ofMinutes(1)) < 0
                || c.sessionTtl().compareTo(Duration.ofDays(7)) > 0) {
            problems.add("console.sessionTtl: must be between 1m and 7d");
        }
        ConsoleSettings.validate(c, problems);
        HubConfig.ProxyAuth p = c.proxyAuth();
        if (p == null) {
            return;
        }
        HubTokenHashes.check("console.proxyAuth", p.tokenSha256(), hashes, problems);
        if (p.userHeader().isBlank() || p.secretHeader().isBlank()) {
            problems.add("console.proxyAuth.userHeader, secretHeader: must not be empty");
        }
        if (p.users().isEmpty() && p.groups().isEmpty()) {
            problems.add("console.proxyAuth.users: list who may sign in, each with its clusterLabels ({} for all)"
                    + " (or set groupsHeader and groups)");
        }
        if (p.groupsHeader() != null && p.groupsHeader().isBlank()) {
            problems.add("console.proxyAuth.groupsHeader: must not be empty when set (e.g. X-Forwarded-Groups)");
        }
        if (!p.groups().isEmpty() && p.groupsHeader() == null) {
            problems.add("console.proxyAuth.groups: needs groupsHeader, the header the proxy sends the user's groups"
                    + " in (e.g. X-Forwarded-Groups)");
        }
        p.users()
                .forEach((user, labels) -> ConsoleSettings.labels("console.proxyAuth.users." + user, labels, problems));
        p.groups().forEach((g, labels) -> ConsoleSettings.labels("console.proxyAuth.groups." + g, labels, problems));
    }

    private static void validateStorage(HubConfig.Storage s, List<String> problems) {
        switch (s.type()) {
            case "sqlite" -> {
                Path parent = s.sqlitePath().toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    problems.add("storage.sqlitePath: directory " + parent + " does not exist");
                }
            }
            case "postgresql" -> {
                if (s.postgresUrl() == null || !s.postgresUrl().startsWith("jdbc:postgresql://")) {
                    problems.add(
                            "storage.postgresUrl: required for postgresql, e.g. jdbc:postgresql://db:5432/driftwatch");
                }
                if (s.postgresPasswordFile() != null
                        && ConfigBinding.unreadableFile(s.postgresPasswordFile()) != null) {
                    problems.add(
                            "storage.postgresPasswordFile: " + ConfigBinding.unreadableFile(s.postgresPasswordFile()));
                }
            }
            default -> problems.add("storage.type: '" + s.type() + "' is not sqlite or postgresql");
        }
        if (s.poolSize() < 1 || s.poolSize() > 64) {
            problems.add("storage.poolSize: must be between 1 and 64");
        }
    }
}
