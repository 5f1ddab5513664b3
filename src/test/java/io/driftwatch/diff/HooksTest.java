package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HooksTest {

    @ParameterizedTest(name = "{0}: {1} -> hook {2}, skipped {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "helm.sh/hook            | post-install             | true  | false",
                "helm.sh/hook            | pre-install,pre-upgrade  | true  | false",
                "helm.sh/hook            | test                     | true  | false",
                "helm.sh/hook            | crd-install              | false | false",
                "argocd.argoproj.io/hook | PostSync                 | true  | false",
                "argocd.argoproj.io/hook | Skip                     | false | true",
                "argocd.argoproj.io/hook | Skip,PostSync            | true  | false",
                "argocd.argoproj.io/hook | PreDelete                | true  | false",
                "argocd.argoproj.io/hook | SomethingElse            | true  | false",
                "app.kubernetes.io/name  | post-install             | false | false",
            })
    void followsArgoCdsHookRule(String annotation, String value, boolean hook, boolean skipped) {
        ObjectNode object = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x, annotations: {"%s": "%s"}}
                """.formatted(annotation, value));
        assertThat(Hooks.isHook(object)).isEqualTo(hook);
        assertThat(Hooks.isSkipped(object)).isEqualTo(skipped);
        assertThat(Hooks.notCompared(object)).isEqualTo(hook || skipped);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'{argocd.argoproj.io/hook: Skip, helm.sh/hook: post-delete}' | true",
                "'{helm.sh/hook: crd-install}'                                 | false",
                "'{argocd.argoproj.io/compare-options: IgnoreExtraneous}'      | true",
                "'{argocd.argoproj.io/compare-options: \"ServerSideDiff=true,IgnoreExtraneous\"}' | true",
                "'{argocd.argoproj.io/compare-options: ServerSideDiff=true}'   | false",
                "'{}'                                                           | false",
            })
    void neverExtra(String annotations, boolean neverExtra) {
        ObjectNode object = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x, annotations: %s}
                """.formatted(annotations));
        assertThat(Hooks.neverExtra(object)).isEqualTo(neverExtra);
    }
}
