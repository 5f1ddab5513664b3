package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.diff.ManagerRules.ManagerGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagerRulesTest {

    @Test
    void sortsDefaultManagersIntoAppliersOutOfBandAndControllers() {
        ManagerRules rules = ManagerRules.defaults();
        assertThat(rules.classify("argocd-controller")).isEqualTo(ManagerGroup.APPLIER);
        assertThat(rules.classify("kubectl-client-side-apply")).isEqualTo(ManagerGroup.APPLIER);
        assertThat(rules.classify("kubectl-edit")).isEqualTo(ManagerGroup.OUT_OF_BAND);
        assertThat(rules.classify("kubectl")).isEqualTo(ManagerGroup.OUT_OF_BAND);
        assertThat(rules.classify("Mozilla")).isEqualTo(ManagerGroup.OUT_OF_BAND);
        assertThat(rules.classify("kube-controller-manager")).isEqualTo(ManagerGroup.CONTROLLER);
        assertThat(rules.classify("kubectl-create"))
                .as("every kubectl verb is a person's")
                .isEqualTo(ManagerGroup.OUT_OF_BAND);
        assertThat(rules.classify("kubectl-replace")).isEqualTo(ManagerGroup.OUT_OF_BAND);
        assertThat(rules.classify("kubectl-client-side-apply"))
                .as("appliers win")
                .isEqualTo(ManagerGroup.APPLIER);
        assertThat(rules.classify("python-requests")).isEqualTo(ManagerGroup.UNKNOWN);
    }

    @Test
    void matchesConfiguredGlobsAndLetsAppliersWin() {
        ManagerRules rules = ManagerRules.defaults()
                .withAppliers(List.of("flux-*", "kubectl"))
                .withOutOfBand(List.of("kubectl*"));
        assertThat(rules.classify("flux-kustomize")).isEqualTo(ManagerGroup.APPLIER);
        assertThat(rules.classify("kubectl")).isEqualTo(ManagerGroup.APPLIER);
        assertThat(rules.classify("kubectl-edit")).isEqualTo(ManagerGroup.OUT_OF_BAND);
        assertThat(rules.classify("argocd-controller"))
                .as("neither applier, out-of-band nor controller")
                .isEqualTo(ManagerGroup.UNKNOWN);
    }

    @Test
    void globsMatchWholeStringsWithStarAndQuestionMark() {
        assertThat(Glob.of("kubectl-*").matches("kubectl-edit")).isTrue();
        assertThat(Glob.of("kubectl-*").matches("kubectl")).isFalse();
        assertThat(Glob.of("k?s").matches("k9s")).isTrue();
        assertThat(Glob.of("a.b").matches("axb")).as("dots are literal").isFalse();
        assertThat(Glob.matches(null, "anything")).isTrue();
    }

    @Test
    void ignoreRulesMatchOnGlobbedIdentity() {
        IgnoreRule rule = new IgnoreRule("apps", "Deploy*", "web-*", null, List.of("/spec/replicas"), List.of("hpa-*"));
        assertThat(rule.appliesTo(new ObjectKey("apps", "Deployment", "shop", "web-1")))
                .isTrue();
        assertThat(rule.appliesTo(new ObjectKey("apps", "Deployment", "shop", "api")))
                .isFalse();
        assertThat(rule.appliesTo(new ObjectKey("", "Deployment", "shop", "web-1")))
                .isFalse();
        assertThat(rule.ignoresManager("hpa-controller")).isTrue();
        assertThat(rule.ignoresManager("kubectl")).isFalse();
    }
}
