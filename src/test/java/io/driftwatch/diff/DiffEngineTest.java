package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.addManager;
import static io.driftwatch.diff.Fixtures.desired;
import static io.driftwatch.diff.Fixtures.json;
import static io.driftwatch.diff.Fixtures.load;
import static io.driftwatch.diff.Fixtures.remove;
import static io.driftwatch.diff.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiffEngineTest {

    private static final String WEB = "/spec/template/spec/containers/0";
    private static final String CSA = "/metadata/managedFields/0/fieldsV1";

    private final DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults());
    private final ObjectNode deployment = load("deployment-desired.yaml");
    private final ObjectNode live = load("deployment-live.yaml");

    private Drift drift(DiffEngine e, ObjectNode desiredManifest, JsonNode liveObject) {
        Optional<Drift> d = e.diff(desired(desiredManifest), liveObject, true);
        assertThat(d).as("drift expected").isPresent();
        return d.get();
    }

    private Change onlyChange(Drift d) {
        assertThat(d.changes()).hasSize(1);
        return d.changes().get(0);
    }

    // ---- no false positives -------------------------------------------------------------------------------------

    @Test
    void reportsNoDriftForServerDefaultsQuantitySpellingsAndEmptyValues() {
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();
    }

    @Test
    void reportsNoDriftWithTheClusterOpenApiSchemaEither() {
        DiffEngine withSchema = new DiffEngine(
                DiffOptions.defaults(),
                BuiltinResourceScope.INSTANCE,
                OpenApiListSchema.fromOpenApiV3(load("openapi-apps-v1.json")));
        assertThat(withSchema.diff(desired(deployment), live, true)).isEmpty();
    }

    @Test
    void reportsNoDriftAfterServerSideApplyByKubectlEvenThoughKubectlCountsAsOutOfBand() {
        Fixtures.removeLastApplied(live);
        ObjectNode entry = (ObjectNode) live.at("/metadata/managedFields/0");
        entry.put("manager", "kubectl");
        entry.put("operation", "Apply");
        entry.set("fieldsV1", load("deployment-ssa-fields.json"));
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();

        set(live, "/spec/template/spec/containers/1/resources", "{\"limits\":{\"cpu\":\"1\"}}");
        Change c = onlyChange(drift(engine, deployment, live));
        assertThat(c.field()).isEqualTo("spec.template.spec.containers[name=sidecar].resources");
        assertThat(c.op()).isEqualTo(Op.ADDED);
    }

    @Test
    void reportsNoDriftForServicePortsSharingANumberWithDifferentProtocols() {
        ObjectNode liveService = load("service-live.yaml");
        remove(liveService, "/spec/ports/2");
        remove(liveService, "/metadata/managedFields/1");
        assertThat(engine.diff(desired(load("service-desired.yaml")), liveService, true))
                .isEmpty();
    }

    @Test
    void reportsNoDriftForStatefulSetClaimTemplatesAndStorageQuantities() {
        assertThat(engine.diff(desired(load("statefulset-desired.yaml")), load("statefulset-live.yaml"), true))
                .isEmpty();
    }

    @Test
    void ignoresCaBundleInjectedIntoAWebhookByAController() {
        assertThat(engine.diff(desired(load("webhook-desired.yaml")), load("webhook-live.yaml"), true))
                .isEmpty();
    }

    @Test
    void foldsSecretStringDataIntoDataBeforeComparing() {
        ObjectNode liveSecret = load("secret-live.yaml");
        set(liveSecret, "/data/password", "\"aHVudGVyMi1wbGFpbg==\"");
        assertThat(engine.diff(desired(load("secret-desired.yaml")), liveSecret, true))
                .isEmpty();
    }

    @Test
    void comparesNumbersByValue() {
        set(deployment, WEB + "/readinessProbe/periodSeconds", "10.0");
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();
    }

    @Test
    void doesNotReportFieldsAddedByKnownControllers() {
        set(live, "/metadata/labels/injected-by", "\"kyverno\"");
        set(live, WEB + "/env/-", "{\"name\":\"OTEL_ENDPOINT\",\"value\":\"collector:4317\"}");
        addManager(
                live,
                "Kyverno",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                "{\"f:metadata\":{\"f:labels\":{\"f:injected-by\":{}}},\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":"
                        + "{\"k:{\\\"name\\\":\\\"web\\\"}\":{\"f:env\":{\"k:{\\\"name\\\":\\\"OTEL_ENDPOINT\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}}}}}}}}");
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();
    }

    @Test
    void neverComparesStatusOrServerMetadata() {
        set(deployment, "/status", "{\"replicas\":99}");
        set(deployment, "/metadata/uid", "\"other\"");
        set(deployment, "/metadata/resourceVersion", "\"1\"");
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();
    }

    // ---- out-of-band changes ------------------------------------------------------------------------------------

    @Test
    void reportsDriftWhenReplicasScaledByKubectl() {
        set(live, "/spec/replicas", "5");
        remove(live, CSA + "/f:spec/f:replicas");
        addManager(
                live, "kubectl-scale", "Update", "scale", "2026-11-21T10:42:00Z", "{\"f:spec\":{\"f:replicas\":{}}}");

        Drift d = drift(engine, deployment, live);

        assertThat(d.type()).isEqualTo(DriftType.MODIFIED);
        assertThat(d.cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(d.key()).isEqualTo(new ObjectKey("apps", "Deployment", "shop", "web"));
        assertThat(d.app()).isEqualTo("shop");
        Change c = onlyChange(d);
        assertThat(c.field()).isEqualTo("spec.replicas");
        assertThat(c.path()).isEqualTo("/spec/replicas");
        assertThat(c.op()).isEqualTo(Op.CHANGED);
        assertThat(c.desired().intValue()).isEqualTo(3);
        assertThat(c.live().intValue()).isEqualTo(5);
        assertThat(c.manager()).isEqualTo("kubectl-scale");
        assertThat(c.operation()).isEqualTo("Update");
        assertThat(c.subresource()).isEqualTo("scale");
        assertThat(c.time()).isEqualTo(Instant.parse("2026-11-21T10:42:00Z"));
        assertThat(d.summary()).isEqualTo("Deployment shop/web: replicas 3 → 5, set by kubectl-scale at 10:42Z");
    }

    /** The API server records kubectl's write through {@code scale} as an entry with no {@code time}: valid, not an error. */
    @Test
    void aScaleEntryWithoutATimeNamesItsManagerWithNoTime() {
        set(live, "/spec/replicas", "5");
        remove(live, CSA + "/f:spec/f:replicas");
        addManager(live, "kubectl", "Update", "scale", null, "{\"f:spec\":{\"f:replicas\":{}}}");
        ObjectNode entry = (ObjectNode) live.at("/metadata/managedFields")
                .get(live.at("/metadata/managedFields").size() - 1);
        entry.remove("time");

        Drift d = drift(engine, deployment, live);

        Change c = onlyChange(d);
        assertThat(c.manager()).isEqualTo("kubectl");
        assertThat(c.subresource()).isEqualTo("scale");
        assertThat(c.time()).isNull();
        assertThat(d.cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(d.summary()).isEqualTo("Deployment shop/web: replicas 3 → 5, set by kubectl");
    }

    @Test
    void reportsImageSetByKubectlWithReadableFieldAndLiveIndexPointer() {
        set(live, "/spec/template/spec/containers/1/image", "\"busybox:1.37\"");
        remove(live, CSA + "/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"sidecar\"}/f:image");
        addManager(
                live,
                "kubectl-set",
                "Update",
                null,
                "2026-11-21T11:00:00Z",
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"sidecar\\\"}\":{\"f:image\":{}}}}}}}");

        Change c = onlyChange(drift(engine, deployment, live));

        assertThat(c.field()).isEqualTo("spec.template.spec.containers[name=sidecar].image");
        assertThat(c.path()).isEqualTo("/spec/template/spec/containers/1/image");
        assertThat(c.manager()).isEqualTo("kubectl-set");
        assertThat(c.cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(c.desired().asText()).isEqualTo("busybox:1.36");
        assertThat(c.live().asText()).isEqualTo("busybox:1.37");
    }

    @Test
    void reportsEnvVarAddedByKubectlEditAsAdded() {
        set(live, WEB + "/env/-", "{\"name\":\"DEBUG\",\"value\":\"1\"}");
        addManager(
                live,
                "kubectl-edit",
                "Update",
                null,
                "2026-11-21T10:50:00Z",
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\"f:env\":"
                        + "{\"k:{\\\"name\\\":\\\"DEBUG\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}}}}}}}}");

        Drift d = drift(engine, deployment, live);
        Change c = onlyChange(d);

        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.field()).isEqualTo("spec.template.spec.containers[name=web].env[name=DEBUG]");
        assertThat(c.path()).isEqualTo("/spec/template/spec/containers/0/env/2");
        assertThat(c.desired()).isNull();
        assertThat(c.live()).isEqualTo(json("{\"name\":\"DEBUG\",\"value\":\"1\"}"));
        assertThat(c.manager()).isEqualTo("kubectl-edit");
        assertThat(c.cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(d.summary()).startsWith("Deployment shop/web: containers[name=web].env[name=DEBUG] added (");
    }

    @Test
    void reportsRolloutRestartAnnotationAsAddedOutOfBand() {
        set(
                live,
                "/spec/template/metadata/annotations",
                "{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-21T10:00:00Z\"}");
        addManager(
                live,
                "kubectl-rollout",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                "{\"f:spec\":{\"f:template\":{\"f:metadata\":{\"f:annotations\":{\".\":{},\"f:kubectl.kubernetes.io/restartedAt\":{}}}}}}");

        Change c = onlyChange(drift(engine, deployment, live));

        assertThat(c.field()).isEqualTo("spec.template.metadata.annotations[\"kubectl.kubernetes.io/restartedAt\"]");
        assertThat(c.path()).isEqualTo("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt");
        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.manager()).isEqualTo("kubectl-rollout");
    }

    @Test
    void reportsLabelAddedByKubectlLabel() {
        set(live, "/metadata/labels/team", "\"payments\"");
        addManager(
                live,
                "kubectl-label",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                "{\"f:metadata\":{\"f:labels\":{\"f:team\":{}}}}");

        Change c = onlyChange(drift(engine, deployment, live));

        assertThat(c.field()).isEqualTo("metadata.labels.team");
        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.live().asText()).isEqualTo("payments");
    }

    @Test
    void reportsCpuChangedFrom500mTo0Point6() {
        set(live, WEB + "/resources/requests/cpu", "\"600m\"");
        remove(live, CSA + "/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"web\"}/f:resources/f:requests/f:cpu");
        addManager(
                live,
                "kubectl-patch",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\"f:resources\":{\"f:requests\":{\"f:cpu\":{}}}}}}}}}");

        Change c = onlyChange(drift(engine, deployment, live));

        assertThat(c.field()).isEqualTo("spec.template.spec.containers[name=web].resources.requests.cpu");
        assertThat(c.op()).isEqualTo(Op.CHANGED);
        assertThat(c.manager()).isEqualTo("kubectl-patch");
        assertThat(c.cause()).isEqualTo(Cause.OUT_OF_BAND);
    }

    @Test
    void reportsPort80AddedToAServiceByKubectlPatch() {
        Drift d = drift(engine, load("service-desired.yaml"), load("service-live.yaml"));
        Change c = onlyChange(d);

        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.field()).isEqualTo("spec.ports[port=80,protocol=TCP]");
        assertThat(c.path()).isEqualTo("/spec/ports/2");
        assertThat(c.manager()).isEqualTo("kubectl-patch");
        assertThat(d.key()).isEqualTo(new ObjectKey("", "Service", "shop", "dns"));
    }

    @Test
    void reportsAtomicListChangesElementWiseAndWholeWhenTheLengthDiffers() {
        set(live, "/spec/template/spec/containers/1/args/2", "\"sleep 60\"");
        Change element = onlyChange(drift(engine, deployment, live));
        assertThat(element.field()).isEqualTo("spec.template.spec.containers[name=sidecar].args[2]");
        assertThat(element.manager()).as("atomic list owned as a whole").isEqualTo("kubectl-client-side-apply");

        set(live, "/spec/template/spec/containers/1/args", "[\"sh\"]");
        Change whole = onlyChange(drift(engine, deployment, live));
        assertThat(whole.field()).isEqualTo("spec.template.spec.containers[name=sidecar].args");
        assertThat(whole.live()).isEqualTo(json("[\"sh\"]"));
    }

    @Test
    void comparesSetsAsSets() {
        set(deployment, "/metadata/finalizers", "[\"example.com/a\"]");
        set(live, "/metadata/finalizers", "[\"example.com/b\",\"example.com/a\"]");
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();

        set(deployment, "/metadata/finalizers", "[\"example.com/c\"]");
        Change c = onlyChange(drift(engine, deployment, live));
        assertThat(c.field()).isEqualTo("metadata.finalizers[example.com/c]");
        assertThat(c.op()).isEqualTo(Op.REMOVED);
        assertThat(c.path()).isEqualTo("/metadata/finalizers/-");
    }

    @Test
    void reportsADesiredKeyedElementLiveLacksAsRemoved() {
        remove(live, WEB + "/env/0");
        Change c = onlyChange(drift(engine, deployment, live));
        assertThat(c.field()).isEqualTo("spec.template.spec.containers[name=web].env[name=LOG_LEVEL]");
        assertThat(c.op()).isEqualTo(Op.REMOVED);
        assertThat(c.path()).isEqualTo("/spec/template/spec/containers/0/env/-");
        assertThat(c.live()).isNull();
    }

    @Test
    void doesNotReportKubectlScaleWhenIgnoredByManagerRule() {
        set(live, "/spec/replicas", "5");
        remove(live, CSA + "/f:spec/f:replicas");
        addManager(
                live, "kubectl-scale", "Update", "scale", "2026-11-21T10:42:00Z", "{\"f:spec\":{\"f:replicas\":{}}}");
        DiffEngine ignoring = DiffEngine.withDefaults(DiffOptions.defaults()
                .withIgnoreRules(List.of(IgnoreRule.managers("apps", "Deployment", "kubectl-*"))));
        assertThat(ignoring.diff(desired(deployment), live, true)).isEmpty();
    }

    // ---- HPA ----------------------------------------------------------------------------------------------------

    @Test
    void ignoresReplicasWrittenThroughScaleByKubeControllerManager() {
        set(live, "/spec/replicas", "7");
        remove(live, CSA + "/f:spec/f:replicas");
        addManager(
                live,
                "kube-controller-manager",
                "Update",
                "scale",
                "2026-11-21T10:42:00Z",
                "{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();

        DiffEngine strict = DiffEngine.withDefaults(DiffOptions.defaults().withIgnoreHpaReplicas(false));
        Change c = onlyChange(drift(strict, deployment, live));
        assertThat(c.cause()).isEqualTo(Cause.CONTROLLER);
        assertThat(c.manager()).isEqualTo("kube-controller-manager");
    }

    @Test
    void ignoresReplicasOfAnHpaTargetInDiffAll() {
        set(live, "/spec/replicas", "6");
        ObjectNode hpa = Fixtures.yaml("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 2
                  maxReplicas: 10
                """);
        DriftReport report =
                engine.diffAll(List.of(desired(deployment), desired(hpa.deepCopy())), List.of(live, hpa), k -> true);
        assertThat(report.drifts()).isEmpty();

        DriftReport withoutHpa = engine.diffAll(List.of(desired(deployment)), List.of(live), k -> true);
        assertThat(withoutHpa.drifts()).hasSize(1);
    }

    // ---- causes -------------------------------------------------------------------------------------------------

    @Test
    void reportsPendingSyncWhenLastAppliedDiffersFromGit() {
        set(deployment, WEB + "/image", "\"nginx:1.28\"");
        Drift d = drift(engine, deployment, live);
        Change c = onlyChange(d);
        assertThat(c.cause()).isEqualTo(Cause.PENDING_SYNC);
        assertThat(c.manager()).isEqualTo("kubectl-client-side-apply");
        assertThat(d.cause()).isEqualTo(Cause.PENDING_SYNC);
    }

    @Test
    void reportsAdmissionWhenTheApplierAppliedDesiredAndLiveDiffers() {
        set(live, WEB + "/image", "\"registry.local/nginx:1.27\"");
        Drift d = drift(engine, deployment, live);
        assertThat(onlyChange(d).cause()).isEqualTo(Cause.ADMISSION);
        assertThat(d.admissionOnly()).isTrue();

        DriftReport report = engine.diffAll(List.of(desired(deployment)), List.of(live), k -> true);
        assertThat(report.drifts()).hasSize(1);
        assertThat(report.summary().drifted()).isZero();
        assertThat(report.summary().byCause()).containsEntry("admission", 1);
        assertThat(report.hasDrift()).isFalse();

        DiffEngine counting = DiffEngine.withDefaults(DiffOptions.defaults().withCountAdmissionAsDrift(true));
        assertThat(counting.diffAll(List.of(desired(deployment)), List.of(live), k -> true)
                        .summary()
                        .drifted())
                .isEqualTo(1);
    }

    @Test
    void reportsControllerWhenAControllerChangedADesiredField() {
        set(live, "/metadata/labels/app.kubernetes.io~1name", "\"web-v2\"");
        remove(live, CSA + "/f:metadata/f:labels/f:app.kubernetes.io~1name");
        addManager(
                live,
                "label-operator",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                "{\"f:metadata\":{\"f:labels\":{\"f:app.kubernetes.io/name\":{}}}}");
        DiffEngine configured = DiffEngine.withDefaults(
                DiffOptions.defaults().withManagers(ManagerRules.defaults().withControllers(List.of("label-*"))));
        Change c = onlyChange(drift(configured, deployment, live));
        assertThat(c.cause()).isEqualTo(Cause.CONTROLLER);
        assertThat(c.note()).isNull();
        assertThat(c.field()).isEqualTo("metadata.labels[\"app.kubernetes.io/name\"]");
    }

    @Test
    void reportsUnknownWhenNobodyOwnsARemovedField() {
        remove(live, WEB + "/livenessProbe");
        remove(live, CSA + "/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"web\"}/f:livenessProbe");
        Change c = onlyChange(drift(engine, deployment, live));
        assertThat(c.op()).isEqualTo(Op.REMOVED);
        assertThat(c.field()).isEqualTo("spec.template.spec.containers[name=web].livenessProbe");
        assertThat(c.cause()).isEqualTo(Cause.UNKNOWN);
        assertThat(c.manager()).isNull();
    }

    @Test
    void decidesPendingSyncOrAdmissionFromApplierTimeWithoutLastApplied() {
        ObjectNode service = load("service-desired.yaml");
        set(service, "/spec/ports/0/targetPort", "5454");
        ObjectNode liveService = load("service-live.yaml");
        Instant applied = Instant.parse("2026-11-20T09:00:00Z");

        Drift behind = engine.diff(new DesiredObject(service, "shop", applied.plusSeconds(60)), liveService, true)
                .orElseThrow();
        assertThat(changeAt(behind, "spec.ports[port=53,protocol=TCP].targetPort")
                        .cause())
                .isEqualTo(Cause.PENDING_SYNC);

        Drift mutated = engine.diff(new DesiredObject(service, "shop", applied.minusSeconds(60)), liveService, true)
                .orElseThrow();
        assertThat(changeAt(mutated, "spec.ports[port=53,protocol=TCP].targetPort")
                        .cause())
                .isEqualTo(Cause.ADMISSION);

        Drift undecided = engine.diff(new DesiredObject(service, "shop", null), liveService, true)
                .orElseThrow();
        assertThat(changeAt(undecided, "spec.ports[port=53,protocol=TCP].targetPort")
                        .cause())
                .isEqualTo(Cause.UNKNOWN);
        assertThat(undecided.cause()).as("out-of-band port 80 outranks").isEqualTo(Cause.OUT_OF_BAND);
    }

    @Test
    void reportsPendingSyncForANewDesiredFieldWhenTheLastApplyIsOlderThanGit() {
        ObjectNode service = load("service-desired.yaml");
        set(service, "/spec/sessionAffinity", "\"ClientIP\"");
        ObjectNode liveService = load("service-live.yaml");
        remove(liveService, "/spec/sessionAffinity");
        Drift d = engine.diff(
                        new DesiredObject(service, "shop", Instant.parse("2026-11-21T00:00:00Z")), liveService, true)
                .orElseThrow();
        Change c = changeAt(d, "spec.sessionAffinity");
        assertThat(c.op()).isEqualTo(Op.REMOVED);
        assertThat(c.cause()).isEqualTo(Cause.PENDING_SYNC);
    }

    private static Change changeAt(Drift d, String field) {
        return d.changes().stream()
                .filter(c -> c.field().equals(field))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no change at " + field + " in " + d.changes()));
    }

    // ---- ignore rules -------------------------------------------------------------------------------------------

    @Test
    void ignoresPointersWithAWildcardForListElements() {
        set(live, WEB + "/image", "\"nginx:9\"");
        DiffEngine ignoring = DiffEngine.withDefaults(DiffOptions.defaults()
                .withIgnoreRules(
                        List.of(IgnoreRule.pointers("apps", "Deployment", "/spec/template/spec/containers/*/image"))));
        assertThat(ignoring.diff(desired(deployment), live, true)).isEmpty();
        assertThat(engine.diff(desired(deployment), live, true)).isPresent();
    }

    @Test
    void ignoringTheOnlyAnnotationLeavesNoEmptyDiff() {
        set(deployment, "/metadata/annotations", "{\"owner\":\"team-a\"}");
        ObjectNode liveWithout = live.deepCopy();
        set(liveWithout, "/metadata/annotations", "{}");
        assertThat(engine.diff(desired(deployment), liveWithout, true)).isPresent();

        DiffEngine ignoring = DiffEngine.withDefaults(DiffOptions.defaults()
                .withIncludeYamlDiff(true)
                .withIgnoreRules(List.of(new IgnoreRule(
                        null, "Deployment", "web", "shop", List.of("/metadata/annotations/owner"), List.of()))));
        assertThat(ignoring.diff(desired(deployment), liveWithout, true)).isEmpty();
    }

    @Test
    void appliesIgnoreRulesOnlyToMatchingObjects() {
        set(live, WEB + "/image", "\"nginx:9\"");
        DiffEngine otherKind = DiffEngine.withDefaults(DiffOptions.defaults()
                .withIgnoreRules(
                        List.of(IgnoreRule.pointers("apps", "StatefulSet", "/spec/template/spec/containers/*/image"))));
        assertThat(otherKind.diff(desired(deployment), live, true)).isPresent();
    }

    // ---- secrets ------------------------------------------------------------------------------------------------

    @Test
    void redactsSecretValuesInChangesSummaryAndYamlDiff() {
        DiffEngine withYaml = DiffEngine.withDefaults(DiffOptions.defaults()
                .withIncludeYamlDiff(true)
                .withRedactionKey("k".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        DriftReport report = withYaml.diffAll(
                List.of(desired(load("secret-desired.yaml"))), List.of(load("secret-live.yaml")), k -> true);

        Drift d = report.drifts().get(0);
        Change c = onlyChange(d);
        assertThat(c.field()).isEqualTo("data.password");
        assertThat(c.manager()).isEqualTo("kubectl-edit");
        assertThat(c.desired().asText()).startsWith(Redactor.PREFIX);
        assertThat(c.live().asText())
                .startsWith(Redactor.PREFIX)
                .isNotEqualTo(c.desired().asText());
        String everything =
                ReportJson.toJson(report).toString() + ReportText.render(report, false) + ReportYaml.render(report);
        assertThat(everything)
                .doesNotContain("hunter2", "aHVudGVyMi1wbGFpbg", "changed-plain", "Y2hhbmdlZC1wbGFpbg", "YWRtaW4");
        assertThat(d.yamlDiff())
                .contains("-  password: " + c.desired().asText())
                .contains("+  password: " + c.live().asText());
    }

    // ---- missing, extra, identity -------------------------------------------------------------------------------

    @Test
    void reportsMissingAsDeletedOrNotYetApplied() {
        Drift deleted = engine.diff(desired(deployment), null, true).orElseThrow();
        assertThat(deleted.type()).isEqualTo(DriftType.MISSING);
        assertThat(deleted.cause()).isEqualTo(Cause.DELETED);
        assertThat(deleted.summary()).isEqualTo("Deployment shop/web: missing (deleted)");
        assertThat(engine.diff(desired(deployment), null, false).orElseThrow().cause())
                .isEqualTo(Cause.NOT_YET_APPLIED);
    }

    @Test
    void reportsTrackedLiveObjectsThatAreNotDesiredAsExtra() {
        ObjectNode byLabel = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: leftover
                  namespace: shop
                  labels: {app.kubernetes.io/instance: shop}
                  managedFields:
                    - {manager: kubectl-create, operation: Update, apiVersion: v1, time: "2026-11-21T09:00:00Z", fieldsType: FieldsV1, fieldsV1: {f:metadata: {f:labels: {}}}}
                data: {a: b}
                """);
        ObjectNode byAnnotation = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: old
                  namespace: shop
                  annotations: {argocd.argoproj.io/tracking-id: "shop:/ConfigMap:shop/old"}
                  managedFields:
                    - {manager: argocd-controller, operation: Apply, apiVersion: v1, time: "2026-11-21T09:00:00Z", fieldsType: FieldsV1, fieldsV1: {f:data: {}}}
                """);
        ObjectNode copiedId = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: copy
                  namespace: shop
                  annotations: {argocd.argoproj.io/tracking-id: "shop:/ConfigMap:shop/old"}
                """);
        ObjectNode replicaSet = Fixtures.yaml("""
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-5d8f7
                  namespace: shop
                  labels: {app.kubernetes.io/instance: shop}
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: x, controller: true}]
                """);
        ObjectNode otherApp = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: theirs, namespace: shop, labels: {app.kubernetes.io/instance: billing}}
                """);

        DriftReport report = engine.diffAll(
                List.of(desired(deployment)),
                List.of(live, byLabel, byAnnotation, copiedId, replicaSet, otherApp),
                k -> true);

        assertThat(report.drifts()).extracting(d -> d.key().name()).containsExactly("leftover", "old");
        Drift leftover = report.drifts().get(0);
        assertThat(leftover.type()).isEqualTo(DriftType.EXTRA);
        assertThat(leftover.app()).isEqualTo("shop");
        assertThat(leftover.cause()).as("kubectl create is a person's").isEqualTo(Cause.OUT_OF_BAND);
        assertThat(report.drifts().get(1).cause())
                .as("applier created it: Git dropped it, prune pending")
                .isEqualTo(Cause.PENDING_SYNC);
        assertThat(report.summary())
                .isEqualTo(
                        new DriftReport.Summary(1, 2, 0, 0, 2, java.util.Map.of("out-of-band", 1, "pending-sync", 1)));
    }

    @Test
    void ownersInANameAndANamespaceLabelNameTheAppByKindNamespaceAndName() {
        DiffEngine flux = new DiffEngine(
                DiffOptions.defaults()
                        .withTracking(Tracking.owners(
                                new Tracking.Owner(
                                        "Kustomization",
                                        "kustomize.toolkit.fluxcd.io/name",
                                        "kustomize.toolkit.fluxcd.io/namespace"),
                                new Tracking.Owner(
                                        "HelmRelease",
                                        "helm.toolkit.fluxcd.io/name",
                                        "helm.toolkit.fluxcd.io/namespace"))),
                BuiltinResourceScope.INSTANCE,
                BuiltinListSchema.INSTANCE);
        ObjectNode applied = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                  namespace: shop
                  labels: {kustomize.toolkit.fluxcd.io/name: apps, kustomize.toolkit.fluxcd.io/namespace: flux-system}
                """);
        ObjectNode otherNamespace = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a2
                  namespace: shop
                  labels: {kustomize.toolkit.fluxcd.io/name: apps, kustomize.toolkit.fluxcd.io/namespace: team-a}
                """);
        ObjectNode noNamespace = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a3, namespace: shop, labels: {kustomize.toolkit.fluxcd.io/name: apps}}
                """);
        ObjectNode installed = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: b
                  namespace: shop
                  labels: {helm.toolkit.fluxcd.io/name: apps, helm.toolkit.fluxcd.io/namespace: flux-system}
                """);
        ObjectNode both = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                  namespace: shop
                  labels:
                    kustomize.toolkit.fluxcd.io/name: apps
                    kustomize.toolkit.fluxcd.io/namespace: flux-system
                    helm.toolkit.fluxcd.io/name: web
                    helm.toolkit.fluxcd.io/namespace: flux-system
                """);
        assertThat(flux.trackedApp(flux.keyOf(applied), applied)).contains("Kustomization/flux-system/apps");
        assertThat(flux.trackedApp(flux.keyOf(otherNamespace), otherNamespace))
                .as("same name, other namespace: another app")
                .contains("Kustomization/team-a/apps");
        assertThat(flux.trackedApp(flux.keyOf(installed), installed))
                .as("same name and namespace, other kind: another app")
                .contains("HelmRelease/flux-system/apps");
        assertThat(flux.trackedApp(flux.keyOf(noNamespace), noNamespace))
                .as("a name label without its namespace label names no owner")
                .isEmpty();
        assertThat(flux.trackedApp(flux.keyOf(both), both))
                .as("the first owner kind wins")
                .contains("Kustomization/flux-system/apps");
        assertThat(engine.trackedApp(engine.keyOf(installed), installed))
                .as("not tracked without owner tracking")
                .isEmpty();
        Tracking.Owner owner = flux.options().tracking().owners().get(0);
        assertThat(owner.selector("Kustomization/flux-system/apps"))
                .isEqualTo("kustomize.toolkit.fluxcd.io/name=apps,kustomize.toolkit.fluxcd.io/namespace=flux-system");
        assertThat(owner.selector("HelmRelease/flux-system/apps")).isNull();
        assertThat(owner.selector("apps")).isNull();
    }

    @Test
    void hooksOwnedObjectsControllerCopiesAndIgnoreExtraneousAreNeverExtra() {
        String template = """
                apiVersion: %s
                kind: %s
                metadata:
                  name: %s
                  namespace: shop
                  labels: {app.kubernetes.io/instance: shop}
                  %s
                  managedFields:
                    - {manager: %s, operation: Update, apiVersion: v1, time: "2026-11-21T09:00:00Z", fieldsType: FieldsV1, fieldsV1: {f:metadata: {}}}
                """;
        List<com.fasterxml.jackson.databind.JsonNode> liveObjects = List.of(
                live,
                Fixtures.yaml(template.formatted(
                        "v1", "ServiceAccount", "helm-hook", "annotations: {helm.sh/hook: post-install}", "helm")),
                Fixtures.yaml(template.formatted(
                        "batch/v1",
                        "Job",
                        "argo-hook",
                        "annotations: {argocd.argoproj.io/hook: PostSync}",
                        "argocd-controller")),
                Fixtures.yaml(template.formatted(
                        "v1",
                        "ConfigMap",
                        "ignored",
                        "annotations: {argocd.argoproj.io/compare-options: 'ServerSideDiff=true, IgnoreExtraneous'}",
                        "kubectl-create")),
                Fixtures.yaml(template.formatted(
                        "v1",
                        "ConfigMap",
                        "owned",
                        "ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: x, uid: y}]",
                        "kubectl-create")),
                Fixtures.yaml(template.formatted(
                        "v1", "PersistentVolumeClaim", "data-db-0", "annotations: {}", "kube-controller-manager")),
                Fixtures.yaml(template.formatted(
                        "v1",
                        "ConfigMap",
                        "skip-only",
                        "annotations: {argocd.argoproj.io/hook: Skip}",
                        "kubectl-create")),
                Fixtures.yaml(template.formatted(
                        "v1",
                        "ConfigMap",
                        "crd-marker",
                        "annotations: {helm.sh/hook: crd-install}",
                        "kubectl-create")));

        DriftReport report = engine.diffAll(List.of(desired(deployment)), liveObjects, k -> true);

        assertThat(report.drifts())
                .as("a Skip-only or crd-install annotation makes no hook, as in Argo CD")
                .extracting(d -> d.key().name())
                .containsExactly("crd-marker", "skip-only");
        assertThat(report.drifts()).extracting(Drift::type).containsOnly(DriftType.EXTRA);
    }

    @Test
    void desiredHooksAndSkippedObjectsAreNotCompared() {
        ObjectNode hook = Fixtures.yaml("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate, annotations: {helm.sh/hook: "pre-install,pre-upgrade"}}
                spec: {template: {spec: {containers: [{name: m, image: m}], restartPolicy: Never}}}
                """);
        ObjectNode skipped = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: not-applied, annotations: {argocd.argoproj.io/hook: Skip}}
                """);
        assertThat(engine.diff(desired(hook), null, true)).isEmpty();
        assertThat(engine.diff(desired(skipped), null, true)).isEmpty();
        assertThat(engine.diffAll(List.of(desired(hook), desired(skipped)), List.of(), k -> true)
                        .hasDrift())
                .isFalse();
    }

    @Test
    void aClaimTheStatefulSetControllerMadeIsNotExtraButOneLabelledByHandIs() {
        String claim = """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: data-postgres-0
                  namespace: shop
                  labels: {app.kubernetes.io/instance: shop, app.kubernetes.io/name: postgres}
                  managedFields:
                    - {manager: kube-controller-manager, operation: Update, apiVersion: v1, time: "2026-12-03T10:22:00Z", fieldsType: FieldsV1, fieldsV1: {f:metadata: {f:labels: {.: {}, f:app.kubernetes.io/instance: {}, f:app.kubernetes.io/name: {}}}, f:spec: {f:accessModes: {}}}}
                spec: {accessModes: [ReadWriteOnce]}
                """;
        ObjectNode madeByTheController = Fixtures.yaml(claim);
        ObjectNode labelledByHand = Fixtures.yaml(
                claim.replace("data-postgres-0", "data-postgres-9").replace("f:app.kubernetes.io/instance: {}, ", ""));
        addManager(
                labelledByHand,
                "kubectl-label",
                "Update",
                "",
                "2026-12-03T10:30:00Z",
                "{\"f:metadata\":{\"f:labels\":{\"f:app.kubernetes.io/instance\":{}}}}");

        DriftReport report = engine.diffAll(
                List.of(desired(deployment)), List.of(live, madeByTheController, labelledByHand), k -> true);

        assertThat(report.drifts())
                .extracting(d -> d.key().name() + " " + d.type())
                .containsExactly("data-postgres-9 EXTRA");
    }

    @Test
    void countsDriftsInTheSummary() {
        ObjectNode cm = Fixtures.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {a: b}
                """);
        set(live, "/spec/replicas", "5");
        remove(live, CSA + "/f:spec/f:replicas");
        addManager(
                live, "kubectl-scale", "Update", "scale", "2026-11-21T10:42:00Z", "{\"f:spec\":{\"f:replicas\":{}}}");
        DriftReport report = engine.diffAll(
                List.of(desired(deployment), desired(cm)),
                List.of(live),
                k -> !k.name().equals("settings"));
        assertThat(report.summary().desired()).isEqualTo(2);
        assertThat(report.summary().modified()).isEqualTo(1);
        assertThat(report.summary().missing()).isEqualTo(1);
        assertThat(report.summary().drifted()).isEqualTo(2);
        assertThat(report.summary().byCause()).containsEntry("not-yet-applied", 1);
        assertThat(report.drifts())
                .extracting(Drift::type)
                .containsExactlyInAnyOrder(DriftType.MODIFIED, DriftType.MISSING);
    }

    @Test
    void keysObjectsByGroupKindNamespaceAndName() {
        DiffEngine e = DiffEngine.withDefaults(DiffOptions.defaults().withTargetNamespace("team"));
        assertThat(e.keyOf(json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}")))
                .isEqualTo(new ObjectKey("", "ConfigMap", "team", "a"));
        assertThat(
                        e.keyOf(
                                json(
                                        "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"r\",\"namespace\":\"x\"}}")))
                .isEqualTo(new ObjectKey("rbac.authorization.k8s.io", "ClusterRole", "", "r"));
        assertThat(e.keyOf(
                                json(
                                        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"w\",\"namespace\":\"x\"}}"))
                        .toString())
                .isEqualTo("apps/Deployment x/w");
    }

    @Test
    void usesDiscoveryScopeForCustomKinds() {
        DiffEngine e = new DiffEngine(
                DiffOptions.defaults(), (group, kind) -> !"Tenant".equals(kind), BuiltinListSchema.INSTANCE);
        assertThat(e.keyOf(json("{\"apiVersion\":\"x.io/v1\",\"kind\":\"Tenant\",\"metadata\":{\"name\":\"t\"}}"))
                        .namespace())
                .isEmpty();
        assertThat(e.keyOf(json("{\"apiVersion\":\"x.io/v1\",\"kind\":\"Cache\",\"metadata\":{\"name\":\"c\"}}"))
                        .namespace())
                .isEqualTo("default");
    }

    // ---- YAML diff ----------------------------------------------------------------------------------------------

    @Test
    void yamlDiffShowsOnlyTheDriftedLines() {
        set(live, "/spec/replicas", "5");
        set(live, "/metadata/labels/team", "\"payments\"");
        addManager(
                live,
                "kubectl-label",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                "{\"f:metadata\":{\"f:labels\":{\"f:team\":{}}}}");
        DiffEngine withYaml = DiffEngine.withDefaults(DiffOptions.defaults().withIncludeYamlDiff(true));

        String diff = drift(withYaml, deployment, live).yamlDiff();

        assertThat(diff).startsWith("--- desired\n+++ live\n");
        List<String> changed = diff.lines()
                .skip(2)
                .filter(l -> l.startsWith("-") || l.startsWith("+"))
                .toList();
        assertThat(changed).containsExactlyInAnyOrder("+    team: payments", "-  replicas: 3", "+  replicas: 5");
        assertThat(diff).doesNotContain("managedFields", "last-applied-configuration", "status:");
    }

    @Test
    void yamlDiffOfAMissingObjectShowsTheDesiredObject() {
        DiffEngine withYaml = DiffEngine.withDefaults(DiffOptions.defaults().withIncludeYamlDiff(true));
        String diff =
                withYaml.diff(desired(deployment), null, false).orElseThrow().yamlDiff();
        assertThat(diff).contains("-kind: Deployment").doesNotContain("\n+kind");
    }
}
