package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.addManager;
import static io.driftwatch.diff.Fixtures.desired;
import static io.driftwatch.diff.Fixtures.load;
import static io.driftwatch.diff.Fixtures.remove;
import static io.driftwatch.diff.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.ManagerRules.UnknownManagers;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Verdicts by managedFields evidence: unknown managers are drift, removals name nobody, duplicate keys are seen. */
class ManagerEvidenceTest {

    private static final String WEB = "/spec/template/spec/containers/0";
    private static final String ADDED_ENV =
            "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":"
                    + "\\\"web\\\"}\":{\"f:env\":{\"k:{\\\"name\\\":\\\"DEBUG\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}}}}}}}}";

    private final DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults());
    private final ObjectNode deployment = load("deployment-desired.yaml");
    private final ObjectNode live = load("deployment-live.yaml");

    private void addEnvBy(String manager) {
        set(live, WEB + "/env/-", "{\"name\":\"DEBUG\",\"value\":\"1\"}");
        addManager(live, manager, "Update", null, "2026-11-21T10:00:00Z", ADDED_ENV);
    }

    private static Change only(Optional<Drift> drift) {
        assertThat(drift).as("drift expected").isPresent();
        assertThat(drift.get().changes()).hasSize(1);
        return drift.get().changes().get(0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "python-requests",
                "OpenAPI-Generator",
                "Terraform",
                "pulumi-kubernetes",
                "lens",
                "headlamp",
                "my-script",
                "fabric8-kubernetes-client"
            })
    void fieldsAddedByAnUnknownManagerAreDriftWithTheLineThatWouldClassifyIt(String manager) {
        addEnvBy(manager);
        Optional<Drift> drift = engine.diff(desired(deployment), live, true);
        Change c = only(drift);
        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.cause()).isEqualTo(Cause.UNKNOWN_MANAGER);
        assertThat(c.manager()).isEqualTo(manager);
        assertThat(c.note())
                .contains("diff.managers.controllers: ['" + manager + "']")
                .contains("--controller " + manager)
                .contains("diff.managers.outOfBand")
                .contains("--applier");
        assertThat(drift.get().cause()).isEqualTo(Cause.UNKNOWN_MANAGER);
        assertThat(drift.get().summary()).contains("set by " + manager).contains("--controller " + manager);
        assertThat(ReportJson.toJson(drift.get()).at("/changes/0/note").asText())
                .isEqualTo(c.note());
        assertThat(ReportText.render(DriftReport.of(1, List.of(drift.get()), false), false))
                .contains(c.note());
    }

    @Test
    void theOldRuleOrAConfiguredControllerSilencesAnUnknownManager() {
        addEnvBy("policy-operator");
        DiffEngine old = DiffEngine.withDefaults(
                DiffOptions.defaults().withManagers(ManagerRules.defaults().withUnknown(UnknownManagers.CONTROLLER)));
        DiffEngine configured = DiffEngine.withDefaults(
                DiffOptions.defaults().withManagers(ManagerRules.defaults().withControllers(List.of("policy-*"))));
        assertThat(old.diff(desired(deployment), live, true)).isEmpty();
        assertThat(configured.diff(desired(deployment), live, true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kube-controller-manager",
                "cert-manager-cainjector",
                "Kyverno",
                "pilot-discovery",
                "karpenter",
                "PrometheusOperator",
                "source-controller"
            })
    void fieldsAddedByAKnownControllerAreNotDrift(String manager) {
        addEnvBy(manager);
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kubectl-replace",
                "kubectl-create",
                "kubectl",
                "kubectl-edit",
                "kubectl-set",
                "k9s",
                "Go-http-client"
            })
    void fieldsAddedByPeoplesToolsAreOutOfBand(String manager) {
        addEnvBy(manager);
        Change c = only(engine.diff(desired(deployment), live, true));
        assertThat(c.cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(c.note()).isNull();
    }

    @Test
    void aDesiredFieldChangedByAnUnknownManagerIsUnknownManagerDrift() {
        set(live, WEB + "/image", "\"nginx:1.28\"");
        addManager(
                live,
                "deploy-bot",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\"f:image\":{}}}}}}}");
        remove(
                live,
                "/metadata/managedFields/0/fieldsV1/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"web\"}/f:image");
        Change c = only(engine.diff(desired(deployment), live, true));
        assertThat(c.op()).isEqualTo(Op.CHANGED);
        assertThat(c.cause()).isEqualTo(Cause.UNKNOWN_MANAGER);
        assertThat(c.manager()).isEqualTo("deploy-bot");
        assertThat(c.note()).contains("--controller deploy-bot");
    }

    @Test
    void aRemovalNamesNoManagerEvenWhenAPersonsToolOwnsTheParent() {
        remove(live, WEB + "/livenessProbe");
        addManager(
                live,
                "kubectl-edit",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\".\":{}}}}}}}");
        Optional<Drift> drift = engine.diff(desired(deployment), live, true);
        Change c = only(drift);
        assertThat(c.op()).isEqualTo(Op.REMOVED);
        assertThat(c.manager()).isNull();
        assertThat(c.operation()).isNull();
        assertThat(c.time()).isNull();
        assertThat(c.note()).isEqualTo(Change.REMOVAL_NOTE);
        assertThat(c.cause())
                .as("last-applied holds the desired probe: no pending sync, nobody recorded")
                .isEqualTo(Cause.UNKNOWN);
        assertThat(drift.get().summary())
                .contains("not recorded in the object who removed it")
                .doesNotContain("kubectl-edit");
        assertThat(ReportJson.toJson(drift.get()).at("/changes/0/manager").isNull())
                .isTrue();
        assertThat(ReportText.render(DriftReport.of(1, List.of(drift.get()), false), false))
                .contains(Change.REMOVAL_NOTE);
    }

    @Test
    void aRemovalStillReadsPendingSyncFromLastApplied() {
        set(deployment, WEB + "/env/-", "{\"name\":\"NEW\",\"value\":\"x\"}");
        Change c = only(engine.diff(desired(deployment), live, true));
        assertThat(c.op()).isEqualTo(Op.REMOVED);
        assertThat(c.cause())
                .as("Git added it, the applier has not applied it yet")
                .isEqualTo(Cause.PENDING_SYNC);
        assertThat(c.manager()).isNull();
    }

    @Test
    void anExtraObjectCreatedByAnUnknownManagerSaysHowToClassifyIt() {
        ObjectNode extra = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: leftover
                  namespace: shop
                  labels: {app.kubernetes.io/instance: shop}
                  managedFields:
                    - {manager: python-requests, operation: Update, apiVersion: v1, fieldsType: FieldsV1, fieldsV1: {f:data: {}}}
                """);
        Drift d = engine.diffUndesired(extra, java.util.Map.of("shop", PrunePolicy.UNKNOWN))
                .orElseThrow();
        assertThat(d.cause()).isEqualTo(Cause.UNKNOWN_MANAGER);
        assertThat(d.summary()).contains("created by python-requests").contains("--controller python-requests");
    }

    @Test
    void hintsQuoteOddManagerNames() {
        assertThat(ManagerRules.hint("it's mine")).contains("['it''s mine']").contains("--controller 'it'\\''s mine'");
    }
}
