package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.hub.StoreModel.ClusterRow;
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
}
