package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A HelmRelease's values as helm-controller merges them ({@code github.com/fluxcd/pkg/chartutil}'s
 * {@code ChartValuesFromReferences}): each {@code valuesFrom} reference in order — a document merged at the root, or
 * one value at {@code targetPath} (Helm's {@code --set} typing, or a string with {@code literal: true}) — then
 * {@code spec.values}, which wins; {@code optional} references that are missing are skipped; every problem is named at
 * once. The values have Go's number types ({@link GoValues}), so {@link ValuesDigest} of them is helm-controller's
 * config digest. Blocking only as far as {@code lookup} is.
 */
final class HelmValuesFrom {

    /** Reads a referenced object ({@code ConfigMap} or {@code Secret}) of the HelmRelease's namespace; null when absent. */
    interface Lookup {
        JsonNode get(String kind, String name) throws SourceException;
    }

    private HelmValuesFrom() {}

    /**
     * @param spec        the HelmRelease's {@code spec}
     * @param readSecrets whether Secrets may be read; when false a Secret reference is refused, named
     */
    static ObjectNode merge(JsonNode spec, Lookup lookup, boolean readSecrets, String what) throws SourceException {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        JsonNode inline = spec.path("values").isObject() ? GoValues.fromJson(spec.path("values")) : null;
        List<String> problems = new ArrayList<>();
        for (JsonNode ref : spec.path("valuesFrom")) {
            String kind = ref.path("kind").asText();
            String refName = ref.path("name").asText();
            if (!kind.equals("ConfigMap") && !kind.equals("Secret")) {
                problems.add("valuesFrom " + kind + "/" + refName + ": kind must be ConfigMap or Secret");
                continue;
            }
            if (kind.equals("Secret") && !readSecrets) {
                problems.add("valuesFrom Secret/" + refName + ": reading Secrets is not enabled for driftwatch's Flux"
                        + " access (enable it, or compare with the installed release)");
                continue;
            }
            JsonNode referenced = lookup.get(kind, refName);
            JsonNode data = referenced == null ? null : referenced.path("data");
            ObjectNode next;
            try {
                next = data == null ? null : applyReference(result, ref, data, inline);
            } catch (IllegalArgumentException e) {
                problems.add("valuesFrom " + kind + "/" + refName + " key "
                        + ref.path("valuesKey").asText("values.yaml") + ": " + e.getMessage());
                continue;
            }
            if (next == null) {
                if (!ref.path("optional").asBoolean(false)) {
                    problems.add("valuesFrom " + kind + "/" + refName
                            + (referenced == null
                                    ? " not found"
                                    : " has no key " + ref.path("valuesKey").asText("values.yaml")));
                }
                continue;
            }
            result = next;
        }
        if (!problems.isEmpty()) {
            throw new SourceException(Reason.CONFIG, what + ": " + String.join("; ", problems));
        }
        return inline != null ? HelmValues.merge(result, inline) : result;
    }

    /**
     * One reference applied to the values so far; {@code data} is the referenced object's {@code data} (a Secret's
     * still base64-encoded, as the API returns it); {@code inline} is {@code spec.values} as Go reads it. Null when the
     * key is not there.
     *
     * @throws IllegalArgumentException naming what helm-controller would refuse in it
     */
    static ObjectNode applyReference(ObjectNode result, JsonNode ref, JsonNode data, JsonNode inline) {
        JsonNode raw = data.get(ref.path("valuesKey").asText("values.yaml"));
        if (raw == null) {
            return null;
        }
        String text = raw.asText();
        if ("Secret".equals(ref.path("kind").asText())) {
            text = new String(Base64.getMimeDecoder().decode(text), StandardCharsets.UTF_8);
        }
        String targetPath = ref.path("targetPath").asText("");
        if (!targetPath.isEmpty()) {
            // as ChartValuesFromReferences: spec.values merged in before the value is set (they win again at the end)
            ObjectNode copy = HelmValues.merge(result, inline != null ? inline : JsonNodeFactory.instance.objectNode());
            if (ref.path("literal").asBoolean(false)) {
                HelmValues.setPath(copy, targetPath, JsonNodeFactory.instance.textNode(text));
            } else {
                HelmValues.setPath(copy, targetPath, text);
            }
            return copy;
        }
        ObjectNode document = GoValues.readDocument(text);
        return document == null ? result : HelmValues.merge(result, document);
    }
}
