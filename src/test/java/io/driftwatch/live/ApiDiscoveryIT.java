package io.driftwatch.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/**
 * Discovery from the API server's aggregated documents ({@code /api}, {@code /apis}: two requests) finds exactly
 * what the old form (one request per group-version) finds: the same kinds at the same preferred versions, the same
 * listable kinds, the same names, and the other served versions.
 */
@WithKubeApiServer
class ApiDiscoveryIT {

    @Test
    void aggregatedDiscoveryFindsWhatOneRequestPerGroupVersionFinds(KubernetesClient client) {
        ApiDiscovery aggregated = ApiDiscovery.discover(client);
        ApiDiscovery perGroupVersion = ApiDiscovery.discoverPerGroupVersion(client);

        assertThat(aggregated.listable()).isEqualTo(perGroupVersion.listable());
        assertThat(aggregated.listable())
                .extracting(ApiResource::apiVersion, ApiResource::kind)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("v1", "ConfigMap"),
                        org.assertj.core.groups.Tuple.tuple("apps/v1", "Deployment"),
                        org.assertj.core.groups.Tuple.tuple("autoscaling/v2", "HorizontalPodAutoscaler"));
        assertThat(new HashSet<>(aggregated.names())).isEqualTo(new HashSet<>(perGroupVersion.names()));
        assertThat(aggregated.require("autoscaling/v1", "HorizontalPodAutoscaler"))
                .isEqualTo(perGroupVersion.require("autoscaling/v1", "HorizontalPodAutoscaler"));
        assertThat(aggregated.isNamespaced("", "Namespace")).isFalse();
        assertThat(aggregated.isNamespaced("apps", "Deployment")).isTrue();
    }
}
