package io.driftwatch.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestException;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Desired state from manifests in a local directory (a mounted ConfigMap or volume, a CI artifact): YAML/JSON,
 * multi-document, recursive. The revision is a hash of the content, the revision time the newest file's change.
 */
public final class DirectoryAppSource implements AppSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String app;
    private final Path dir;
    private final String targetNamespace;
    private final Clock clock;
    private final ManifestLimits limits;
    private String lastFingerprint;
    private String lastRevision;

    public DirectoryAppSource(String app, Path dir, String targetNamespace, Clock clock) {
        this(app, dir, targetNamespace, clock, ManifestLimits.DEFAULT);
    }

    /** A source reading at most {@code limits} of manifests each time. */
    public DirectoryAppSource(String app, Path dir, String targetNamespace, Clock clock, ManifestLimits limits) {
        this.limits = limits;
        this.app = app;
        this.dir = dir;
        this.targetNamespace = targetNamespace;
        this.clock = clock;
    }

    @Override
    public String app() {
        return app;
    }

    @Override
    public String targetNamespace() {
        return targetNamespace;
    }

    /** Unchanged files (same paths, sizes, modification times) at the known revision: no parse, nothing kept. */
    @Override
    public synchronized Optional<DesiredState> loadIfChanged(String knownRevision) throws SourceException {
        String fingerprint = fingerprint();
        if (knownRevision != null && knownRevision.equals(lastRevision) && fingerprint.equals(lastFingerprint)) {
            return Optional.empty();
        }
        DesiredState state = read(fingerprint);
        return state.revision().equals(knownRevision) ? Optional.empty() : Optional.of(state);
    }

    @Override
    public synchronized DesiredState load() throws SourceException {
        return read(fingerprint());
    }

    private DesiredState read(String fingerprint) throws SourceException {
        if (!Files.isDirectory(dir)) {
            throw new SourceException(SourceException.Reason.FETCH, "app " + app + ": " + dir + " is not a directory");
        }
        List<ObjectNode> objects;
        try {
            objects = ManifestReader.read(dir, limits);
        } catch (ManifestException e) {
            throw new SourceException(SourceException.Reason.PARSE, "app " + app + ": " + e.getMessage(), e);
        }
        DesiredState state = new DesiredState(app, "sha256:" + hash(objects), newestChange(), objects, clock.instant());
        lastFingerprint = fingerprint;
        lastRevision = state.revision();
        return state;
    }

    /** Every file's path, size and modification time: cheap to compute, changes with any edit. */
    private String fingerprint() throws SourceException {
        try (Stream<Path> files = Files.walk(dir)) {
            StringBuilder text = new StringBuilder();
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                text.append(p)
                        .append('|')
                        .append(Files.size(p))
                        .append('|')
                        .append(Files.getLastModifiedTime(p).toMillis())
                        .append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Reason.FETCH, "app " + app + ": cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private Instant newestChange() throws SourceException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toInstant();
                        } catch (IOException e) {
                            return Instant.EPOCH;
                        }
                    })
                    .max(Instant::compareTo)
                    .orElse(Instant.EPOCH);
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Reason.FETCH, "app " + app + ": cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String hash(List<ObjectNode> objects) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ObjectNode o : objects) {
                digest.update(JSON.writeValueAsBytes(o));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
