package io.driftwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.config.HubConfig;
import io.driftwatch.config.HubConfigLoader;
import io.driftwatch.hub.HubServer;
import io.driftwatch.hub.TokenHash;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * A real hub in this JVM, configured from YAML like {@code driftwatch hub --config}, and an HTTP client for it.
 * Tokens: {@code token-<cluster>} for each cluster, {@code reader-token} for the read API.
 */
public final class TestHub implements AutoCloseable {

    public static final String READ_TOKEN = "reader-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final HubServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private TestHub(HubServer server) {
        this.server = server;
        this.base = "http://127.0.0.1:" + server.port();
    }

    public static String token(String cluster) {
        return "token-" + cluster;
    }

    /** Storage settings for a fresh SQLite file. */
    public static String sqlite(Path file) {
        return "storage: {type: sqlite, sqlitePath: '" + file + "'}\n";
    }

    /** Storage settings for a PostgreSQL database. */
    public static String postgres(String jdbcUrl, String user) {
        return "storage: {type: postgresql, postgresUrl: '" + jdbcUrl + "', postgresUser: " + user + "}\n";
    }

    /** Starts a hub; {@code extraYaml} holds storage and any other settings; clusters get their test tokens. */
    public static TestHub start(String extraYaml, List<String> clusters, int port, Clock clock) {
        return start(extraYaml, clusters, port, clock, "");
    }

    /** As {@link #start(String, List, int, Clock)}, with more {@code readTokens} entries (YAML list items). */
    public static TestHub start(String extraYaml, List<String> clusters, int port, Clock clock, String moreReaders) {
        StringBuilder yaml = new StringBuilder(
                extraYaml.contains("listen:") ? "" : "listen: {host: 127.0.0.1, port: " + port + "}\n");
        yaml.append(extraYaml);
        yaml.append("clusters:\n");
        clusters.forEach(c -> yaml.append("- {name: ")
                .append(c)
                .append(", tokenSha256: ")
                .append(TokenHash.sha256Hex(token(c)))
                .append("}\n"));
        yaml.append("readTokens:\n- {name: tests, tokenSha256: ")
                .append(TokenHash.sha256Hex(READ_TOKEN))
                .append("}\n")
                .append(moreReaders);
        try {
            HubConfig config = HubConfigLoader.bind((ObjectNode) YAML.readTree(yaml.toString()), Map.of(), "test");
            HubServer server = new HubServer(config, clock);
            server.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            return new TestHub(server);
        } catch (Exception e) {
            throw new AssertionError("hub did not start: " + e, e);
        }
    }

    public static TestHub start(String extraYaml, List<String> clusters) {
        return start(extraYaml, clusters, 0, Clock.systemUTC());
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return base;
    }

    public HubServer server() {
        return server;
    }

    public HttpResponse<String> post(String cluster, String what, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/clusters/" + cluster + "/" + what))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public HttpResponse<String> post(String cluster, String what, String body) {
        return post(cluster, what, token(cluster), body);
    }

    public HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    /** GET with the read token; fails unless 200. */
    public JsonNode read(String path) {
        HttpResponse<String> r = get(path, READ_TOKEN);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " did not answer JSON: " + r.body(), e);
        }
    }

    /** Every open drift (all pages) as "cluster/id". */
    public List<JsonNode> openDrifts(String query) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = read("/api/v1/drifts?limit=1000" + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("drifts").forEach(out::add);
            cursor = page.path("nextCursor").isNull()
                    ? null
                    : page.path("nextCursor").asText();
        } while (cursor != null);
        return out;
    }

    /** Every history event (all pages), newest first. */
    public List<JsonNode> history(String query) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = read("/api/v1/events?limit=1000" + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("events").forEach(out::add);
            cursor = page.path("nextCursor").isNull()
                    ? null
                    : page.path("nextCursor").asText();
        } while (cursor != null);
        return out;
    }

    public String metrics() {
        return get("/metrics", null).body();
    }

    public OptionalDouble metric(String name, Map<String, String> labels) {
        return AgentEndpoint.sample(metrics(), name, labels);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
