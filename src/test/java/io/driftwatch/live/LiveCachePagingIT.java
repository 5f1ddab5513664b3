package io.driftwatch.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The informers list in pages of {@link KindInformer#LIST_PAGE_SIZE}: a kind with several pages of objects must still
 * arrive whole (continue tokens followed), count as initial objects rather than changes, and be watched afterwards.
 */
@WithKubeApiServer
class LiveCachePagingIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void kindSpanningSeveralListPagesIsCachedWholeAndWatched(KubernetesClient client, TestNamespace ns) {
        int count = (int) (KindInformer.LIST_PAGE_SIZE * 2 + 117);
        IntStream.range(0, count)
                .parallel()
                .forEach(i -> client.configMaps()
                        .inNamespace(ns.name())
                        .resource(new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("cm-" + i)
                                .endMetadata()
                                .withData(Map.of("index", Integer.toString(i)))
                                .build())
                        .create());
        // the root-CA publisher of kube-controller-manager adds kube-root-ca.crt to every namespace
        Eventually.await(
                "kube-root-ca.crt published",
                WAIT,
                () -> client.configMaps()
                                .inNamespace(ns.name())
                                .withName("kube-root-ca.crt")
                                .get()
                        != null);
        int expected = count + 1;

        List<LiveEvent> events = new CopyOnWriteArrayList<>();
        try (LiveCache cache = new LiveCache(client, List.of(ns.name()), events::add)) {
            cache.ensureKinds(Set.of(new ApiResource("", "v1", "ConfigMap", "configmaps", true)));
            Eventually.await("ConfigMaps listed", WAIT, () -> cache.hasSynced("", "ConfigMap"));
            assertThat(cache.ofKind("", "ConfigMap")).hasSize(expected);
            assertThat(cache.sizes()).containsEntry("ConfigMap", expected);
            assertThat(cache.ofKind("", "ConfigMap"))
                    .extracting(o -> o.path("metadata").path("name").asText())
                    .contains("cm-0", "cm-" + KindInformer.LIST_PAGE_SIZE, "cm-" + (count - 1));

            client.configMaps()
                    .inNamespace(ns.name())
                    .withName("cm-7")
                    .edit(cm -> new ConfigMapBuilder(cm)
                            .addToData("index", "changed")
                            .build());
            Eventually.await(
                    "the change after the paged list is watched",
                    WAIT,
                    () -> cache.ofKind("", "ConfigMap").stream()
                            .anyMatch(o -> "cm-7"
                                            .equals(o.path("metadata")
                                                    .path("name")
                                                    .asText())
                                    && "changed"
                                            .equals(o.path("data").path("index").asText())));
        }
    }
}
