package io.driftwatch.source.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.diff.PrunePolicy.Default;
import io.driftwatch.source.argocd.rest.ApiClient;
import io.driftwatch.source.argocd.rest.model.Application;
import org.junit.jupiter.api.Test;

/** An Argo CD Application's syncPolicy, as the API server sends it, read as whether Argo CD prunes by itself. */
class ArgoCdPruneTest {

    private static final ObjectMapper WIRE = ApiClient.createDefaultObjectMapper();

    private static PrunePolicy policy(String syncPolicy) throws Exception {
        return ArgoCdPrune.of(WIRE.readValue(
                "{\"metadata\":{\"name\":\"shop\"},\"spec\":{\"project\":\"default\"" + syncPolicy + "}}",
                Application.class));
    }

    @Test
    void onlyAnEnabledAutomatedSyncWithPruneDeletesByItself() throws Exception {
        assertThat(policy("").byDefault()).as("manual sync only").isEqualTo(Default.KEEPS);
        assertThat(policy(",\"syncPolicy\":{\"syncOptions\":[\"CreateNamespace=true\"]}")
                        .byDefault())
                .isEqualTo(Default.KEEPS);
        assertThat(policy(",\"syncPolicy\":{\"automated\":{\"selfHeal\":true}}").what())
                .isEqualTo("Argo CD syncPolicy.automated.prune is not true");
        assertThat(policy(",\"syncPolicy\":{\"automated\":{\"prune\":false}}").byDefault())
                .isEqualTo(Default.KEEPS);
        assertThat(policy(",\"syncPolicy\":{\"automated\":{\"prune\":true,\"enabled\":false}}")
                        .byDefault())
                .as("automated sync switched off")
                .isEqualTo(Default.KEEPS);
        PrunePolicy prunes = policy(",\"syncPolicy\":{\"automated\":{\"prune\":true}}");
        assertThat(prunes.byDefault()).isEqualTo(Default.PRUNES);
        assertThat(prunes.keep())
                .extracting(PrunePolicy.Marker::toString)
                .containsExactly(
                        "argocd.argoproj.io/sync-options: Prune=false",
                        "argocd.argoproj.io/sync-options: Prune=confirm");
        assertThat(policy(",\"syncPolicy\":{\"automated\":{\"prune\":true,\"enabled\":true}}")
                        .byDefault())
                .isEqualTo(Default.PRUNES);
    }

    @Test
    void theAppsPruneSyncOptionKeepsUnlessAnObjectSaysPruneTrue() throws Exception {
        PrunePolicy p = policy(
                ",\"syncPolicy\":{\"automated\":{\"prune\":true},\"syncOptions\":[\"ServerSideApply=true\",\" Prune=false\"]}");
        assertThat(p.byDefault()).isEqualTo(Default.KEEPS);
        assertThat(p.what()).isEqualTo("Argo CD syncPolicy.syncOptions Prune=false");
        assertThat(p.prune())
                .extracting(PrunePolicy.Marker::toString)
                .containsExactly("argocd.argoproj.io/sync-options: Prune=true");
        assertThat(policy(",\"syncPolicy\":{\"automated\":{\"prune\":true},\"syncOptions\":[\"Prune=confirm\"]}")
                        .byDefault())
                .isEqualTo(Default.KEEPS);
    }
}
