package io.driftwatch.emit.hub;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.net.Tls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * POSTs JSON to the hub (JDK HttpClient, HTTP/1.1) with the cluster's bearer token, read from its file on every
 * request so a rotated token is picked up. TLS trusts the JVM's CAs, or only the CAs of {@code hub.caFile} (PEM), or —
 * with the explicit {@code hub.insecure} flag — anything. Blocking: the agent calls it from its "driftwatch-hub"
 * thread. The token is never logged.
 */
public final class HubClient {

    /** A hub answer: status and body. */
    public record Response(int status, String body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    private final URI base;
    private final Path tokenFile;
    private final Duration timeout;
    private final HttpClient http;

    public HubClient(AgentConfig.Hub config) throws IOException, GeneralSecurityException {
        String url = config.url().endsWith("/")
                ? config.url().substring(0, config.url().length() - 1)
                : config.url();
        this.base = URI.create(url);
        this.tokenFile = config.tokenFile();
        this.timeout = config.requestTimeout();
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
        this.http = Tls.trust(builder, config.caFile(), config.insecure(), "hub.caFile")
                .build();
    }

    /** POST {@code /api/v1/clusters/{cluster}/{what}}. */
    public Response post(String cluster, String what, String json) throws IOException, InterruptedException {
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        HttpRequest request = HttpRequest.newBuilder(
                        base.resolve(base.getPath() + "/api/v1/clusters/" + cluster + "/" + what))
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
