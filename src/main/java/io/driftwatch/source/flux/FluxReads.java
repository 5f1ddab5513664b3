package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads for the Flux sources: one object by name (read-only, errors naming the object and the HTTP status), objects by
 * label, and a scratch directory removed as a whole. Blocking.
 */
final class FluxReads {

    private static final Logger LOG = LoggerFactory.getLogger(FluxReads.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String what;

    FluxReads(KubernetesClient client, String what) {
        this.client = client;
        this.what = what;
    }

    /** The object as JSON, or null when it does not exist. */
    JsonNode get(String apiVersion, String kind, String ns, String name) throws SourceException {
        try {
            GenericKubernetesResource found = client.genericKubernetesResources(apiVersion, kind)
                    .inNamespace(ns)
                    .withName(name)
                    .get();
            return found == null
                    ? null
                    : JSON.readTree(client.getKubernetesSerialization().asJson(found));
        } catch (KubernetesClientException e) {
            throw refused(e, kind + " " + ns + "/" + name, apiVersion);
        } catch (IOException e) {
            throw new SourceException(Reason.PARSE, what + ": " + kind + " " + ns + "/" + name + ": " + e, e);
        }
    }

    /** The objects of a kind in a namespace matching a label selector, as JSON. */
    List<JsonNode> list(String apiVersion, String kind, String ns, String labelSelector) throws SourceException {
        try {
            return client
                    .genericKubernetesResources(apiVersion, kind)
                    .inNamespace(ns)
                    .withLabelSelector(labelSelector)
                    .list()
                    .getItems()
                    .stream()
                    .map(o -> (JsonNode)
                            JSON.valueToTree(client.getKubernetesSerialization().convertValue(o, Map.class)))
                    .toList();
        } catch (KubernetesClientException e) {
            throw refused(e, kind + "s in " + ns + " labelled " + labelSelector, apiVersion);
        }
    }

    private SourceException refused(KubernetesClientException e, String which, String apiVersion) {
        if (e.getCode() <= 0 && String.valueOf(e.getMessage()).contains("Could not find the metadata")) {
            return new SourceException(
                    Reason.CONFIG,
                    what + ": cannot read " + which + ": the cluster does not serve " + apiVersion
                            + " (are Flux's CRDs installed?)",
                    e);
        }
        Reason reason = e.getCode() == 401 || e.getCode() == 403 ? Reason.AUTH : Reason.FETCH;
        return new SourceException(
                reason, what + ": cannot read " + which + ": HTTP " + e.getCode() + " " + e.getMessage(), e);
    }

    static Instant instant(String text) {
        try {
            return text == null || text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    Path scratch() throws SourceException {
        try {
            return Files.createTempDirectory("driftwatch-flux-");
        } catch (IOException e) {
            throw new SourceException(Reason.RENDER, what + ": cannot create a scratch directory: " + e, e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete scratch directory {}: {}", dir, e.toString());
        }
    }
}
