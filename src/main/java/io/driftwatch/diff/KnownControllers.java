package io.driftwatch.diff;

import java.util.List;

/**
 * Field managers of controllers found in real clusters, each verified in the project's source (docs/diff.md lists the
 * file behind every entry). A manager written as {@code Update} without an explicit {@code fieldManager} is the
 * client's user agent up to the first {@code /}: for client-go's default user agent that is the binary's file name.
 */
final class KnownControllers {

    /** One project's managers (globs). */
    record Entry(String project, List<String> managers) {}

    static final List<Entry> TABLE = List.of(
            // Kubernetes itself (k8s.io/kubernetes v1.36.3 and its staging modules)
            new Entry(
                    "kube-controller-manager",
                    List.of(
                            "kube-controller-manager",
                            "clusterrole-aggregation-controller",
                            "ResourceClaimController",
                            "service-cidr-controller",
                            "validatingadmissionpolicy-status",
                            "migration-runner-controller")),
            new Entry("kube-scheduler", List.of("kube-scheduler")),
            new Entry(
                    "kube-apiserver",
                    List.of(
                            "kube-apiserver",
                            "kubernetes-service-cidr-controller",
                            "api-priority-and-fairness-config-producer-v1",
                            "api-priority-and-fairness-config-consumer-v1",
                            "before-first-apply")),
            new Entry("kubelet", List.of("kubelet")),
            new Entry("cert-manager (controller, cainjector)", List.of("cert-manager", "cert-manager-*")),
            new Entry("Istio", List.of("pilot-discovery", "istio-operator", "istio.io/inference-pool-controller")),
            new Entry("Linkerd policy controller", List.of("linkerd.io/policy-controller", "policy-controller")),
            new Entry("Kyverno", List.of("Kyverno", "kyverno-*")),
            new Entry("Gatekeeper", List.of("gatekeeper")),
            new Entry("KEDA", List.of("keda", "keda-adapter", "keda-admission-webhooks")),
            new Entry("Vertical Pod Autoscaler", List.of("recommender", "updater", "admission-controller")),
            new Entry("Karpenter", List.of("karpenter")),
            new Entry("cluster-autoscaler", List.of("cluster-autoscaler")),
            new Entry("external-dns", List.of("ExternalDNS")),
            new Entry("External Secrets Operator", List.of("externalsecrets.external-secrets.io/*")),
            new Entry("Argo Rollouts", List.of("rollouts-controller")),
            new Entry(
                    "Flux",
                    List.of(
                            "source-controller",
                            "notification-controller",
                            "image-automation-controller",
                            "image-reflector-controller",
                            "gotk-*")),
            new Entry(
                    "Crossplane",
                    List.of("apiextensions.crossplane.io/*", "pkg.crossplane.io/*", "ops.crossplane.io/*")),
            new Entry("Prometheus Operator", List.of("PrometheusOperator")),
            new Entry("ingress-nginx", List.of("nginx-ingress-controller")));

    /** Every manager glob of the table. */
    static final List<String> MANAGERS =
            TABLE.stream().flatMap(e -> e.managers().stream()).toList();

    private KnownControllers() {}
}
