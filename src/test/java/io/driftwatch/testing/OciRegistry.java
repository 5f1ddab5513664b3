package io.driftwatch.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A real OCI distribution registry on 127.0.0.1 for one test class: go-containerregistry's {@code cmd/registry}
 * (in memory), built by scripts/test-binaries.sh (flux-sources). {@link #push} uploads a directory as a Flux artifact
 * the way {@code flux push artifact} does ({@code github.com/fluxcd/pkg/oci} Push): one gzipped tar layer of media
 * type {@code application/vnd.cncf.flux.content.v1.tar+gzip}, a config of media type
 * {@code application/vnd.cncf.flux.config.v1+json}, an OCI image manifest annotated with the source, revision and
 * creation time, over the distribution API (blob upload POST + PUT, manifest PUT).
 */
public final class OciRegistry implements AutoCloseable {

    public static final String VERSION = "0.22.1";
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.cncf.flux.config.v1+json";
    public static final String CONTENT_MEDIA_TYPE = "application/vnd.cncf.flux.content.v1.tar+gzip";
    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ServerProcess process;
    private final String address;

    private OciRegistry(ServerProcess process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts the registry in {@code workDir}; ready (answers {@code /v2/}) on return. */
    public static OciRegistry start(Path workDir) {
        Path binary = CachedBinary.find(
                "DRIFTWATCH_OCI_REGISTRY",
                "registry-v" + VERSION,
                "registry",
                "go-containerregistry's registry v" + VERSION,
                "run scripts/test-binaries.sh flux-sources");
        int port = ServerProcess.freePort();
        // cmd/registry listens on localhost:<port>, which /etc/hosts maps to 127.0.0.1
        String address = "127.0.0.1:" + port;
        return new OciRegistry(
                ServerProcess.start(
                        "oci-registry",
                        List.of(binary.toString(), "--port=" + port),
                        workDir,
                        "http://" + address + "/v2/",
                        Duration.ofSeconds(60)),
                address);
    }

    /** host:port, as an OCIRepository's {@code oci://} URL names it. */
    public String address() {
        return address;
    }

    /**
     * Pushes every regular file below {@code dir} as a Flux artifact to {@code repository:tag}, annotated with
     * {@code source} and {@code revision}; returns the manifest's digest ({@code sha256:...}).
     */
    public String push(String repository, String tag, Path dir, String source, String revision) {
        try {
            byte[] tar = tar(dir);
            byte[] layer = gzip(tar);
            ObjectNode config = JSON.createObjectNode();
            config.put("architecture", "");
            config.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            config.put("os", "");
            config.putObject("rootfs")
                    .put("type", "layers")
                    .putArray("diff_ids")
                    .add(sha256(tar));
            config.putObject("config");
            byte[] configBytes = JSON.writeValueAsBytes(config);
            String configDigest = upload(repository, configBytes);
            String layerDigest = upload(repository, layer);
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
            manifest.putObject("config")
                    .put("mediaType", CONFIG_MEDIA_TYPE)
                    .put("size", configBytes.length)
                    .put("digest", configDigest);
            manifest.putArray("layers")
                    .addObject()
                    .put("mediaType", CONTENT_MEDIA_TYPE)
                    .put("size", layer.length)
                    .put("digest", layerDigest);
            manifest.putObject("annotations")
                    .put(
                            "org.opencontainers.image.created",
                            config.path("created").asText())
                    .put("org.opencontainers.image.revision", revision)
                    .put("org.opencontainers.image.source", source);
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            HttpResponse<String> put = send(HttpRequest.newBuilder(url("/v2/" + repository + "/manifests/" + tag))
                    .header("Content-Type", MANIFEST_MEDIA_TYPE)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(manifestBytes))
                    .build());
            expect(put, 201, "manifest PUT");
            return sha256(manifestBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A monolithic blob upload: POST opens the upload session, PUT with the digest completes it. */
    private String upload(String repository, byte[] blob) {
        String digest = sha256(blob);
        HttpResponse<String> opened = send(HttpRequest.newBuilder(url("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        expect(opened, 202, "blob upload POST");
        String location = opened.headers()
                .firstValue("Location")
                .orElseThrow(() -> new AssertionError("blob upload POST answered no Location"));
        URI target = URI.create("http://" + address).resolve(location);
        String separator = target.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(target + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build());
        expect(put, 201, "blob upload PUT");
        return digest;
    }

    private URI url(String path) {
        return URI.create("http://" + address + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new AssertionError(
                    what + " " + response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The files below {@code dir}, sorted, with paths relative to it (as Flux's artifact tarballs hold them). */
    private static byte[] tar(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
                Stream<Path> walk = Files.walk(dir)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry entry =
                        new TarArchiveEntry(dir.relativize(file).toString().replace('\\', '/'));
                byte[] content = Files.readAllBytes(file);
                entry.setSize(content.length);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registry's log tail, for failure messages. */
    public String logs() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }
}
