package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestException;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.ManifestReader;
import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.diff.Tracking;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Flux Kustomization ({@code kustomize.toolkit.fluxcd.io/v1}) as an app: its desired state rendered as
 * kustomize-controller renders it, from the artifact source-controller serves for its source (fetched over HTTP and
 * digest-checked, never cloned again): {@link KustomizationFile} for the generated or amended
 * {@code kustomization.yaml}, the real {@code kustomize build}, then {@link PostBuild}. A suspended Kustomization, or
 * one Flux reports failing, is an {@link Reason#UNHEALTHY} error, not desired state. Reads the Kustomization, its
 * source and the ConfigMaps of {@code postBuild.substituteFrom} with the client given (read-only). Blocking.
 */
public final class FluxKustomizationSource implements AppSource {

    public static final String API_VERSION = "kustomize.toolkit.fluxcd.io/v1";
    /**
     * Flux marks what a Kustomization applied with its name and namespace in two labels; the app of a Kustomization is
     * {@code Kustomization/<namespace>/<name>}.
     */
    public static final Tracking.Owner OWNER =
            new Tracking.Owner("Kustomization", PostBuild.OWNER_NAME, PostBuild.OWNER_NAMESPACE);

    public static final Tracking TRACKING = Tracking.owners(OWNER);
    /**
     * The agent's tracking with {@code sources.flux}: Flux's ownership labels, else helm-controller's origin labels
     * ({@link FluxHelmReleaseSource#OWNER}) on what a HelmRelease installed.
     */
    public static final Tracking AGENT_TRACKING = Tracking.owners(OWNER, FluxHelmReleaseSource.OWNER);

    /**
     * kustomize-controller leaves an object it applied, once Git no longer has it, when this is among the object's
     * labels or annotations (fluxcd/pkg/ssa's {@code AnyInMetadata} on the in-cluster object).
     */
    public static final PrunePolicy.Marker PRUNE_DISABLED =
            new PrunePolicy.Marker("kustomize.toolkit.fluxcd.io/prune", "disabled", true);

    private static final Logger LOG = LoggerFactory.getLogger(FluxKustomizationSource.class);
    private static final Map<String, String> SOURCE_API_VERSIONS = Map.of(
            "GitRepository", "source.toolkit.fluxcd.io/v1",
            "OCIRepository", "source.toolkit.fluxcd.io/v1",
            "Bucket", "source.toolkit.fluxcd.io/v1");

    private final FluxReads reads;
    private final String namespace;
    private final String name;
    private final ToolBinaries binaries;
    private final ToolRunner runner;
    private final Artifacts artifacts;
    private final ManifestLimits limits;
    private final Clock clock;
    private volatile String targetNamespace = "default";
    private final RenderMemo memo = new RenderMemo();

    public FluxKustomizationSource(
            KubernetesClient client,
            String namespace,
            String name,
            ToolBinaries binaries,
            ToolRunner runner,
            HttpClient http,
            ManifestLimits limits,
            Clock clock) {
        this.namespace = namespace;
        this.name = name;
        this.reads = new FluxReads(client, what());
        this.binaries = binaries;
        this.runner = runner;
        this.artifacts = new Artifacts(http, runner.timeout(), limits.maxTotalBytes());
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * {@code Kustomization/<namespace>/<name>}: the Kustomization's ownership labels on the objects it applied name it
     * (two Kustomizations of the same name in different namespaces are two apps).
     */
    @Override
    public String app() {
        return OWNER.app(namespace, name);
    }

    /** {@code spec.targetNamespace}, else "default" (known after the first load). */
    @Override
    public String targetNamespace() {
        return targetNamespace;
    }

    private String what() {
        return "Flux Kustomization " + namespace + "/" + name;
    }

    @Override
    public DesiredState load() throws SourceException {
        JsonNode kustomization = reads.get(API_VERSION, "Kustomization", namespace, name);
        if (kustomization == null) {
            throw new SourceException(Reason.CONFIG, what() + " not found");
        }
        JsonNode spec = kustomization.path("spec");
        targetNamespace = spec.path("targetNamespace").asText("default");
        FluxStatus status = FluxStatus.of(kustomization);
        if (spec.path("suspend").asBoolean(false)) {
            throw new SourceException(
                    Reason.UNHEALTHY,
                    what() + " is suspended (spec.suspend: true): Flux does not apply it, so it is not compared"
                            + status.appliedSuffix());
        }
        JsonNode artifact = artifact(spec.path("sourceRef"));
        String revision = artifact.path("revision").asText();
        if (status.failing()) {
            throw new SourceException(Reason.UNHEALTHY, what() + " is failing: " + status.describe());
        }
        Path scratch = reads.scratch();
        try {
            Path root = scratch.resolve("artifact");
            artifacts.fetch(
                    artifact.path("url").asText(), artifact.path("digest").asText(null), root, what());
            List<ObjectNode> objects = render(root, kustomization, scratch);
            Instant fetchedAt =
                    FluxReads.instant(artifact.path("lastUpdateTime").asText(null));
            LOG.debug(
                    "{}: {} objects at {} (last applied {})",
                    what(),
                    objects.size(),
                    revision,
                    status.lastAppliedRevision());
            return new DesiredState(app(), revision, fetchedAt, objects, clock.instant(), prunePolicy(spec));
        } finally {
            FluxReads.delete(scratch);
        }
    }

    /**
     * Renders every time (a Kustomization's spec or a {@code substituteFrom} ConfigMap can change what the same artifact
     * renders to), and is empty only when the revision and the rendered objects are both unchanged.
     */
    @Override
    public Optional<DesiredState> loadIfChanged(String knownRevision) throws SourceException {
        return memo.ifChanged(load(), knownRevision);
    }

    /**
     * What kustomize-controller does with an object it applied that the artifact no longer has: deletes it with
     * {@code spec.prune: true} unless {@link #PRUNE_DISABLED} is on it; leaves it with {@code spec.prune: false} (a
     * required field of the v1 API; absent is read as false, as Go's zero value).
     */
    static PrunePolicy prunePolicy(JsonNode spec) {
        return spec.path("prune").asBoolean(false)
                ? PrunePolicy.prunes("Kustomization spec.prune: true", PRUNE_DISABLED)
                : PrunePolicy.keeps("Kustomization spec.prune: false");
    }

    /** The artifact of the Kustomization's source, from the source's status. */
    private JsonNode artifact(JsonNode sourceRef) throws SourceException {
        String kind = sourceRef.path("kind").asText();
        String apiVersion = SOURCE_API_VERSIONS.get(kind);
        if (apiVersion == null) {
            throw new SourceException(
                    Reason.CONFIG,
                    what() + ": sourceRef kind '" + kind + "' is not one driftwatch reads ("
                            + String.join(
                                    ", ",
                                    SOURCE_API_VERSIONS.keySet().stream()
                                            .sorted()
                                            .toList()) + ")");
        }
        String sourceNamespace = sourceRef.path("namespace").asText(namespace);
        String sourceName = sourceRef.path("name").asText();
        JsonNode source = reads.get(apiVersion, kind, sourceNamespace, sourceName);
        String which = kind + " " + sourceNamespace + "/" + sourceName;
        if (source == null) {
            throw new SourceException(Reason.CONFIG, what() + ": its source " + which + " not found");
        }
        JsonNode artifact = source.path("status").path("artifact");
        if (!artifact.hasNonNull("url")) {
            throw new SourceException(
                    Reason.FETCH,
                    what() + ": its source " + which + " has no artifact yet (status.artifact is empty): "
                            + FluxStatus.of(source).readyText());
        }
        return artifact;
    }

    private List<ObjectNode> render(Path root, JsonNode kustomization, Path scratch) throws SourceException {
        JsonNode spec = kustomization.path("spec");
        String path = spec.path("path").asText("./");
        Path dir = root.resolve(path.startsWith("/") ? "." + path : path).normalize();
        if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
            throw new SourceException(
                    Reason.CONFIG, what() + ": spec.path '" + path + "' is not a directory of the source's artifact");
        }
        try {
            KustomizationFile.write(root, dir, spec);
        } catch (IllegalArgumentException e) {
            throw new SourceException(Reason.CONFIG, what() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SourceException(Reason.PARSE, what() + ": kustomization file at " + path + ": " + e, e);
        }
        Path built = scratch.resolve("kustomize-output.yaml");
        runner.run(
                List.of(
                        binaries.find(ToolBinaries.Tool.KUSTOMIZE).toString(),
                        "build",
                        "--load-restrictor",
                        "LoadRestrictionsNone",
                        dir.toString()),
                root,
                Map.of(),
                built);
        try {
            Path substituted = scratch.resolve("post-build.yaml");
            String text = Files.readString(built, StandardCharsets.UTF_8);
            if (spec.has("postBuild")) {
                text = PostBuild.substitute(text, variables(spec.path("postBuild")), false);
            }
            Files.writeString(substituted, text, StandardCharsets.UTF_8);
            List<ObjectNode> objects = ManifestReader.read(substituted, limits);
            PostBuild.label(objects, spec.path("commonMetadata"), name, namespace);
            return objects;
        } catch (IllegalArgumentException e) {
            throw new SourceException(Reason.RENDER, what() + ": " + e.getMessage(), e);
        } catch (ManifestException e) {
            throw new SourceException(Reason.PARSE, what() + ": rendered manifests: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SourceException(Reason.RENDER, what() + ": " + e, e);
        }
    }

    /**
     * The variables: each {@code substituteFrom} ConfigMap's data in order (a later one wins), then
     * {@code substitute}; newlines removed from values, as Flux does. Secret references are refused: the agent does
     * not read Secrets.
     */
    private Map<String, String> variables(JsonNode postBuild) throws SourceException {
        Map<String, String> vars = new HashMap<>();
        for (JsonNode ref : postBuild.path("substituteFrom")) {
            String kind = ref.path("kind").asText();
            String refName = ref.path("name").asText();
            if (!kind.equals("ConfigMap")) {
                throw new SourceException(
                        Reason.CONFIG,
                        what() + ": postBuild.substituteFrom " + kind + "/" + refName
                                + ": only ConfigMaps are read (driftwatch's Flux access does not include Secrets)");
            }
            JsonNode configMap = reads.get("v1", "ConfigMap", namespace, refName);
            if (configMap == null) {
                if (ref.path("optional").asBoolean(false)) {
                    continue;
                }
                throw new SourceException(
                        Reason.CONFIG, what() + ": postBuild.substituteFrom ConfigMap/" + refName + " not found");
            }
            configMap
                    .path("data")
                    .fields()
                    .forEachRemaining(
                            e -> vars.put(e.getKey(), e.getValue().asText().replace("\n", "")));
        }
        postBuild
                .path("substitute")
                .fields()
                .forEachRemaining(
                        e -> vars.put(e.getKey(), e.getValue().asText().replace("\n", "")));
        return vars;
    }

    @Override
    public String toString() {
        return "FluxKustomizationSource[" + namespace + "/" + name + "]";
    }
}
