package io.driftwatch.source.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.DesiredHints;
import io.driftwatch.diff.Glob;
import io.driftwatch.diff.IgnoreRule;
import io.driftwatch.diff.ManifestReader;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.source.argocd.rest.model.ManifestResponse;
import io.driftwatch.source.argocd.rest.model.ResourceIgnoreDifferences;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an Argo CD Application and its rendered target manifests into driftwatch's desired state (pure): each
 * manifest string parsed, hooks left out (Argo CD runs them, it does not keep them in sync), Secrets marked as having
 * masked values (Argo CD hides them, so only their key sets are compared), and the app's {@code spec.ignoreDifferences}
 * plus the system rules attached to the objects they concern as {@link DesiredHints}. Namespaces are not filled in:
 * the consumer gives namespaced objects the app's destination namespace, with discovery deciding what is namespaced.
 */
public final class AppManifests {

    static final List<String> HOOK_ANNOTATIONS = List.of("argocd.argoproj.io/hook", "helm.sh/hook");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppManifests() {}

    /** The app's own ignore rules; jq path expressions, which driftwatch cannot evaluate, go to {@code unsupported}. */
    public static List<IgnoreRule> appRules(Application app, List<String> unsupported) {
        List<IgnoreRule> rules = new ArrayList<>();
        if (app.getSpec() == null || app.getSpec().getIgnoreDifferences() == null) {
            return rules;
        }
        for (ResourceIgnoreDifferences r : app.getSpec().getIgnoreDifferences()) {
            if (r.getJqPathExpressions() != null && !r.getJqPathExpressions().isEmpty()) {
                unsupported.add("app " + name(app) + ": ignoreDifferences for " + r.getKind()
                        + " uses jqPathExpressions, which are not supported and not honoured");
            }
            // Argo CD: an empty group is the core group; kind, name and namespace empty match anything but the kind
            rules.add(new IgnoreRule(
                    r.getGroup() == null ? "" : r.getGroup(),
                    emptyToNull(r.getKind()),
                    emptyToNull(r.getName()),
                    emptyToNull(r.getNamespace()),
                    r.getJsonPointers(),
                    r.getManagedFieldsManagers()));
        }
        return rules;
    }

    /**
     * The desired state of {@code app} from its manifests, at {@code manifests.revision} when the server says (the
     * API server leaves it empty in v3.5), else at {@code requested}: the revision(s) asked for.
     */
    public static DesiredState desiredState(
            Application app, ManifestResponse manifests, String requested, List<IgnoreRule> rules, Instant now)
            throws SourceException {
        String name = name(app);
        List<ObjectNode> objects = new ArrayList<>();
        List<String> texts = manifests.getManifests() == null ? List.of() : manifests.getManifests();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            List<ObjectNode> flat = new ArrayList<>();
            ManifestReader.flatten(parse(name, i, texts.get(i)), "manifest #" + (i + 1), flat, problems);
            for (ObjectNode object : flat) {
                if (isHook(object)) {
                    continue;
                }
                DesiredHints.attach(object, rulesFor(object, rules), isSecret(object));
                objects.add(object);
            }
        }
        if (!problems.isEmpty()) {
            throw new SourceException(Reason.PARSE, "app " + name + " from Argo CD: " + String.join("; ", problems));
        }
        String revision =
                manifests.getRevision() == null || manifests.getRevision().isBlank()
                        ? requested
                        : manifests.getRevision();
        return new DesiredState(name, revision, null, objects, now, ArgoCdPrune.of(app));
    }

    static String name(Application app) {
        return app.getMetadata() == null ? "" : app.getMetadata().getName();
    }

    private static ObjectNode parse(String app, int index, String text) throws SourceException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node instanceof ObjectNode o && o.hasNonNull("kind") && o.hasNonNull("apiVersion")) {
                return o;
            }
        } catch (IOException e) {
            throw new SourceException(
                    Reason.PARSE,
                    "app " + app + ": manifest #" + (index + 1) + " from Argo CD is not JSON: " + e.getMessage(),
                    e);
        }
        throw new SourceException(
                Reason.PARSE,
                "app " + app + ": manifest #" + (index + 1)
                        + " from Argo CD is not a Kubernetes object (no kind/apiVersion)");
    }

    static boolean isHook(JsonNode object) {
        JsonNode annotations = object.path("metadata").path("annotations");
        return HOOK_ANNOTATIONS.stream().anyMatch(annotations::hasNonNull);
    }

    static boolean isSecret(JsonNode object) {
        return "Secret".equals(object.path("kind").asText())
                && "v1".equals(object.path("apiVersion").asText());
    }

    /** The rules that may concern this object: group, kind and name match; the namespace is checked when diffing. */
    static List<IgnoreRule> rulesFor(JsonNode object, List<IgnoreRule> rules) {
        String apiVersion = object.path("apiVersion").asText();
        String group = ObjectKey.groupOf(apiVersion);
        String kind = object.path("kind").asText();
        String objectName = object.path("metadata").path("name").asText();
        return rules.stream()
                .filter(r -> Glob.matches(r.group(), group)
                        && Glob.matches(r.kind(), kind)
                        && Glob.matches(r.name(), objectName))
                .toList();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
