package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.addManager;
import static io.driftwatch.diff.Fixtures.desired;
import static io.driftwatch.diff.Fixtures.load;
import static io.driftwatch.diff.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Keyed-list elements that share a merge key are paired in order and never merged into one. */
class DuplicateKeysTest {

    private static final String WEB = "/spec/template/spec/containers/0";
    private static final String WEB_FIELDS =
            "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":" + "\\\"web\\\"}\":%s}}}}}";

    private final DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults());
    private final ObjectNode deployment = load("deployment-desired.yaml");
    private final ObjectNode live = load("deployment-live.yaml");

    private static Change only(Optional<Drift> drift) {
        assertThat(drift).as("drift expected").isPresent();
        assertThat(drift.get().changes()).hasSize(1);
        return drift.get().changes().get(0);
    }

    @Test
    void aSecondContainerPortWithTheSameKeyIsReportedAddedWithItsManager() {
        set(live, WEB + "/ports/-", "{\"containerPort\":8080,\"protocol\":\"TCP\",\"name\":\"metrics\"}");
        addManager(
                live,
                "kubectl-patch",
                "Update",
                null,
                "2026-11-21T10:00:00Z",
                WEB_FIELDS.formatted(
                        "{\"f:ports\":{\"k:{\\\"containerPort\\\":8080,\\\"protocol\\\":\\\"TCP\\\"}\":{\"f:name\":{}}}}"));
        Change c = only(engine.diff(desired(deployment), live, true));
        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.path()).isEqualTo(WEB + "/ports/1");
        assertThat(c.field())
                .isEqualTo("spec.template.spec.containers[name=web].ports[containerPort=8080,protocol=TCP]");
        assertThat(c.live().path("name").asText()).isEqualTo("metrics");
        assertThat(c.manager()).as("the latest writer of that key").isEqualTo("kubectl-patch");
        assertThat(c.cause()).isEqualTo(Cause.OUT_OF_BAND);
        assertThat(c.note()).startsWith(Change.DUPLICATE_NOTE);
    }

    @Test
    void aDuplicateEnvVarByNameIsReportedNotMerged() {
        set(live, WEB + "/env/-", "{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"}");
        Change c = only(engine.diff(desired(deployment), live, true));
        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.live().path("value").asText()).isEqualTo("debug");
        assertThat(c.field()).endsWith("env[name=LOG_LEVEL]");
        assertThat(c.manager())
                .as("managedFields cannot key it: the key's owner, the applier")
                .isEqualTo("kubectl-client-side-apply");
        assertThat(c.cause())
                .as("an applier owns the key: the evidence does not decide")
                .isEqualTo(Cause.UNKNOWN);
    }

    @Test
    void aDuplicateServicePortKeyedByADefaultedProtocolIsReported() {
        ObjectNode service = load("service-live.yaml");
        set(service, "/spec/ports/-", "{\"name\":\"dns-tcp-2\",\"port\":53,\"protocol\":\"TCP\",\"targetPort\":53}");
        Optional<Drift> drift = engine.diff(desired(load("service-desired.yaml")), service, true);
        assertThat(drift).isPresent();
        assertThat(drift.get().changes())
                .filteredOn(c -> c.path().equals("/spec/ports/3"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.op()).isEqualTo(Op.ADDED);
                    assertThat(c.field()).isEqualTo("spec.ports[port=53,protocol=TCP]");
                });
    }

    @Test
    void desiredDuplicatesPairWithLiveDuplicatesInOrder() {
        set(deployment, WEB + "/env/-", "{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"}");
        assertThat(only(engine.diff(desired(deployment), live, true)).op())
                .as("live has one LOG_LEVEL: the second desired one is missing")
                .isEqualTo(Op.REMOVED);
        set(live, WEB + "/env/-", "{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"}");
        assertThat(engine.diff(desired(deployment), live, true)).isEmpty();
        ((ObjectNode) live.at(WEB + "/env/2")).put("value", "trace");
        Change c = only(engine.diff(desired(deployment), live, true));
        assertThat(c.op()).isEqualTo(Op.CHANGED);
        assertThat(c.path()).isEqualTo(WEB + "/env/2/value");
    }

    @Test
    void keyedListsOfCustomResourcesFromTheClusterSchemaToo() {
        ListSchema schema = new ListSchema() {
            @Override
            public Optional<ListType> listType(String group, String kind, List<String> path) {
                return path.equals(List.of("spec", "rules")) ? Optional.of(ListType.map("name")) : Optional.empty();
            }

            @Override
            public Optional<FieldFormat> format(String group, String kind, List<String> path) {
                return Optional.empty();
            }
        };
        DiffEngine withSchema = new DiffEngine(DiffOptions.defaults(), BuiltinResourceScope.INSTANCE, schema);
        ObjectNode desiredCr = Fixtures.yaml("""
                apiVersion: example.com/v1
                kind: Policy
                metadata: {name: p, namespace: shop}
                spec: {rules: [{name: a, allow: true}]}
                """);
        ObjectNode liveCr = Fixtures.yaml("""
                apiVersion: example.com/v1
                kind: Policy
                metadata: {name: p, namespace: shop}
                spec: {rules: [{name: a, allow: true}, {name: a, allow: false}]}
                """);
        Change c = only(withSchema.diff(desired(desiredCr), liveCr, true));
        assertThat(c.op()).isEqualTo(Op.ADDED);
        assertThat(c.path()).isEqualTo("/spec/rules/1");
        assertThat(c.manager()).isNull();
    }
}
