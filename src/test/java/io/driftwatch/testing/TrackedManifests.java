package io.driftwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small manifests of one app, each carrying its tracking label, written into an app directory (extra-object tests). */
public final class TrackedManifests {

    private TrackedManifests() {}

    /** ConfigMap {@code settings}. */
    public static Path configMap(Path dir, String app) {
        return write(dir, "configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, labels: {app.kubernetes.io/instance: %s}}
                data: {a: "1"}
                """.formatted(app));
    }

    /** Service {@code web}. */
    public static Path service(Path dir, String app) {
        return write(dir, "service.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web, labels: {app.kubernetes.io/instance: %s}}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                """.formatted(app));
    }

    /** ClusterRole {@code <app>-reader} (cluster-scoped: delete it after the test). */
    public static Path clusterRole(Path dir, String app) {
        return write(dir, "clusterrole.yaml", """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: %s-reader, labels: {app.kubernetes.io/instance: %s}}
                rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
                """.formatted(app, app));
    }

    private static Path write(Path dir, String file, String yaml) {
        try {
            return Files.writeString(Files.createDirectories(dir).resolve(file), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
