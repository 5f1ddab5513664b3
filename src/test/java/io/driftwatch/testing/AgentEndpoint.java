package io.driftwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads a running agent's HTTP endpoints the way Prometheus and people do. */
public final class AgentEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public AgentEndpoint(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(get("/api/v1/drifts").body()).path("drifts").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public JsonNode status() {
        try {
            return JSON.readTree(get("/api/v1/status").body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
