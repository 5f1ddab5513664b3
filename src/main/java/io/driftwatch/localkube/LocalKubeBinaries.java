package io.driftwatch.localkube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the Go-built etcd, kube-apiserver and kubectl are. Looked up in this order: the environment variables
 * {@code DRIFTWATCH_ETCD}, {@code DRIFTWATCH_KUBE_APISERVER}, {@code DRIFTWATCH_KUBECTL} (set by
 * {@code scripts/test.sh}), then the newest build in {@code ~/.cache/driftwatch} made by {@code scripts/test-binaries.sh}.
 */
public record LocalKubeBinaries(Path etcd, Path kubeApiserver, Path kubectl) {

    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "driftwatch");

    /** The binaries, or an exception that says how to build them. */
    public static LocalKubeBinaries find() {
        return tryFind().orElseThrow(() -> new IllegalStateException(
                "the local Kubernetes test binaries are missing (etcd=" + locate("DRIFTWATCH_ETCD", "etcd-v", "etcd")
                        .map(Path::toString).orElse("not found")
                        + ", kube-apiserver=" + locate("DRIFTWATCH_KUBE_APISERVER", "k8s-v", "kube-apiserver")
                        .map(Path::toString).orElse("not found")
                        + "): run scripts/test-binaries.sh (needs Go >= 1.24) or set DRIFTWATCH_ETCD, "
                        + "DRIFTWATCH_KUBE_APISERVER and DRIFTWATCH_KUBECTL"));
    }

    /** The binaries when all three are built. */
    public static Optional<LocalKubeBinaries> tryFind() {
        Optional<Path> etcd = locate("DRIFTWATCH_ETCD", "etcd-v", "etcd");
        Optional<Path> apiserver = locate("DRIFTWATCH_KUBE_APISERVER", "k8s-v", "kube-apiserver");
        Optional<Path> kubectl = locate("DRIFTWATCH_KUBECTL", "k8s-v", "kubectl");
        if (etcd.isEmpty() || apiserver.isEmpty() || kubectl.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LocalKubeBinaries(etcd.get(), apiserver.get(), kubectl.get()));
    }

    private static Optional<Path> locate(String envVar, String cacheDirPrefix, String binary) {
        String explicit = System.getenv(envVar);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        if (!Files.isDirectory(CACHE)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(CACHE)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(cacheDirPrefix))
                    .map(d -> d.resolve(binary))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + CACHE, e);
        }
    }
}
