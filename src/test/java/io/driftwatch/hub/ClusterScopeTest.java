package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.config.HubConfig;
import io.driftwatch.hub.StoreModel.ClusterRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterScopeTest {

    private static final List<ClusterRow> CLUSTERS = List.of(
            row("pay-eu", "{\"team\":\"payments\",\"env\":\"prod\"}"),
            row("pay-us", "{\"team\":\"payments\",\"env\":\"staging\"}"),
            row("search", "{\"team\":\"search\"}"),
            row("bare", "{}"));
    private static final Principal PAYMENTS =
            new Principal(Principal.Role.READER, "payments", Map.of("team", "payments"));
    private static final Principal EVERYONE = new Principal(Principal.Role.READER, "grafana");

    private static ClusterRow row(String name, String labels) {
        return new ClusterRow(name, "agent", "v1", labels, "{}", 0L, "s", 0, 0, 0);
    }

    @Test
    void aScopedReaderSeesOnlyClustersWithAllItsLabels() {
        assertThat(ClusterScope.visible(PAYMENTS, CLUSTERS)).containsExactly("pay-eu", "pay-us");
        Principal prodPayments = new Principal(Principal.Role.READER, "p", Map.of("team", "payments", "env", "prod"));
        assertThat(ClusterScope.visible(prodPayments, CLUSTERS)).containsExactly("pay-eu");
        assertThat(ClusterScope.visible(EVERYONE, CLUSTERS)).isNull();
    }

    @Test
    void aQueryIsNarrowedToTheScopeAndAClusterNamedOutsideItIsRefused() {
        Set<String> visible = ClusterScope.visible(PAYMENTS, CLUSTERS);
        assertThat(ClusterScope.narrow(null, List.of(), visible, PAYMENTS)).containsExactly("pay-eu", "pay-us");
        assertThat(ClusterScope.narrow(Set.of("pay-us"), List.of("pay-us"), visible, PAYMENTS))
                .containsExactly("pay-us");
        // a label filter selecting clusters across teams keeps only the reader's
        assertThat(ClusterScope.narrow(Set.of("pay-eu", "search"), List.of(), visible, PAYMENTS))
                .containsExactly("pay-eu");
        assertThatThrownBy(() -> ClusterScope.narrow(Set.of("search"), List.of("search", "bare"), visible, PAYMENTS))
                .isInstanceOfSatisfying(
                        BadRequest.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessage("cluster search, bare: outside the clusters payments may read (clusters labelled"
                        + " team=payments)");
        assertThat(ClusterScope.narrow(Set.of("search"), List.of("search"), null, EVERYONE))
                .containsExactly("search");
    }

    private static Principal reader(String name, List<Map<String, String>> scopes) {
        return new Principal(Principal.Role.READER, name, scopes);
    }

    @Test
    void theLabelSetsOfAReaderAddUp() {
        // a label set of two labels is an AND; the sets are an OR
        Principal prodPaymentsOrSearch =
                reader("p", List.of(Map.of("team", "payments", "env", "prod"), Map.of("team", "search")));
        assertThat(ClusterScope.visible(prodPaymentsOrSearch, CLUSTERS)).containsExactly("pay-eu", "search");

        // overlapping sets: the wider one decides, each cluster once
        Principal overlapping =
                reader("o", List.of(Map.of("team", "payments", "env", "prod"), Map.of("team", "payments")));
        assertThat(ClusterScope.visible(overlapping, CLUSTERS)).containsExactly("pay-eu", "pay-us");

        // {} among limited sets grants every cluster, also clusters that report no labels
        Principal withAll = reader("a", List.of(Map.of("team", "payments"), Map.of(), Map.of("team", "search")));
        assertThat(withAll.scoped()).isFalse();
        assertThat(withAll.clusterScopes()).isEqualTo(Principal.ALL_CLUSTERS);
        assertThat(ClusterScope.visible(withAll, CLUSTERS)).isNull();

        // the same set twice is kept once; a set matching nothing adds nothing
        Principal twice = reader("t", List.of(Map.of("team", "search"), Map.of("team", "search"), Map.of("team", "x")));
        assertThat(twice.clusterScopes()).containsExactly(Map.of("team", "search"), Map.of("team", "x"));
        assertThat(ClusterScope.visible(twice, CLUSTERS)).containsExactly("search");
        // a cluster whose labels are unknown (null) matches no limited set
        assertThat(ClusterScope.visibleTo(twice, null)).isFalse();
        assertThat(ClusterScope.visibleTo(withAll, null)).isTrue();
    }

    @Test
    void aClusterOutsideEveryLabelSetIsRefusedNamingThemAll() {
        Principal two =
                reader("oidc:dana", List.of(Map.of("team", "payments", "env", "prod"), Map.of("team", "search")));
        Set<String> visible = ClusterScope.visible(two, CLUSTERS);

        assertThat(ClusterScope.narrow(null, List.of(), visible, two)).containsExactly("pay-eu", "search");
        assertThat(ClusterScope.narrow(Set.of("search"), List.of("search"), visible, two))
                .containsExactly("search");
        assertThatThrownBy(() -> ClusterScope.narrow(Set.of("pay-us"), List.of("pay-us", "bare"), visible, two))
                .isInstanceOfSatisfying(
                        BadRequest.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessage("cluster pay-us, bare: outside the clusters oidc:dana may read (clusters labelled"
                        + " env=prod,team=payments or team=search)");
    }

    @Test
    void aReaderHasAtLeastOneLabelSet() {
        assertThatThrownBy(() -> reader("nobody", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Principal(Principal.Role.READER, "grafana").scoped()).isFalse();
        assertThat(new Principal(Principal.Role.READER, "x", Map.of()).scoped()).isFalse();
    }

    @Test
    void meAnswersEveryLabelSet() {
        assertThat(Console.me(reader("oidc:dana", List.of(Map.of("team", "payments"), Map.of("team", "search"))))
                        .toString())
                .isEqualTo("{\"name\":\"oidc:dana\",\"allClusters\":false,"
                        + "\"clusterScopes\":[{\"team\":\"payments\"},{\"team\":\"search\"}]}");
        assertThat(Console.me(EVERYONE).toString())
                .isEqualTo("{\"name\":\"grafana\",\"allClusters\":true,\"clusterScopes\":[{}]}");
    }

    @Test
    void aProxyUsersOwnLabelsAndThoseOfItsGroupsAddUp() {
        Map<String, Map<String, String>> users = new LinkedHashMap<>();
        users.put("bob", Map.of("team", "payments"));
        users.put("root", Map.of());
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("search-team", Map.of("team", "search"));
        groups.put("prod-oncall", Map.of("env", "prod"));
        HubConfig.ProxyAuth proxy = new HubConfig.ProxyAuth(null, null, "00", users, "X-Forwarded-Groups", groups);

        assertThat(Console.proxyScopes(proxy, "bob", null)).containsExactly(Map.of("team", "payments"));
        assertThat(Console.proxyScopes(proxy, "bob", " search-team,,unknown "))
                .containsExactly(Map.of("team", "payments"), Map.of("team", "search"));
        // not listed as a user, but in two mapped groups
        assertThat(Console.proxyScopes(proxy, "erin", "prod-oncall,search-team"))
                .containsExactly(Map.of("team", "search"), Map.of("env", "prod"));
        assertThat(Console.proxyScopes(proxy, "erin", "interns")).isEmpty();
        assertThat(Console.proxyScopes(proxy, "erin", null)).isEmpty();

        // without groupsHeader configured the groups a request names are ignored
        HubConfig.ProxyAuth noGroups = new HubConfig.ProxyAuth(null, null, "00", users, null, null);
        assertThat(Console.proxyScopes(noGroups, "erin", "search-team")).isEmpty();
    }
}
