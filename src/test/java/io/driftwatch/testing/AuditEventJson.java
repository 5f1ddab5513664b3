package io.driftwatch.testing;

import java.time.Instant;
import java.util.List;

/**
 * Audit events as the API server's webhook backend posts them ({@code audit.k8s.io/v1}, the fields of
 * k8s.io/apiserver/pkg/apis/audit/v1 types.go), for tests and benchmarks that play the backend against a real agent.
 */
public final class AuditEventJson {

    public static final String KUBECTL = "kubectl/v1.31.0 (linux/amd64) kubernetes/9edcffc";

    private AuditEventJson() {}

    /**
     * A successful write at stage ResponseComplete: Metadata level, or RequestResponse with the response's
     * resourceVersion when {@code responseRv} is not null.
     *
     * @param impersonated the impersonated user, null when the request did not impersonate
     * @param subresource "" for the object itself
     */
    public static String write(
            String auditID,
            String verb,
            String group,
            String resource,
            String subresource,
            String namespace,
            String name,
            String user,
            String impersonated,
            String userAgent,
            Instant received,
            Instant completed,
            String responseRv) {
        String path = (group.isEmpty() ? "/api/v1" : "/apis/" + group + "/v1") + "/namespaces/" + namespace + "/"
                + resource + "/" + name + (subresource.isEmpty() ? "" : "/" + subresource);
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\""
                + (responseRv == null ? "Metadata" : "RequestResponse") + "\",\"auditID\":\"" + auditID
                + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"" + path + "\",\"verb\":\"" + verb
                + "\",\"user\":{\"username\":\"" + user + "\",\"groups\":[\"ops\",\"system:authenticated\"]},"
                + (impersonated == null
                        ? ""
                        : "\"impersonatedUser\":{\"username\":\"" + impersonated
                                + "\",\"groups\":[\"system:authenticated\"]},")
                + "\"sourceIPs\":[\"10.0.0.7\"],\"userAgent\":\"" + userAgent + "\",\"objectRef\":{\"resource\":\""
                + resource + "\",\"namespace\":\"" + namespace + "\",\"name\":\"" + name + "\",\"apiGroup\":\"" + group
                + "\",\"apiVersion\":\"v1\"" + (subresource.isEmpty() ? "" : ",\"subresource\":\"" + subresource + "\"")
                + "},\"responseStatus\":{\"metadata\":{},\"code\":200},"
                + (responseRv == null
                        ? ""
                        : "\"responseObject\":{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace
                                + "\",\"resourceVersion\":\"" + responseRv + "\"}},")
                + "\"requestReceivedTimestamp\":\"" + received + "\",\"stageTimestamp\":\"" + completed
                + "\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":"
                + "\"RBAC: allowed by ClusterRoleBinding \\\"ops\\\" of ClusterRole \\\"edit\\\" to Group \\\"ops\\\"\"}}";
    }

    /** An {@code EventList} of events. */
    public static String list(List<String> events) {
        return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
                + String.join(",", events) + "]}";
    }
}
