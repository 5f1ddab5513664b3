package io.driftwatch.source.flux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.diff.PrunePolicy;
import io.driftwatch.diff.PrunePolicy.Default;
import org.junit.jupiter.api.Test;

/** A Kustomization's {@code spec.prune} read as what kustomize-controller does with objects Git dropped. */
class KustomizationPruneTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pruneTrueDeletesExceptObjectsMarkedDisabledAndFalseOrAbsentKeeps() throws Exception {
        PrunePolicy prunes = FluxKustomizationSource.prunePolicy(JSON.readTree("{\"prune\":true}"));
        assertThat(prunes.byDefault()).isEqualTo(Default.PRUNES);
        assertThat(prunes.keep()).containsExactly(FluxKustomizationSource.PRUNE_DISABLED);
        assertThat(FluxKustomizationSource.PRUNE_DISABLED.labelsToo()).isTrue();
        PrunePolicy keeps = FluxKustomizationSource.prunePolicy(JSON.readTree("{\"prune\":false}"));
        assertThat(keeps.byDefault()).isEqualTo(Default.KEEPS);
        assertThat(keeps.what()).isEqualTo("Kustomization spec.prune: false");
        assertThat(FluxKustomizationSource.prunePolicy(JSON.readTree("{}")).byDefault())
                .isEqualTo(Default.KEEPS);
    }
}
