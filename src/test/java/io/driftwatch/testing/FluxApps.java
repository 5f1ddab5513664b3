package io.driftwatch.testing;

/** Files of the apps Flux applies in the Flux tests and the {@code flux diff} benchmark. */
public final class FluxApps {

    /** A Deployment {@code web}: one replica of {@code nginx:1.0}. */
    public static final String WEB_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.0
            """;

    private FluxApps() {}

    /** A kustomization.yaml with {@code resources} (a YAML flow list) that patches Deployment web to 2 replicas. */
    public static String replicasPatched(String resources) {
        return """
                resources: %s
                patches:
                - target: {kind: Deployment, name: web}
                  patch: |
                    - op: replace
                      path: /spec/replicas
                      value: 2
                """.formatted(resources);
    }
}
