package io.driftwatch.source.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.agent.AgentRunner;
import io.driftwatch.config.ArgoCdConnection;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.ArgoCdServer;
import io.driftwatch.testing.CachedBinary;
import io.driftwatch.testing.DiffCli;
import io.driftwatch.testing.DiffCli.Run;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.GitRepoFixture;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo CD source against a real Argo CD v3.5.1 (API server + repo-server + redis, authentication on) and the
 * real kube-apiserver: an app registered from a Git repository made here (file:// URL), read with a real project-role
 * token minted through Argo CD's API; its manifests compared with objects applied as Argo CD applies them.
 */
@WithKubeApiServer
@Order(CachedBinary.AFTER_BACKGROUND_BUILD) // needs a binary built beside the tests
class ArgoCdSourceIT {

    @TempDir
    static Path tmp;

    private static ArgoCdServer argocd;
    private static String adminToken;

    @BeforeAll
    static void startArgoCd(LocalKubeCluster cluster) {
        argocd = ArgoCdServer.start(cluster, dir("argocd"));
        adminToken = argocd.adminToken("");
    }

    @AfterAll
    static void stopArgoCd() {
        if (argocd != null) {
            argocd.close();
        }
    }

    private static Path dir(String name) {
        try {
            return Files.createDirectories(tmp.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String deployment(String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                        - name: main
                          image: nginx:1.27
                """.formatted(name, replicas, name, name);
    }

    private static String configMap(String mode) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: " + mode + "\n";
    }

    private static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
            type: Opaque
            stringData:
              password: hunter2
            """;

    private static final String HOOK = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              annotations:
                argocd.argoproj.io/hook: PreSync
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: migrate
                      image: busybox
            """;

    /** An AppProject with a reader role (applications, get) and a role without any permission. */
    private static void project(LocalKubeCluster cluster, String project) {
        Path file = write(tmp.resolve(project + "/project.yaml"), """
                apiVersion: argoproj.io/v1alpha1
                kind: AppProject
                metadata:
                  name: %1$s
                  namespace: argocd
                spec:
                  sourceRepos: ['*']
                  destinations: [{server: '*', namespace: '*'}]
                  clusterResourceWhitelist: [{group: '*', kind: '*'}]
                  roles:
                    - name: reader
                      policies: ['p, proj:%1$s:reader, applications, get, %1$s/*, allow']
                    - name: nobody
                      policies: []
                """.formatted(project));
        new Kubectl(cluster).run("apply", "--server-side", "--field-manager=driftwatch-test", "-f", file.toString());
        awaitCached(cluster, "AppProject", project, "/api/v1/projects/" + project);
    }

    /** The Application, with status.sync.revision as the (not running) application controller would write it. */
    private static void application(
            LocalKubeCluster cluster,
            String app,
            String project,
            String repoUrl,
            String namespace,
            String syncedRevision) {
        application(cluster, app, project, repoUrl, namespace, syncedRevision, "{}");
    }

    /** As above, with {@code syncPolicy} (flow YAML) as the Application's {@code spec.syncPolicy}. */
    private static void application(
            LocalKubeCluster cluster,
            String app,
            String project,
            String repoUrl,
            String namespace,
            String syncedRevision,
            String syncPolicy) {
        Path file = write(tmp.resolve(project + "/app.yaml"), """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: %s
                  namespace: argocd
                  labels: {team: shop}
                spec:
                  project: %s
                  source: {repoURL: '%s', path: apps/web, targetRevision: main}
                  destination: {server: 'https://kubernetes.default.svc', namespace: %s}
                  ignoreDifferences:
                    - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
                  syncPolicy: %s
                status:
                  sync: {status: Synced, revision: %s}
                """.formatted(
                        app, project, repoUrl, namespace, syncPolicy, syncedRevision));
        new Kubectl(cluster).run("apply", "--server-side", "--field-manager=driftwatch-test", "-f", file.toString());
        awaitCached(cluster, "Application", app, "/api/v1/applications/" + app);
    }

    /** Argo CD's API server answers from its informer cache: wait until it holds the object just applied. */
    private static void awaitCached(LocalKubeCluster cluster, String kind, String name, String path) {
        String resourceVersion = cluster.adminClient()
                .genericKubernetesResources("argoproj.io/v1alpha1", kind)
                .inNamespace("argocd")
                .withName(name)
                .get()
                .getMetadata()
                .getResourceVersion();
        argocd.awaitCached(path, adminToken, resourceVersion);
    }

    /** Applies the manifests as Argo CD's controller does: server-side as argocd-controller, with the tracking id. */
    private static void applyAsArgoCd(LocalKubeCluster cluster, String app, String namespace, String... manifests) {
        Path dir = dir(namespace + "-applied");
        int i = 0;
        for (String manifest : manifests) {
            String kind = manifest.replaceAll("(?s).*\nkind: (\\w+).*", "$1");
            String apiVersion = manifest.replaceAll("(?s)^apiVersion: (\\S+).*", "$1");
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String name = manifest.replaceAll("(?s).*\nmetadata:\n  name: (\\S+).*", "$1");
            String annotated = manifest.replaceFirst(
                    "\nmetadata:\n",
                    "\nmetadata:\n  annotations:\n"
                            + "    argocd.argoproj.io/tracking-id: '" + app + ":" + group + "/" + kind + ":" + namespace
                            + "/"
                            + name + "'\n");
            write(dir.resolve("m" + i++ + ".yaml"), annotated);
        }
        new Kubectl(cluster)
                .run(
                        "apply",
                        "--server-side",
                        "--field-manager=argocd-controller",
                        "-n",
                        namespace,
                        "-f",
                        dir.toString());
    }

    private static Path tokenFile(String name, String token) {
        return write(tmp.resolve("tokens/" + name), token + "\n");
    }

    private static Run diff(LocalKubeCluster cluster, String app, Path token) {
        return DiffCli.run(List.of(
                "diff",
                "--argocd-server",
                argocd.url(),
                "--argocd-app",
                app,
                "--argocd-token-file",
                token.toString(),
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-o",
                "json"));
    }

    private static ArgoCdSource source(Path token, String project) throws SourceException {
        return new ArgoCdSource(
                new ArgoCdClient(new ArgoCdConnection(argocd.url(), token, null, false, null, Duration.ofSeconds(30))),
                List.of(project),
                "team=shop",
                null,
                Clock.systemUTC());
    }

    @Test
    void anAppReadWithAProjectRoleTokenIsComparedAtItsSyncedRevisionAndFollowedThroughTheStream(
            LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        String project = "p-" + ns.name();
        String app = ns.name() + "-web";
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve(ns.name() + "-repo"));
        repo.write("apps/web/deployment.yaml", deployment("web", 2))
                .write("apps/web/settings.yaml", configMap("prod"))
                .write("apps/web/secret.yaml", SECRET)
                .write("apps/web/hook.yaml", HOOK);
        String first = repo.commit("web");
        project(cluster, project);
        application(cluster, app, project, repo.fileUrl(), ns.name(), first);
        applyAsArgoCd(cluster, app, ns.name(), deployment("web", 2), configMap("prod"), SECRET);
        Path reader = tokenFile("reader", argocd.projectRoleToken("", adminToken, project, "reader"));

        // zero drift: hook left out, Secret compared by keys (Argo CD masks its values), namespace from the app
        Run clean = diff(cluster, app, reader);
        assertThat(clean.drifts()).as(clean.stdout() + clean.stderr()).isEmpty();
        assertThat(clean.exitCode()).as(clean.stderr() + argocd.logTail()).isZero();
        assertThat(clean.report().path("summary").path("desired").asInt()).isEqualTo(3);
        assertThat(clean.stderr()).contains("at " + first);

        // the app's ignoreDifferences (/spec/replicas of Deployments) is honoured; an out-of-band edit is not
        Kubectl kubectl = new Kubectl(cluster);
        kubectl.run("scale", "-n", ns.name(), "deployment/web", "--replicas=5");
        kubectl.run(
                "patch",
                "-n",
                ns.name(),
                "configmap/settings",
                "--type=merge",
                "-p",
                "{\"data\":{\"mode\":\"debug\"}}");
        kubectl.run("create", "-n", ns.name(), "configmap", "stray", "--from-literal=x=1");
        kubectl.run(
                "annotate",
                "-n",
                ns.name(),
                "configmap/stray",
                "argocd.argoproj.io/tracking-id=" + app + ":/ConfigMap:" + ns.name() + "/stray");

        Run drifted = diff(cluster, app, reader);

        assertThat(drifted.exitCode()).as(drifted.stdout() + drifted.stderr()).isEqualTo(1);
        assertThat(drifted.drifts())
                .extracting(d -> d.path("kind").asText() + "/" + d.path("name").asText() + " "
                        + d.path("type").asText())
                .containsExactlyInAnyOrder("ConfigMap/settings modified", "ConfigMap/stray extra");
        JsonNode settings = drifted.drifts().stream()
                .filter(d -> d.path("name").asText().equals("settings"))
                .findFirst()
                .orElseThrow();
        assertThat(settings.path("changes")).hasSize(1);
        assertThat(settings.path("changes").get(0).path("field").asText()).isEqualTo("data.mode");
        assertThat(settings.path("changes").get(0).path("manager").asText()).isEqualTo("kubectl-patch");
        assertThat(settings.path("cause").asText()).isEqualTo("out-of-band");

        // a new commit is not desired until Argo CD has synced it; the stream tells when it has
        repo.write("apps/web/settings.yaml", configMap("staging"));
        String second = repo.commit("staging mode");
        ArgoCdSource source = source(reader, project);
        ArgoCdAppSource appSource = source.appSource(
                new Application().metadata(new io.driftwatch.source.argocd.rest.model.ObjectMeta().name(app)));
        assertThat(appSource.load().revision()).isEqualTo(first);
        List<String> events = new CopyOnWriteArrayList<>();
        List<List<String>> lists = new CopyOnWriteArrayList<>();
        ApplicationStream.Listener listener = new ApplicationStream.Listener() {
            @Override
            public void listed(List<Application> apps) {
                lists.add(apps.stream().map(AppManifests::name).toList());
            }

            @Override
            public void changed(String type, Application a) {
                events.add(type + " " + AppManifests.name(a) + " "
                        + (a.getStatus() == null || a.getStatus().getSync() == null
                                ? ""
                                : a.getStatus().getSync().getRevision()));
            }

            @Override
            public void failed(SourceException error) {
                events.add("FAILED " + error.reason() + " " + error.getMessage());
            }
        };
        try (ApplicationStream stream = new ApplicationStream(source, listener).start()) {
            Eventually.await("the first list", Duration.ofSeconds(60), () -> !lists.isEmpty(), events::toString);
            assertThat(lists.get(0)).containsExactly(app);
            // as the controller does once it has synced the new commit; the server sends no event for changes made
            // before the stream subscribed (the agent's relist covers those), so the change is repeated until seen
            int[] attempt = {0};
            Eventually.await(
                    "MODIFIED event at the new revision",
                    Duration.ofSeconds(90),
                    () -> {
                        kubectl.run(
                                "patch",
                                "-n",
                                ArgoCdServer.NAMESPACE,
                                "applications.argoproj.io/" + app,
                                "--type=merge",
                                "-p",
                                "{\"metadata\":{\"annotations\":{\"test/attempt\":\"" + attempt[0]++ + "\"}},"
                                        + "\"status\":{\"sync\":{\"revision\":\"" + second + "\"}}}");
                        return events.contains("MODIFIED " + app + " " + second);
                    },
                    events::toString);
            assertThat(stream.connections()).isPositive();

            assertThat(events).noneMatch(e -> e.startsWith("FAILED"));

            // the API server goes away: the stream backs off, lists again once it is back, and follows changes again
            int connected = stream.connections();
            int listed = lists.size();
            argocd.restartApiServer();
            Eventually.await(
                    "listed again after the restart",
                    Duration.ofSeconds(90),
                    () -> lists.size() > listed,
                    events::toString);
            Eventually.await(
                    "following changes again",
                    Duration.ofSeconds(90),
                    () -> {
                        kubectl.run(
                                "patch",
                                "-n",
                                ArgoCdServer.NAMESPACE,
                                "applications.argoproj.io/" + app,
                                "--type=merge",
                                "-p",
                                "{\"metadata\":{\"annotations\":{\"test/attempt\":\"" + attempt[0]++ + "\"}}}");
                        return stream.connections() > connected;
                    },
                    events::toString);
        }
        DesiredState synced = appSource.load();
        assertThat(synced.revision()).isEqualTo(second);
        assertThat(synced.objects())
                .filteredOn(o -> o.path("kind").asText().equals("ConfigMap"))
                .singleElement()
                .satisfies(o -> assertThat(o.at("/data/mode").asText()).isEqualTo("staging"));
        // while the server was down: connection failures only, no other reason
        assertThat(events)
                .filteredOn(e -> e.startsWith("FAILED"))
                .isNotEmpty()
                .allMatch(e -> e.startsWith("FAILED FETCH"));
    }

    /**
     * Objects Argo CD applied and Git dropped: with automated prune Argo CD deletes them (pending-sync) unless an object
     * says {@code Prune=false}; without automated prune it never does by itself (orphaned). The syncPolicy is read from
     * the real API server, as it sends it.
     */
    @Test
    void extrasArgoCdWillNotPruneAreOrphanedAndThoseItPrunesArePending(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        String project = "p-" + ns.name();
        String app = ns.name() + "-web";
        String old = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\ndata:\n  a: \"1\"\n";
        String pinned = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pinned\ndata:\n  b: \"2\"\n";
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve(ns.name() + "-repo"));
        repo.write("apps/web/settings.yaml", configMap("prod"))
                .write("apps/web/old.yaml", old)
                .write("apps/web/pinned.yaml", pinned);
        repo.commit("web");
        project(cluster, project);
        applyAsArgoCd(cluster, app, ns.name(), configMap("prod"), old, pinned);
        new Kubectl(cluster)
                .run(
                        "annotate",
                        "-n",
                        ns.name(),
                        "configmap/pinned",
                        "argocd.argoproj.io/sync-options=Validate=false,Prune=false");
        repo.delete("apps/web/old.yaml").delete("apps/web/pinned.yaml");
        String second = repo.commit("drop old and pinned");
        Path reader = tokenFile("reader-" + ns.name(), argocd.projectRoleToken("", adminToken, project, "reader"));

        application(
                cluster, app, project, repo.fileUrl(), ns.name(), second, "{automated: {prune: true, selfHeal: true}}");
        Run pruning = diff(cluster, app, reader);
        assertThat(pruning.exitCode()).as(pruning.stdout() + pruning.stderr()).isEqualTo(1);
        assertThat(pruning.drifts())
                .extracting(d -> d.path("name").asText() + " " + d.path("type").asText() + " "
                        + d.path("cause").asText())
                .containsExactlyInAnyOrder("old extra pending-sync", "pinned extra orphaned");
        assertThat(pruning.drifts().stream()
                        .filter(d -> d.path("name").asText().equals("pinned"))
                        .findFirst()
                        .orElseThrow()
                        .path("summary")
                        .asText())
                .endsWith("orphaned: the applier will not delete it (argocd.argoproj.io/sync-options: Prune=false)");

        application(cluster, app, project, repo.fileUrl(), ns.name(), second, "{automated: {prune: false}}");
        Run manual = diff(cluster, app, reader);
        assertThat(manual.drifts())
                .extracting(d -> d.path("name").asText() + " " + d.path("cause").asText())
                .containsExactlyInAnyOrder("old orphaned", "pinned orphaned");
        assertThat(manual.report()
                        .path("summary")
                        .path("byCause")
                        .path("orphaned")
                        .asInt())
                .isEqualTo(2);
        assertThat(manual.drifts().get(0).path("summary").asText())
                .endsWith("(Argo CD syncPolicy.automated.prune is not true)");

        // automated sync switched off (Argo CD 3.x's automated.enabled): nothing is pruned by itself either
        application(
                cluster, app, project, repo.fileUrl(), ns.name(), second, "{automated: {prune: true, enabled: false}}");
        assertThat(diff(cluster, app, reader).drifts())
                .extracting(d -> d.path("cause").asText())
                .containsOnly("orphaned");

        // the agent's source reads the same policy
        ArgoCdAppSource appSource = source(reader, project)
                .appSource(
                        new Application().metadata(new io.driftwatch.source.argocd.rest.model.ObjectMeta().name(app)));
        assertThat(appSource.load().prune().byDefault()).isEqualTo(io.driftwatch.diff.PrunePolicy.Default.KEEPS);
        application(cluster, app, project, repo.fileUrl(), ns.name(), second, "{automated: {prune: true}}");
        assertThat(appSource.load().prune().byDefault()).isEqualTo(io.driftwatch.diff.PrunePolicy.Default.PRUNES);
    }

    @Test
    void theAgentFollowsTheAppsOfItsProjectAndSelector(LocalKubeCluster cluster, TestNamespace ns) throws Exception {
        String project = "p-" + ns.name();
        String app = ns.name() + "-web";
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve(ns.name() + "-repo"));
        String first = repo.write("apps/web/deployment.yaml", deployment("web", 2))
                .write("apps/web/settings.yaml", configMap("prod"))
                .commit("web");
        project(cluster, project);
        application(cluster, app, project, repo.fileUrl(), ns.name(), first);
        applyAsArgoCd(cluster, app, ns.name(), deployment("web", 2), configMap("prod"));
        Path reader = tokenFile(ns.name() + "-reader", argocd.projectRoleToken("", adminToken, project, "reader"));
        String config = """
                cluster: it-argocd
                http: {host: 127.0.0.1, port: 0}
                leaderElection: {enabled: false}
                scope:
                  namespaces: {include: [%s]}
                sources:
                  argocd:
                    server: %s
                    tokenFile: %s
                    projects: [%s]
                    selector: team=shop
                    pollInterval: 1h
                    relistInterval: 1h
                """.formatted(ns.name(), argocd.url(), reader, project);
        Kubectl kubectl = new Kubectl(cluster);
        Duration wait = Duration.ofSeconds(90);

        try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await(
                    "app loaded at its synced revision",
                    wait,
                    () -> first.equals(agent.status()
                                    .path("apps")
                                    .path(app)
                                    .path("revision")
                                    .asText())
                            && agent.ready(),
                    () -> agent.status() + " " + agent.readiness());
            assertThat(agent.drifts()).isEmpty();

            kubectl.run(
                    "patch",
                    "-n",
                    ns.name(),
                    "configmap/settings",
                    "--type=merge",
                    "-p",
                    "{\"data\":{\"mode\":\"debug\"}}");
            Eventually.await(
                    "out-of-band change reported",
                    wait,
                    () -> agent.drifts().size() == 1,
                    () -> agent.status().toString());
            JsonNode change = agent.drifts().get(0).path("changes").get(0);
            assertThat(change.path("field").asText()).isEqualTo("data.mode");
            assertThat(change.path("manager").asText()).isEqualTo("kubectl-patch");

            String second =
                    repo.write("apps/web/settings.yaml", configMap("debug")).commit("debug mode");
            int[] attempt = {0};
            Eventually.await(
                    "the synced commit picked up through the stream",
                    wait,
                    () -> {
                        kubectl.run(
                                "patch",
                                "-n",
                                ArgoCdServer.NAMESPACE,
                                "applications.argoproj.io/" + app,
                                "--type=merge",
                                "-p",
                                "{\"metadata\":{\"annotations\":{\"test/attempt\":\"" + attempt[0]++ + "\"}},"
                                        + "\"status\":{\"sync\":{\"revision\":\"" + second + "\"}}}");
                        return second.equals(agent.status()
                                .path("apps")
                                .path(app)
                                .path("revision")
                                .asText());
                    },
                    () -> agent.status().toString());
            Eventually.await(
                    "the drift resolved by the new desired state",
                    wait,
                    () -> agent.drifts().isEmpty(),
                    () -> agent.drifts().toString());
        }
    }

    @Test
    void aServerWithTlsUnderARootPathIsReachedWithTheMatchingOptions(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        String project = "p-" + ns.name();
        String app = ns.name() + "-web";
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve(ns.name() + "-repo"));
        String first = repo.write("apps/web/settings.yaml", configMap("prod")).commit("settings");
        project(cluster, project);
        application(cluster, app, project, repo.fileUrl(), ns.name(), first);
        applyAsArgoCd(cluster, app, ns.name(), configMap("prod"));
        try (ArgoCdServer tls =
                ArgoCdServer.start(cluster, dir(ns.name() + "-argocd"), true, "--rootpath", "/argocd")) {
            String root = "/argocd";
            Path reader = tokenFile(
                    ns.name() + "-tls-reader", tls.projectRoleToken(root, tls.adminToken(root), project, "reader"));
            List<String> base = List.of(
                    "diff",
                    "--argocd-server",
                    tls.url(),
                    "--argocd-app",
                    app,
                    "--argocd-token-file",
                    reader.toString(),
                    "--kubeconfig",
                    cluster.kubeconfig().toString(),
                    "-o",
                    "json");

            List<String> args = new java.util.ArrayList<>(base);
            args.addAll(List.of("--argocd-rootpath", root, "--argocd-insecure"));
            Run clean = DiffCli.run(args);
            assertThat(clean.exitCode()).as(clean.stdout() + clean.stderr()).isZero();
            assertThat(clean.report().path("summary").path("desired").asInt()).isEqualTo(1);

            List<String> untrusted = new java.util.ArrayList<>(base);
            untrusted.addAll(List.of("--argocd-rootpath", root));
            Run refused = DiffCli.run(untrusted);
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.stderr()).contains("cannot connect").contains("SSLHandshakeException");
        }
    }

    @Test
    void aTokenWithoutPermissionGetsAClearErrorPerAppAndNothingCrashes(LocalKubeCluster cluster, TestNamespace ns)
            throws Exception {
        String project = "p-" + ns.name();
        String app = ns.name() + "-web";
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve(ns.name() + "-repo"));
        String first = repo.write("apps/web/settings.yaml", configMap("prod")).commit("settings");
        project(cluster, project);
        application(cluster, app, project, repo.fileUrl(), ns.name(), first);
        Path nobody = tokenFile("nobody", argocd.projectRoleToken("", adminToken, project, "nobody"));
        Path garbage = tokenFile("garbage", "not-a-token");

        Run refused = diff(cluster, app, nobody);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr())
                .contains("GET /api/v1/applications/" + app + ": 403 permission denied")
                .doesNotContain(Files.readString(nobody).strip());
        Run unauthenticated = diff(cluster, app, garbage);
        assertThat(unauthenticated.exitCode()).isEqualTo(2);
        assertThat(unauthenticated.stderr()).contains("401 unauthenticated");

        ArgoCdAppSource appSource = source(nobody, project)
                .appSource(
                        new Application().metadata(new io.driftwatch.source.argocd.rest.model.ObjectMeta().name(app)));
        assertThatThrownBy(appSource::load)
                .isInstanceOf(SourceException.class)
                .satisfies(e -> assertThat(((SourceException) e).reason()).isEqualTo(SourceException.Reason.AUTH));
        assertThatThrownBy(appSource::load).hasMessageContaining("next attempt in");
        assertThat(source(nobody, project).list().getItems()).isNullOrEmpty();
        Path admin = tokenFile(ns.name() + "-admin", adminToken);
        var listed = source(admin, project).list();
        assertThat(listed.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(listed.getItems()).singleElement().satisfies(a -> {
            assertThat(a.getMetadata().getName()).isEqualTo(app);
            assertThat(a.getSpec()).as("narrowed by the fields parameter").isNull();
        });
    }
}
