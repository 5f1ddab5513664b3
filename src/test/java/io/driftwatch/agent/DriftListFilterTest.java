package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftListFilterTest {

    private static final Drift SETTINGS = drift("ConfigMap", "shop", "settings", "shop");
    private static final Drift WEB = drift("Deployment", "shop", "web", "shop");
    private static final Drift OTHER_SETTINGS = drift("ConfigMap", "billing", "settings", "billing");
    private static final Drift CLUSTER_ROLE = drift("ClusterRole", null, "reader", "platform");
    private static final Drift NO_APP = drift("Secret", "shop", "token", null);
    private static final List<Drift> ALL = List.of(SETTINGS, WEB, OTHER_SETTINGS, CLUSTER_ROLE, NO_APP);

    @Test
    void noParameterListsEveryDrift() {
        assertThat(matching(Map.of())).containsExactlyElementsOf(ALL);
    }

    @Test
    void oneObjectIsSelectedByNamespaceKindAndName() {
        assertThat(matching(
                        query("namespace", List.of("shop"), "kind", List.of("ConfigMap"), "name", List.of("settings"))))
                .containsExactly(SETTINGS);
        assertThat(matching(query("name", List.of("settings")))).containsExactly(SETTINGS, OTHER_SETTINGS);
    }

    @Test
    void repeatedValuesAreAlternativesAndParametersCombine() {
        assertThat(matching(query("app", List.of("shop", "billing")))).containsExactly(SETTINGS, WEB, OTHER_SETTINGS);
        assertThat(matching(query("app", List.of("shop", "billing"), "kind", List.of("Deployment"))))
                .containsExactly(WEB);
        assertThat(matching(query("kind", List.of("Namespace")))).isEmpty();
    }

    @Test
    void anEmptyNamespaceSelectsClusterScopedObjects() {
        assertThat(matching(query("namespace", List.of("")))).containsExactly(CLUSTER_ROLE);
    }

    @Test
    void matchingIsExactNotByPrefixOrCase() {
        assertThat(matching(query("name", List.of("setting")))).isEmpty();
        assertThat(matching(query("kind", List.of("configmap")))).isEmpty();
    }

    @Test
    void everyBadParameterIsNamedAtOnce() {
        assertThatThrownBy(() -> DriftListFilter.parse(
                        query("nmae", List.of("web"), "kind", List.of(""), "app", List.of(""), "limit", List.of("5"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown parameter 'nmae'")
                .hasMessageContaining("unknown parameter 'limit'")
                .hasMessageContaining("kind: must not be empty")
                .hasMessageContaining("app: must not be empty");
    }

    private static List<Drift> matching(Map<String, List<String>> query) {
        DriftListFilter filter = DriftListFilter.parse(query);
        return ALL.stream().filter(filter::test).toList();
    }

    private static Map<String, List<String>> query(Object... pairs) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) pairs[i + 1];
            query.put((String) pairs[i], values);
        }
        return query;
    }

    private static Drift drift(String kind, String namespace, String name, String app) {
        return new Drift(
                new ObjectKey("", kind, namespace, name),
                "v1",
                app,
                DriftType.MODIFIED,
                Cause.OUT_OF_BAND,
                kind + " " + name + ": modified",
                List.of(),
                null);
    }
}
