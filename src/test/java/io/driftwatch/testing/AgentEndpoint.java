package io.driftwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.net.Tls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads a running agent's HTTP endpoints the way Prometheus and people do. */
public final class AgentEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String base;

    public AgentEndpoint(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** An agent listening with TLS, its certificate signed by the CA of {@code caCert} (PEM). */
    public AgentEndpoint(int port, Path caCert) {
        this.base = "https://127.0.0.1:" + port;
        try {
            this.http = Tls.trust(
                            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)), caCert, false, "caCert")
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caCert, e);
        }
    }

    /** The agent's base URL (http or https). */
    public String base() {
        return base;
    }

    /** POSTs {@code body} with an optional Authorization header; returns the status. */
    public int post(String path, String authorization, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when reachable and /readyz answers 200. */
    public boolean ready() {
        try {
            return get("/readyz").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public String readiness() {
        try {
            HttpResponse<String> r = get("/readyz");
            return r.statusCode() + " " + r.body();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    public List<JsonNode> drifts() {
        return drifts("");
    }

    /** The open drifts matching a query ({@code ?kind=...&name=...}; "" for all). */
    public List<JsonNode> drifts(String query) {
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(get("/api/v1/drifts" + query).body()).path("drifts").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode status() {
        try {
            return JSON.readTree(get("/api/v1/status").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String metrics() {
        return get("/metrics").body();
    }

    /** The value of the first sample of {@code name} whose labels include all of {@code labels}. */
    public OptionalDouble metric(String name, Map<String, String> labels) {
        return sample(metrics(), name, labels);
    }

    public static OptionalDouble sample(String exposition, String name, Map<String, String> labels) {
        for (String line : exposition.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all =
                    labels.entrySet().stream().allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalDouble.empty();
    }
}
