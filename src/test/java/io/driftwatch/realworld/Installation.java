package io.driftwatch.realworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.BuiltinResourceScope;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The real-world projects installed on one real cluster the way Argo CD installs them: destination namespace set on
 * objects that have none, its tracking annotation added, CRDs first, then every project — server-side with field
 * manager {@code argocd-controller} and forced conflicts, or client-side with {@code kubectl apply}.
 */
final class Installation {

    enum Mode {
        SERVER_SIDE,
        CLIENT_SIDE
    }

    static final String APPLIER = "argocd-controller";
    static final String TRACKING_ANNOTATION = "argocd.argoproj.io/tracking-id";
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(4);
    /** The API server's limit on all annotations of an object, less room for the others. */
    private static final int MAX_LAST_APPLIED_BYTES = 256 * 1024 - 4096;

    final LocalKubeCluster cluster;
    final Kubectl kubectl;
    final Mode mode;
    private final Path scratch;
    private final Map<Project, List<ObjectNode>> rendered = new LinkedHashMap<>();
    /** group/kind of the custom resources the corpus's CRDs declare cluster-scoped. */
    private final Set<String> clusterScopedCustomKinds = new TreeSet<>();

    private Installation(LocalKubeCluster cluster, Mode mode, Path scratch) {
        this.cluster = cluster;
        this.kubectl = new Kubectl(cluster);
        this.mode = mode;
        this.scratch = scratch;
    }

