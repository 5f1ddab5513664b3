package io.driftwatch.agent;

import io.driftwatch.diff.ListSchema;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.live.ClusterOpenApi;
import io.driftwatch.live.ListSchemaMemo;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;

/** What the reconciler asks the API server about its schema: the kinds it serves and their list merge rules. */
interface ClusterSchema {

    /** What the API server serves now (blocking). */
    ApiDiscovery discover();

    /** The list types of these API versions, from the server's OpenAPI (blocking). */
    ListSchema listSchema(Set<String> apiVersions);

    /** From the API server; each OpenAPI document is fetched and parsed once while its content stays the same. */
    static ClusterSchema of(KubernetesClient client) {
        ListSchemaMemo memo = new ListSchemaMemo();
        return new ClusterSchema() {
            @Override
            public ApiDiscovery discover() {
                return ApiDiscovery.discover(client);
            }

            @Override
            public ListSchema listSchema(Set<String> apiVersions) {
                return ClusterOpenApi.load(client, apiVersions, memo);
            }
        };
    }
}
