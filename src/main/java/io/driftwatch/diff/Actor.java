package io.driftwatch.diff;

import java.util.List;
import java.util.Locale;

/**
 * Who made a change, from the Kubernetes audit event of the write that made it.
 *
 * @param username the effective user: the impersonated user when the request impersonated one, else the requester
 * @param groups the effective user's groups
 * @param impersonatedBy the user who sent the request when it impersonated {@code username}; null otherwise
 * @param sourceIP the first of the request's source IPs, null when none
 * @param userAgent the request's user agent, null when none
 * @param auditID the audit event's id
 * @param match how the write was tied to the change
 */
public record Actor(
        String username,
        List<String> groups,
        String impersonatedBy,
        String sourceIP,
        String userAgent,
        String auditID,
        Match match) {

    public Actor {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** How a write was tied to a change. */
    public enum Match {
        /** The write's response resourceVersion is the live object's: this write produced what is live. */
        EXACT,
        /** Same object, verb, subresource, field manager (or user agent) and time window; no resourceVersion tie. */
        PROBABLE;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** "alice" or "carol (impersonated by alice)". */
    public String display() {
        return impersonatedBy == null ? username : username + " (impersonated by " + impersonatedBy + ")";
    }
}
