package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.diff.ObjectKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeFilterTest {

    @Test
    void defaultScopeExcludesHighChurnKindsOnly() {
        ScopeFilter scope = new ScopeFilter(new AgentConfig.Scope(null, null));

        assertThat(scope.allows(new ObjectKey("apps", "Deployment", "shop", "web")))
                .isTrue();
        assertThat(scope.allows(new ObjectKey("", "Event", "shop", "x"))).isFalse();
        assertThat(scope.allows(new ObjectKey("discovery.k8s.io", "EndpointSlice", "shop", "x")))
                .isFalse();
        assertThat(scope.allows(new ObjectKey("coordination.k8s.io", "Lease", "kube-system", "x")))
                .isFalse();
        assertThat(scope.allows(new ObjectKey("example.com", "Lease", "shop", "x")))
                .as("other group")
                .isTrue();
    }

    @Test
    void namespaceGlobsIncludeAndExcludeWithExcludeWinning() {
        ScopeFilter scope = new ScopeFilter(
                new AgentConfig.Scope(new AgentConfig.Filter(List.of("team-*"), List.of("team-sandbox")), null));

        assertThat(scope.namespaceAllowed("team-a")).isTrue();
        assertThat(scope.namespaceAllowed("team-sandbox")).isFalse();
        assertThat(scope.namespaceAllowed("kube-system")).isFalse();
        assertThat(scope.namespaceAllowed("")).as("cluster-scoped").isTrue();
    }

    @Test
    void perNamespaceInformersOnlyForLiteralIncludes() {
        ScopeFilter scope = new ScopeFilter(new AgentConfig.Scope(null, null));

        assertThat(scope.informerNamespaces(List.of("a", "b"))).containsExactly("a", "b");
        assertThat(scope.informerNamespaces(List.of("a", "team-*"))).isEmpty();
        assertThat(scope.informerNamespaces(List.of())).isEmpty();
    }
}
