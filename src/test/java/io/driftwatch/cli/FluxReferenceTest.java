package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FluxReferenceTest {

    @Test
    void splitsNamespaceAndName() {
        assertThat(FluxReference.parse("--flux-kustomization", "flux-system/apps", "flux-system/apps"))
                .isEqualTo(new FluxReference("flux-system", "apps"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"apps", "/apps", "flux-system/", "a/b/c", ""})
    void refusesAnythingButOneNamespaceAndOneNameNamingTheFlag(String reference) {
        assertThatThrownBy(() -> FluxReference.parse("--flux-helmrelease", reference, "flux-system/podinfo"))
                .isInstanceOf(DiffSettings.SettingsException.class)
                .hasMessage("--flux-helmrelease '" + reference + "' is not NAMESPACE/NAME (e.g. flux-system/podinfo)");
    }
}
