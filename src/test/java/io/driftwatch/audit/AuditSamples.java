package io.driftwatch.audit;

/**
 * Audit events shaped as the API server writes them (audit.k8s.io/v1 Event: the fields of
 * k8s.io/apiserver/pkg/apis/audit/v1 types.go), with times and ids chosen per test.
 */
final class AuditSamples {

    private AuditSamples() {}

    static final String KUBECTL = "kubectl/v1.31.0 (linux/amd64) kubernetes/9edcffc";

    /** A write event at Metadata level, or with a response body when {@code responseRv} is not null. */
    static String event(
            String auditID,
            String verb,
            String uri,
            String user,
            String impersonated,
            String resource,
            String subresource,
            String name,
            String received,
            String completed,
            int code,
            String responseRv) {
        String group = resource.equals("configmaps") || resource.equals("secrets") ? "" : "apps";
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\""
                + (responseRv == null ? "Metadata" : "RequestResponse") + "\",\"auditID\":\"" + auditID
                + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"" + uri + "\",\"verb\":\"" + verb
                + "\",\"user\":{\"username\":\"" + user + "\",\"groups\":[\"ops\",\"system:authenticated\"]},"
                + (impersonated == null
                        ? ""
                        : "\"impersonatedUser\":{\"username\":\"" + impersonated
                                + "\",\"groups\":[\"system:authenticated\"]},")
                + "\"sourceIPs\":[\"10.0.0.7\"],\"userAgent\":\"" + KUBECTL + "\",\"objectRef\":{\"resource\":\""
                + resource + "\",\"namespace\":\"shop\",\"name\":\"" + name + "\",\"apiGroup\":\"" + group
                + "\",\"apiVersion\":\"v1\"" + (subresource.isEmpty() ? "" : ",\"subresource\":\"" + subresource + "\"")
                + "},\"responseStatus\":{\"metadata\":{},\"code\":" + code + "},"
                + (responseRv == null
                        ? ""
                        : "\"responseObject\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{"
                                + "\"name\":\"" + name + "\",\"namespace\":\"shop\",\"resourceVersion\":\""
                                + responseRv + "\"}},")
                + "\"requestReceivedTimestamp\":\"" + received + "\",\"stageTimestamp\":\"" + completed
                + "\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"\"}}";
    }

    static String list(String... events) {
        return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
                + String.join(",", events) + "]}";
    }
}
