package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManifestLimits;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.driftwatch.source.git.HelmTemplate;
import io.driftwatch.source.git.ToolBinaries;
import io.driftwatch.source.git.ToolRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A HelmRelease's manifest as helm-controller would install it, from a chart artifact already unpacked: the values
 * merged from {@code valuesFrom} and {@code spec.values} ({@link HelmValues}), {@code helm template} with the release
 * name and namespace helm-controller computes, the cluster's version and API versions (helm-controller renders
 * against the cluster), CRDs and hooks left out (neither is part of a release's manifest), then helm-controller's
 * post-renderers: {@code spec.commonMetadata} and the origin labels {@code helm.toolkit.fluxcd.io/name} and
 * {@code /namespace} (which win over common labels), after the user's {@code spec.postRenderers} (Kustomize patches and
 * images, {@link HelmPostRenderers}), as helm-controller orders them. Blocking.
 */
final class HelmChartRender {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cluster's capabilities as Helm sees them when it installs. */
    record Capabilities(String kubeVersion, List<String> apiVersions) {}

    private final ToolBinaries binaries;
    private final ToolRunner runner;
    private final ManifestLimits limits;
    private final HelmPostRenderers postRenderers;

    HelmChartRender(ToolBinaries binaries, ToolRunner runner, ManifestLimits limits) {
        this.binaries = binaries;
        this.runner = runner;
        this.limits = limits;
        this.postRenderers = new HelmPostRenderers(binaries, runner, limits);
    }

    List<ObjectNode> render(
            HelmReleaseSpec release, ObjectNode values, Capabilities capabilities, Path artifact, Path scratch)
            throws SourceException {
        String what = release.what();
        Path chart = chartDirectory(artifact, what);
        Path valuesFile = scratch.resolve("values.json");
        try {
            Files.writeString(valuesFile, JSON.writeValueAsString(values), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SourceException(Reason.RENDER, what + ": cannot write the merged values: " + e, e);
        }
        List<String> command = new ArrayList<>(List.of(
                binaries.find(ToolBinaries.Tool.HELM).toString(),
                "template",
                release.releaseName(),
                chart.toString(),
                "--namespace",
                release.releaseNamespace(),
                "--skip-tests",
                "--values",
                valuesFile.toString()));
        if (capabilities.kubeVersion() != null && !capabilities.kubeVersion().isEmpty()) {
            command.add("--kube-version");
            command.add(capabilities.kubeVersion());
        }
        for (String apiVersion : capabilities.apiVersions()) {
            command.add("--api-versions");
            command.add(apiVersion);
        }
        List<ObjectNode> objects = postRenderers.apply(
                HelmTemplate.run(runner, command, chart, scratch, "helm output of " + what, limits),
                release.spec().path("postRenderers"),
                scratch,
                what);
        objects.forEach(o -> postRender(o, release));
        return objects;
    }

    /** The unpacked chart: the artifact's root when it holds Chart.yaml, else its one directory that does. */
    static Path chartDirectory(Path artifact, String what) throws SourceException {
        if (Files.isRegularFile(artifact.resolve("Chart.yaml"))) {
            return artifact;
        }
        try (Stream<Path> entries = Files.list(artifact)) {
            List<Path> charts = entries.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml")))
                    .toList();
            if (charts.size() != 1) {
                throw new SourceException(
                        Reason.PARSE,
                        what + ": the chart artifact holds " + charts.size()
                                + " directories with a Chart.yaml; expected one chart");
            }
            return charts.get(0);
        } catch (IOException e) {
            throw new SourceException(Reason.PARSE, what + ": cannot read the chart artifact: " + e, e);
        }
    }

    private static void postRender(ObjectNode object, HelmReleaseSpec release) {
        ObjectNode metadata = object.with("metadata");
        JsonNode common = release.spec().path("commonMetadata");
        common.path("labels")
                .fields()
                .forEachRemaining(e ->
                        metadata.with("labels").put(e.getKey(), e.getValue().asText()));
        common.path("annotations")
                .fields()
                .forEachRemaining(e -> metadata.with("annotations")
                        .put(e.getKey(), e.getValue().asText()));
        ObjectNode labels = metadata.with("labels");
        labels.put(HelmReleaseSpec.GROUP + "/name", release.name());
        labels.put(HelmReleaseSpec.GROUP + "/namespace", release.namespace());
    }
}
