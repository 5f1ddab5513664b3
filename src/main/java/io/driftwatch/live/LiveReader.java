package io.driftwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the live objects a one-shot diff needs: every object of the desired kinds in the namespaces desired objects
 * live in (cluster-wide for cluster-scoped kinds), so that missing and extra objects are found too, plus the
 * HorizontalPodAutoscalers of those namespaces, whose targets' replicas are not drift. Blocking.
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
    public record Scope(ApiResource resource, String namespace) {
    }

    /** The list scopes for desired objects given as (apiVersion, kind, namespace) with the namespace already resolved. */
    public Set<Scope> scopesFor(List<ObjectNode> desired, String targetNamespace) {
        Set<Scope> scopes = new LinkedHashSet<>();
        Set<String> namespaces = new LinkedHashSet<>();
        for (ObjectNode manifest : desired) {
            ApiResource resource = discovery.require(manifest.path("apiVersion").asText(), manifest.path("kind").asText());
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
        Map<String, JsonNode> byUid = new LinkedHashMap<>();
        for (Scope scope : scopes) {
            ApiResource r = scope.resource();
            ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                    .withGroup(r.group()).withVersion(r.version()).withKind(r.kind()).withPlural(r.plural())
                    .withNamespaced(r.namespaced()).build();
            var operation = client.genericKubernetesResources(context);
            List<GenericKubernetesResource> items = r.namespaced()
                    ? operation.inNamespace(scope.namespace()).list().getItems()
                    : operation.list().getItems();
            for (GenericKubernetesResource item : items) {
                ObjectNode json = client.getKubernetesSerialization().convertValue(item, ObjectNode.class);
                // list responses do not repeat apiVersion and kind in their items
                json.put("apiVersion", r.apiVersion());
                json.put("kind", r.kind());
                byUid.putIfAbsent(item.getMetadata().getUid(), json);
            }
        }
        return new ArrayList<>(byUid.values());
    }
}
