package io.driftwatch.source.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code helm template <release> <chart> --namespace <ns> --include-crds -f <values file>... --values <inline>
 * [--kube-version <v>]}, as Argo CD's repo-server runs it, through {@link HelmTemplate} (hooks left out, a private
 * Helm home per render).
 */
final class HelmRenderer implements ManifestRenderer {

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final ToolBinaries binaries;
    private final ToolRunner runner;

    HelmRenderer(ToolBinaries binaries, ToolRunner runner) {
        this.binaries = binaries;
        this.runner = runner;
    }

    @Override
    public List<ObjectNode> render(RenderInput input) throws SourceException {
        Path helm = binaries.find(ToolBinaries.Tool.HELM);
        return HelmTemplate.run(
                runner,
                command(helm, input),
                input.checkout(),
                input.scratch(),
                "helm output of " + input.spec().path(),
                input.limits());
    }

    List<String> command(Path helm, RenderInput input) throws SourceException {
        GitAppSpec spec = input.spec();
        GitAppSpec.Helm settings = spec.helm();
        Path chart = input.dir();
        List<String> command = new ArrayList<>(List.of(
                helm.toString(),
                "template",
                spec.releaseName(),
                chart.toString(),
                "--namespace",
                spec.targetNamespace(),
                "--include-crds"));
        for (int i = 0; i < settings.valuesFiles().size(); i++) {
            String name = settings.valuesFiles().get(i);
            Path file = chart.resolve(name).normalize();
            String setting = "apps[" + spec.name() + "].helm.valuesFiles[" + i + "]";
            if (!file.startsWith(input.checkout())) {
                throw new SourceException(Reason.CONFIG, setting + ": " + name + " leaves the repository");
            }
            if (!Files.isRegularFile(file)) {
                throw new SourceException(
                        Reason.CONFIG,
                        setting + ": " + name + " does not exist in the chart " + spec.path() + " at "
                                + input.commit());
            }
            command.add("--values");
            command.add(file.toString());
        }
        if (settings.values() != null) {
            Path inline = input.scratch().resolve("inline-values.json");
            try {
                Files.writeString(inline, CANONICAL.writeValueAsString(settings.values()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new SourceException(Reason.RENDER, "cannot write the inline values: " + e.getMessage(), e);
            }
            command.add("--values");
            command.add(inline.toString());
        }
        if (settings.kubeVersion() != null && !settings.kubeVersion().isBlank()) {
            command.add("--kube-version");
            command.add(settings.kubeVersion());
        }
        return command;
    }

    @Override
    public String inputs(GitAppSpec spec) throws SourceException {
        GitAppSpec.Helm settings = spec.helm();
        return "helm " + binaries.find(ToolBinaries.Tool.HELM) + " release=" + spec.releaseName()
                + " namespace=" + spec.targetNamespace() + " values=" + settings.valuesFiles()
                + " inline=" + sha256(settings.values()) + " kubeVersion=" + settings.kubeVersion();
    }

    /** SHA-256 of the canonical JSON of {@code values} (keys sorted), so equal trees hash equal. */
    static String sha256(JsonNode values) {
        if (values == null) {
            return "none";
        }
        try {
            Object plain = CANONICAL.convertValue(values, Object.class);
            byte[] json = CANONICAL.writeValueAsBytes(plain);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash values", e);
        }
    }
}
