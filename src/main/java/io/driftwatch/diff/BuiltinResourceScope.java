package io.driftwatch.diff;

import java.util.Set;

/** Scope of the built-in Kubernetes kinds; any other kind is taken as namespaced. */
public final class BuiltinResourceScope implements ResourceScope {

    public static final BuiltinResourceScope INSTANCE = new BuiltinResourceScope();

    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "/Namespace",
            "/Node",
            "/PersistentVolume",
            "/ComponentStatus",
            "rbac.authorization.k8s.io/ClusterRole",
            "rbac.authorization.k8s.io/ClusterRoleBinding",
            "apiextensions.k8s.io/CustomResourceDefinition",
            "apiregistration.k8s.io/APIService",
            "storage.k8s.io/StorageClass",
            "storage.k8s.io/CSIDriver",
            "storage.k8s.io/CSINode",
            "storage.k8s.io/VolumeAttachment",
            "scheduling.k8s.io/PriorityClass",
            "node.k8s.io/RuntimeClass",
            "networking.k8s.io/IngressClass",
            "networking.k8s.io/IPAddress",
            "networking.k8s.io/ServiceCIDR",
            "admissionregistration.k8s.io/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
            "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
            "admissionregistration.k8s.io/MutatingAdmissionPolicy",
            "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
            "certificates.k8s.io/CertificateSigningRequest",
            "certificates.k8s.io/ClusterTrustBundle",
            "flowcontrol.apiserver.k8s.io/FlowSchema",
            "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
            "resource.k8s.io/DeviceClass");

    @Override
    public boolean isNamespaced(String group, String kind) {
        return !CLUSTER_SCOPED.contains((group == null ? "" : group) + "/" + kind);
    }
}
