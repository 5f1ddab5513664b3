package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HelmReleaseDesiredStateTest {

    @Test
    void aReferenceIsNamespaceSlashReleaseName() {
        assertThat(HelmReleaseDesiredState.parse("shop/web")).containsExactly("shop", "web");
        assertThat(HelmReleaseDesiredState.parse("shop/web.v2")).containsExactly("shop", "web.v2");
    }

    @Test
    void everyProblemOfAReferenceIsNamedAtOnce() {
        assertThatThrownBy(() -> HelmReleaseDesiredState.parse("Shop/Web_1"))
                .hasMessage("--helm-installed 'Shop/Web_1': 'Shop' is not a namespace name (lower-case letters, digits "
                        + "and '-', at most 63); 'Web_1' is not a Helm release name (lower-case letters, digits, '-' "
                        + "and '.', at most 53)");
        assertThatThrownBy(() -> HelmReleaseDesiredState.parse("/"))
                .hasMessageContaining("'' is not a namespace name")
                .hasMessageContaining("'' is not a Helm release name");
        assertThatThrownBy(() -> HelmReleaseDesiredState.parse("web"))
                .hasMessage("--helm-installed 'web' is not NAMESPACE/NAME (e.g. shop/web)");
        assertThatThrownBy(() -> HelmReleaseDesiredState.parse("a/b/c")).hasMessageContaining("is not NAMESPACE/NAME");
        assertThatThrownBy(() -> HelmReleaseDesiredState.parse("shop/" + "w".repeat(54)))
                .hasMessageContaining("is not a Helm release name");
    }
}
