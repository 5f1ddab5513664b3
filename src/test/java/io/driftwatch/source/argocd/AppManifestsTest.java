package io.driftwatch.source.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.ArgoCdConnection;
import io.driftwatch.diff.DesiredHints;
import io.driftwatch.diff.IgnoreRule;
import io.driftwatch.diff.Tracking;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.argocd.rest.ApiClient;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.source.argocd.rest.model.ClusterSettings;
import io.driftwatch.source.argocd.rest.model.ManifestResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argo CD Application + manifests → desired state, read with the generated client's own mapper. */
class AppManifestsTest {

    private static final ObjectMapper WIRE = ApiClient.createDefaultObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-21T11:00:00Z");

    /** An app as the API server sends it: managedFields with nested field sets, int64 numbers, a Helm valuesObject. */
    private static final String APP = """
            {"metadata": {"name": "shop", "namespace": "argocd", "resourceVersion": "4711", "generation": 12,
              "creationTimestamp": "2026-11-21T10:00:00Z",
              "managedFields": [{"manager": "argocd-server", "operation": "Update", "apiVersion": "argoproj.io/v1alpha1",
                "time": "2026-11-21T10:00:00Z", "fieldsType": "FieldsV1",
                "fieldsV1": {"f:spec": {".": {}, "f:destination": {"f:namespace": {}}}}}]},
             "spec": {"project": "shop",
              "source": {"repoURL": "file:///repo", "path": "shop", "targetRevision": "main",
                "helm": {"valuesObject": {"replicas": 3, "ports": [80, "https"]}}},
              "destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"},
              "ignoreDifferences": [
                {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]},
                {"kind": "ConfigMap", "name": "settings", "jqPathExpressions": [".data.x"]}]},
             "status": {"sync": {"status": "Synced", "revision": "0123456789abcdef0123456789abcdef01234567"},
              "resources": [{"kind": "Service", "name": "web", "status": "Synced"}]}}
            """;

    private static Application app() throws Exception {
        return WIRE.readValue(APP, Application.class);
    }

    private static ManifestResponse manifests(String... jsons) {
        return new ManifestResponse()
                .revision("0123456789abcdef0123456789abcdef01234567")
                .manifests(List.of(jsons));
    }

    @Test
    void readsTheWireShapesThePublishedSchemaGetsWrong() throws Exception {
        Application app = app();
        assertThat(app.getMetadata().getGeneration()).isEqualTo(12L);
        assertThat(app.getMetadata().getManagedFields().get(0).getFieldsV1()).containsKey("f:spec");
        assertThat(app.getSpec().getSource().getHelm().getValuesObject()).isInstanceOf(Map.class);
        assertThat(app.getStatus().getSync().getRevision()).startsWith("0123");
    }

