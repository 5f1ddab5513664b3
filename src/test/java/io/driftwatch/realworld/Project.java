package io.driftwatch.realworld;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * One public project of the real-world corpus under {@code src/test/resources/realworld/<name>}, kept as published, and
 * how it is rendered and installed (each project's README.md says the same, with its source and version).
 *
 * @param name       directory, Argo CD app name and Helm release name
 * @param renderer   plain YAML files, {@code kustomize build}, or {@code helm template} of the chart in {@code chart}
 * @param path       helm: the chart's directory inside the project; kustomize: the kustomization's directory inside the
 *                   project, the plain YAML files beside it then added as they are (null: the project's directory is
 *                   the kustomization)
 * @param namespace  the destination namespace: objects that set none are installed there (Argo CD's destination)
 * @param helmValues {@code --set} values (helm only)
 * @param dropped    objects left out because they cannot exist without a kubelet or a cloud (see the README)
 */
record Project(
        String name, Renderer renderer, String path, String namespace, List<String> helmValues, List<Dropped> dropped) {

    enum Renderer {
        PLAIN,
        KUSTOMIZE,
        HELM
    }

    /** An object of the published manifests that the tests do not install, and why. */
    record Dropped(String kind, String name, String why) {}

    static final String HPA_WITHOUT_METRICS = "podinfo-helm";

    /** The corpus. Order matters only for custom resources: their CRDs are installed first, across all projects. */
    static final List<Project> ALL = List.of(
            plain("ingress-nginx", "ingress-nginx"),
            kustomize("kube-state-metrics", "kube-system"),
            new Project(
                    "metrics-server",
                    Renderer.KUSTOMIZE,
                    null,
                    "kube-system",
                    List.of(),
                    List.of(new Dropped(
                            "APIService",
                            "v1beta1.metrics.k8s.io",
                            "its backend Pod cannot run without a "
                                    + "kubelet, and an aggregated API that never answers makes API discovery fail for every "
                                    + "client (kubectl, the garbage collector, the namespace controller)"))),
            kustomize("podinfo-kustomize", "podinfo"),
            helm(
                    "podinfo-helm",
                    "podinfo",
                    "podinfo-helm",
                    "hpa.enabled=true",
                    "serviceMonitor.enabled=true",
                    "redis.enabled=true"),
            helm("sealed-secrets", "sealed-secrets", "sealed-secrets"),
            helm("external-dns", "external-dns", "external-dns", "policy=upsert-only"), // the chart requires a choice
            helm("reloader", "reloader", "reloader"),
            new Project(
                    "gatekeeper",
                    Renderer.PLAIN,
                    null,
                    "gatekeeper-system",
                    List.of(),
                    List.of(new Dropped(
                            "ValidatingWebhookConfiguration",
                            "gatekeeper-validating-webhook-configuration",
                            "its backend Pod cannot run without a kubelet, and its check-ignore-label webhook "
                                    + "(failurePolicy: Fail) would then refuse every Namespace write in the cluster"))),
            plain("prometheus-operator", "prometheus-examples"),
            helm(
                    "cert-manager",
                    "cert-manager",
                    "cert-manager",
                    List.of(
                            new Dropped(
                                    "ValidatingWebhookConfiguration",
                                    "cert-manager-webhook",
                                    "its backend Pod cannot run "
                                            + "without a kubelet, and with failurePolicy: Fail on every cert-manager.io and "
                                            + "acme.cert-manager.io resource it would refuse every write of an Issuer or Certificate")),
                    "crds.enabled=true"), // the chart installs its CRDs only when asked
            new Project(
                    "argo-rollouts",
                    Renderer.KUSTOMIZE,
                    "manifests/cluster-install",
                    "argo-rollouts",
                    List.of(),
                    List.of()),
            helm(
                    "keda",
                    "keda",
                    "keda",
                    List.of(new Dropped(
                            "APIService",
                            "v1beta1.external.metrics.k8s.io",
                            "its backend Pod cannot run without "
                                    + "a kubelet, and an aggregated API that never answers makes API discovery fail for every "
                                    + "client"))),
            helm("trivy-operator", "trivy-operator", "trivy-system"),
            plain("argo-cd", "argocd"),
            helm("istio-base", "base", "istio-system"),
            plain("bookinfo", "bookinfo"));

    private static Project plain(String name, String namespace) {
        return new Project(name, Renderer.PLAIN, null, namespace, List.of(), List.of());
    }

    private static Project kustomize(String name, String namespace) {
        return new Project(name, Renderer.KUSTOMIZE, null, namespace, List.of(), List.of());
    }

    private static Project helm(String name, String chart, String namespace, String... values) {
        return helm(name, chart, namespace, List.of(), values);
    }

    private static Project helm(String name, String chart, String namespace, List<Dropped> dropped, String... values) {
        return new Project(name, Renderer.HELM, chart, namespace, List.of(values), dropped);
    }

    static Project named(String name) {
        return ALL.stream()
                .filter(p -> p.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no real-world project " + name));
    }

    /** The project's directory as published (test resources). */
    Path dir() {
        try {
            return Path.of(Project.class.getResource("/realworld/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource realworld/" + name + " is missing", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
