package io.driftwatch.source.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.diff.IgnoreRule;
import io.driftwatch.diff.Tracking;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.driftwatch.source.argocd.rest.model.ClusterSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What driftwatch takes from Argo CD's system settings: how live objects are tracked (annotation, label, or both,
 * with the app label key) and the system-level ignore rules ({@code resource.customizations.ignoreDifferences.*},
 * served as {@code resourceOverrides}, whose {@code ignoreDifferences} arrive as YAML text or as an object).
 *
 * @param tracking       how the diff engine finds the app a live object belongs to
 * @param ignoreRules    system-level rules, for every app
 * @param unsupported    rules or settings driftwatch cannot honour (jq path expressions), for the log
 */
public record ArgoCdSettings(Tracking tracking, List<IgnoreRule> ignoreRules, List<String> unsupported) {

    static final String DEFAULT_LABEL_KEY = Tracking.DEFAULT_LABEL;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public ArgoCdSettings {
        ignoreRules = List.copyOf(ignoreRules);
        unsupported = List.copyOf(unsupported);
    }

    /** Argo CD v3's defaults: annotation tracking, no system rules. */
    public static ArgoCdSettings defaults() {
        return new ArgoCdSettings(new Tracking(Tracking.DEFAULT_ANNOTATION, null), List.of(), List.of());
    }

    /** Reads the settings the server returned; a method driftwatch does not know is a configuration error. */
    public static ArgoCdSettings of(ClusterSettings settings) throws SourceException {
        String labelKey =
                settings.getAppLabelKey() == null || settings.getAppLabelKey().isBlank()
                        ? DEFAULT_LABEL_KEY
                        : settings.getAppLabelKey();
        String method = settings.getTrackingMethod() == null
                ? ""
                : settings.getTrackingMethod().toLowerCase(Locale.ROOT);
        Tracking tracking = switch (method) {
            case "", "annotation" -> new Tracking(Tracking.DEFAULT_ANNOTATION, null);
            case "label" -> new Tracking(null, labelKey);
            case "annotation+label" -> new Tracking(Tracking.DEFAULT_ANNOTATION, labelKey);
            default ->
                throw new SourceException(
                        Reason.CONFIG,
                        "Argo CD tracking method '" + method
                                + "' is not one driftwatch knows (annotation, label, annotation+label)");
        };
        List<IgnoreRule> rules = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        Map<String, Object> overrides = settings.getResourceOverrides();
        if (overrides != null) {
            for (Map.Entry<String, Object> e : overrides.entrySet()) {
                JsonNode ignore = JSON.valueToTree(e.getValue()).path("ignoreDifferences");
                if (ignore.isMissingNode() || ignore.isNull()) {
                    continue;
                }
                rules.add(systemRule(e.getKey(), ignore, unsupported));
            }
        }
        return new ArgoCdSettings(tracking, rules, unsupported);
    }

    /** One {@code resourceOverrides} entry, keyed {@code group/Kind} ({@code Kind} for the core group, globs allowed). */
    static IgnoreRule systemRule(String key, JsonNode ignore, List<String> unsupported) throws SourceException {
        JsonNode spec = ignore;
        if (ignore.isTextual()) {
            try {
                spec = YAML.readTree(ignore.textValue());
            } catch (IOException e) {
                throw new SourceException(
                        Reason.PARSE,
                        "Argo CD resource override " + key + ": ignoreDifferences is not YAML: " + e.getMessage(),
                        e);
            }
        }
        int slash = key.lastIndexOf('/');
        String group = slash < 0 ? "" : key.substring(0, slash);
        String kind = slash < 0 ? key : key.substring(slash + 1);
        if (spec != null
                && spec.has("jqPathExpressions")
                && !spec.get("jqPathExpressions").isEmpty()) {
            unsupported.add("resource override " + key + ": jqPathExpressions are not supported and not honoured");
        }
        return new IgnoreRule(
                group, kind, null, null, strings(spec, "jsonPointers"), strings(spec, "managedFieldsManagers"));
    }

    static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.path(field).forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
