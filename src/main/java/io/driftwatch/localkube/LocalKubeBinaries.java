package io.driftwatch.localkube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the Go-built etcd, kube-apiserver, kubectl, kube-controller-manager and kube-scheduler are. Each is looked up
 * in this order: its environment variable ({@code DRIFTWATCH_ETCD}, {@code DRIFTWATCH_KUBE_APISERVER},
 * {@code DRIFTWATCH_KUBECTL}, {@code DRIFTWATCH_KUBE_CONTROLLER_MANAGER}, {@code DRIFTWATCH_KUBE_SCHEDULER}, as
 * printed by {@code scripts/test-binaries.sh --print}), then the newest build in {@code ~/.cache/driftwatch} made by
 * {@code scripts/test-binaries.sh}.
 */
public record LocalKubeBinaries(
        Path etcd, Path kubeApiserver, Path kubectl, Path kubeControllerManager, Path kubeScheduler) {

    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "driftwatch");

    /** One binary: its environment variable, the cache directory prefix it is built into, its file name. */
    private record Binary(String envVar, String cacheDirPrefix, String file) {}

    private static final Binary ETCD = new Binary("DRIFTWATCH_ETCD", "etcd-v", "etcd");
    private static final Binary API_SERVER = new Binary("DRIFTWATCH_KUBE_APISERVER", "k8s-v", "kube-apiserver");
    private static final Binary KUBECTL = new Binary("DRIFTWATCH_KUBECTL", "k8s-v", "kubectl");
    private static final Binary CONTROLLER_MANAGER =
            new Binary("DRIFTWATCH_KUBE_CONTROLLER_MANAGER", "k8s-v", "kube-controller-manager");
    private static final Binary SCHEDULER = new Binary("DRIFTWATCH_KUBE_SCHEDULER", "k8s-v", "kube-scheduler");

    /** The binaries, or an exception that names every missing one and says how to build them. */
    public static LocalKubeBinaries find() {
        return tryFind().orElseThrow(() -> {
            Map<Binary, Optional<Path>> found = new LinkedHashMap<>();
            for (Binary b : new Binary[] {ETCD, API_SERVER, KUBECTL, CONTROLLER_MANAGER, SCHEDULER}) {
                found.put(b, locate(b));
            }
            String missing = found.entrySet().stream()
                    .filter(e -> e.getValue().isEmpty())
                    .map(e -> e.getKey().file()
                            + (System.getenv(e.getKey().envVar()) == null
                                    ? ""
                                    : " (" + e.getKey().envVar() + "="
                                            + System.getenv(e.getKey().envVar()) + " is not an executable file)"))
                    .collect(Collectors.joining(", "));
            return new IllegalStateException("the local Kubernetes test binaries are missing: " + missing
                    + ". Run scripts/test-binaries.sh (needs Go >= 1.24; it builds them into " + CACHE
                    + ") or set " + found.keySet().stream().map(Binary::envVar).collect(Collectors.joining(", ")));
        });
    }

    /** The binaries when all five are built. */
    public static Optional<LocalKubeBinaries> tryFind() {
        Optional<Path> etcd = locate(ETCD);
        Optional<Path> apiserver = locate(API_SERVER);
        Optional<Path> kubectl = locate(KUBECTL);
        Optional<Path> controllerManager = locate(CONTROLLER_MANAGER);
        Optional<Path> scheduler = locate(SCHEDULER);
        if (etcd.isEmpty()
                || apiserver.isEmpty()
                || kubectl.isEmpty()
                || controllerManager.isEmpty()
                || scheduler.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LocalKubeBinaries(
                etcd.get(), apiserver.get(), kubectl.get(), controllerManager.get(), scheduler.get()));
    }

    private static Optional<Path> locate(Binary binary) {
        String explicit = System.getenv(binary.envVar());
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        if (!Files.isDirectory(CACHE)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(CACHE)) {
            // "<dir>.tmp" is a build in progress (scripts/test-binaries.sh renames it when every binary is built)
            return dirs.filter(d -> d.getFileName().toString().startsWith(binary.cacheDirPrefix())
                            && !d.getFileName().toString().endsWith(".tmp"))
                    .map(d -> d.resolve(binary.file()))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + CACHE, e);
        }
    }
}
