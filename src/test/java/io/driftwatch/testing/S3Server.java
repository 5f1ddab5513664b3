package io.driftwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real S3 API server on 127.0.0.1 for one test class: gofakes3's {@code cmd/gofakes3} (memory backend, one bucket
 * made at start), built by scripts/test-binaries.sh (flux-sources). It does not check request signatures, so objects
 * are written with plain path-style PUTs and any access key is accepted (source-controller's generic Bucket provider
 * signs its requests; gofakes3 ignores the signature).
 */
public final class S3Server implements AutoCloseable {

    public static final String VERSION = "1.2.0";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ServerProcess process;
    private final String address;

    private S3Server(ServerProcess process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts gofakes3 in {@code workDir} with {@code bucket} created; ready (lists its buckets) on return. */
    public static S3Server start(Path workDir, String bucket) {
        Path binary = CachedBinary.find(
                "DRIFTWATCH_GOFAKES3",
                "gofakes3-v" + VERSION,
                "gofakes3",
                "gofakes3 v" + VERSION,
                "run scripts/test-binaries.sh flux-sources");
        String address = "127.0.0.1:" + ServerProcess.freePort();
        return new S3Server(
                ServerProcess.start(
                        "gofakes3",
                        List.of(binary.toString(), "-host", address, "-backend", "memory", "-initialbucket", bucket),
                        workDir,
                        "http://" + address + "/",
                        Duration.ofSeconds(60)),
                address);
    }

    /** host:port, a Bucket's {@code spec.endpoint}. */
    public String address() {
        return address;
    }

    /** Writes (or replaces) one object. */
    public void put(String bucket, String key, String content) {
        send(
                HttpRequest.newBuilder(url(bucket, key))
                        .PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8))
                        .build(),
                200,
                "PUT");
    }

    private URI url(String bucket, String key) {
        return URI.create("http://" + address + "/" + bucket + "/" + key);
    }

    private static void send(HttpRequest request, int status, String what) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != status) {
                throw new AssertionError(
                        what + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** gofakes3's log tail, for failure messages. */
    public String logs() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }
}
