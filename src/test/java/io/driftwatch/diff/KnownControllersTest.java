package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.diff.ManagerRules.ManagerGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The known-controllers table: documented with its sources, and what it matches. */
class KnownControllersTest {

    @Test
    void everyEntryIsDocumentedInTheClassificationTable() throws Exception {
        String doc = Files.readString(Path.of("docs/diff.md"));
        String table = doc.substring(doc.indexOf("### Known controllers"), doc.indexOf("| cause | meaning |"));
        for (KnownControllers.Entry e : KnownControllers.TABLE) {
            assertThat(table).as(e.project()).contains("| " + e.project() + " |");
            for (String manager : e.managers()) {
                assertThat(table).as(e.project()).contains("`" + manager + "`");
            }
        }
    }

    /** Names the sources write with, one or more per project of the table. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "kube-controller-manager",
                "clusterrole-aggregation-controller",
                "ResourceClaimController",
                "kube-scheduler",
                "kube-apiserver",
                "before-first-apply",
                "api-priority-and-fairness-config-producer-v1",
                "cert-manager-certificates-issuing",
                "cert-manager-cainjector",
                "pilot-discovery",
                "istio-operator",
                "linkerd.io/policy-controller",
                "Kyverno",
                "kyverno-generate",
                "gatekeeper",
                "keda",
                "recommender",
                "updater",
                "karpenter",
                "cluster-autoscaler",
                "ExternalDNS",
                "externalsecrets.external-secrets.io/db-credentials",
                "rollouts-controller",
                "source-controller",
                "gotk-kustomize-controller",
                "apiextensions.crossplane.io/composite",
                "pkg.crossplane.io/runtime",
                "PrometheusOperator",
                "nginx-ingress-controller"
            })
    void realControllerNamesAreControllers(String manager) {
        assertThat(ManagerRules.defaults().classify(manager)).isEqualTo(ManagerGroup.CONTROLLER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubectl-argo-rollouts", "kubectl-replace", "kubectl-create", "kubectl"})
    void kubectlAndItsPluginsArePeoplesTools(String manager) {
        assertThat(ManagerRules.defaults().classify(manager)).isEqualTo(ManagerGroup.OUT_OF_BAND);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "controller",
                "manager",
                "cainjector",
                "python-requests",
                "OpenAPI-Generator",
                "Terraform",
                "",
                "cert-manage"
            })
    void namesNotVerifiedAreUnknown(String manager) {
        assertThat(ManagerRules.defaults().classify(manager)).isEqualTo(ManagerGroup.UNKNOWN);
        assertThat(ManagerRules.defaults()
                        .withUnknown(ManagerRules.UnknownManagers.CONTROLLER)
                        .classify(manager))
                .isEqualTo(ManagerGroup.CONTROLLER);
    }

    @Test
    void configuredGroupsComeBeforeTheTable() {
        ManagerRules rules = ManagerRules.defaults()
                .withOutOfBand(java.util.List.of("karpenter"))
                .withControllers(java.util.List.of("deploy-bot"));
        assertThat(rules.classify("karpenter")).isEqualTo(ManagerGroup.OUT_OF_BAND);
        assertThat(rules.classify("deploy-bot")).isEqualTo(ManagerGroup.CONTROLLER);
    }
}
