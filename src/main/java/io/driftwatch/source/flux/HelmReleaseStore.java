package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestException;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.diff.ManifestReader;
import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Helm release as an app, from Helm's release storage (Secret driver): the manifest of the release's latest revision
 * — Secrets of type {@code helm.sh/release.v1} labelled {@code owner=helm,name=<release>} in the storage namespace —
 * whoever installed it (helm-controller or a plain {@code helm install}). Hooks are stored apart and are not in it. A
 * latest revision that failed or is still pending is an {@link Reason#UNHEALTHY} error, not desired state. Needs read
 * access to those Secrets, which hold the release's values. Blocking.
 */
public final class HelmReleaseStore implements AppSource {

    /** Helm's upgrade deletes what the release had and the new manifest lacks, except objects annotated so. */
    public static final PrunePolicy.Marker RESOURCE_POLICY_KEEP =
            new PrunePolicy.Marker("helm.sh/resource-policy", "keep", false);
    /**
     * Desired state = the next release (a chart rendered for helm-controller's next upgrade): an extra it installed is
     * deleted by that upgrade, unless {@link #RESOURCE_POLICY_KEEP}.
     */
    public static final PrunePolicy UPGRADE = PrunePolicy.prunes("Helm upgrade", RESOURCE_POLICY_KEEP);
    /**
     * Desired state = the installed release: an extra Helm wrote is in no release Helm will upgrade from (it was left
     * by an earlier upgrade, e.g. kept by {@link #RESOURCE_POLICY_KEEP}), so no Helm upgrade deletes it.
     */
    public static final PrunePolicy INSTALLED = PrunePolicy.keeps(
            "not in the installed Helm release: Helm deletes only objects of the release it upgrades");

    private static final Logger LOG = LoggerFactory.getLogger(HelmReleaseStore.class);

    private final FluxReads reads;
    private final String storageNamespace;
    private final String releaseName;
    private final String app;
    private final String what;
    private final ManifestLimits limits;
    private final Clock clock;

    /** A plain Helm release stored in its own namespace (Helm's default), as app {@code releaseName}. */
    public HelmReleaseStore(
            KubernetesClient client, String namespace, String releaseName, ManifestLimits limits, Clock clock) {
        this(
                new FluxReads(client, "Helm release " + namespace + "/" + releaseName),
                namespace,
                releaseName,
                releaseName,
                "Helm release " + namespace + "/" + releaseName,
                limits,
                clock);
    }

    HelmReleaseStore(
            FluxReads reads,
            String storageNamespace,
            String releaseName,
            String app,
            String what,
            ManifestLimits limits,
            Clock clock) {
        this.reads = reads;
        this.storageNamespace = storageNamespace;
        this.releaseName = releaseName;
        this.app = app;
        this.what = what;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public String app() {
        return app;
    }

    /** Helm's default: the release namespace is the storage namespace. */
    @Override
    public String targetNamespace() {
        return storageNamespace;
    }

    @Override
    public DesiredState load() throws SourceException {
        List<JsonNode> secrets = reads.list("v1", "Secret", storageNamespace, "owner=helm,name=" + releaseName).stream()
                .filter(s ->
                        HelmReleaseStorage.SECRET_TYPE.equals(s.path("type").asText()))
                .sorted(Comparator.comparingInt((JsonNode s) -> s.path("metadata")
                                .path("labels")
                                .path("version")
                                .asInt(0))
                        .reversed())
                .toList();
        if (secrets.isEmpty()) {
            throw new SourceException(
                    Reason.FETCH,
                    what + ": Helm's release storage has no release " + releaseName + " in namespace "
                            + storageNamespace + " (not installed yet, or not stored by the Secret driver)");
        }
        JsonNode latest = secrets.get(0);
        HelmReleaseStorage.Release stored;
        try {
            stored = HelmReleaseStorage.decode(
                    latest.path("data").path("release").asText(""), limits.maxTotalBytes());
        } catch (IllegalArgumentException e) {
            throw new SourceException(
                    Reason.PARSE,
                    what + ": release Secret " + storageNamespace + "/"
                            + latest.path("metadata").path("name").asText() + ": " + e.getMessage(),
                    e);
        }
        String revision = "release " + stored.name() + " v" + stored.version() + " (chart " + stored.chart() + ")";
        if (!stored.deployed()) {
            throw new SourceException(
                    Reason.UNHEALTHY,
                    what + ": the latest revision in Helm's release storage, " + revision + ", is " + stored.status()
                            + (stored.description().isEmpty() ? "" : " (" + stored.description() + ")")
                            + "; not compared until a revision is deployed");
        }
        List<ObjectNode> objects = parse(stored.manifest(), revision);
        LOG.debug("{}: {} objects from {}", what, objects.size(), revision);
        return new DesiredState(app, revision, stored.lastDeployed(), objects, clock.instant(), INSTALLED);
    }

    private List<ObjectNode> parse(String manifest, String revision) throws SourceException {
        Path scratch = reads.scratch();
        try {
            Path file = scratch.resolve("manifest.yaml");
            Files.writeString(file, manifest, StandardCharsets.UTF_8);
            return ManifestReader.read(file, limits);
        } catch (ManifestException e) {
            throw new SourceException(Reason.PARSE, what + ": the manifest of " + revision + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SourceException(Reason.PARSE, what + ": " + e, e);
        } finally {
            FluxReads.delete(scratch);
        }
    }

    @Override
    public String toString() {
        return "HelmReleaseStore[" + storageNamespace + "/" + releaseName + "]";
    }
}
