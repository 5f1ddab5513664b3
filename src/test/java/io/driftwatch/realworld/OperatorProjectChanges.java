package io.driftwatch.realworld;

import static io.driftwatch.realworld.OutOfBandChanges.kubectl;

import io.driftwatch.realworld.OutOfBandChanges.Change;
import io.driftwatch.realworld.OutOfBandChanges.Expected;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * Real out-of-band changes to the operator projects of the corpus (cert-manager, Argo Rollouts, KEDA, Trivy operator,
 * Argo CD, Istio and its Bookinfo sample), custom resources among them, each with the drift it must produce.
 */
final class OperatorProjectChanges {

    private OperatorProjectChanges() {}

    static List<Change> all() {
        String argocd = "argocd";
        return List.of(
                new Change(
                        "kubectl patch --type=merge (an edit) of a Certificate's dnsNames",
                        "cert-manager",
                        kubectl(
                                "patch",
                                "-n",
                                "default",
                                "certificate/test1",
                                "--type=merge",
                                "-p",
                                "{\"spec\":{\"dnsNames\":[\"example.com\",\"www.attacker.example\"]}}"),
                        Expected.modified(
                                "Certificate", "default", "test1", "spec.dnsNames", "changed", "kubectl-patch")),
                new Change(
                        "kubectl patch --type=json removes a label of an Issuer",
                        "cert-manager",
                        kubectl(
                                "patch",
                                "-n",
                                "default",
                                "issuer/selfsigned-issuer",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"remove\",\"path\":\"/metadata/labels/test\"}]"),
                        Expected.modified(
                                "Issuer", "default", "selfsigned-issuer", "metadata.labels", "removed", null)),
                new Change(
                        "a Terraform run (field manager Terraform) annotates a Deployment",
                        "cert-manager",
                        c -> c.admin()
                                .apps()
                                .deployments()
                                .inNamespace("cert-manager")
                                .withName("cert-manager-webhook")
                                .patch(
                                        new PatchContext.Builder()
                                                .withPatchType(PatchType.JSON_MERGE)
                                                .withFieldManager("Terraform")
                                                .build(),
                                        "{\"metadata\":{\"annotations\":{\"owner\":\"platform\"}}}"),
                        Expected.modified(
                                "Deployment",
                                "cert-manager",
                                "cert-manager-webhook",
                                "metadata.annotations",
                                "added",
                                "Terraform")),
                new Change(
                        "kubectl patch --type=merge of a Rollout's replicas",
                        "argo-rollouts",
                        kubectl(
                                "patch",
                                "-n",
                                "argo-rollouts",
                                "rollout/rollout-bluegreen",
                                "--type=merge",
                                "-p",
                                "{\"spec\":{\"replicas\":5}}"),
                        Expected.modified(
                                "Rollout",
                                "argo-rollouts",
                                "rollout-bluegreen",
                                "spec.replicas",
                                "changed",
                                "kubectl-patch")),
                new Change(
                        "kubectl delete of a ClusterAnalysisTemplate",
                        "argo-rollouts",
                        kubectl("delete", "clusteranalysistemplate/always-pass"),
                        Expected.missing("ClusterAnalysisTemplate", "", "always-pass")),
                new Change(
                        "kubectl apply --server-side with another field manager on a ScaledObject",
                        "keda",
                        c -> c.kubectl(
                                "apply",
                                "--server-side",
                                "--field-manager=capacity-planner",
                                "--force-conflicts",
                                "-f",
                                c.file("scaledobject.yaml", """
                                        apiVersion: keda.sh/v1alpha1
                                        kind: ScaledObject
                                        metadata: {name: example-scaledobject, namespace: keda}
                                        spec:
                                          maxReplicaCount: 20
                                        """).toString()),
                        Expected.modified(
                                "ScaledObject",
                                "keda",
                                "example-scaledobject",
                                "spec.maxReplicaCount",
                                "changed",
                                "capacity-planner")),
                new Change(
                        "kubectl patch --type=json removes a field of a ScaledObject",
                        "keda",
                        kubectl(
                                "patch",
                                "-n",
                                "keda",
                                "scaledobject/example-scaledobject",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"remove\",\"path\":\"/spec/cooldownPeriod\"}]"),
                        Expected.modified(
                                "ScaledObject",
                                "keda",
                                "example-scaledobject",
                                "spec.cooldownPeriod",
                                "removed",
                                null)),
                new Change(
                        "kubectl label of a cluster-scoped custom resource (ClusterTriggerAuthentication)",
                        "keda",
                        kubectl(
                                "label",
                                "clustertriggerauthentication/example-clustertriggerauthentication",
                                "team=payments"),
                        Expected.modified(
                                "ClusterTriggerAuthentication",
                                "",
                                "example-clustertriggerauthentication",
                                "metadata.labels",
                                "added",
                                "kubectl-label")),
                new Change(
                        "kubectl patch --type=merge of a ClusterComplianceReport's schedule",
                        "trivy-operator",
                        kubectl(
                                "patch",
                                "clustercompliancereport/k8s-cis-1.23",
                                "--type=merge",
                                "-p",
                                "{\"spec\":{\"cron\":\"0 0 1 1 *\"}}"),
                        Expected.modified(
                                "ClusterComplianceReport",
                                "",
                                "k8s-cis-1.23",
                                "spec.cron",
                                "changed",
                                "kubectl-patch")),
                new Change(
                        "kubectl set env adds a variable",
                        "trivy-operator",
                        kubectl(
                                "set",
                                "env",
                                "-n",
                                "trivy-system",
                                "deployment/trivy-operator",
                                "-c",
                                "trivy-operator",
                                "OPERATOR_LOG_DEV_MODE=true"),
                        Expected.modified(
                                "Deployment",
                                "trivy-system",
                                "trivy-operator",
                                "spec.template.spec.containers[name=trivy-operator].env",
                                "added",
                                "kubectl-set")),
                new Change(
                        "kubectl replace makes every user an admin in argocd-rbac-cm",
                        "argo-cd",
                        c -> {
                            String live = c.kubectl("get", "-n", argocd, "configmap/argocd-rbac-cm", "-o", "yaml")
                                    .output();
                            c.kubectl(
                                    "replace",
                                    "-f",
                                    c.file(
                                                    "argocd-rbac-cm.yaml",
                                                    live.replaceFirst(
                                                            "(?m)^apiVersion: v1$",
                                                            "apiVersion: v1\ndata:\n  policy.default: role:admin"))
                                            .toString());
                        },
                        Expected.modified(
                                "ConfigMap",
                                argocd,
                                "argocd-rbac-cm",
                                "data[\"policy.default\"]",
                                "added",
                                "kubectl-replace")),
                new Change(
                        "kubectl patch --type=json lets an AppProject deploy anywhere",
                        "argo-cd",
                        kubectl(
                                "patch",
                                "-n",
                                argocd,
                                "appproject/my-project",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"add\",\"path\":\"/spec/destinations/-\",\"value\":{\"namespace\":\"*\","
                                        + "\"server\":\"*\"}}]"),
                        Expected.modified(
                                "AppProject", argocd, "my-project", "spec.destinations", "changed", "kubectl-patch")),
                new Change(
                        "kubectl delete of a NetworkPolicy",
                        "argo-cd",
                        kubectl("delete", "-n", argocd, "networkpolicy/argocd-redis-network-policy"),
                        Expected.missing("NetworkPolicy", argocd, "argocd-redis-network-policy")),
                new Change(
                        "kubectl annotate of an Application",
                        "argo-cd",
                        kubectl("annotate", "-n", argocd, "application/guestbook", "notes=hand-synced"),
                        Expected.modified(
                                "Application",
                                argocd,
                                "guestbook",
                                "metadata.annotations",
                                "added",
                                "kubectl-annotate")),
                new Change(
                        "kubectl create of a Service with the app's tracking label",
                        "argo-cd",
                        c -> c.kubectl(
                                "create",
                                "-f",
                                c.file("stray-service.yaml", """
                                apiVersion: v1
                                kind: Service
                                metadata:
                                  name: argocd-server-debug
                                  namespace: argocd
                                  labels: {app.kubernetes.io/instance: argo-cd}
                                spec:
                                  selector: {app.kubernetes.io/name: argocd-server}
                                  ports: [{port: 8080}]
                                """).toString()),
                        Expected.extra("Service", argocd, "argocd-server-debug")),
                new Change(
                        "a Pulumi program (field manager pulumi-kubernetes) labels a ServiceAccount",
                        "istio-base",
                        c -> c.admin()
                                .serviceAccounts()
                                .inNamespace("istio-system")
                                .withName("istio-reader-service-account")
                                .patch(
                                        new PatchContext.Builder()
                                                .withPatchType(PatchType.JSON_MERGE)
                                                .withFieldManager("pulumi-kubernetes")
                                                .build(),
                                        "{\"metadata\":{\"labels\":{\"audited\":\"no\"}}}"),
                        Expected.modified(
                                "ServiceAccount",
                                "istio-system",
                                "istio-reader-service-account",
                                "metadata.labels",
                                "added",
                                "pulumi-kubernetes")),
                new Change(
                        "kubectl set image",
                        "bookinfo",
                        kubectl(
                                "set",
                                "image",
                                "-n",
                                "bookinfo",
                                "deployment/reviews-v3",
                                "reviews=docker.io/istio/examples-bookinfo-reviews-v3:latest"),
                        Expected.modified(
                                "Deployment",
                                "bookinfo",
                                "reviews-v3",
                                "spec.template.spec.containers[name=reviews].image",
                                "changed",
                                "kubectl-set")),
                new Change(
                        "kubectl patch --type=json sends all traffic of a VirtualService to v3",
                        "bookinfo",
                        kubectl(
                                "patch",
                                "-n",
                                "bookinfo",
                                "virtualservice/reviews",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"replace\",\"path\":\"/spec/http/0/route/0/destination/subset\","
                                        + "\"value\":\"v3\"}]"),
                        Expected.modified(
                                "VirtualService", "bookinfo", "reviews", "spec.http", "changed", "kubectl-patch")));
    }
}
