package io.driftwatch.diff;

import static io.driftwatch.diff.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** null, {} and [] in desired mean "not set", as kubectl apply and Helm treat them; displayed as null. */
class NullAndEmptyTest {

    private static final String HPA_DEFAULTED_METRICS = """
            [{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""";

    @TempDir
    Path dir;

    private final DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults());

    private ObjectNode read(String yaml) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, yaml);
        List<ObjectNode> objects = ManifestReader.read(file);
        assertThat(objects).hasSize(1);
        return objects.get(0);
    }

    private static ObjectNode liveHpa(String manager, String operation, String lastApplied) {
        ObjectNode live = Fixtures.yaml("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: api
                  namespace: shop
                  managedFields:
                    - manager: %s
                      operation: %s
                      apiVersion: autoscaling/v2
                      time: "2026-11-21T09:00:00Z"
                      fieldsType: FieldsV1
                      fieldsV1: {f:spec: {f:maxReplicas: {}, f:minReplicas: {}, f:scaleTargetRef: {f:kind: {}, f:name: {}, f:apiVersion: {}}}}
                spec:
                  maxReplicas: 5
                  minReplicas: 1
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
                """.formatted(manager, operation));
        ((ObjectNode) live.path("spec")).set("metrics", Fixtures.json(HPA_DEFAULTED_METRICS));
        if (lastApplied != null) {
            ((ObjectNode) live.path("metadata"))
                    .putObject("annotations")
                    .put("kubectl.kubernetes.io/last-applied-configuration", lastApplied);
        }
        return live;
    }

    private static final String HPA = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: api, namespace: shop}
            spec:
              maxReplicas: 5
              minReplicas: 1
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
              metrics:
            """;

    @Test
    void anEmptyYamlValueIsNullAndAQuotedEmptyStringStaysAString() throws Exception {
        ObjectNode o = read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  empty:\n  quoted: \"\"\n");
        assertThat(o.at("/data/empty").isNull()).isTrue();
        assertThat(o.at("/data/quoted").textValue()).isEmpty();
    }

    @Test
    void aNullHpaMetricsIsNotDriftAfterClientSideApplyWhoseLastAppliedHoldsTheNullToo() throws Exception {
        String lastApplied = "{\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\",\"metadata\":"
                + "{\"name\":\"api\",\"namespace\":\"shop\"},\"spec\":{\"maxReplicas\":5,\"minReplicas\":1,\"metrics\":null,"
                + "\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"api\"}}}";
        assertThat(engine.diff(desired(read(HPA)), liveHpa("kubectl-client-side-apply", "Update", lastApplied), true))
                .isEmpty();
    }

    @Test
    void aNullHpaMetricsIsNotDriftAfterServerSideApply() throws Exception {
        assertThat(engine.diff(desired(read(HPA)), liveHpa("argocd-controller", "Apply", null), true))
                .isEmpty();
    }

    @Test
    void nestedNullsEmptyMapsAndEmptyListsAreNotSet() throws Exception {
        ObjectNode desired = read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                  annotations:
                  labels: {}
                spec:
                  strategy:
                    rollingUpdate:
                  template:
                    spec:
                      tolerations: []
                      nodeSelector: {}
                      containers:
                        - name: web
                          image: nginx
                          resources:
                            limits:
                            requests: {cpu:}
                          env:
                            - name: A
                              value:
                          args:
                """);
        ObjectNode live = Fixtures.yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop, labels: {x: y}, annotations: {deployment.kubernetes.io/revision: "1"}}
                spec:
                  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
                  template:
                    spec:
                      containers:
                        - {name: web, image: nginx, resources: {limits: {cpu: "1"}}, env: [{name: A}], terminationMessagePath: /dev/termination-log}
                """);
        assertThat(engine.diff(desired(desired), live, true)).isEmpty();
    }

    @Test
    void aNullIsDisplayedAsNullAndAnEmptyStringAsQuotes() {
        Change removed = new Change(
                "data.a",
                "/data/a",
                Op.REMOVED,
                Cause.UNKNOWN,
                Fixtures.json("\"\""),
                null,
                null,
                null,
                null,
                null,
                Change.REMOVAL_NOTE);
        Change added = new Change(
                "data.b",
                "/data/b",
                Op.ADDED,
                Cause.OUT_OF_BAND,
                null,
                Fixtures.json("null"),
                "kubectl-edit",
                "Update",
                "",
                null);
        assertThat(Summaries.phrase(removed)).contains("desired \"\"");
        assertThat(Summaries.phrase(added)).contains("added (null)");
    }
}
