package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.Tracking;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Flux HelmRelease ({@code helm.toolkit.fluxcd.io/v2}) as an app. Its desired state comes from either
 * <ul>
 *   <li>{@link Mode#CHART}: the chart artifact source-controller serves for it (the HelmChart helm-controller made from
 *       {@code spec.chart}, or {@code spec.chartRef}'s HelmChart/OCIRepository), fetched over HTTP and digest-checked,
 *       rendered by {@link HelmChartRender} with the merged values — what helm-controller installs next; or</li>
 *   <li>{@link Mode#RELEASE_STORAGE}: the manifest of the release's latest revision in Helm's release storage (Secrets
 *       of type {@code helm.sh/release.v1} in the storage namespace) — what was installed, by helm-controller or by a
 *       plain {@code helm install}. Needs read access to those Secrets, which hold the release's values.</li>
 * </ul>
 * A suspended HelmRelease, one whose {@code Ready} condition is {@code False}, and (release storage) a latest revision
 * that failed or is still pending are {@link Reason#UNHEALTHY} errors, not desired state. Blocking.
 */
public final class FluxHelmReleaseSource implements AppSource {

    /** Where the desired state is read from. */
    public enum Mode {
        CHART,
        RELEASE_STORAGE
    }

    /**
     * helm-controller's origin labels on what it installed: the HelmRelease's name and namespace; the app of a
     * HelmRelease is {@code HelmRelease/<namespace>/<name>}.
     */
    public static final Tracking.Owner OWNER =
            new Tracking.Owner("HelmRelease", "helm.toolkit.fluxcd.io/name", "helm.toolkit.fluxcd.io/namespace");

    public static final Tracking TRACKING = Tracking.owners(OWNER);

    private static final Logger LOG = LoggerFactory.getLogger(FluxHelmReleaseSource.class);
    private static final Map<String, String> CHART_SOURCES = Map.of(
            "HelmChart", "source.toolkit.fluxcd.io/v1",
            "OCIRepository", "source.toolkit.fluxcd.io/v1");

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Mode mode;
    private final boolean readSecrets;
    private final HelmChartRender renderer;
    private final Artifacts artifacts;
    private final ManifestLimits limits;
    private final Clock clock;
    private final FluxReads reads;
    private volatile String targetNamespace;
    private volatile String note = "";
    /** "HelmChart ns/name" or "OCIRepository ns/name" the last chart-mode load read; "" before. */
    private volatile String chartSource = "";
    /** The resourceVersion of {@link #chartSource} the last load read. */
    private volatile String chartSourceVersion = "";
    /** What the last chart-mode load read besides the HelmRelease: "Kind ns/name" → resourceVersion ("" if absent). */
    private volatile Map<String, String> references = Map.of();

    private volatile Consumer<FluxHelmReleaseSource> loaded = source -> {};

    private final RenderMemo memo = new RenderMemo();

    /**
     * @param readSecrets whether Secrets named in {@code valuesFrom} may be read (chart mode); when false they are
     *                    refused with an error naming them
     */
    public FluxHelmReleaseSource(
            KubernetesClient client,
            String namespace,
            String name,
            Mode mode,
            boolean readSecrets,
            ToolBinaries binaries,
            ToolRunner runner,
            HttpClient http,
            ManifestLimits limits,
            Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.mode = mode;
        this.readSecrets = readSecrets;
        this.renderer = new HelmChartRender(binaries, runner, limits);
        this.artifacts = new Artifacts(http, runner.timeout(), limits.maxTotalBytes());
        this.limits = limits;
        this.clock = clock;
        this.reads = new FluxReads(client, what());
        this.targetNamespace = namespace;
    }

    /** {@code HelmRelease/<namespace>/<name>}, as helm-controller's origin labels on what it installed name it. */
    @Override
    public String app() {
        return OWNER.app(namespace, name);
    }

    /** The release namespace ({@code spec.targetNamespace}, else the HelmRelease's), known after the first load. */
    @Override
    public String targetNamespace() {
        return targetNamespace;
    }

    /** What the last load noticed beside the objects (an upgrade helm-controller has not finished), or "". */
    public String note() {
        return note;
    }

    /**
     * The chart source the last load read ({@code HelmChart ns/name} or {@code OCIRepository ns/name}), so a new
     * artifact of it can load this app again; "" before the first chart-mode load.
     */
    public String chartSource() {
        return chartSource;
    }

    /**
     * The objects the last chart-mode load read to make the desired state — {@code valuesFrom} ConfigMaps (and Secrets,
     * when read) and the chart source ({@code HelmChart} or {@code OCIRepository}) — as "Kind ns/name" → the
     * resourceVersion read ("" when it was not there), so a watch of them can load this app again when one changes.
     */
    public Map<String, String> references() {
        return references;
    }

    /** Called after every chart-mode load, successful or not, once {@link #references()} is up to date. */
    public void whenLoaded(Consumer<FluxHelmReleaseSource> listener) {
        this.loaded = listener;
    }

    /** Renders every time (values can change what the same chart renders to); empty when nothing changed. */
    @Override
    public Optional<DesiredState> loadIfChanged(String knownRevision) throws SourceException {
        return memo.ifChanged(load(), knownRevision);
    }

    private String what() {
        return "Flux HelmRelease " + namespace + "/" + name;
    }

    @Override
    public DesiredState load() throws SourceException {
        JsonNode object = reads.get(HelmReleaseSpec.API_VERSION, "HelmRelease", namespace, name);
        if (object == null) {
            throw new SourceException(Reason.CONFIG, what() + " not found");
        }
        HelmReleaseSpec release = HelmReleaseSpec.of(object);
        targetNamespace = release.releaseNamespace();
        FluxStatus status = FluxStatus.of(object);
        if (release.suspended()) {
            throw new SourceException(
                    Reason.UNHEALTHY,
                    what() + " is suspended (spec.suspend: true): Flux does not reconcile it, so it is not compared"
                            + installed(release));
        }
        if ("False".equals(status.readyStatus())) {
            throw new SourceException(
                    Reason.UNHEALTHY, what() + " is failing: " + status.readyText() + installed(release));
        }
        String pending = release.pendingChartVersion();
        note = pending.isEmpty()
                ? ""
                : what() + ": helm-controller last attempted chart " + pending + ", not yet installed (installed: "
                        + release.latestSnapshot().path("chartVersion").asText("none") + ")";
        return mode == Mode.CHART ? fromChart(release) : fromReleaseStorage(release);
    }

    private static String installed(HelmReleaseSpec release) {
        JsonNode latest = release.latestSnapshot();
        if (latest.isMissingNode()) {
            return "";
        }
        return "; latest release " + latest.path("name").asText() + " v"
                + latest.path("version").asText()
                + " (chart " + latest.path("chartName").asText() + " "
                + latest.path("chartVersion").asText() + ", "
                + latest.path("status").asText() + ")";
    }

    private DesiredState fromReleaseStorage(HelmReleaseSpec release) throws SourceException {
        return new HelmReleaseStore(
                        reads, release.storageNamespace(), release.releaseName(), app(), what(), limits, clock)
                .load();
    }

    private DesiredState fromChart(HelmReleaseSpec release) throws SourceException {
        Map<String, String> read = new LinkedHashMap<>();
        try {
            return fromChart(release, read);
        } finally {
            if (!chartSource.isEmpty()) {
                read.put(chartSource, chartSourceVersion);
            }
            references = Map.copyOf(read);
            loaded.accept(this);
        }
    }

    private DesiredState fromChart(HelmReleaseSpec release, Map<String, String> read) throws SourceException {
        Instant[] valuesWrittenAt = {null};
        ObjectNode values = HelmValuesFrom.merge(
                release.spec(),
                (kind, refName) -> {
                    JsonNode object = reads.get("v1", kind, namespace, refName);
                    String reference = kind + " " + namespace + "/" + refName;
                    read.put(
                            reference,
                            object == null
                                    ? ""
                                    : object.path("metadata")
                                            .path("resourceVersion")
                                            .asText());
                    Instant written = object == null ? null : writtenAt(object.path("metadata"));
                    if (written != null && (valuesWrittenAt[0] == null || written.isAfter(valuesWrittenAt[0]))) {
                        valuesWrittenAt[0] = written;
                    }
                    return object;
                },
                readSecrets,
                what());
        String valuesPending = release.valuesPending(ValuesDigest.of(values));
        JsonNode artifact = chartArtifact(release);
        String chartRevision = artifact.path("revision").asText();
        String revision = "chart " + chartRevision;
        HelmChartRender.Capabilities capabilities = capabilities();
        Path scratch = reads.scratch();
        try {
            Path root = scratch.resolve("artifact");
            artifacts.fetch(
                    artifact.path("url").asText(), artifact.path("digest").asText(null), root, what());
            List<ObjectNode> objects = renderer.render(release, values, capabilities, root, scratch);
            String pending = release.pending(chartRevision);
            if (pending.isEmpty()) {
                pending = valuesPending;
            }
            if (!valuesPending.isEmpty()) {
                note = note.isEmpty() ? what() + ": " + valuesPending : note + "; " + valuesPending;
            }
            LOG.debug(
                    "{}: {} objects rendered from {}{}",
                    what(),
                    objects.size(),
                    revision,
                    pending.isEmpty() ? "" : " (pending: " + pending + ")");
            Instant changedAt = changedAt(release, artifact);
            if (!valuesPending.isEmpty()) {
                // the values differ from the installed ones by helm-controller's own digest: what helm wrote before
                // the referenced objects last changed (or, not knowing when, before now) is pending, not admission
                Instant since = valuesWrittenAt[0] != null ? valuesWrittenAt[0] : clock.instant();
                changedAt = changedAt == null || since.isAfter(changedAt) ? since : changedAt;
            }
            return new DesiredState(app(), revision, changedAt, objects, clock.instant(), HelmReleaseStore.UPGRADE);
        } finally {
            FluxReads.delete(scratch);
        }
    }

    /**
     * When the desired state last changed, the evidence for {@code pending-sync} (what helm wrote before it has yet to
     * be upgraded): the chart artifact's {@code lastUpdateTime}, or, while helm-controller has not attempted the
     * HelmRelease's current spec (new values), when that spec was written, if later.
     */
    private static Instant changedAt(HelmReleaseSpec release, JsonNode artifact) {
        Instant fetched = FluxReads.instant(artifact.path("lastUpdateTime").asText(null));
        Instant written = release.specPending() ? release.specWrittenAt() : null;
        if (written == null) {
            return fetched;
        }
        return fetched == null || written.isAfter(fetched) ? written : fetched;
    }

    /** The chart artifact: {@code spec.chartRef}'s source, else the HelmChart helm-controller made from the template. */
    private JsonNode chartArtifact(HelmReleaseSpec release) throws SourceException {
        JsonNode chartRef = release.spec().path("chartRef");
        String kind;
        String ns;
        String chartName;
        if (!chartRef.isMissingNode()) {
            kind = chartRef.path("kind").asText();
            ns = chartRef.path("namespace").asText(namespace);
            chartName = chartRef.path("name").asText();
        } else if (release.spec().has("chart")) {
            kind = "HelmChart";
            String recorded = release.status().path("helmChart").asText("");
            int slash = recorded.indexOf('/');
            ns = slash > 0
                    ? recorded.substring(0, slash)
                    : release.spec()
                            .path("chart")
                            .path("spec")
                            .path("sourceRef")
                            .path("namespace")
                            .asText(namespace);
            chartName = slash > 0 ? recorded.substring(slash + 1) : namespace + "-" + name;
        } else {
            throw new SourceException(Reason.CONFIG, what() + ": neither spec.chart nor spec.chartRef is set");
        }
        String apiVersion = CHART_SOURCES.get(kind);
        if (apiVersion == null) {
            throw new SourceException(
                    Reason.CONFIG,
                    what() + ": chartRef kind '" + kind + "' is not one driftwatch reads (HelmChart, OCIRepository)");
        }
        JsonNode source = reads.get(apiVersion, kind, ns, chartName);
        String which = kind + " " + ns + "/" + chartName;
        chartSource = which;
        chartSourceVersion = source == null
                ? ""
                : source.path("metadata").path("resourceVersion").asText();
        if (source == null) {
            throw new SourceException(Reason.CONFIG, what() + ": its chart source " + which + " not found");
        }
        JsonNode artifact = source.path("status").path("artifact");
        if (!artifact.hasNonNull("url")) {
            throw new SourceException(
                    Reason.FETCH,
                    what() + ": its chart source " + which + " has no artifact yet (status.artifact is empty): "
                            + FluxStatus.of(source).readyText());
        }
        return artifact;
    }

    /** When an object was last written (its managedFields outside subresources), or null. */
    private static Instant writtenAt(JsonNode metadata) {
        Instant written = HelmReleaseSpec.specWrittenAt(metadata);
        return written != null
                ? written
                : FluxReads.instant(metadata.path("creationTimestamp").asText(null));
    }

    /** The cluster's version and served group/versions, which Helm sees when helm-controller installs. */
    private HelmChartRender.Capabilities capabilities() throws SourceException {
        try {
            String version = client.getKubernetesVersion().getGitVersion();
            List<String> apiVersions = new ArrayList<>();
            client.getApiGroups()
                    .getGroups()
                    .forEach(g -> g.getVersions().forEach(v -> apiVersions.add(v.getGroupVersion())));
            return new HelmChartRender.Capabilities(
                    version, apiVersions.stream().sorted().toList());
        } catch (KubernetesClientException e) {
            throw new SourceException(
                    Reason.FETCH, what() + ": cannot read the cluster's version and API groups: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "FluxHelmReleaseSource[" + namespace + "/" + name + ", " + mode + "]";
    }
}
