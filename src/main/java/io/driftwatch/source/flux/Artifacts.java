package io.driftwatch.source.flux;

import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fetches a Flux source's artifact from source-controller's artifact server the way kustomize-controller does: an
 * HTTP GET of {@code status.artifact.url}, the body's SHA-256 checked against {@code status.artifact.digest}, then
 * untarred (gzip) into a directory. Entries that would land outside it (absolute paths, {@code ..}, links) are
 * refused, and so is an artifact larger than the limit. Blocking.
 */
final class Artifacts {

    private final HttpClient http;
    private final Duration timeout;
    private final long maxBytes;

    Artifacts(HttpClient http, Duration timeout, long maxBytes) {
        this.http = http;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /** Downloads {@code url}, verifies {@code digest} ({@code sha256:<hex>}) and extracts it into {@code into}. */
    void fetch(String url, String digest, Path into, String what) throws SourceException {
        String expected = expectedSha256(digest, what);
        Path archive = into.resolveSibling(into.getFileName() + ".tar.gz");
        MessageDigest sha256 = sha256();
        HttpResponse<InputStream> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(timeout)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | IllegalArgumentException e) {
            throw new SourceException(Reason.FETCH, what + ": cannot fetch artifact " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(Reason.FETCH, what + ": interrupted fetching artifact " + url, e);
        }
        try (InputStream body = new DigestInputStream(response.body(), sha256);
                OutputStream out = Files.newOutputStream(archive)) {
            if (response.statusCode() != 200) {
                throw new SourceException(
                        Reason.FETCH,
                        what + ": artifact " + url + " answered HTTP " + response.statusCode()
                                + " (source-controller serves only the latest artifact of a source)");
            }
            long copied = body.transferTo(new LimitedOutputStream(out, maxBytes));
            if (copied == 0) {
                throw new SourceException(Reason.FETCH, what + ": artifact " + url + " is empty");
            }
        } catch (LimitedOutputStream.TooLarge e) {
            throw new SourceException(
                    Reason.FETCH, what + ": artifact " + url + " is larger than " + maxBytes + " bytes", e);
        } catch (IOException e) {
            throw new SourceException(Reason.FETCH, what + ": cannot read artifact " + url + ": " + e, e);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(expected)) {
            throw new SourceException(
                    Reason.FETCH,
                    what + ": artifact " + url + " has digest sha256:" + actual + ", not " + digest
                            + " as the source's status says (changed while fetching, or tampered with)");
        }
        untar(archive, into, what);
    }

    private static String expectedSha256(String digest, String what) throws SourceException {
        if (digest == null || !digest.startsWith("sha256:") || digest.length() != "sha256:".length() + 64) {
            throw new SourceException(
                    Reason.FETCH,
                    what + ": the artifact's digest '" + digest + "' is not sha256:<64 hex digits>; "
                            + "driftwatch verifies every artifact and cannot verify this one");
        }
        return digest.substring("sha256:".length()).toLowerCase(Locale.ROOT);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private void untar(Path archive, Path into, String what) throws SourceException {
        Path root = into.toAbsolutePath().normalize();
        long total = 0;
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            Files.createDirectories(root);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || entry.getName().startsWith("/")) {
                    throw new SourceException(
                            Reason.PARSE, what + ": artifact entry '" + entry.getName() + "' points outside it");
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new SourceException(
                            Reason.PARSE,
                            what + ": artifact entry '" + entry.getName()
                                    + "' is a link, which driftwatch does not follow");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    total += Files.copy(tar, target);
                    if (total > maxBytes) {
                        throw new SourceException(
                                Reason.FETCH, what + ": artifact unpacks to more than " + maxBytes + " bytes");
                    }
                }
            }
        } catch (IOException e) {
            throw new SourceException(Reason.PARSE, what + ": artifact is not a .tar.gz: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                // the scratch directory is removed as a whole later
            }
        }
    }

    /** An output stream that refuses to grow beyond a limit. */
    private static final class LimitedOutputStream extends FilterOutputStream {
        private final long max;
        private long written;

        LimitedOutputStream(OutputStream out, long max) {
            super(out);
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            out.write(b, off, len);
        }

        private void count(long n) throws TooLarge {
            written += n;
            if (written > max) {
                throw new TooLarge();
            }
        }

        static final class TooLarge extends IOException {
            TooLarge() {
                super("too large");
            }
        }
    }
}
