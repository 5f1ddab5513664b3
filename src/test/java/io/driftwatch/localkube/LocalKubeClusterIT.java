package io.driftwatch.localkube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proves the test cluster is a real one, with its own controllers: what it does here, a mock server would not. */
@WithKubeApiServer
class LocalKubeClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private static Deployment minimalDeployment(String namespace) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    @Test
    void serverFillsInDefaultsAndRecordsManagedFields(KubernetesClient client, TestNamespace ns) {
        client.resource(minimalDeployment(ns.name())).create();

        Deployment live = client.apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("web")
                .get();
        assertThat(live.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(live.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        assertThat(live.getSpec().getReplicas()).isEqualTo(1);
        assertThat(live.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(live.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal())
                .isEqualTo("25%");
        var container = live.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(container.getTerminationMessagePolicy()).isEqualTo("File");
        assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(live.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");

        // the deployment controller may already have written its own entries (revision annotation, status)
        List<ManagedFieldsEntry> managed = live.getMetadata().getManagedFields().stream()
                .filter(e -> !e.getManager().equals("kube-controller-manager"))
                .toList();
        assertThat(managed).hasSize(1);
        assertThat(managed.get(0).getManager()).startsWith("fabric8");
        assertThat(managed.get(0).getOperation()).isEqualTo("Update");
        assertThat(managed.get(0).getTime()).isNotBlank();
        assertThat(managed.get(0).getFieldsV1().getAdditionalProperties()).containsKey("f:spec");
    }

    @Test
    void serverSideApplyByASecondManagerTakesOwnershipAndWatchSeesIt(KubernetesClient client, TestNamespace ns)
            throws InterruptedException {
        client.resource(minimalDeployment(ns.name())).create();
        BlockingQueue<Deployment> modified = new LinkedBlockingQueue<>();
        try (Watch watch = client.apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("web")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Deployment resource) {
                        // the deployment controller's own writes (status, revision annotation) are MODIFIED events too
                        if (action == Action.MODIFIED
                                && resource.getMetadata().getManagedFields().stream()
                                        .anyMatch(e -> e.getManager().equals("scaler-bot"))) {
                            modified.add(resource);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            Deployment intent = new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("web")
                    .withNamespace(ns.name())
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(3)
                    .endSpec()
                    .build();
            client.resource(intent).fieldManager("scaler-bot").forceConflicts().serverSideApply();

            Deployment seen = modified.poll(60, TimeUnit.SECONDS);
            assertThat(seen).as("MODIFIED event by scaler-bot from the watch").isNotNull();
            assertThat(seen.getSpec().getReplicas()).isEqualTo(3);
            ManagedFieldsEntry applier = seen.getMetadata().getManagedFields().stream()
                    .filter(e -> e.getManager().equals("scaler-bot"))
                    .findFirst()
                    .orElseThrow();
            assertThat(applier.getOperation()).isEqualTo("Apply");
            @SuppressWarnings("unchecked")
            var spec = (java.util.Map<String, Object>)
                    applier.getFieldsV1().getAdditionalProperties().get("f:spec");
            assertThat(spec).containsOnlyKeys("f:replicas");
            assertThat(seen.getMetadata().getManagedFields())
                    .extracting(ManagedFieldsEntry::getManager)
                    .anyMatch(m -> m.startsWith("fabric8"));
        }
    }

    @Test
    void serviceAccountTokenClientIsBoundByRbac(LocalKubeCluster cluster, KubernetesClient admin, TestNamespace ns) {
        admin.resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("reader")
                        .withNamespace(ns.name())
                        .endMetadata()
                        .build())
                .create();
        admin.resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("configmap-reader")
                        .withNamespace(ns.name())
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withVerbs("get", "list", "watch")
                        .endRule()
                        .build())
                .create();
        admin.resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("reader")
                        .withNamespace(ns.name())
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role")
                        .withName("configmap-reader")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("reader")
                        .withNamespace(ns.name())
                        .endSubject()
                        .build())
                .create();
        admin.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("settings")
                        .withNamespace(ns.name())
                        .endMetadata()
                        .addToData("a", "1")
                        .build())
                .create();

        try (KubernetesClient reader = cluster.serviceAccountClient(ns.name(), "reader")) {
            // kube-root-ca.crt too, once the root-CA publisher has put it there
            assertThat(reader.configMaps().inNamespace(ns.name()).list().getItems())
                    .extracting(cm -> cm.getMetadata().getName())
                    .contains("settings");
            assertThatThrownBy(() -> reader.resource(new ConfigMapBuilder()
                                    .withNewMetadata()
                                    .withName("sneaky")
                                    .withNamespace(ns.name())
                                    .endMetadata()
                                    .build())
                            .create())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
            assertThatThrownBy(() -> reader.secrets().inNamespace(ns.name()).list())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
        }
        assertThat(admin.configMaps().inNamespace(ns.name()).withName("sneaky").get())
                .isNull();
    }

    @Test
    void kubectlWorksWithTheKubeconfig(LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        Process kubectl = new ProcessBuilder(
                        LocalKubeBinaries.find().kubectl().toString(),
                        "--kubeconfig",
                        cluster.kubeconfig().toString(),
                        "get",
                        "namespace",
                        ns.name(),
                        "-o",
                        "name")
                .redirectErrorStream(true)
                .start();
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as(out).isZero();
        assertThat(out.trim()).isEqualTo("namespace/" + ns.name());
        assertThat(cluster.version()).startsWith("v1.");
    }

    @Test
    void deploymentControllerMakesAReplicaSetAndTheGarbageCollectorDeletesItWithTheDeployment(
            KubernetesClient client, TestNamespace ns) {
        client.resource(minimalDeployment(ns.name())).create();

        Eventually.await(
                "a ReplicaSet owned by the Deployment",
                WAIT,
                () -> !replicaSets(client, ns).isEmpty(),
                () -> replicaSets(client, ns).toString());
        ReplicaSet replicaSet = replicaSets(client, ns).get(0);
        assertThat(replicaSet.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner ->
                        assertThat(owner.getKind() + "/" + owner.getName()).isEqualTo("Deployment/web"));
        Eventually.await(
                "the revision annotation",
                WAIT,
                () -> "1"
                        .equals(client.apps()
                                .deployments()
                                .inNamespace(ns.name())
                                .withName("web")
                                .get()
                                .getMetadata()
                                .getAnnotations()
                                .get("deployment.kubernetes.io/revision")));
        // no kubelet: the ReplicaSet's Pod exists, unscheduled (no node), and stays Pending
        Eventually.await(
                "the ReplicaSet's Pod, Pending",
                WAIT,
                () -> client.pods().inNamespace(ns.name()).list().getItems().stream()
                        .anyMatch(p -> "Pending".equals(p.getStatus().getPhase())));

        client.apps()
                .deployments()
                .inNamespace(ns.name())
                .withName("web")
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete();

        Eventually.await(
                "the garbage collector deleting the ReplicaSet and its Pod",
                WAIT,
                () -> replicaSets(client, ns).isEmpty()
                        && client.pods()
                                .inNamespace(ns.name())
                                .list()
                                .getItems()
                                .isEmpty(),
                () -> replicaSets(client, ns) + " "
                        + client.pods().inNamespace(ns.name()).list().getItems());
    }

    @Test
    void aNewNamespaceGetsItsDefaultServiceAccountAndADeletedOneFinishesTerminating(KubernetesClient client) {
        String name = "t-lifecycle-" + Long.toString(System.nanoTime(), 36);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("driftwatch.io/test", "true")
                        .endMetadata()
                        .build())
                .create();
        client.configMaps()
                .inNamespace(name)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("settings")
                        .endMetadata()
                        .addToData("a", "1")
                        .build())
                .create();

        Eventually.await(
                "ServiceAccount " + name + "/default",
                WAIT,
                () -> client.serviceAccounts()
                                .inNamespace(name)
                                .withName("default")
                                .get()
                        != null);
        Eventually.await(
                "ConfigMap " + name + "/kube-root-ca.crt",
                WAIT,
                () -> client.configMaps()
                                .inNamespace(name)
                                .withName("kube-root-ca.crt")
                                .get()
                        != null);

        client.namespaces().withName(name).delete();

        Eventually.await(
                "namespace " + name + " gone (its content deleted, its finalizer removed)",
                WAIT,
                () -> client.namespaces().withName(name).get() == null,
                () -> String.valueOf(client.namespaces().withName(name).get()));
    }

    @Test
    void closeStopsEveryProcessAndDeletesTheRunDirectory() {
        LocalKubeCluster own = LocalKubeCluster.start();
        List<ProcessHandle> processes = own.processes();
        Path runDirectory = own.runDirectory();
        assertThat(processes)
                .as("etcd, kube-apiserver, kube-controller-manager, kube-scheduler")
                .hasSize(4)
                .allMatch(ProcessHandle::isAlive);
        assertThat(processes.stream()
                        .map(p -> p.info().command().orElse(""))
                        .map(c -> Path.of(c).getFileName().toString()))
                .containsExactlyInAnyOrder("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
        assertThat(runDirectory.resolve("kube-controller-manager.log")).isNotEmptyFile();
        assertThat(runDirectory.resolve("kube-scheduler.log")).isNotEmptyFile();

        own.close();

        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(own.processes()).isEmpty();
        assertThat(runDirectory).doesNotExist();
    }

    private static List<ReplicaSet> replicaSets(KubernetesClient client, TestNamespace ns) {
        return client.apps().replicaSets().inNamespace(ns.name()).list().getItems();
    }
}