    /** Renders, installs and waits until the controllers have settled. */
    static Installation install(LocalKubeCluster cluster, Mode mode, List<Project> projects) {
        try {
            Installation installation = new Installation(cluster, mode, Files.createTempDirectory("realworld-"));
            for (Project p : projects) {
                installation.rendered.put(p, Rendering.render(p, installation.scratch.resolve(p.name())));
            }
            installation
                    .rendered
                    .values()
                    .forEach(objects -> objects.stream()
                            .filter(Installation::isCrd)
                            .filter(crd -> "Cluster"
                                    .equals(crd.path("spec").path("scope").asText()))
                            .forEach(crd -> installation.clusterScopedCustomKinds.add(
                                    crd.path("spec").path("group").asText() + "/"
                                            + crd.path("spec")
                                                    .path("names")
                                                    .path("kind")
                                                    .asText())));
            for (Project p : projects) {
                installation.writeFiles(p);
            }
            installation.applyAll();
            installation.awaitSettled();
            return installation;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Project> projects() {
        return List.copyOf(rendered.keySet());
    }

    int objectCount() {
        return rendered.values().stream().mapToInt(List::size).sum();
    }

    List<ObjectNode> objects(Project p) {
        return rendered.get(p);
    }

    /** The directory {@code driftwatch diff --dir} reads: the rendered manifests as Git has them. */
    Path desiredDir(Project p) {
        return scratch.resolve(p.name()).resolve("desired");
    }

    /** What was applied: destination namespace and tracking annotation added, as Argo CD applies it. */
    Path appliedFile(Project p) {
        return scratch.resolve(p.name()).resolve("applied.yaml");
    }

    /** {@code driftwatch diff} of one project through the CLI entry point, as a person or CI runs it. */
    DiffCli.Run diff(Project p) {
        return DiffCli.run(List.of(
                "diff",
                "--dir",
                desiredDir(p).toString(),
                "-n",
                p.namespace(),
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "--app",
                p.name(),
                "-o",
                "json"));
    }

    /** The real {@code kubectl diff} (server-side dry-run) for the same project: information for comparison only. */
    Kubectl.Result kubectlDiff(Project p) {
        List<String> args = new ArrayList<>(List.of("diff", "-f", appliedFile(p).toString()));
        if (mode == Mode.SERVER_SIDE) {
            args.addAll(List.of("--server-side", "--field-manager=" + APPLIER, "--force-conflicts"));
        }
        return kubectl.tryRun(args.toArray(String[]::new));
    }

    private void writeFiles(Project p) throws IOException {
        List<ObjectNode> objects = rendered.get(p);
        Files.createDirectories(desiredDir(p));
        Files.writeString(desiredDir(p).resolve(p.name() + ".yaml"), Rendering.toYaml(objects));
        List<ObjectNode> applied = new ArrayList<>();
        for (ObjectNode o : objects) {
            ObjectNode copy = o.deepCopy();
            ObjectNode metadata = (ObjectNode) copy.path("metadata");
            String group = group(copy);
            String namespace = "";
            if (namespaced(copy)) {
                namespace = metadata.path("namespace").asText("");
                if (namespace.isEmpty()) {
                    namespace = p.namespace();
                    metadata.put("namespace", namespace);
                }
            }
            ObjectNode annotations =
                    metadata.has("annotations") && metadata.get("annotations").isObject()
                            ? (ObjectNode) metadata.get("annotations")
                            : metadata.putObject("annotations");
            annotations.put(
                    TRACKING_ANNOTATION,
                    p.name() + ":" + group + "/" + copy.path("kind").asText() + ":" + namespace + "/"
                            + metadata.path("name").asText());
            applied.add(copy);
        }
        Files.writeString(appliedFile(p), Rendering.toYaml(applied));
        Files.writeString(
                crdFile(p),
                Rendering.toYaml(applied.stream()
                        .filter(Installation::isCrd)
                        .filter(o -> !appliedServerSideAlways(o))
                        .toList()));
        Files.writeString(
                largeCrdFile(p),
                Rendering.toYaml(applied.stream()
                        .filter(Installation::isCrd)
                        .filter(this::appliedServerSideAlways)
                        .toList()));
        Files.writeString(
                restFile(p),
                Rendering.toYaml(applied.stream().filter(o -> !isCrd(o)).toList()));
    }

    private Path crdFile(Project p) {
        return scratch.resolve(p.name()).resolve("crds.yaml");
    }

    /** CRDs applied server-side even in a client-side install: see {@link #appliedServerSideAlways}. */
    private Path largeCrdFile(Project p) {
        return scratch.resolve(p.name()).resolve("crds-server-side.yaml");
    }

    /**
     * Client-side apply stores the whole object in the last-applied-configuration annotation, and the API server
     * refuses annotations over 256 KiB: a large CRD cannot be applied client-side at all. Argo CD users apply such
     * objects with the {@code ServerSideApply=true} sync option, and so does the client-side install here (server-side
     * installs apply everything server-side anyway).
     */
    private boolean appliedServerSideAlways(JsonNode o) {
        return mode == Mode.CLIENT_SIDE
                && isCrd(o)
                && o.toString().getBytes(StandardCharsets.UTF_8).length > MAX_LAST_APPLIED_BYTES;
    }

    long serverSideCrds() {
        return rendered.values().stream()
                .flatMap(List::stream)
                .filter(this::appliedServerSideAlways)
                .count();
    }

    private Path restFile(Project p) {
        return scratch.resolve(p.name()).resolve("rest.yaml");
    }

    private static boolean isCrd(JsonNode o) {
        return "CustomResourceDefinition".equals(o.path("kind").asText());
    }

    static String group(JsonNode o) {
        String apiVersion = o.path("apiVersion").asText();
        return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    }

    private void applyAll() {
        Set<String> namespaces = new TreeSet<>();
        rendered.keySet().forEach(p -> namespaces.add(p.namespace()));
        rendered.values()
                .forEach(objects -> objects.stream()
                        .filter(o -> "Namespace".equals(o.path("kind").asText()))
                        .forEach(o -> namespaces.remove(
                                o.path("metadata").path("name").asText())));
        for (String ns : namespaces) { // Argo CD's CreateNamespace=true, for namespaces the apps do not define
            if (kubectl.tryRun("get", "namespace", ns).exitCode() != 0) {
                kubectl.run("create", "namespace", ns);
            }
        }
        List<Path> crds = new ArrayList<>();
        List<Path> largeCrds = new ArrayList<>();
        for (Project p : rendered.keySet()) {
            if (rendered.get(p).stream().anyMatch(Installation::isCrd)) {
                crds.add(crdFile(p));
                largeCrds.add(largeCrdFile(p));
            }
        }
        applyCrds(crds, mode);
        applyCrds(largeCrds, Mode.SERVER_SIDE);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Project p : rendered.keySet()) {
                done.add(pool.submit(() -> apply(restFile(p))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Applies the files of CRDs that have any, in one kubectl run, and waits until they are all established. */
    private void applyCrds(List<Path> files, Mode how) {
        List<Path> nonEmpty = files.stream()
                .filter(f -> !Rendering.parse(readString(f), f.toString()).isEmpty())
                .toList();
        if (nonEmpty.isEmpty()) {
            return;
        }
        apply(nonEmpty, how);
        List<String> targets = new ArrayList<>();
        nonEmpty.forEach(f -> targets.addAll(List.of("-f", f.toString())));
        kubectl.awaitEstablished(Duration.ofSeconds(120), targets.toArray(String[]::new));
    }

    void apply(Path file) {
        apply(List.of(file), mode);
    }

    /** {@code kubectl apply} as Argo CD runs it; retried while kubectl's discovery has not seen new CRDs yet. */
    private void apply(List<Path> files, Mode how) {
        List<String> args = new ArrayList<>(List.of("apply"));
        files.forEach(f -> args.addAll(List.of("-f", f.toString())));
        if (how == Mode.SERVER_SIDE) {
            args.addAll(List.of("--server-side", "--field-manager=" + APPLIER, "--force-conflicts"));
        }
        for (int attempt = 1; ; attempt++) {
            Kubectl.Result result = kubectl.tryRun(args.toArray(String[]::new));
            if (result.exitCode() == 0) {
                return;
            }
            boolean discovery = result.output().contains("ensure CRDs are installed first")
                    || result.output().contains("no matches for kind");
            if (!discovery || attempt == 5) {
                throw new AssertionError("kubectl " + String.join(" ", args) + " failed:\n" + result.output());
            }
            sleep(Duration.ofSeconds(2));
        }
    }

    /**
     * Waits until the controllers are done with what was installed: every installed object and every object in the
     * destination namespaces (ReplicaSets, Pods, EndpointSlices, ...) keeps its resourceVersion across two looks a few
     * seconds apart, and every workload's status has caught up with its generation.
     */
    void awaitSettled() {
        List<String> previous = new ArrayList<>();
        previous.add("(not looked yet)");
        Eventually.await(
                "controllers to settle on the installed projects",
                SETTLE_TIMEOUT,
                () -> {
                    List<String> now = snapshot();
                    boolean stable = now.equals(previous) && now.stream().noneMatch(s -> s.contains("not-observed"));
                    previous.clear();
                    previous.addAll(now);
                    if (!stable) {
                        sleep(Duration.ofSeconds(3));
                    }
                    return stable;
                },
                () -> String.join("\n", previous));
    }

    /**
     * Every installed object and every object of the listed kinds in the destination namespaces, with its
     * resourceVersion: one list per kind across the cluster (not one read per object), so that a look stays cheap on
     * a loaded API server.
     */
    private List<String> snapshot() {
        KubernetesClient client = cluster.adminClient();
        Map<String, Map<String, GenericKubernetesResource>> byKind = new HashMap<>();
        List<String> out = new ArrayList<>();
        Set<String> namespaces = new TreeSet<>();
        for (Map.Entry<Project, List<ObjectNode>> e : rendered.entrySet()) {
            for (ObjectNode o : e.getValue()) {
                String ns = namespaceOf(o, e.getKey());
                if (!ns.isEmpty()) {
                    namespaces.add(ns);
                }
                String apiVersion = o.path("apiVersion").asText();
                String kind = o.path("kind").asText();
                String name = o.path("metadata").path("name").asText();
                GenericKubernetesResource live = byKind.computeIfAbsent(
                                apiVersion + " " + kind, k -> listAll(client, apiVersion, kind))
                        .get(ns + "/" + name);
                out.add(describe(kind, ns, name, live));
            }
        }
        for (String kind : List.of("ReplicaSet", "Pod", "EndpointSlice", "Service", "ConfigMap", "Secret")) {
            String apiVersion = switch (kind) {
                case "ReplicaSet" -> "apps/v1";
                case "EndpointSlice" -> "discovery.k8s.io/v1";
                default -> "v1";
            };
            listAll(client, apiVersion, kind).entrySet().stream()
                    .filter(r -> namespaces.contains(r.getValue().getMetadata().getNamespace()))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(r -> out.add(describe(
                            kind,
                            r.getValue().getMetadata().getNamespace(),
                            r.getValue().getMetadata().getName(),
                            r.getValue())));
        }
        return out;
    }

    /** All objects of one kind, namespaced or not, by {@code namespace/name} ({@code /name} when cluster-scoped). */
    private static Map<String, GenericKubernetesResource> listAll(
            KubernetesClient client, String apiVersion, String kind) {
        Map<String, GenericKubernetesResource> all = new HashMap<>();
        client.genericKubernetesResources(apiVersion, kind)
                .inAnyNamespace()
                .list()
                .getItems()
                .forEach(r -> all.put(
                        Objects.requireNonNullElse(r.getMetadata().getNamespace(), "") + "/"
                                + r.getMetadata().getName(),
                        r));
        return all;
    }

    private static String describe(String kind, String ns, String name, GenericKubernetesResource live) {
        if (live == null) {
            return kind + " " + ns + "/" + name + " absent";
        }
        Object observed = live.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                ? status.get("observedGeneration")
                : null;
        boolean behind = observed != null
                && live.getMetadata().getGeneration() != null
                && !Objects.equals(
                        ((Number) observed).longValue(), live.getMetadata().getGeneration());
        return kind + " " + ns + "/" + name + " rv=" + live.getMetadata().getResourceVersion()
                + (behind ? " not-observed" : "");
    }

    private boolean namespaced(JsonNode o) {
        String kind = o.path("kind").asText();
        return BuiltinResourceScope.INSTANCE.isNamespaced(group(o), kind)
                && !clusterScopedCustomKinds.contains(group(o) + "/" + kind);
    }

    String namespaceOf(JsonNode o, Project p) {
        if (!namespaced(o)) {
            return "";
        }
        String ns = o.path("metadata").path("namespace").asText("");
        return ns.isEmpty() ? p.namespace() : ns;
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
