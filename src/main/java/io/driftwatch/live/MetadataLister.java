package io.driftwatch.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Lists objects as metadata only ({@code PartialObjectMetadataList}, as {@code kubectl get} and client-go's metadata
 * informers ask for it): names, labels, annotations, owners and managedFields without spec or data, so that every kind
 * in a namespace can be searched for an app's objects cheaply. Paged. Blocking.
 */
final class MetadataLister {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCEPT =
            "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1," + "application/json";
    private static final int PAGE = 500;

    private final KubernetesClient client;

    MetadataLister(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The objects of one kind in one namespace ("": cluster-scoped kinds, or a namespaced kind in every namespace),
     * with apiVersion and kind set.
     *
     * @param labelSelector a label selector, or null for all objects
     * @throws KubernetesClientException with the API server's status code when it refuses (403 and others)
     */
    List<ObjectNode> list(ApiResource resource, String namespace, String labelSelector) {
        String base = client.getMasterUrl().toString().replaceAll("/+$", "")
                + (resource.group().isEmpty() ? "/api/v1" : "/apis/" + resource.group() + "/" + resource.version())
                + (resource.namespaced() && !namespace.isEmpty() ? "/namespaces/" + encode(namespace) : "")
                + "/" + resource.plural()
                + "?limit=" + PAGE + (labelSelector == null ? "" : "&labelSelector=" + encode(labelSelector));
        List<ObjectNode> items = new ArrayList<>();
        String next = "";
        do {
            JsonNode page = get(client, base + (next.isEmpty() ? "" : "&continue=" + encode(next)), ACCEPT);
            for (JsonNode item : page.path("items")) {
                ObjectNode object = (ObjectNode) item;
                object.put("apiVersion", resource.apiVersion());
                object.put("kind", resource.kind());
                items.add(object);
            }
            next = page.path("metadata").path("continue").asText("");
        } while (!next.isEmpty());
        return items;
    }

    /** GET url with the given Accept header, as JSON; a refusal is a KubernetesClientException with its code. */
    static JsonNode get(KubernetesClient client, String url, String accept) {
        HttpRequest request = client.getHttpClient()
                .newHttpRequestBuilder()
                .uri(url)
                .header("Accept", accept)
                .timeout(client.getConfiguration().getRequestTimeout(), TimeUnit.MILLISECONDS)
                .build(); // the client's request timeout, as its own requests have
        HttpResponse<String> response;
        try {
            response = client.getHttpClient().sendAsync(request, String.class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while reading " + url, e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException("cannot read " + url + ": " + e.getCause(), e.getCause());
        }
        if (!response.isSuccessful()) {
            throw new KubernetesClientException(
                    "reading " + url + " failed with " + response.code() + ": " + response.body(),
                    response.code(),
                    null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the API server's answer to " + url + " is not JSON", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
