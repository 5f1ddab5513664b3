package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.desired;
import static io.driftwatch.diff.Fixtures.load;
import static io.driftwatch.diff.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListSchemaTest {

    private static final List<String> CONTAINERS = List.of("spec", "template", "spec", "containers");
    private final OpenApiListSchema apps = OpenApiListSchema.fromOpenApiV3(load("openapi-apps-v1.json"));
    private final OpenApiListSchema caches = OpenApiListSchema.fromCrd(load("crd-caches.yaml"));

    private static List<String> path(List<String> base, String... more) {
        List<String> out = new java.util.ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    @Test
    void builtinTableKeysCoreListsAndDefaultsPortProtocol() {
        BuiltinListSchema b = BuiltinListSchema.INSTANCE;
        assertThat(b.listType("apps", "Deployment", CONTAINERS)).contains(ListType.map("name"));
        ListType ports =
                b.listType("apps", "Deployment", path(CONTAINERS, "ports")).orElseThrow();
        assertThat(ports.keys()).containsExactly("containerPort", "protocol");
        assertThat(ports.keyDefaults()).containsEntry("protocol", TextNode.valueOf("TCP"));
        assertThat(b.listType("", "Service", List.of("spec", "ports"))
                        .orElseThrow()
                        .keys())
                .containsExactly("port", "protocol");
        assertThat(b.listType("apps", "Deployment", path(CONTAINERS, "env"))).contains(ListType.map("name"));
        assertThat(b.listType("apps", "Deployment", path(CONTAINERS, "volumeMounts")))
                .contains(ListType.map("mountPath"));
        assertThat(b.listType("", "Pod", List.of("metadata", "finalizers"))).contains(ListType.SET);
        assertThat(b.listType("", "Pod", List.of("spec", "tolerations"))).isEmpty();
        assertThat(b.listType("networking.k8s.io", "NetworkPolicy", List.of("spec", "ingress", "ports")))
                .isEmpty();
    }

    @Test
    void builtinTableTreatsResourceLikePathsAsQuantities() {
        BuiltinListSchema b = BuiltinListSchema.INSTANCE;
        assertThat(b.format("x.io", "Thing", List.of("spec", "resources", "limits", "memory")))
                .contains(FieldFormat.QUANTITY);
        assertThat(b.format("", "ResourceQuota", List.of("spec", "hard", "requests.cpu")))
                .contains(FieldFormat.QUANTITY);
        assertThat(b.format("", "Service", List.of("spec", "ports", "targetPort")))
                .contains(FieldFormat.INT_OR_STRING);
        assertThat(b.format("", "ConfigMap", List.of("data", "size"))).isEmpty();
        assertThat(b.format(
                        "autoscaling",
                        "HorizontalPodAutoscaler",
                        List.of("spec", "metrics", "resource", "target", "averageValue")))
                .contains(FieldFormat.QUANTITY);
        assertThat(b.format(
                        "autoscaling",
                        "HorizontalPodAutoscaler",
                        List.of("spec", "metrics", "pods", "target", "value")))
                .contains(FieldFormat.QUANTITY);
    }

    @Test
    void readsListTypesFromAnOpenApiV3DocumentResolvingRefs() {
        assertThat(apps.knowsKind("apps", "Deployment")).isTrue();
        assertThat(apps.listType("apps", "Deployment", CONTAINERS)).contains(ListType.map("name"));
        ListType ports =
                apps.listType("apps", "Deployment", path(CONTAINERS, "ports")).orElseThrow();
        assertThat(ports.keys()).containsExactly("containerPort", "protocol");
        assertThat(ports.keyDefaults()).containsEntry("protocol", TextNode.valueOf("TCP"));
        assertThat(apps.listType("apps", "Deployment", List.of("spec", "template", "spec", "tolerations")))
                .contains(ListType.ATOMIC);
        assertThat(apps.listType("apps", "Deployment", List.of("spec", "template", "spec", "imagePullSecrets")))
                .as("patch merge key without list type")
                .contains(ListType.map("name"));
        assertThat(apps.listType("apps", "Deployment", List.of("metadata", "finalizers")))
                .contains(ListType.SET);
        assertThat(apps.listType("apps", "Deployment", List.of("spec", "nope"))).isEmpty();
        assertThat(apps.listType("apps", "StatefulSet", CONTAINERS)).isEmpty();
    }

    @Test
    void readsQuantityAndIntOrStringFormatsFromOpenApi() {
        assertThat(apps.format("apps", "Deployment", path(CONTAINERS, "resources", "limits", "cpu")))
                .contains(FieldFormat.QUANTITY);
        assertThat(apps.format("apps", "Deployment", List.of("spec", "strategy", "rollingUpdate", "maxSurge")))
                .contains(FieldFormat.INT_OR_STRING);
        assertThat(apps.format("apps", "Deployment", path(CONTAINERS, "image"))).contains(FieldFormat.PLAIN);
        assertThat(apps.format("apps", "Deployment", List.of("metadata", "labels", "tier")))
                .contains(FieldFormat.PLAIN);
    }

    @Test
    void readsACrdSchemaPreferringTheStorageVersion() {
        ListType tiers = caches.listType("cache.example.com", "Cache", List.of("spec", "tiers"))
                .orElseThrow();
        assertThat(tiers.keys()).containsExactly("name", "zone");
        assertThat(tiers.keyDefaults()).containsEntry("zone", TextNode.valueOf("any"));
        assertThat(caches.listType("cache.example.com", "Cache", List.of("spec", "tags")))
                .contains(ListType.SET);
        assertThat(caches.format("cache.example.com", "Cache", List.of("spec", "size")))
                .contains(FieldFormat.INT_OR_STRING);
        assertThat(caches.format("cache.example.com", "Cache", List.of("spec", "memory")))
                .contains(FieldFormat.QUANTITY);
        assertThat(caches.format("cache.example.com", "Cache", List.of("spec", "extra", "resources", "cpu")))
                .as("preserve-unknown-fields: schema does not know")
                .isEmpty();
    }

    @Test
    void compositeFallsBackToTheBuiltinTable() {
        ListSchema composite = caches.orElse(BuiltinListSchema.INSTANCE);
        assertThat(composite
                        .listType("cache.example.com", "Cache", List.of("spec", "tiers"))
                        .orElseThrow()
                        .keys())
                .containsExactly("name", "zone");
        assertThat(composite.format("cache.example.com", "Cache", List.of("spec", "extra", "resources", "cpu")))
                .contains(FieldFormat.QUANTITY);
        assertThat(composite.listType("apps", "Deployment", CONTAINERS)).contains(ListType.map("name"));
    }

    @Test
    void reportsNoDriftForACustomResourceWithSchemaDefaultsAndQuantities() {
        ObjectNode desiredCache = Fixtures.yaml("""
                apiVersion: cache.example.com/v1
                kind: Cache
                metadata: {name: sessions, namespace: shop}
                spec:
                  size: 3
                  memory: 1024Mi
                  tiers:
                    - name: hot
                  tags: [b, a]
                  extra:
                    resources: {cpu: 0.5}
                """);
        ObjectNode liveCache = Fixtures.yaml("""
                apiVersion: cache.example.com/v1
                kind: Cache
                metadata: {name: sessions, namespace: shop, generation: 1}
                spec:
                  size: "3"
                  memory: 1Gi
                  mode: lru
                  tiers:
                    - {name: warm, zone: any}
                    - {name: hot, zone: any, capacity: 1Gi}
                  tags: [a, b, c]
                  extra:
                    resources: {cpu: 500m}
                """);
        DiffEngine engine = new DiffEngine(DiffOptions.defaults(), BuiltinResourceScope.INSTANCE, caches);
        assertThat(engine.diff(desired(desiredCache), liveCache, true)).isEmpty();

        set(liveCache, "/spec/tiers/1/zone", "\"eu\"");
        Optional<Drift> drift = engine.diff(desired(desiredCache), liveCache, true);
        assertThat(drift).isPresent();
        assertThat(drift.get().changes()).extracting(Change::field).containsExactly("spec.tiers[name=hot,zone=any]");
        assertThat(drift.get().changes().get(0).op()).isEqualTo(Op.REMOVED);
    }

    @Test
    void comparesCustomResourceQuantitiesWithoutASchemaUnderResourceLikePaths() {
        ObjectNode d = Fixtures.yaml("""
                apiVersion: db.example.com/v1
                kind: Cluster
                metadata: {name: pg, namespace: shop}
                spec:
                  storage: {size: 10Gi}
                  resources: {requests: {memory: 1000M}}
                  version: "16.1"
                """);
        ObjectNode l = Fixtures.yaml("""
                apiVersion: db.example.com/v1
                kind: Cluster
                metadata: {name: pg, namespace: shop}
                spec:
                  storage: {size: 10240Mi}
                  resources: {requests: {memory: 1G}}
                  version: "16.10"
                """);
        Drift drift = DiffEngine.withDefaults(DiffOptions.defaults())
                .diff(desired(d), l, true)
                .orElseThrow();
        assertThat(drift.changes()).extracting(Change::field).containsExactly("spec.version");
    }

    @Test
    void keyDefaultsComeFromTheSchema() {
        ListType t = ListType.map("name", "zone").withKeyDefaults(Map.of("zone", TextNode.valueOf("any")));
        assertThat(Comparer.keyOf(Fixtures.json("{\"name\":\"hot\"}"), t))
                .containsEntry("zone", TextNode.valueOf("any"));
        assertThat(Comparer.keyOf(Fixtures.json("{\"zone\":\"eu\"}"), t)).isNull();
    }
}
