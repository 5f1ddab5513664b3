package io.driftwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the live objects a one-shot diff needs: every object of the desired kinds in the namespaces desired objects
 * live in (cluster-wide for cluster-scoped kinds), so that missing and extra objects are found too, plus the
 * HorizontalPodAutoscalers of those namespaces, whose targets' replicas are not drift; and, searched by metadata, the
 * app's objects of every other kind ({@link #tracked}). Blocking.
 */
public final class LiveReader {

    private static final String HPA_GROUP = "autoscaling";
    private static final String HPA_KIND = "HorizontalPodAutoscaler";

    private final KubernetesClient client;
    private final ApiDiscovery discovery;

    public LiveReader(KubernetesClient client, ApiDiscovery discovery) {
        this.client = client;
        this.discovery = discovery;
    }

    /** One (kind, namespace) pair to list; namespace is empty for cluster-scoped kinds. */
    public record Scope(ApiResource resource, String namespace) {}

    /** The list scopes for desired objects given as (apiVersion, kind, namespace) with the namespace already resolved. */
    public Set<Scope> scopesFor(List<ObjectNode> desired, String targetNamespace) {
        Set<Scope> scopes = new LinkedHashSet<>();
        Set<String> namespaces = new LinkedHashSet<>();
        for (ObjectNode manifest : desired) {
            ApiResource resource = discovery.require(
                    manifest.path("apiVersion").asText(), manifest.path("kind").asText());
            String namespace = "";
            if (resource.namespaced()) {
                namespace = manifest.path("metadata").path("namespace").asText("");
                namespace = namespace.isEmpty() ? targetNamespace : namespace;
                namespaces.add(namespace);
            }
            scopes.add(new Scope(resource, namespace));
        }
        discovery.find(HPA_GROUP, HPA_KIND).ifPresent(hpa -> namespaces.forEach(ns -> scopes.add(new Scope(hpa, ns))));
        return scopes;
    }

    /** Every live object in the scopes, as JSON exactly as the API server returned it (managedFields included). */
    public List<JsonNode> list(Set<Scope> scopes) {
        List<Scope> ordered = List.copyOf(scopes);
        List<List<GenericKubernetesResource>> lists = BoundedParallel.map(ordered, scope -> {
            var operation = client.genericKubernetesResources(context(scope.resource()));
            return scope.resource().namespaced()
                    ? operation.inNamespace(scope.namespace()).list().getItems()
                    : operation.list().getItems();
        });
        Map<String, JsonNode> byUid = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            for (GenericKubernetesResource item : lists.get(i)) {
                byUid.putIfAbsent(
                        item.getMetadata().getUid(), typed(item, ordered.get(i).resource()));
            }
        }
        return new ArrayList<>(byUid.values());
    }

    /**
     * Objects found outside the listed scopes, and the kinds that could not be searched (the credentials may not list
     * them), named with the reason.
     */
    public record Tracked(List<JsonNode> objects, List<String> unreadable) {}

    /**
     * The live objects {@code tracked} accepts among every other kind ({@link ExtraKinds}): namespaced kinds in the
     * given namespaces ("" for every namespace), cluster-scoped kinds cluster-wide, skipping the scopes already read.
     * Searched by metadata only (label-selected when {@code labelSelector} is set); only the objects accepted are read
     * whole.
     */
    public Tracked tracked(
            Predicate<Scope> alreadyRead,
            Collection<String> namespaces,
            String labelSelector,
            Predicate<JsonNode> tracked) {
        MetadataLister lister = new MetadataLister(client);
        List<Scope> searched = new ArrayList<>();
        for (ApiResource r : ExtraKinds.of(discovery)) {
            for (String namespace : r.namespaced() ? namespaces : List.of("")) {
                if (!alreadyRead.test(new Scope(r, namespace))) {
                    searched.add(new Scope(r, namespace));
                }
            }
        }
        List<Tracked> each = BoundedParallel.map(searched, scope -> search(lister, scope, labelSelector, tracked));
        List<JsonNode> found = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        each.forEach(t -> {
            found.addAll(t.objects());
            unreadable.addAll(t.unreadable());
        });
        return new Tracked(found, unreadable);
    }

    /** The accepted objects of one scope, or the reason it could not be searched. */
    private Tracked search(MetadataLister lister, Scope scope, String labelSelector, Predicate<JsonNode> tracked) {
        ApiResource r = scope.resource();
        try {
            List<JsonNode> found = new ArrayList<>();
            for (ObjectNode meta : lister.list(r, scope.namespace(), labelSelector)) {
                if (tracked.test(meta)) {
                    readWhole(r, meta).ifPresent(found::add);
                }
            }
            return new Tracked(found, List.of());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 405) { // a kind removed since discovery, no list
                return new Tracked(List.of(), List.of());
            }
            return new Tracked(
                    List.of(),
                    List.of(r.apiVersion() + "/" + r.kind()
                            + (scope.namespace().isEmpty() ? "" : " in " + scope.namespace()) + " (" + reason(e)
                            + ")"));
        }
    }

    private Optional<JsonNode> readWhole(ApiResource r, ObjectNode meta) {
        String name = meta.path("metadata").path("name").asText();
        var operation = client.genericKubernetesResources(context(r));
        GenericKubernetesResource item = r.namespaced()
                ? operation
                        .inNamespace(meta.path("metadata").path("namespace").asText())
                        .withName(name)
                        .get()
                : operation.withName(name).get();
        return Optional.ofNullable(item).map(i -> typed(i, r)); // gone since the list: nothing left behind
    }

    private static String reason(KubernetesClientException e) {
        return switch (e.getCode()) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            default -> "HTTP " + e.getCode();
        };
    }

    private static ResourceDefinitionContext context(ApiResource r) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(r.group())
                .withVersion(r.version())
                .withKind(r.kind())
                .withPlural(r.plural())
                .withNamespaced(r.namespaced())
                .build();
    }

    private ObjectNode typed(GenericKubernetesResource item, ApiResource r) {
        ObjectNode json = client.getKubernetesSerialization().convertValue(item, ObjectNode.class);
        // list responses do not repeat apiVersion and kind in their items
        json.put("apiVersion", r.apiVersion());
        json.put("kind", r.kind());
        return json;
    }
}
