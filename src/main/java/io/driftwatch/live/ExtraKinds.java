package io.driftwatch.live;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kinds an app's stray objects are looked for in: every kind the API server can list and watch, except the
 * high-volume kinds nobody declares in Git that Argo CD keeps out of its own cluster cache — its built-in exclusions
 * ({@code coreExcludedResources} in Argo CD's {@code util/settings/resources_filter.go}) and the
 * {@code resource.exclusions} its install manifests ship ({@code manifests/base/config/argocd-cm.yaml}). Endpoints
 * and EndpointSlices are among them: the control plane copies a Service's labels onto them.
 */
public final class ExtraKinds {

    /** Kinds by group; an empty set excludes the whole group. */
    private static final Map<String, Set<String>> EXCLUDED = Map.ofEntries(
            Map.entry("events.k8s.io", Set.of()),
            Map.entry("metrics.k8s.io", Set.of()),
            Map.entry("", Set.of("Event", "Endpoints")),
            Map.entry("discovery.k8s.io", Set.of("EndpointSlice")),
            Map.entry("coordination.k8s.io", Set.of("Lease")),
            Map.entry("apiregistration.k8s.io", Set.of("APIService")),
            Map.entry("authentication.k8s.io", Set.of("SelfSubjectReview", "TokenReview")),
            Map.entry(
                    "authorization.k8s.io",
                    Set.of(
                            "LocalSubjectAccessReview",
                            "SelfSubjectAccessReview",
                            "SelfSubjectRulesReview",
                            "SubjectAccessReview")),
            Map.entry("certificates.k8s.io", Set.of("CertificateSigningRequest")),
            Map.entry("cert-manager.io", Set.of("CertificateRequest")),
            Map.entry("cilium.io", Set.of("CiliumIdentity", "CiliumEndpoint", "CiliumEndpointSlice")),
            Map.entry("kyverno.io", kyvernoReports()),
            Map.entry("reports.kyverno.io", kyvernoReports()),
            Map.entry("wgpolicyk8s.io", kyvernoReports()));

    private ExtraKinds() {}

    private static Set<String> kyvernoReports() {
        return Set.of(
                "PolicyReport",
                "ClusterPolicyReport",
                "EphemeralReport",
                "ClusterEphemeralReport",
                "AdmissionReport",
                "ClusterAdmissionReport",
                "BackgroundScanReport",
                "ClusterBackgroundScanReport",
                "UpdateRequest");
    }

    /** Whether stray objects are looked for among this kind's objects. */
    public static boolean lookedIn(String group, String kind) {
        Set<String> kinds = EXCLUDED.get(group);
        return kinds == null || !kinds.isEmpty() && !kinds.contains(kind);
    }

    /** The listable kinds looked in, at their preferred versions. */
    public static List<ApiResource> of(ApiDiscovery discovery) {
        return discovery.listable().stream()
                .filter(r -> lookedIn(r.group(), r.kind()))
                .toList();
    }
}
