package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the {@code kustomization.yaml} kustomize-controller builds ({@code github.com/fluxcd/pkg/kustomize}'s
 * generator): the one in the Kustomization's path, else one generated listing every {@code .yaml}/{@code .yml} file
 * below it (a sub-directory holding a kustomization file is listed as a directory, not descended into), with the
 * Kustomization's {@code targetNamespace}, {@code namePrefix}, {@code nameSuffix}, {@code patches},
 * {@code components} and {@code images} added the way the generator adds them. Blocking (files).
 */
final class KustomizationFile {

    static final List<String> NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> SELECTOR_FIELDS =
            List.of("group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector");

    private KustomizationFile() {}

    /**
     * Writes the file into {@code dir} (the Kustomization's {@code spec.path} inside the artifact) from the
     * Kustomization's {@code spec}.
     *
     * @throws IllegalArgumentException naming what in the spec or the existing file cannot be used
     */
    static void write(Path dir, JsonNode spec) throws IOException {
        write(dir, dir, spec);
    }

    /**
     * As {@link #write(Path, JsonNode)}, with components allowed anywhere inside {@code root} (the artifact), as
     * kustomize-controller allows them (e.g. {@code ../../components/x} from {@code ./overlays/prod}).
     */
    static void write(Path root, Path dir, JsonNode spec) throws IOException {
        Path existing = existing(dir);
        ObjectNode kus;
        if (existing != null) {
            JsonNode read = YAML.readTree(existing.toFile());
            if (read != null && !read.isNull() && !read.isObject()) {
                throw new IllegalArgumentException(existing.getFileName() + " is not a YAML mapping");
            }
            kus = read instanceof ObjectNode o ? o : YAML.createObjectNode();
            if (kus.path("resources").isEmpty()) {
                // the generator's guard against kustomize's "kustomization.yaml is empty"
                kus.putArray("buildMetadata").add("originAnnotations");
            }
        } else {
            kus = generated(dir);
        }
        kus.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kus.put("kind", "Kustomization");
        for (String field : List.of("targetNamespace", "namePrefix", "nameSuffix")) {
            if (spec.hasNonNull(field)) {
                kus.put(
                        field.equals("targetNamespace") ? "namespace" : field,
                        spec.get(field).asText());
            }
        }
        for (JsonNode patch : spec.path("patches")) {
            ObjectNode p = array(kus, "patches")
                    .addObject()
                    .put("patch", patch.path("patch").asText());
            if (patch.path("target").isObject()) {
                ObjectNode target = p.putObject("target");
                SELECTOR_FIELDS.stream()
                        .filter(f -> patch.path("target").hasNonNull(f))
                        .forEach(f -> target.put(f, patch.path("target").get(f).asText()));
            }
        }
        boolean ignoreMissing = spec.path("ignoreMissingComponents").asBoolean(false);
        for (JsonNode component : spec.path("components")) {
            String path = component.asText();
            if (path.startsWith("/")
                    || path.contains("://")
                    || !dir.resolve(path).normalize().startsWith(root.normalize())) {
                throw new IllegalArgumentException(
                        "component path '" + path + "' must be local and relative, inside the source's artifact");
            }
            if (!ignoreMissing || Files.exists(dir.resolve(path))) {
                array(kus, "components").add(path);
            }
        }
        for (JsonNode image : spec.path("images")) {
            mergeImage(array(kus, "images"), image);
        }
        if (!spec.path("buildMetadata").isEmpty()) {
            kus.set("buildMetadata", spec.get("buildMetadata").deepCopy());
        }
        Path target = existing != null ? existing : dir.resolve("kustomization.yaml");
        YAML.writeValue(target.toFile(), kus);
    }

    private static Path existing(Path dir) {
        return NAMES.stream()
                .map(dir::resolve)
                .filter(Files::isRegularFile)
                .findFirst()
                .orElse(null);
    }

    /** The generated file: every manifest below {@code dir}, in the order of a lexical walk. */
    private static ObjectNode generated(Path dir) throws IOException {
        ObjectNode kus = YAML.createObjectNode();
        List<String> resources = new ArrayList<>();
        collect(dir, dir, resources);
        if (resources.isEmpty()) {
            kus.put("namespace", "_placeholder");
        } else {
            resources.forEach(r -> array(kus, "resources").add(r));
        }
        return kus;
    }

    private static void collect(Path root, Path dir, List<String> resources) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        }
        for (Path entry : entries) {
            String relative = "./" + root.relativize(entry);
            if (Files.isDirectory(entry)) {
                if (existing(entry) != null) {
                    resources.add(relative);
                } else {
                    collect(root, entry, resources);
                }
            } else {
                String name = entry.getFileName().toString();
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    resources.add(relative);
                }
            }
        }
    }

    /** An image override: fields merged into an entry of the same name, else appended (the generator's rule). */
    private static void mergeImage(ArrayNode images, JsonNode image) {
        String name = image.path("name").asText();
        for (JsonNode existing : images) {
            if (existing instanceof ObjectNode e && name.equals(e.path("name").asText())) {
                if (!image.path("newName").asText().isEmpty()) {
                    e.put("newName", image.get("newName").asText());
                }
                String tag = image.path("newTag").asText();
                String digest = image.path("digest").asText();
                if (!tag.isEmpty() || !digest.isEmpty()) {
                    setOrRemove(e, "newTag", tag);
                    setOrRemove(e, "digest", digest);
                }
                return;
            }
        }
        ObjectNode added = images.addObject().put("name", name);
        for (String field : List.of("newName", "newTag", "digest")) {
            setOrRemove(added, field, image.path(field).asText());
        }
    }

    private static void setOrRemove(ObjectNode node, String field, String value) {
        if (value.isEmpty()) {
            node.remove(field);
        } else {
            node.put(field, value);
        }
    }

    private static ArrayNode array(ObjectNode node, String field) {
        return node.path(field) instanceof ArrayNode a ? a : node.putArray(field);
    }
}
