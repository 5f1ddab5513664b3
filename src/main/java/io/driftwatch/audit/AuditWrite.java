package io.driftwatch.audit;

import io.driftwatch.diff.Actor;
import java.time.Instant;
import java.util.List;

/**
 * One successful write from a Kubernetes audit event ({@code audit.k8s.io/v1} Event at stage ResponseComplete), with
 * only what attribution needs: never the request or response body (they may hold Secret values).
 *
 * @param auditID the event's {@code auditID}
 * @param verb create, update, patch, delete or deletecollection
 * @param object the {@code objectRef}
 * @param username {@code user.username}: who sent the request
 * @param groups {@code user.groups}
 * @param impersonatedUser {@code impersonatedUser.username}, null when the request did not impersonate
 * @param impersonatedGroups {@code impersonatedUser.groups}
 * @param sourceIP the first of {@code sourceIPs}, null when none
 * @param userAgent {@code userAgent}, null when none
 * @param fieldManager the {@code fieldManager} query parameter of {@code requestURI}, null when not sent
 * @param received {@code requestReceivedTimestamp}
 * @param completed {@code stageTimestamp}
 * @param responseResourceVersion {@code responseObject.metadata.resourceVersion} (RequestResponse level), else null
 */
public record AuditWrite(
        String auditID,
        String verb,
        ObjectRef object,
        String username,
        List<String> groups,
        String impersonatedUser,
        List<String> impersonatedGroups,
        String sourceIP,
        String userAgent,
        String fieldManager,
        Instant received,
        Instant completed,
        String responseResourceVersion) {

    public AuditWrite {
        groups = groups == null ? List.of() : List.copyOf(groups);
        impersonatedGroups = impersonatedGroups == null ? List.of() : List.copyOf(impersonatedGroups);
    }

    /**
     * The object a write targeted: {@code name} empty for a deletecollection, {@code subresource} empty for the main
     * resource.
     */
    public record ObjectRef(String group, String resource, String subresource, String namespace, String name) {
        public ObjectRef {
            group = group == null ? "" : group;
            subresource = subresource == null ? "" : subresource;
            namespace = namespace == null ? "" : namespace;
            name = name == null ? "" : name;
        }

        /** The object itself, whatever subresource was written. */
        public ObjectRef main() {
            return subresource.isEmpty() ? this : new ObjectRef(group, resource, "", namespace, name);
        }
    }

    /** The effective user (the impersonated one, if any), and who impersonated. */
    public Actor actor(Actor.Match match) {
        if (impersonatedUser != null) {
            return new Actor(impersonatedUser, impersonatedGroups, username, sourceIP, userAgent, auditID, match);
        }
        return new Actor(username, groups, null, sourceIP, userAgent, auditID, match);
    }
}
