package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KindNamesTest {

    private final KindNames served = new KindNames(
            List.of(
                    new KindNames.Entry("apps", "Deployment", "deployments", "deployment", List.of("deploy")),
                    new KindNames.Entry("apps", "DaemonSet", "daemonsets", "daemonset", List.of("ds")),
                    new KindNames.Entry("", "ConfigMap", "configmaps", "configmap", List.of("cm")),
                    new KindNames.Entry("", "Event", "events", "event", List.of("ev")),
                    new KindNames.Entry("events.k8s.io", "Event", "events", "event", List.of("ev")),
                    new KindNames.Entry(
                            "cert-manager.io", "Certificate", "certificates", "certificate", List.of("cert"))),
            "the cluster serves");

    @Test
    void resolvesKindPluralSingularAndShortNamesInAnyCase() {
        for (String name : List.of(
                "Deployment",
                "deployment",
                "deployments",
                "DEPLOY",
                "deployments.apps",
                "Deployment.apps",
                "deployments.v1.apps",
                "deploy.apps")) {
            assertThat(served.resolve(List.of(name))).as(name).containsExactly("apps/Deployment");
        }
        assertThat(served.resolve(List.of("cm", "configmaps.v1"))).containsExactly("/ConfigMap");
        assertThat(served.resolve(List.of("certificates.cert-manager.io")))
                .containsExactly("cert-manager.io/Certificate");
    }

    @Test
    void aNameSeveralGroupsServeSelectsAllUnlessAGroupIsGiven() {
        assertThat(served.resolve(List.of("events"))).containsExactlyInAnyOrder("/Event", "events.k8s.io/Event");
        assertThat(served.resolve(List.of("events.events.k8s.io"))).containsExactly("events.k8s.io/Event");
    }

    @Test
    void namesEveryUnknownKindWithTheClosestOnes() {
        assertThatThrownBy(() -> served.resolve(List.of("deploymnet", "configmap", "Deployment.extensions", "zzz")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'deploymnet' is not a kind the cluster serves (did you mean Deployment.apps?)")
                .hasMessageContaining(
                        "'Deployment.extensions' is not a kind the cluster serves (did you mean " + "Deployment.apps?)")
                .hasMessageContaining("'zzz' is not a kind the cluster serves")
                .message()
                .doesNotContain("'configmap'")
                .doesNotContain("zzz' is not a kind the cluster serves (");
    }

    @Test
    void offlineTheInputsKindsAreKnownByKindName() {
        KindNames offline = KindNames.inObjects(
                List.of(new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()
                        .put("apiVersion", "apps/v1")
                        .put("kind", "Deployment")),
                List.of());
        assertThat(offline.resolve(List.of("deployment"))).containsExactly("apps/Deployment");
        assertThatThrownBy(() -> offline.resolve(List.of("Service")))
                .hasMessageContaining("'Service' is not a kind the input files hold");
    }
}
