package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.desired;
import static io.driftwatch.diff.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Writes the object records badly, on objects dumped from a real API server (see README-real-objects.md): a scale of
 * replicas nobody owned, and kubectl's client-side → server-side migration merging the client-side applier's fields
 * into another manager's Apply entry.
 */
class UnrecordedWritesTest {

    private static final String TRACKING = "argocd.argoproj.io/tracking-id";
    private final DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults());

    private static Change only(Optional<Drift> drift) {
        assertThat(drift).isPresent();
        assertThat(drift.get().changes()).hasSize(1);
        return drift.get().changes().get(0);
    }

    @Test
    void replicasScaledWithNoOwnerAreAddedWithoutAManager() {
        ObjectNode live = load("scaled-unowned-replicas-live.json");
        Optional<Drift> drift = engine.diff(desired(load("scaled-unowned-replicas-desired.yaml")), live, true);
        Change c = only(drift);
        assertThat(c.field()).isEqualTo("spec.replicas");
        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.live().asInt()).isEqualTo(2);
        assertThat(c.manager()).isNull();
        assertThat(c.note()).isEqualTo(Change.UNRECORDED_SCALE_NOTE);
        assertThat(drift.get().summary()).contains("replicas added (2); not recorded in the object who set it");
        assertThat(ReportText.render(DriftReport.of(1, List.of(drift.get()), false), false))
                .contains(Change.UNRECORDED_SCALE_NOTE);
    }

    @Test
    void replicasAnHpaScalesAreNotReported() {
        ObjectNode live = load("scaled-unowned-replicas-live.json");
        assertThat(engine.diff(desired(load("scaled-unowned-replicas-desired.yaml")), live, true, true))
                .isEmpty();
    }

    @Test
    void replicasAtTheServerDefaultAreNotReported() {
        ObjectNode live = load("scaled-unowned-replicas-live.json");
        ((ObjectNode) live.get("spec")).put("replicas", 1);
        assertThat(engine.diff(desired(load("scaled-unowned-replicas-desired.yaml")), live, true))
                .isEmpty();
    }

    @Test
    void replicasOfEveryBuiltinScalableKindAreCoveredButNotOfACustomResource() {
        ObjectNode desired = load("scaled-unowned-replicas-desired.yaml");
        ObjectNode live = load("scaled-unowned-replicas-live.json");
        for (String kind : List.of("StatefulSet", "ReplicaSet")) {
            desired.put("kind", kind);
            live.put("kind", kind);
            assertThat(only(engine.diff(desired(desired), live, true)).field())
                    .as(kind)
                    .isEqualTo("spec.replicas");
        }
        desired.put("apiVersion", "v1").put("kind", "ReplicationController");
        live.put("apiVersion", "v1").put("kind", "ReplicationController");
        assertThat(only(engine.diff(desired(desired), live, true)).field()).isEqualTo("spec.replicas");
        desired.put("apiVersion", "example.com/v1").put("kind", "Widget");
        live.put("apiVersion", "example.com/v1").put("kind", "Widget");
        assertThat(engine.diff(desired(desired), live, true))
                .as("no known server default for a custom resource")
                .isEmpty();
    }

    @Test
    void replicasSomeoneOwnsAreLeftToTheirOwner() {
        ObjectNode live = load("scaled-unowned-replicas-live.json");
        Fixtures.addManager(
                live, "kubectl", "Update", "scale", "2026-12-03T11:00:00Z", "{\"f:spec\":{\"f:replicas\":{}}}");
        Change c = only(engine.diff(desired(load("scaled-unowned-replicas-desired.yaml")), live, true));
        assertThat(c.manager()).isEqualTo("kubectl");
        assertThat(c.subresource()).isEqualTo("scale");
        assertThat(c.note()).isNotEqualTo(Change.UNRECORDED_SCALE_NOTE);
    }

    @Test
    void afterMigrationOnlyTheNewManagersChangeIsReported() {
        Change c = only(engine.diff(desired(load("csa-migrated-desired.yaml")), load("csa-migrated-live.json"), true));
        assertThat(c.field()).isEqualTo("spec.template.spec.containers[name=c].resources.limits.memory");
        assertThat(c.op()).isEqualTo(Op.CHANGED);
        assertThat(c.live().asText()).isEqualTo("1Gi");
        assertThat(c.manager()).isEqualTo("hotfix-bot");
        assertThat(c.cause()).isEqualTo(Cause.UNKNOWN_MANAGER);
    }

    @Test
    void afterMigrationAValueTheManagerChangedAwayFromLastAppliedIsReported() {
        ObjectNode live = load("csa-migrated-live.json");
        ((ObjectNode) live.at("/metadata/annotations")).put(TRACKING, "other:apps/Deployment:default/csa");
        Optional<Drift> drift = engine.diff(desired(load("csa-migrated-desired.yaml")), live, true);
        assertThat(drift).isPresent();
        assertThat(drift.get().changes())
                .extracting(Change::field, Change::op, Change::manager)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        "metadata.annotations[\"" + TRACKING + "\"]", Op.ADDED, "hotfix-bot"))
                .hasSize(2);
    }

    @Test
    void afterMigrationAValueGitChangedSinceTheClientSideApplyIsPendingSyncNotTheManagers() {
        ObjectNode desired = load("csa-migrated-desired.yaml");
        ((ObjectNode) desired.at("/spec/template/spec/containers/0")).put("image", "nginx:2");
        Optional<Drift> drift = engine.diff(desired(desired), load("csa-migrated-live.json"), true);
        assertThat(drift).isPresent();
        Change image = drift.get().changes().stream()
                .filter(ch -> ch.field().endsWith(".image"))
                .findFirst()
                .orElseThrow();
        assertThat(image.manager()).isNull();
        assertThat(image.cause()).isEqualTo(Cause.PENDING_SYNC);
        assertThat(drift.get().changes())
                .filteredOn(ch -> ch.field().endsWith(".memory"))
                .singleElement()
                .extracting(Change::manager)
                .isEqualTo("hotfix-bot");
    }

    @Test
    void afterMigrationAnAdditionLastAppliedDoesNotSetCannotBeToldFromADefault() {
        ObjectNode live = load("csa-migrated-label-live.json");
        assertThat(live.at("/metadata/labels/hotfix").asText()).isEqualTo("true");
        // hotfix-bot's label is in its entry beside the defaults it took over, as the defaults are: not reported
        ObjectNode desired = load("csa-migrated-desired.yaml");
        ((ObjectNode) desired.get("metadata")).put("name", "csb");
        Change c = only(engine.diff(desired(desired), live, true));
        assertThat(c.manager()).as("the memory change is still X's").isEqualTo("hotfix-bot");
    }

    @Test
    void anApplyEntryThatNeverTookOverClientSideFieldsKeepsEveryAddition() {
        ObjectNode desired = load("csa-migrated-desired.yaml");
        // the same entry without the last-applied annotation: an ordinary Apply by hotfix-bot owning defaults
        ObjectNode migrated = load("csa-migrated-live.json");
        ObjectNode entry = (ObjectNode) migrated.at("/metadata/managedFields/0");
        assertThat(entry.path("manager").asText()).isEqualTo("hotfix-bot");
        ((ObjectNode) entry.at("/fieldsV1/f:metadata/f:annotations"))
                .remove("f:kubectl.kubernetes.io/last-applied-configuration");
        Optional<Drift> drift = engine.diff(desired(desired), migrated, true);
        assertThat(drift).isPresent();
        assertThat(drift.get().changes())
                .hasSizeGreaterThan(1)
                .allSatisfy(ch -> assertThat(ch.manager()).isEqualTo("hotfix-bot"));
    }
}
