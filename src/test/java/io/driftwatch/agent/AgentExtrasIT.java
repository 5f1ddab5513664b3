package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.TrackedManifests;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent keeps looking for an app's objects of every kind the app has ever had: when Git drops a kind (a Service,
 * a ClusterRole), the live objects left behind are extra, also after a restart (the kinds are in the state file); an
 * object of a kind the app never had, carrying its tracking label, is found at the next resync; a remembered kind the
 * agent may not list is reported, and the agent is ready without it.
 */
@WithKubeApiServer
class AgentExtrasIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void objectsOfKindsGitDroppedAreExtraAlsoAfterARestart(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        String app = ns.name();
        Path dir = Files.createDirectories(tmp.resolve("app"));
        TrackedManifests.configMap(dir, app);
        Path service = TrackedManifests.service(dir, app);
        Path clusterRole = TrackedManifests.clusterRole(dir, app);
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
        Path state = tmp.resolve("state/drifts.json");
        String config = config(ns, dir, state);
        try {
            try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
                AgentEndpoint agent = runner.endpoint;
                Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
                assertThat(agent.drifts()).isEmpty();

                Files.delete(service);
                Files.delete(clusterRole);

                Eventually.await(
                        "the Service and ClusterRole Git dropped reported extra",
                        WAIT,
                        () -> extras(agent).size() == 2,
                        () -> agent.drifts().toString());
                assertThat(extras(agent)).containsExactlyInAnyOrder("Service web", "ClusterRole " + app + "-reader");

                kubectl.run("-n", ns.name(), "create", "serviceaccount", "stray");
                kubectl.run("-n", ns.name(), "label", "serviceaccount", "stray", "app.kubernetes.io/instance=" + app);
                kubectl.run("-n", ns.name(), "create", "serviceaccount", "theirs");
                kubectl.run("-n", ns.name(), "label", "serviceaccount", "theirs", "app.kubernetes.io/instance=other");
                Eventually.await(
                        "a kind the app never had, found by the search at the next resync",
                        WAIT,
                        () -> extras(agent).size() == 3,
                        () -> agent.drifts().toString());
                assertThat(extras(agent)).contains("ServiceAccount stray");
            }
            assertThat(Files.readString(state))
                    .as("kinds remembered")
                    .contains("/Service")
                    .contains("rbac.authorization.k8s.io/ClusterRole")
                    .contains("/ServiceAccount");

            try (AgentRunner restarted = AgentRunner.start(config, cluster.adminConfig())) {
                AgentEndpoint agent = restarted.endpoint;
                Eventually.await("restarted agent ready", WAIT, agent::ready, agent::readiness);
                Eventually.await(
                        "the extras found again by the restarted agent",
                        WAIT,
                        () -> extras(agent).size() == 3,
                        () -> agent.drifts().toString());
                assertThat(extras(agent))
                        .containsExactlyInAnyOrder(
                                "Service web", "ClusterRole " + app + "-reader", "ServiceAccount stray");
            }
        } finally {
            kubectl.tryRun("delete", "clusterrole", app + "-reader", "--ignore-not-found");
        }
    }

    @Test
    void aRememberedKindTheAgentMayNotListIsReportedAndDoesNotHoldReadiness(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster);
        String app = ns.name();
        String role = "extras-" + ns.name();
        Path rbac = Files.writeString(tmp.resolve("rbac.yaml"), """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: agent, namespace: %1$s}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: %2$s}
                rules:
                  - {apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}
                  - {apiGroups: [autoscaling], resources: [horizontalpodautoscalers], verbs: [get, list, watch]}
                  - {apiGroups: [""], resources: [events], verbs: [create, patch]}
                  - {apiGroups: [events.k8s.io], resources: [events], verbs: [create, patch]}
                  - nonResourceURLs: ["/openapi/v3", "/openapi/v3/*", "/version", "/api", "/api/*", "/apis", "/apis/*"]
                    verbs: [get]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: %2$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %2$s}
                subjects: [{kind: ServiceAccount, name: agent, namespace: %1$s}]
                """.formatted(ns.name(), role));
        Path dir = Files.createDirectories(tmp.resolve("app"));
        TrackedManifests.configMap(dir, app);
        Path state = Files.createDirectories(tmp.resolve("state")).resolve("drifts.json");
        Files.writeString(state, """
                {"version": 1, "openDrifts": [],
                 "appKinds": {"%s": ["/ConfigMap", "rbac.authorization.k8s.io/ClusterRole"]}}
                """.formatted(app));
        try {
            kubectl.run("apply", "-f", rbac.toString());
            kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
            try (KubernetesClient agentClient = cluster.serviceAccountClient(ns.name(), "agent");
                    AgentRunner runner = AgentRunner.start(config(ns, dir, state), agentClient.getConfiguration())) {
                AgentEndpoint agent = runner.endpoint;
                Eventually.await("agent ready without the kind it may not list", WAIT, agent::ready, agent::readiness);
                Eventually.await(
                        "the kind reported",
                        WAIT,
                        () -> agent.status()
                                .path("unreadableKinds")
                                .toString()
                                .contains("rbac.authorization.k8s.io/ClusterRole: forbidden"),
                        () -> agent.status().toString());
                assertThat(agent.drifts()).isEmpty();
            }
        } finally {
            kubectl.tryRun("delete", "clusterrole,clusterrolebinding", role, "--ignore-not-found");
        }
    }

    private static String config(TestNamespace ns, Path dir, Path state) {
        return AgentIT.config(ns, dir).replace("name: shop", "name: " + ns.name()) + "stateFile: " + state + "\n"
                + "resyncInterval: 10s\n";
    }

    private static List<String> extras(AgentEndpoint agent) {
        return agent.drifts().stream()
                .filter(d -> d.path("type").asText().equals("extra"))
                .map(d -> d.path("kind").asText() + " " + d.path("name").asText())
                .toList();
    }
}
