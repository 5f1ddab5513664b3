package io.driftwatch.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's whole configuration, parsed once from YAML (plus {@code DRIFTWATCH_HUB_*} overrides) by
 * {@link HubConfigLoader}. Tokens appear only as SHA-256 hashes ({@code driftwatch hub hash-token}).
 */
public record HubConfig(
        Listen listen,
        Storage storage,
        List<ClusterToken> clusters,
        List<ReadToken> readTokens,
        Limits limits,
        Retention retention,
        Duration agentDownAfter,
        Metrics metrics,
        Duration shutdownTimeout,
        Console console) {

    public HubConfig {
        listen = listen == null ? new Listen(null, null, null, null, null, null, null, null) : listen;
        storage = storage == null ? new Storage(null, null, null, null, null, null) : storage;
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        readTokens = readTokens == null ? List.of() : List.copyOf(readTokens);
        limits = limits == null ? new Limits(null, null, null, null) : limits;
        retention = retention == null ? new Retention(null, null) : retention;
        agentDownAfter = agentDownAfter == null ? Duration.ofMinutes(3) : agentDownAfter;
        metrics = metrics == null ? new Metrics(null, null, null, null, null) : metrics;
        shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(20) : shutdownTimeout;
        console = console == null ? new Console(null, null, null, null, null) : console;
    }

    /**
     * The one HTTP listener (ingest, read API, /metrics, probes); TLS when both PEM files are set. A connection that
     * sends nothing for {@code idleTimeout} is closed; one that has not sent a whole request head within
     * {@code headerTimeout} of connecting is closed; a request (body included, the event stream excepted) not answered
     * within {@code requestTimeout} gets 503 and its connection is closed; request heads are at most
     * {@code maxHeaderBytes}.
     */
    public record Listen(
            String host,
            Integer port,
            Path tlsCertFile,
            Path tlsKeyFile,
            Duration idleTimeout,
            Duration headerTimeout,
            Duration requestTimeout,
            Integer maxHeaderBytes) {
        public Listen {
            host = host == null ? "0.0.0.0" : host;
            port = port == null ? 8443 : port;
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
            headerTimeout = headerTimeout == null ? Duration.ofSeconds(10) : headerTimeout;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
            maxHeaderBytes = maxHeaderBytes == null ? 16 * 1024 : maxHeaderBytes;
        }

        public boolean tls() {
            return tlsCertFile != null;
        }
    }

    /** {@code sqlite} (a file, zero setup) or {@code postgresql} (shared by several hub replicas). */
    public record Storage(
            String type,
            Path sqlitePath,
            String postgresUrl,
            String postgresUser,
            Path postgresPasswordFile,
            Integer poolSize) {
        public Storage {
            type = type == null ? "sqlite" : type;
            sqlitePath = sqlitePath == null ? Path.of("driftwatch-hub.db") : sqlitePath;
            poolSize = poolSize == null ? 4 : poolSize;
        }

        public boolean postgres() {
            return "postgresql".equals(type);
        }
    }

    /** A cluster allowed to push, and the SHA-256 (hex) of its bearer token. */
    public record ClusterToken(String name, String tokenSha256) {}

    /**
     * A reader of the API (Grafana, a CLI user, a console user), and the SHA-256 (hex) of its bearer token;
     * {@code clusterLabels}, when set, limits it to the clusters whose agent-reported labels include all of them. It is
     * one mapping or a list of mappings that add up (a cluster matching any one of them is visible); {} for every
     * cluster, which is also the default.
     */
    public record ReadToken(
            String name,
            String tokenSha256,

            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            List<Map<String, String>> clusterLabels) {
        public ReadToken {
            // absent: every cluster; an empty list is left empty for the loader to refuse (it would grant nothing)
            clusterLabels = clusterLabels == null
                    ? List.of(Map.of())
                    : clusterLabels.stream().toList(); // a null entry stays null: the loader names it
        }

        public ReadToken(String name, String tokenSha256) {
            this(name, tokenSha256, null);
        }
    }

    /**
     * The web console on the hub's listener ({@code /console/}): session cookies are {@code Secure} unless
     * {@code secureCookies} is false (plain-HTTP development only), sessions last {@code sessionTtl}; {@code proxyAuth}
     * optionally trusts a reverse proxy's user header; {@code oidc} optionally signs people in with an OpenID provider;
     * {@code externalUrl} is the hub's address as people reach it (an Ingress), for console links in alerts.
     */
    public record Console(
            Boolean secureCookies, Duration sessionTtl, ProxyAuth proxyAuth, Oidc oidc, String externalUrl) {
        public Console {
            secureCookies = secureCookies == null ? Boolean.TRUE : secureCookies;
            sessionTtl = sessionTtl == null ? Duration.ofHours(12) : sessionTtl;
        }

        /** The console's address ({@code externalUrl} + {@code /console/}), or null when no externalUrl is set. */
        public String consoleUrl() {
            if (externalUrl == null) {
                return null;
            }
            String base = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl;
            return base + "/console/";
        }
    }

    /**
     * Trusted reverse-proxy sign-in: a request carrying {@code secretHeader} whose SHA-256 is {@code tokenSha256} is
     * from the proxy, and {@code userHeader} names its user; {@code users} maps a user to the cluster labels it is
     * limited to. With {@code groupsHeader} set, the proxy also sends the user's groups (comma-separated, as
     * oauth2-proxy's {@code X-Forwarded-Groups}) and {@code groups} maps a group to cluster labels like
     * {@code console.oidc.groups}. A user's listed labels and those of each of its mapped groups add up; a user neither
     * listed nor in a mapped group is refused.
     */
    public record ProxyAuth(
            String userHeader,
            String secretHeader,
            String tokenSha256,
            Map<String, Map<String, String>> users,
            String groupsHeader,
            Map<String, Map<String, String>> groups) {
        public ProxyAuth {
            userHeader = userHeader == null ? "X-Forwarded-User" : userHeader;
            secretHeader = secretHeader == null ? "X-Driftwatch-Proxy-Secret" : secretHeader;
            users = users == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(users));
            groups = groups == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        }
    }

    /**
     * OpenID Connect sign-in (authorization code + PKCE): the provider's {@code issuer} URL (discovery, JWKS), this
     * hub's client ({@code clientId}, its secret in {@code clientSecretFile}), the {@code redirectUrl} the provider
     * sends people back to ({@code <hub external URL>/console/oidc/callback}), the {@code scopes} asked for, the ID
     * token claim holding the user's groups ({@code groupsClaim}) and the claim naming the user ({@code userClaim}).
     * {@code groups} maps a group to the cluster labels its members may read ({} for every cluster); a user in several
     * listed groups may read the clusters of each of them (the grants add up), and a user in none of them is refused.
     * {@code postLogoutRedirectUrl}: where the provider sends people after signing out there (RP-initiated logout,
     * when its discovery document has an {@code end_session_endpoint}); default the console's own URL, from
     * {@code redirectUrl}.
     */
    public record Oidc(
            String issuer,
            String clientId,
            Path clientSecretFile,
            String redirectUrl,
            List<String> scopes,
            String groupsClaim,
            String userClaim,
            Map<String, Map<String, String>> groups,
            String postLogoutRedirectUrl) {
        public Oidc {
            scopes = scopes == null ? List.of("openid", "profile", "email", "groups") : List.copyOf(scopes);
            groupsClaim = groupsClaim == null ? "groups" : groupsClaim;
            userClaim = userClaim == null ? "preferred_username" : userClaim;
            // keep the YAML's order: it is the order the page and the logs list a user's scopes in
            groups = groups == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        }

        /**
         * Where the provider sends people after signing out: {@code postLogoutRedirectUrl}, else the console next to
         * {@code redirectUrl} ({@code https://hub/console/oidc/callback} gives {@code https://hub/console/}).
         */
        public String postLogoutUrl() {
            if (postLogoutRedirectUrl != null) {
                return postLogoutRedirectUrl;
            }
            String callback = "oidc/callback";
            return redirectUrl != null && redirectUrl.endsWith("/console/" + callback)
                    ? redirectUrl.substring(0, redirectUrl.length() - callback.length())
                    : null;
        }
    }

    /**
     * Request limits: bytes per request body, events per batch, drifts per snapshot, and how far in the future an
     * agent's timestamps (onsets, snapshot times) may be ({@code maxClockSkew}); times before 2000 are always refused.
     */
    public record Limits(Long maxBodyBytes, Integer maxBatchEvents, Integer maxSnapshotDrifts, Duration maxClockSkew) {
        public Limits {
            maxBodyBytes = maxBodyBytes == null ? 8L << 20 : maxBodyBytes;
            maxBatchEvents = maxBatchEvents == null ? 1000 : maxBatchEvents;
            maxSnapshotDrifts = maxSnapshotDrifts == null ? 20_000 : maxSnapshotDrifts;
            maxClockSkew = maxClockSkew == null ? Duration.ofHours(1) : maxClockSkew;
        }
    }

    /** How long history (every event) is kept, and how often old history is pruned. */
    public record Retention(Duration history, Duration pruneInterval) {
        public Retention {
            history = history == null ? Duration.ofDays(30) : history;
            pruneInterval = pruneInterval == null ? Duration.ofHours(1) : pruneInterval;
        }
    }

    /**
     * Fleet metrics: how often the open-drift gauges are recomputed from the store, which cluster labels become
     * labels of {@code driftwatch_hub_cluster_info} (a closed set, so every series has the same label names), how
     * many open drifts (the oldest first) are exported as {@code driftwatch_hub_drift_started_timestamp_seconds};
     * and the relay of the agents' own metrics ({@code /metrics/agents}): when an agent process that stopped pushing
     * is forgotten, and how many series one cluster's agents may have relayed.
     */
    public record Metrics(
            Duration refreshInterval,
            List<String> clusterInfoLabels,
            Integer maxDriftSeries,
            Duration relayStaleAfter,
            Integer relayMaxSeriesPerCluster) {
        public Metrics {
            refreshInterval = refreshInterval == null ? Duration.ofSeconds(15) : refreshInterval;
            clusterInfoLabels = clusterInfoLabels == null ? List.of("env", "region") : List.copyOf(clusterInfoLabels);
            maxDriftSeries = maxDriftSeries == null ? 2000 : maxDriftSeries;
            relayStaleAfter = relayStaleAfter == null ? Duration.ofMinutes(2) : relayStaleAfter;
            relayMaxSeriesPerCluster = relayMaxSeriesPerCluster == null ? 10_000 : relayMaxSeriesPerCluster;
        }
    }
}
