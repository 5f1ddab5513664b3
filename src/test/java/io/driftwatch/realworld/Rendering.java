package io.driftwatch.realworld;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.git.ToolBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a {@link Project} with the real tools, as Argo CD's repo-server does: plain files as they are,
 * {@code kustomize build} (plus the plain files beside a kustomization kept in a subdirectory), or
 * {@code helm template <release> <chart> --namespace <ns> --include-crds} (plus the plain files beside the chart); Helm
 * hooks (tests included) are left out, as Argo CD and Helm do not keep them as the app's objects. Then the project's
 * dropped objects are removed (each one must be found, so the list stays true).
 */
final class Rendering {

    static final String HOOK = "helm.sh/hook";
    private static final YAMLFactory YAML_FACTORY = new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS);
    static final ObjectMapper YAML = new ObjectMapper(YAML_FACTORY);

    private Rendering() {}

    /** The project's objects as the GitOps tool would apply them (before it adds its tracking annotation). */
    static List<ObjectNode> render(Project project, Path scratch) {
        String text = switch (project.renderer()) {
            case PLAIN -> plainFiles(project.dir());
            case KUSTOMIZE ->
                project.path() == null
                        ? kustomize(project.dir())
                        : kustomize(project.dir().resolve(project.path())) + "\n---\n" + plainFiles(project.dir());
            case HELM -> helm(project, scratch) + "\n---\n" + plainFiles(project.dir());
        };
        List<ObjectNode> objects = new ArrayList<>();
        for (ObjectNode o : parse(text, project.name())) {
            if (!o.path("metadata").path("annotations").has(HOOK)) {
                objects.add(o);
            }
        }
        for (Project.Dropped drop : project.dropped()) {
            boolean removed = objects.removeIf(o -> drop.kind()
                            .equals(o.path("kind").asText())
                    && drop.name().equals(o.path("metadata").path("name").asText()));
            if (!removed) {
                throw new IllegalStateException(project + ": dropped object " + drop.kind() + "/" + drop.name()
                        + " is not in the rendered manifests");
            }
        }
        return objects;
    }

    /** Multi-document YAML as objects; empty documents are skipped. */
    static List<ObjectNode> parse(String text, String what) {
        List<ObjectNode> out = new ArrayList<>();
        try (JsonParser parser = YAML_FACTORY.createParser(text);
                MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc instanceof ObjectNode o && o.has("kind")) {
                    out.add(o);
                } else if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    throw new IllegalStateException(what + ": a document is not a Kubernetes object: " + doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot parse rendered YAML", e);
        }
        return out;
    }

    static String toYaml(List<? extends JsonNode> objects) {
        StringBuilder out = new StringBuilder();
        try {
            for (JsonNode o : objects) {
                out.append("---\n").append(YAML.writeValueAsString(o));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String plainFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList()) {
                all.append("\n---\n").append(Files.readString(f));
            }
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String kustomize(Path dir) {
        return run(List.of(tool(ToolBinaries.Tool.KUSTOMIZE), "build", dir.toString()), Map.of());
    }

    private static String helm(Project project, Path scratch) {
        List<String> command = new ArrayList<>(List.of(
                tool(ToolBinaries.Tool.HELM),
                "template",
                project.name(),
                project.dir().resolve(project.path()).toString(),
                "--namespace",
                project.namespace(),
                "--include-crds"));
        project.helmValues().forEach(v -> command.addAll(List.of("--set", v)));
        Path home = scratch.resolve("helm-home");
        return run(
                command,
                Map.of(
                        "HELM_CACHE_HOME",
                        home.resolve("cache").toString(),
                        "HELM_CONFIG_HOME",
                        home.resolve("config").toString(),
                        "HELM_DATA_HOME",
                        home.resolve("data").toString()));
    }

    private static String tool(ToolBinaries.Tool tool) {
        try {
            return ToolBinaries.fromEnvironment().find(tool).toString();
        } catch (SourceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            Path err = Files.createTempFile("render-", ".err");
            builder.redirectError(err.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(err));
            }
            Files.deleteIfExists(err);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
