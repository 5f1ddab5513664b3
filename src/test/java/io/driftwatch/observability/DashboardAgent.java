package io.driftwatch.observability;

import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import java.nio.file.Path;

/**
 * The agent every dashboard panel has data for: a directory app "shop" (a postgres StatefulSet the tests scale, its
 * Service, a ConfigMap) and a Git app "web" (one ConfigMap, so the render cache is used), both applied to the
 * namespace as desired, polled every 2 s.
 */
final class DashboardAgent {

    private DashboardAgent() {}

    /** A Git repository holding the "web" app. */
    static GitRepoFixture webRepo(Path dir) {
        GitRepoFixture repo = GitRepoFixture.init(dir);
        repo.write("apps/web/configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-settings}
                data: {greeting: hello}
                """).commit("web settings");
        return repo;
    }

    /** Applies both apps' objects to {@code ns} and returns the agent configuration (YAML) for them. */
    static String config(String cluster, TestNamespace ns, Kubectl kubectl, GitRepoFixture repo, Path gitCache) {
        Path dir = Corpus.materialize(
                ns, "17-service-postgres.yaml", "18-statefulset-postgres.yaml", "08-configmap-api-config.yaml");
        kubectl.run("apply", "-n", ns.name(), "-f", dir.toString());
        kubectl.run(
                "apply",
                "-n",
                ns.name(),
                "-f",
                repo.dir().resolve("apps/web/configmap.yaml").toString());
        return """
                cluster: %1$s
                clusterLabels: {env: test, region: local}
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                events: {minInterval: 1s}
                sources:
                  directories:
                  - {name: shop, path: %2$s, targetNamespace: %3$s, pollInterval: 2s}
                  git:
                    cacheDir: %4$s
                    minFetchInterval: 1s
                    apps:
                    - {name: web, repoUrl: "%5$s", revision: main, path: apps/web, targetNamespace: %3$s, pollInterval: 2s}
                """.formatted(cluster, dir, ns.name(), gitCache, repo.fileUrl());
    }
}
