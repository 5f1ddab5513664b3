package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.desired;
import static io.driftwatch.diff.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict on an extra object its applier created: pending-sync (it will be deleted) or orphaned (it will not). */
class PrunePolicyTest {

    private static final PrunePolicy.Marker FLUX_DISABLED =
            new PrunePolicy.Marker("kustomize.toolkit.fluxcd.io/prune", "disabled", true);
    private static final PrunePolicy.Marker ARGO_FALSE =
            new PrunePolicy.Marker("argocd.argoproj.io/sync-options", "Prune=false", false);
    private static final PrunePolicy.Marker ARGO_TRUE =
            new PrunePolicy.Marker("argocd.argoproj.io/sync-options", "Prune=true", false);

    private final DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults());
    private final ObjectNode kept = yaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: kept, namespace: shop}
            data: {a: "1"}
            """);

    /**
     * A ConfigMap of app shop that {@code manager} created; {@code metadata} "labels: {k: v}" adds labels, anything
     * else (e.g. "annotations: {...}") is a metadata line.
     */
    private static ObjectNode extra(String manager, String metadata) {
        ObjectNode object = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: gone
                  namespace: shop
                  labels: {app.kubernetes.io/instance: shop}
                  managedFields:
                    - {manager: %s, operation: Apply, apiVersion: v1, time: "2026-12-01T09:00:00Z", fieldsType: FieldsV1, fieldsV1: {f:data: {}}}
                data: {b: "2"}
                """.formatted(manager));
        if (!metadata.isEmpty()) {
            ObjectNode extraMetadata = yaml(metadata);
            ObjectNode target = object.with("metadata");
            extraMetadata.fields().forEachRemaining(e -> target.with(e.getKey()).setAll((ObjectNode) e.getValue()));
        }
        return object;
    }

    private Drift verdict(PrunePolicy policy, JsonNode live) {
        DriftReport report =
                engine.diffAll(List.of(desired(kept)), List.of(kept, live), k -> true, Map.of("shop", policy));
        assertThat(report.drifts()).hasSize(1);
        return report.drifts().get(0);
    }

    @Test
    void anUnknownPolicyLeavesTheApplierCreatedExtraPendingAsBefore() {
        Drift d = verdict(PrunePolicy.UNKNOWN, extra("kustomize-controller", ""));
        assertThat(d.cause()).isEqualTo(Cause.PENDING_SYNC);
        assertThat(d.summary()).contains("pending prune");
        // and the three-argument diffAll is the unknown policy
        assertThat(engine.diffAll(List.of(desired(kept)), List.of(kept, extra("kustomize-controller", "")), k -> true)
                        .drifts()
                        .get(0)
                        .cause())
                .isEqualTo(Cause.PENDING_SYNC);
    }

    @Test
    void anApplierThatNeverPrunesLeavesAnOrphanCountedAsDrift() {
        PrunePolicy noPrune = PrunePolicy.keeps("Kustomization spec.prune: false");
        DriftReport report = engine.diffAll(
                List.of(desired(kept)),
                List.of(kept, extra("kustomize-controller", "")),
                k -> true,
                Map.of("shop", noPrune));
        Drift d = report.drifts().get(0);
        assertThat(d.type()).isEqualTo(DriftType.EXTRA);
        assertThat(d.cause()).isEqualTo(Cause.ORPHANED);
        assertThat(d.summary())
                .isEqualTo(
                        "ConfigMap shop/gone: extra, tracked by app shop but not in Git (created by kustomize-controller),"
                                + " orphaned: the applier will not delete it (Kustomization spec.prune: false)");
        assertThat(report.hasDrift()).isTrue();
        assertThat(report.summary().extra()).isEqualTo(1);
        assertThat(report.summary().byCause()).isEqualTo(Map.of("orphaned", 1));
    }

    @Test
    void anApplierThatPrunesLeavesTheExtraPendingUnlessTheObjectIsMarkedToBeKept() {
        PrunePolicy flux = PrunePolicy.prunes("Kustomization spec.prune: true", FLUX_DISABLED);
        assertThat(verdict(flux, extra("kustomize-controller", "")).cause()).isEqualTo(Cause.PENDING_SYNC);
        Drift annotated = verdict(
                flux, extra("kustomize-controller", "annotations: {kustomize.toolkit.fluxcd.io/prune: disabled}"));
        assertThat(annotated.cause()).isEqualTo(Cause.ORPHANED);
        assertThat(annotated.summary()).endsWith("(kustomize.toolkit.fluxcd.io/prune: disabled)");
        assertThat(verdict(flux, extra("kustomize-controller", "labels: {kustomize.toolkit.fluxcd.io/prune: disabled}"))
                        .cause())
                .as("Flux reads labels too")
                .isEqualTo(Cause.ORPHANED);
        assertThat(verdict(
                                flux,
                                extra(
                                        "kustomize-controller",
                                        "annotations: {kustomize.toolkit.fluxcd.io/prune: enabled}"))
                        .cause())
                .isEqualTo(Cause.PENDING_SYNC);
    }

    @Test
    void argoSyncOptionsAreACommaSeparatedListReadFromAnnotationsOnly() {
        PrunePolicy argo = PrunePolicy.prunes("Argo CD automated prune", ARGO_FALSE);
        assertThat(verdict(
                                argo,
                                extra(
                                        "argocd-controller",
                                        "annotations: {argocd.argoproj.io/sync-options: \"Validate=false, Prune=false\"}"))
                        .cause())
                .isEqualTo(Cause.ORPHANED);
        assertThat(verdict(
                                argo,
                                extra(
                                        "argocd-controller",
                                        "annotations: {argocd.argoproj.io/sync-options: \"Prune=falsey\"}"))
                        .cause())
                .isEqualTo(Cause.PENDING_SYNC);
        assertThat(verdict(argo, extra("argocd-controller", "labels: {argocd.argoproj.io/sync-options: Prune=false}"))
                        .cause())
                .as("a label is not a sync option")
                .isEqualTo(Cause.PENDING_SYNC);
    }

    @Test
    void anObjectMarkedToBePrunedOverridesAnAppThatKeeps() {
        PrunePolicy argo = PrunePolicy.keeps("Argo CD syncPolicy.syncOptions Prune=false", ARGO_TRUE);
        assertThat(verdict(argo, extra("argocd-controller", "")).cause()).isEqualTo(Cause.ORPHANED);
        assertThat(verdict(
                                argo,
                                extra(
                                        "argocd-controller",
                                        "annotations: {argocd.argoproj.io/sync-options: Prune=true}"))
                        .cause())
                .isEqualTo(Cause.PENDING_SYNC);
    }

    @Test
    void anExtraTheApplierDidNotCreateKeepsItsCreatorsCauseWhateverThePolicy() {
        PrunePolicy noPrune = PrunePolicy.keeps("Kustomization spec.prune: false");
        assertThat(verdict(noPrune, extra("kubectl-create", "")).cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(verdict(noPrune, extra("python-requests", "")).cause()).isEqualTo(Cause.UNKNOWN_MANAGER);
    }

    @Test
    void theIncrementalVerdictUsesThePolicyOfTheAppTheObjectIsTrackedAs() {
        JsonNode live = extra("helm-controller", "");
        assertThat(engine.diffUndesired(live, Map.of("shop", PrunePolicy.keeps("not installed")))
                        .orElseThrow()
                        .cause())
                .isEqualTo(Cause.ORPHANED);
        assertThat(engine.diffUndesired(live, Map.of("shop", PrunePolicy.UNKNOWN))
                        .orElseThrow()
                        .cause())
                .isEqualTo(Cause.PENDING_SYNC);
        assertThat(engine.diffUndesired(live, Map.of("billing", PrunePolicy.keeps("x"))))
                .isEmpty();
    }

    @Test
    void orphanedIsAnExtraCauseOnTheWire() {
        assertThat(Cause.ORPHANED.json()).isEqualTo("orphaned");
        assertThat(Cause.fromJson("orphaned")).isEqualTo(Cause.ORPHANED);
        assertThat(DriftType.EXTRA.causes()).contains(Cause.ORPHANED);
        assertThat(DriftType.MODIFIED.causes()).doesNotContain(Cause.ORPHANED);
    }
}
