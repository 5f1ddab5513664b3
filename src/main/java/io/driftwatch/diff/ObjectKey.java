package io.driftwatch.diff;

import java.util.Objects;

/** Identity of a Kubernetes object: group, kind, namespace ("" when cluster-scoped) and name. The version is not part of it. */
public record ObjectKey(String group, String kind, String namespace, String name) {

    public ObjectKey {
        group = group == null ? "" : group;
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** "group/kind ns/name", e.g. "apps/Deployment shop/web"; core kinds read "/ConfigMap shop/cfg", cluster-scoped "rbac.authorization.k8s.io/ClusterRole /admin". */
    @Override
    public String toString() {
        return group + "/" + kind + " " + namespace + "/" + name;
    }

    /** The API group of an {@code apiVersion}: "apps" for "apps/v1", "" for the core group's "v1". */
    public static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** "shop/web", or "web" for cluster-scoped objects. */
    public String displayName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
