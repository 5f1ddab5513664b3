package io.driftwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus (Debian's prometheus package, 2.42) on 127.0.0.1 with its own configuration and temporary storage,
 * started for one test and stopped by {@link #close()}.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ServerProcess process;
    private final String url;

    private PrometheusServer(ServerProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Writes {@code configYaml} to {@code workDir}/prometheus.yml and starts Prometheus with it. */
    public static PrometheusServer start(Path workDir, String configYaml) {
        return start(workDir, configYaml, ServerProcess.binary("prometheus", "prometheus"), List.of());
    }

    /**
     * A Prometheus 3.x that accepts OTLP metrics on {@code /api/v1/otlp/v1/metrics} (Debian's 2.42 cannot): the build
     * of scripts/test-binaries.sh, named by {@code DRIFTWATCH_PROMETHEUS_OTLP}.
     */
    public static PrometheusServer startWithOtlpReceiver(Path workDir, String configYaml) {
        String path = System.getenv("DRIFTWATCH_PROMETHEUS_OTLP");
        if (path != null) {
            CachedBinary.awaitBuild(Path.of(path));
        }
        if (path == null || !Files.isExecutable(Path.of(path))) {
            throw new AssertionError("DRIFTWATCH_PROMETHEUS_OTLP=" + path + " is not an executable Prometheus 3.x: "
                    + "run scripts/test-binaries.sh and export the lines of scripts/test-binaries.sh --print");
        }
        return start(workDir, configYaml, Path.of(path), List.of("--web.enable-otlp-receiver"));
    }

    private static PrometheusServer start(Path workDir, String configYaml, Path binary, List<String> extraFlags) {
        try {
            Path config = Files.writeString(workDir.resolve("prometheus.yml"), configYaml);
            Path storage = Files.createDirectories(workDir.resolve("data"));
            int port = ServerProcess.freePort();
            String url = "http://127.0.0.1:" + port;
            List<String> command = new java.util.ArrayList<>(List.of(
                    binary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + storage,
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-lifecycle",
                    "--storage.tsdb.retention.time=1h"));
            command.addAll(extraFlags);
            ServerProcess process =
                    ServerProcess.start("prometheus", command, workDir, url + "/-/ready", Duration.ofSeconds(60));
            return new PrometheusServer(process, url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return url;
    }

    /** {@code GET /api/v1/query}: the whole response ({@code status}, {@code data.result} or {@code error}). */
    public JsonNode query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** The numeric value of the first sample of an instant query, or NaN when the result is empty or an error. */
    public double value(String promql) {
        JsonNode result = query(promql).path("data").path("result");
        return result.isEmpty()
                ? Double.NaN
                : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** {@code GET /api/v1/rules}: every rule group with each rule's health and last error. */
    public JsonNode rules() {
        return get("/api/v1/rules");
    }

    /** {@code GET /api/v1/alerts}: pending and firing alerts. */
    public JsonNode alerts() {
        return get("/api/v1/alerts");
    }

    public String logTail() {
        return process.logTail();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url + path))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
