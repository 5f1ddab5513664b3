package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent runs with exactly the ServiceAccount, ClusterRole and leader-election Role shipped in k8s/base, with a
 * real ServiceAccount token: it does its whole job (watch, diff, Events, Lease), and every write it does not need is
 * denied by the API server.
 */
@WithKubeApiServer
class AgentRbacIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void agentWithTheShippedRbacWorksAndCannotWriteAnythingElse(
            LocalKubeCluster cluster, KubernetesClient admin, TestNamespace ns) {
        Kubectl kubectl = new Kubectl(cluster);
        for (String file : new String[] {
            "010-Namespace-driftwatch.yaml",
            "020-ServiceAccount-driftwatch-agent.yaml",
            "030-ClusterRole-driftwatch-agent.yaml",
            "040-ClusterRoleBinding-driftwatch-agent.yaml",
            "050-Role-driftwatch-agent-leader-election.yaml",
            "060-RoleBinding-driftwatch-agent-leader-election.yaml"
        }) {
            kubectl.run("apply", "-f", Path.of("k8s", "base", file).toString());
        }
        Path dir = Corpus.materialize(
                ns, "17-service-postgres.yaml", "18-statefulset-postgres.yaml", "10-secret-api-credentials.yaml");
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());

        try (KubernetesClient agentClient = cluster.serviceAccountClient("driftwatch", "driftwatch-agent")) {
            Config agentConfig = agentClient.getConfiguration();
            String config = AgentIT.config(ns, dir)
                    .replace(
                            "leaderElection: {enabled: false}",
                            "leaderElection: {leaseNamespace: driftwatch, leaseName: rbac-" + ns.name() + "}");
            try (AgentRunner runner = AgentRunner.start(config, agentConfig)) {
                AgentEndpoint agent = runner.endpoint;
                Eventually.await(
                        "agent ready and leading with its own RBAC",
                        WAIT,
                        () -> agent.ready() && agent.status().path("leader").asBoolean(),
                        agent::readiness);
                kubectl.run("-n", ns.name(), "scale", "statefulset/postgres", "--replicas=2");
                Eventually.await(
                        "drift detected",
                        WAIT,
                        () -> agent.drifts().size() == 1,
                        () -> agent.drifts().toString());
                Eventually.await(
                        "Event written",
                        WAIT,
                        () -> agent.metric("driftwatch_kubernetes_events_total", Map.of("result", "sent"))
                                        .orElse(0)
                                >= 1,
                        agent::metrics);
                assertThat(agent.metric("driftwatch_kubernetes_events_total", Map.of("result", "failed")))
                        .hasValue(0.0);
            }
            var lease = admin.leases()
                    .inNamespace("driftwatch")
                    .withName("rbac-" + ns.name())
                    .get();
            // released as client-go does it: the holder stays, the lease is cut to 1 s so the next replica takes over
            assertThat(lease.getSpec().getLeaseDurationSeconds())
                    .as("lease released on shutdown: " + lease.getSpec())
                    .isEqualTo(1);

            assertDenied(() -> agentClient
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("x")
                            .withNamespace(ns.name())
                            .endMetadata()
                            .build())
                    .create());
            assertDenied(() -> agentClient
                    .apps()
                    .statefulSets()
                    .inNamespace(ns.name())
                    .withName("postgres")
                    .scale(5));
            assertDenied(() -> agentClient
                    .apps()
                    .statefulSets()
                    .inNamespace(ns.name())
                    .withName("postgres")
                    .delete());
            assertDenied(() -> agentClient
                    .secrets()
                    .inNamespace(ns.name())
                    .withName("api-credentials")
                    .edit(s -> {
                        s.getData().put("x", "eA==");
                        return s;
                    }));
            assertDenied(() -> agentClient
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("evil-" + ns.name())
                            .endMetadata()
                            .build())
                    .create());
            assertDenied(() -> agentClient
                    .rbac()
                    .clusterRoles()
                    .withName("driftwatch-agent")
                    .edit(r -> {
                        r.getRules().get(0).getVerbs().add("delete");
                        return r;
                    }));
            assertDenied(() -> agentClient
                    .leases()
                    .inNamespace(ns.name())
                    .resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                            .withNewMetadata()
                            .withName("elsewhere")
                            .withNamespace(ns.name())
                            .endMetadata()
                            .build())
                    .create());
            assertThat(admin.apps()
                            .statefulSets()
                            .inNamespace(ns.name())
                            .withName("postgres")
                            .get()
                            .getSpec()
                            .getReplicas())
                    .isEqualTo(2);
        }
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable write) {
        assertThatThrownBy(write)
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
    }
}