    @Test
    void mapsManifestsAtTheResolvedRevisionLeavingHooksOutAndNamespacesUnset() throws Exception {
        DesiredState state = AppManifests.desiredState(
                app(),
                manifests(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":80}]}}",
                        "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"migrate\","
                                + "\"annotations\":{\"argocd.argoproj.io/hook\":\"PreSync\"}}}",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"test\","
                                + "\"annotations\":{\"helm.sh/hook\":\"test\"}}}"),
                "0123",
                List.of(),
                NOW);

        assertThat(state.app()).isEqualTo("shop");
        assertThat(state.revision()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(state.objects()).singleElement().satisfies(o -> {
            assertThat(o.path("kind").asText()).isEqualTo("Service");
            assertThat(o.path("metadata").has("namespace")).isFalse();
            assertThat(o.path("metadata").has("annotations")).isFalse();
        });
        assertThat(state.loadedAt()).isEqualTo(NOW);
    }

    @Test
    void marksSecretsAsMaskedAndAttachesTheRulesOfEachObject() throws Exception {
        List<String> unsupported = new ArrayList<>();
        List<IgnoreRule> rules = AppManifests.appRules(app(), unsupported);
        DesiredState state = AppManifests.desiredState(
                app(),
                manifests(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\"++++++++\"}}",
                        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":2}}",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"other\"}}"),
                "0123",
                rules,
                NOW);

        ObjectNode secret = state.objects().get(0);
        assertThat(secret.at("/metadata/annotations")
                        .path(DesiredHints.SECRET_VALUES_ANNOTATION)
                        .asText())
                .isEqualTo("masked");
        ObjectNode deployment = state.objects().get(1);
        assertThat(deployment
                        .at("/metadata/annotations")
                        .path(DesiredHints.IGNORE_ANNOTATION)
                        .asText())
                .contains("/spec/replicas")
                .contains("\"group\":\"apps\"");
        assertThat(state.objects().get(2).path("metadata").has("annotations")).isFalse();
        assertThat(unsupported).singleElement().asString().contains("jqPathExpressions");
    }

    @Test
    void theRevisionAskedForStandsInWhenTheServerLeavesItEmpty() throws Exception {
        ManifestResponse empty = new ManifestResponse().manifests(List.of());
        assertThat(AppManifests.desiredState(app(), empty, "target:main", List.of(), NOW)
                        .revision())
                .isEqualTo("target:main");
    }

    @Test
    void aRuleWithoutAGroupMeansTheCoreGroupLikeInArgoCd() throws Exception {
        IgnoreRule configMaps = AppManifests.appRules(app(), new ArrayList<>()).get(1);
        assertThat(configMaps.group()).isEmpty();
        assertThat(configMaps.name()).isEqualTo("settings");
        assertThat(configMaps.namespace()).isNull();
    }

    @Test
    void aManifestThatIsNotJsonNamesTheAppAndItsPosition() {
        assertThatThrownBy(() -> AppManifests.desiredState(
                        app(), manifests("{\"kind\":\"Service\"", "x"), "0123", List.of(), NOW))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("app shop: manifest #1 from Argo CD is not JSON");
        assertThatThrownBy(() -> AppManifests.desiredState(app(), manifests("[1]"), "0123", List.of(), NOW))
                .hasMessageContaining("manifest #1 from Argo CD is not a Kubernetes object");
    }

    @Test
    void trackingFollowsTheServersMethod() throws Exception {
        assertThat(ArgoCdSettings.of(new ClusterSettings()).tracking())
                .isEqualTo(new Tracking(Tracking.DEFAULT_ANNOTATION, null));
        assertThat(ArgoCdSettings.of(
                                new ClusterSettings().trackingMethod("label").appLabelKey("team/app"))
                        .tracking())
                .isEqualTo(new Tracking(null, "team/app"));
        assertThat(ArgoCdSettings.of(new ClusterSettings().trackingMethod("annotation+label"))
                        .tracking())
                .isEqualTo(new Tracking(Tracking.DEFAULT_ANNOTATION, Tracking.DEFAULT_LABEL));
        assertThatThrownBy(() -> ArgoCdSettings.of(new ClusterSettings().trackingMethod("uid")))
                .hasMessageContaining("tracking method 'uid'");
    }

    @Test
    void systemRulesArriveAsYamlTextOrAsObjects() throws Exception {
        ClusterSettings settings = WIRE.readValue("""
                {"resourceOverrides": {
                  "apps/Deployment": {"ignoreDifferences": "jsonPointers:\\n- /spec/replicas\\nmanagedFieldsManagers:\\n- hpa\\n"},
                  "Service": {"ignoreDifferences": {"jsonPointers": ["/spec/clusterIP"]}},
                  "admissionregistration.k8s.io/MutatingWebhookConfiguration": {"healthLua": "x"}}}
                """, ClusterSettings.class);

        List<IgnoreRule> rules = ArgoCdSettings.of(settings).ignoreRules();

        assertThat(rules)
                .containsExactlyInAnyOrder(
                        new IgnoreRule("apps", "Deployment", null, null, List.of("/spec/replicas"), List.of("hpa")),
                        new IgnoreRule("", "Service", null, null, List.of("/spec/clusterIP"), List.of()));
    }

    @Test
    void connectionSettingsAreValidatedByName() {
        ArgoCdConnection bad = new ArgoCdConnection(
                "ftp://x", null, java.nio.file.Path.of("/nonexistent/ca.pem"), true, "/argocd/", null);
        assertThat(bad.problems("sources.argocd"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.argocd.server:"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.argocd.tokenFile: required"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.argocd.caFile:"))
                .anySatisfy(p -> assertThat(p).startsWith("sources.argocd.insecure:"));
        assertThat(new ArgoCdConnection("https://cd.example.com/", null, null, null, "argocd/", null).baseUri())
                .hasToString("https://cd.example.com/argocd");
    }

    @Test
    void typedListsFromArgoCdAreExpandedAndABadItemIsNamed() throws Exception {
        DesiredState state = AppManifests.desiredState(
                app(),
                manifests(
                        "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleList\",\"items\":["
                                + "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\",\"metadata\":{\"name\":\"r\"}}]}"),
                "0123",
                List.of(),
                NOW);
        assertThat(state.objects())
                .extracting(o -> o.path("metadata").path("name").asText())
                .containsExactly("r");
        assertThatThrownBy(() -> AppManifests.desiredState(
                        app(),
                        manifests(
                                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMapList\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}]}"),
                        "0123",
                        List.of(),
                        NOW))
                .hasMessageContaining("manifest #1 (ConfigMapList) item 1 lacks metadata.name");
    }
}
