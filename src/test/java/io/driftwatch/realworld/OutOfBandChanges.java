package io.driftwatch.realworld;

import io.driftwatch.testing.Kubectl;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real out-of-band changes to the installed projects, made the way people and tools make them — the real kubectl's
 * commands and the fabric8 Java client with other field managers — each with the drift it must produce.
 */
final class OutOfBandChanges {

    /** Where a change is made: the cluster's kubectl and admin client, and a scratch directory for files. */
    record Context(Installation installation, Path scratch) {
        Kubectl.Result kubectl(String... args) {
            return kubectl(Map.of(), args);
        }

        Kubectl.Result kubectl(Map<String, String> env, String... args) {
            Kubectl.Result result = installation.kubectl.tryRun(env, args);
            if (result.exitCode() != 0) {
                throw new AssertionError("kubectl " + String.join(" ", args) + " failed:\n" + result.output());
            }
            return result;
        }

        Path file(String name, String content) {
            try {
                return Files.writeString(scratch.resolve(name), content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        KubernetesClient admin() {
            return installation.cluster.adminClient();
        }

        /** A client that presents another User-Agent; the API server names its field manager after it. */
        KubernetesClient clientWithUserAgent(String userAgent) {
            Config config = installation.cluster.adminConfig();
            config.setUserAgent(userAgent);
            return new KubernetesClientBuilder().withConfig(config).build();
        }
    }

    interface Action {
        void run(Context context);
    }

    /**
     * One drift expected after the changes. {@code field} is a prefix of the reported field; for {@code missing} and
     * {@code extra} it is null (no field changes). {@code manager} null means none may be named (a removal: the object
     * does not record who removed a field).
     */
    record Expected(String kind, String namespace, String name, String type, String field, String op, String manager) {
        static Expected modified(String kind, String ns, String name, String field, String op, String manager) {
            return new Expected(kind, ns, name, "modified", field, op, manager);
        }

        static Expected missing(String kind, String ns, String name) {
            return new Expected(kind, ns, name, "missing", null, null, null);
        }

        static Expected extra(String kind, String ns, String name) {
            return new Expected(kind, ns, name, "extra", null, null, null);
        }

        @Override
        public String toString() {
            return type + " " + kind + " " + namespace + "/" + name
                    + (field == null
                            ? ""
                            : " " + field + " " + op + " by " + (manager == null ? "(not recorded)" : manager));
        }
    }

    /** A change: what it is, in which project, how it is made, what must be reported. */
    record Change(String title, String project, Action action, Expected expected) {
        @Override
        public String toString() {
            return project + ": " + title;
        }
    }

    private static final String EDITOR = """
            #!/bin/sh
            # kubectl edit's editor: adds a key to the ConfigMap being edited (its YAML has no data: yet)
            sed -i 's/^apiVersion: v1$/apiVersion: v1\\ndata:\\n  use-forwarded-headers: "true"/' "$1"
            """;

    private OutOfBandChanges() {}

    static Action kubectl(String... args) {
        return c -> c.kubectl(args);
    }

    /** Every change: those to the first ten projects, then those to the operator projects. */
    static List<Change> all(Installation.Mode mode) {
        List<Change> all = new ArrayList<>(firstProjects(mode));
        all.addAll(OperatorProjectChanges.all());
        return all;
    }

    private static List<Change> firstProjects(Installation.Mode mode) {
        String nginx = "ingress-nginx";
        String ksm = "kube-system";
        String po = "podinfo";
        String poh = "podinfo-helm";
        String gk = "gatekeeper-system";
        String prom = "prometheus-examples";
        String controller = "spec.template.spec.containers[name=controller]";
        return List.of(
                new Change(
                        "kubectl edit adds a key to the controller's ConfigMap",
                        "ingress-nginx",
                        c -> {
                            Path editor = c.file("editor.sh", EDITOR);
                            try {
                                Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            c.kubectl(
                                    Map.of("KUBE_EDITOR", editor.toString()),
                                    "edit",
                                    "-n",
                                    nginx,
                                    "configmap/ingress-nginx-controller");
                        },
                        Expected.modified(
                                "ConfigMap",
                                nginx,
                                "ingress-nginx-controller",
                                "data.use-forwarded-headers",
                                "added",
                                "kubectl-edit")),
                new Change(
                        "kubectl scale",
                        "ingress-nginx",
                        kubectl("scale", "-n", nginx, "deployment/ingress-nginx-controller", "--replicas=2"),
                        // the published Deployment sets no replicas. Applied client-side, the create recorded the
                        // defaulted replicas under kubectl-client-side-apply and the scale takes it over; applied
                        // server-side nobody owned spec.replicas, and the API server then records no manager for a
                        // write through the scale subresource: the object cannot say who scaled
                        Expected.modified(
                                "Deployment",
                                nginx,
                                "ingress-nginx-controller",
                                "spec.replicas",
                                "added",
                                mode == Installation.Mode.CLIENT_SIDE ? "kubectl" : null)),
                new Change(
                        "kubectl set image",
                        "ingress-nginx",
                        kubectl(
                                "set",
                                "image",
                                "-n",
                                nginx,
                                "deployment/ingress-nginx-controller",
                                "controller=registry.k8s.io/ingress-nginx/controller:v1.15.1"),
                        Expected.modified(
                                "Deployment",
                                nginx,
                                "ingress-nginx-controller",
                                controller + ".image",
                                "changed",
                                "kubectl-set")),
                new Change(
                        "kubectl patch --type=json adds a second port 80/TCP (a duplicate merge key)",
                        "ingress-nginx",
                        kubectl(
                                "patch",
                                "-n",
                                nginx,
                                "deployment/ingress-nginx-controller",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/ports/-\","
                                        + "\"value\":{\"name\":\"http-alt\",\"containerPort\":80,\"protocol\":\"TCP\"}}]"),
                        Expected.modified(
                                "Deployment",
                                nginx,
                                "ingress-nginx-controller",
                                controller + ".ports",
                                "added",
                                "kubectl-patch")),
                new Change(
                        "kubectl delete of the IngressClass",
                        "ingress-nginx",
                        kubectl("delete", "ingressclass/nginx"),
                        Expected.missing("IngressClass", "", "nginx")),
                new Change(
                        "kubectl label",
                        "ingress-nginx",
                        kubectl("label", "-n", nginx, "service/ingress-nginx-controller", "team=edge"),
                        Expected.modified(
                                "Service",
                                nginx,
                                "ingress-nginx-controller",
                                "metadata.labels",
                                "added",
                                "kubectl-label")),
                new Change(
                        "kubectl set env",
                        "kube-state-metrics",
                        kubectl(
                                "set",
                                "env",
                                "-n",
                                ksm,
                                "deployment/kube-state-metrics",
                                "-c",
                                "kube-state-metrics",
                                "GOMAXPROCS=1"),
                        Expected.modified(
                                "Deployment",
                                ksm,
                                "kube-state-metrics",
                                "spec.template.spec.containers[name=kube-state-metrics].env",
                                "added",
                                "kubectl-set")),
                new Change(
                        "kubectl annotate",
                        "kube-state-metrics",
                        kubectl("annotate", "-n", ksm, "service/kube-state-metrics", "prometheus.io/scrape=true"),
                        Expected.modified(
                                "Service",
                                ksm,
                                "kube-state-metrics",
                                "metadata.annotations",
                                "added",
                                "kubectl-annotate")),
                new Change(
                        "kubectl patch --type=json grants every verb on everything in a ClusterRole",
                        "kube-state-metrics",
                        kubectl(
                                "patch",
                                "clusterrole/kube-state-metrics",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"add\",\"path\":\"/rules/-\",\"value\":{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],"
                                        + "\"verbs\":[\"*\"]}}]"),
                        Expected.modified(
                                "ClusterRole", "", "kube-state-metrics", "rules", "changed", "kubectl-patch")),
                new Change(
                        "kubectl patch --type=json removes an argument",
                        "metrics-server",
                        kubectl(
                                "patch",
                                "-n",
                                ksm,
                                "deployment/metrics-server",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/0/args/4\"}]"),
                        Expected.modified(
                                "Deployment",
                                ksm,
                                "metrics-server",
                                "spec.template.spec.containers[name=metrics-server].args",
                                "changed",
                                "kubectl-patch")),
                new Change(
                        "a script (field manager python-requests) adds every user to a ClusterRoleBinding",
                        "metrics-server",
                        c -> c.admin()
                                .rbac()
                                .clusterRoleBindings()
                                .withName("system:metrics-server")
                                .patch(
                                        new PatchContext.Builder()
                                                .withPatchType(PatchType.JSON)
                                                .withFieldManager("python-requests")
                                                .build(),
                                        "[{\"op\":\"add\",\"path\":\"/subjects/-\",\"value\":{\"kind\":\"Group\","
                                                + "\"apiGroup\":\"rbac.authorization.k8s.io\","
                                                + "\"name\":\"system:authenticated\"}}]"),
                        Expected.modified(
                                "ClusterRoleBinding",
                                "",
                                "system:metrics-server",
                                "subjects",
                                "changed",
                                "python-requests")),
                new Change(
                        "kubectl patch --type=json removes a label",
                        "metrics-server",
                        kubectl(
                                "patch",
                                "-n",
                                ksm,
                                "service/metrics-server",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"remove\",\"path\":\"/metadata/labels/k8s-app\"}]"),
                        Expected.modified("Service", ksm, "metrics-server", "metadata.labels", "removed", null)),
                new Change(
                        "kubectl create of a ConfigMap with the app's tracking label",
                        "podinfo-kustomize",
                        c -> c.kubectl(
                                "create",
                                "-f",
                                c.file("stray-configmap.yaml", """
                                apiVersion: v1
                                kind: ConfigMap
                                metadata:
                                  name: podinfo-overrides
                                  namespace: podinfo
                                  labels: {app.kubernetes.io/instance: podinfo-kustomize}
                                data: {PODINFO_UI_COLOR: "#ff0000"}
                                """).toString()),
                        Expected.extra("ConfigMap", po, "podinfo-overrides")),
                new Change(
                        "kubectl apply --server-side with another field manager",
                        "podinfo-kustomize",
                        c -> c.kubectl(
                                "apply",
                                "--server-side",
                                "--field-manager=hotfix-bot",
                                "--force-conflicts",
                                "-f",
                                c.file("hotfix.yaml", """
                                        apiVersion: apps/v1
                                        kind: Deployment
                                        metadata: {name: podinfo, namespace: podinfo}
                                        spec:
                                          template:
                                            spec:
                                              containers:
                                              - name: podinfod
                                                resources: {limits: {memory: 1Gi}}
                                        """).toString()),
                        Expected.modified(
                                "Deployment",
                                po,
                                "podinfo",
                                "spec.template.spec.containers[name=podinfod].resources.limits.memory",
                                "changed",
                                "hotfix-bot")),
                new Change(
                        "kubectl patch --type=merge (an edit) of the HPA",
                        "podinfo-kustomize",
                        kubectl(
                                "patch",
                                "-n",
                                po,
                                "hpa/podinfo",
                                "--type=merge",
                                "-p",
                                "{\"spec\":{\"maxReplicas\":8}}"),
                        Expected.modified(
                                "HorizontalPodAutoscaler",
                                po,
                                "podinfo",
                                "spec.maxReplicas",
                                "changed",
                                "kubectl-patch")),
                new Change(
                        "kubectl replace adds a key to a ConfigMap",
                        "podinfo-helm",
                        c -> {
                            String live = c.kubectl("get", "-n", poh, "configmap/podinfo-helm-redis", "-o", "yaml")
                                    .output();
                            c.kubectl(
                                    "replace",
                                    "-f",
                                    c.file(
                                                    "replaced.yaml",
                                                    live.replaceFirst(
                                                            "(?m)^data:\\n",
                                                            "data:\n  extra-flags: --protected-mode no\n"))
                                            .toString());
                        },
                        Expected.modified(
                                "ConfigMap",
                                poh,
                                "podinfo-helm-redis",
                                "data.extra-flags",
                                "added",
                                "kubectl-replace")),
                new Change(
                        "kubectl delete of a custom resource (ServiceMonitor)",
                        "podinfo-helm",
                        kubectl("delete", "-n", poh, "servicemonitor/podinfo-helm"),
                        Expected.missing("ServiceMonitor", poh, "podinfo-helm")),
                new Change(
                        "kubectl patch --type=json removes a label",
                        "podinfo-helm",
                        kubectl(
                                "patch",
                                "-n",
                                poh,
                                "deployment/podinfo-helm",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"remove\",\"path\":\"/metadata/labels/helm.sh~1chart\"}]"),
                        Expected.modified("Deployment", poh, "podinfo-helm", "metadata.labels", "removed", null)),
                new Change(
                        "a Go program (User-Agent Go-http-client/2.0) labels a Service",
                        "sealed-secrets",
                        c -> {
                            try (KubernetesClient go = c.clientWithUserAgent("Go-http-client/2.0")) {
                                go.services()
                                        .inNamespace("sealed-secrets")
                                        .withName("sealed-secrets")
                                        .patch(
                                                new PatchContext.Builder()
                                                        .withPatchType(PatchType.JSON_MERGE)
                                                        .build(),
                                                "{\"metadata\":{\"labels\":{\"debug\":\"true\"}}}");
                            }
                        },
                        Expected.modified(
                                "Service",
                                "sealed-secrets",
                                "sealed-secrets",
                                "metadata.labels",
                                "added",
                                "Go-http-client")),
                new Change(
                        "kubectl label of a CustomResourceDefinition",
                        "sealed-secrets",
                        kubectl("label", "crd/sealedsecrets.bitnami.com", "owner=security"),
                        Expected.modified(
                                "CustomResourceDefinition",
                                "",
                                "sealedsecrets.bitnami.com",
                                "metadata.labels",
                                "added",
                                "kubectl-label")),
                new Change(
                        "kubectl patch --type=json of a custom resource (DNSEndpoint)",
                        "external-dns",
                        kubectl(
                                "patch",
                                "-n",
                                "external-dns",
                                "dnsendpoint/examplednsrecord",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"replace\",\"path\":\"/spec/endpoints/0/targets/0\",\"value\":\"10.6.6.6\"}]"),
                        Expected.modified(
                                "DNSEndpoint",
                                "external-dns",
                                "examplednsrecord",
                                "spec.endpoints",
                                "changed",
                                "kubectl-patch")),
                new Change(
                        "kubectl delete of a ClusterRoleBinding",
                        "external-dns",
                        kubectl("delete", "clusterrolebinding/external-dns-viewer"),
                        Expected.missing("ClusterRoleBinding", "", "external-dns-viewer")),
                new Change(
                        "kubectl set resources",
                        "reloader",
                        kubectl(
                                "set",
                                "resources",
                                "-n",
                                "reloader",
                                "deployment/reloader-reloader",
                                "-c",
                                "reloader-reloader",
                                "--limits=cpu=200m"),
                        Expected.modified(
                                "Deployment",
                                "reloader",
                                "reloader-reloader",
                                "spec.template.spec.containers[name=reloader-reloader].resources",
                                "added",
                                "kubectl-set")),
                new Change(
                        "kubectl patch --type=json adds tolerations",
                        "reloader",
                        kubectl(
                                "patch",
                                "-n",
                                "reloader",
                                "deployment/reloader-reloader",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"add\",\"path\":\"/spec/template/spec/tolerations\",\"value\":[{\"key\":"
                                        + "\"dedicated\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]}]"),
                        Expected.modified(
                                "Deployment",
                                "reloader",
                                "reloader-reloader",
                                "spec.template.spec.tolerations",
                                "added",
                                "kubectl-patch")),
                new Change(
                        "kubectl scale",
                        "gatekeeper",
                        kubectl("scale", "-n", gk, "deployment/gatekeeper-audit", "--replicas=2"),
                        Expected.modified("Deployment", gk, "gatekeeper-audit", "spec.replicas", "changed", "kubectl")),
                new Change(
                        "kubectl delete of a ResourceQuota",
                        "gatekeeper",
                        kubectl("delete", "-n", gk, "resourcequota/gatekeeper-critical-pods"),
                        Expected.missing("ResourceQuota", gk, "gatekeeper-critical-pods")),
                new Change(
                        "kubectl patch --type=merge of a PodDisruptionBudget",
                        "gatekeeper",
                        kubectl(
                                "patch",
                                "-n",
                                gk,
                                "pdb/gatekeeper-controller-manager",
                                "--type=merge",
                                "-p",
                                "{\"spec\":{\"minAvailable\":2}}"),
                        Expected.modified(
                                "PodDisruptionBudget",
                                gk,
                                "gatekeeper-controller-manager",
                                "spec.minAvailable",
                                "changed",
                                "kubectl-patch")),
                new Change(
                        "kubectl create of a Secret with the app's tracking label",
                        "gatekeeper",
                        c -> c.kubectl(
                                "create", "-f", c.file("stray-secret.yaml", """
                                apiVersion: v1
                                kind: Secret
                                metadata:
                                  name: gatekeeper-debug-token
                                  namespace: gatekeeper-system
                                  labels: {app.kubernetes.io/instance: gatekeeper}
                                stringData: {token: not-a-real-token}
                                """).toString()),
                        Expected.extra("Secret", gk, "gatekeeper-debug-token")),
                new Change(
                        "kubectl label of the Namespace",
                        "gatekeeper",
                        kubectl("label", "namespace/gatekeeper-system", "env=prod"),
                        Expected.modified("Namespace", "", gk, "metadata.labels", "added", "kubectl-label")),
                new Change(
                        "kubectl apply --server-side with another field manager on a custom resource",
                        "prometheus-operator",
                        c -> c.kubectl(
                                "apply",
                                "--server-side",
                                "--field-manager=prometheus-tuning",
                                "--force-conflicts",
                                "-f",
                                c.file("tuning.yaml", """
                                apiVersion: monitoring.coreos.com/v1
                                kind: ServiceMonitor
                                metadata: {name: example-app, namespace: prometheus-examples}
                                spec:
                                  endpoints:
                                  - {port: metrics}
                                """).toString()),
                        Expected.modified(
                                "ServiceMonitor",
                                prom,
                                "example-app",
                                "spec.endpoints",
                                "changed",
                                "prometheus-tuning")),
                new Change(
                        "kubectl patch --type=json removes a container port",
                        "prometheus-operator",
                        kubectl(
                                "patch",
                                "-n",
                                prom,
                                "deployment/example-app",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/0/ports/0\"}]"),
                        Expected.modified(
                                "Deployment",
                                prom,
                                "example-app",
                                "spec.template.spec.containers[name=example-app].ports",
                                "removed",
                                null)),
                new Change(
                        "the fabric8 Java client with its default field manager labels a PrometheusRule",
                        "prometheus-operator",
                        c -> c.admin()
                                .genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
                                .inNamespace(prom)
                                .withName("prometheus-example-rules")
                                .patch(
                                        new PatchContext.Builder()
                                                .withPatchType(PatchType.JSON_MERGE)
                                                .build(),
                                        "{\"metadata\":{\"labels\":{\"owner\":\"sre\"}}}"),
                        Expected.modified(
                                "PrometheusRule",
                                prom,
                                "prometheus-example-rules",
                                "metadata.labels",
                                "added",
                                "fabric8-kubernetes-client")));
    }
}
