package io.driftwatch.realworld;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.agent.AgentRunner;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.realworld.OutOfBandChanges.Expected;
import io.driftwatch.realworld.ReportMatcher.Finding;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.GitRepoFixture;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent, not only {@code diff}: three real-world projects (plain YAML, Kustomize, a Helm chart) read from a real
 * Git repository and rendered by the agent, installed as Argo CD installs them, watched for a few minutes while the
 * cluster's controllers run (and Argo CD's periodic re-sync re-applies them): no drift may open. Then real changes are
 * made, and each must open with its field and manager. The watch lasts {@code -Ddriftwatch.realworld.agentWatch}
 * (ISO-8601 duration, default PT1M): the agent runs with a {@value #RESYNC} full resync (the lowest it accepts) and a
 * {@value #POLL} Git poll, so each half of the watch, before and after the re-sync, holds at least two full resyncs
 * (each with a search of the kinds not watched) and a poll of the repository; the controllers had settled before the
 * agent started ({@link Installation#awaitSettled()}).
 */
class RealWorldAgentIT {

    private static final String RESYNC = "10s";
    private static final String POLL = "20s";
    private static final Duration WATCH = Duration.parse(System.getProperty("driftwatch.realworld.agentWatch", "PT1M"));
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final List<String> PROJECTS = List.of("ingress-nginx", "kube-state-metrics", "sealed-secrets");

    @TempDir
    Path tmp;

    @Test
    void noDriftOpensOnUntouchedProjectsAndEveryChangeOpensWithItsFieldAndManager() throws IOException {
        List<Project> projects = PROJECTS.stream().map(Project::named).toList();
        GitRepoFixture repo = GitRepoFixture.init(tmp.resolve("repo"));
        for (Project p : projects) {
            copy(p.dir(), repo.dir().resolve("realworld").resolve(p.name()));
        }
        repo.commit("published manifests of " + PROJECTS);

        try (LocalKubeCluster cluster = LocalKubeCluster.start()) {
            Installation installation = Installation.install(cluster, Installation.Mode.SERVER_SIDE, projects);
            try (AgentRunner runner = AgentRunner.start(config(repo, projects), cluster.adminConfig())) {
                AgentEndpoint agent = runner.endpoint;
                Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);

                long end = System.nanoTime() + WATCH.toNanos();
                boolean resynced = false;
                while (System.nanoTime() < end) {
                    List<JsonNode> open = agent.drifts();
                    assertThat(open)
                            .as("no drift may open on untouched projects; status:\n" + agent.status())
                            .isEmpty();
                    if (!resynced && System.nanoTime() > end - WATCH.toNanos() / 2) {
                        projects.forEach(p -> installation.apply(installation.appliedFile(p))); // Argo CD re-sync
                        resynced = true;
                    }
                    Installation.sleep(Duration.ofSeconds(5));
                }
                assertThat(agent.status().path("apps").size())
                        .as(agent.status().toString())
                        .isEqualTo(3);

                List<Expected> expected = makeChanges(installation, tmp);
                Eventually.await(
                        "every change open with its field and manager",
                        WAIT,
                        () -> expected.stream().allMatch(e -> opened(agent, e)),
                        () -> "expected " + expected + "\nopen: " + agent.drifts());
                Eventually.await(
                        "nothing else open",
                        WAIT,
                        () -> ReportMatcher.unexpected(ReportMatcher.findings(agent.drifts()), expected)
                                .isEmpty(),
                        () -> agent.drifts().toString());
            }
        }
    }

    private static boolean opened(AgentEndpoint agent, Expected e) {
        List<Finding> findings = ReportMatcher.findings(agent.drifts());
        return findings.stream().anyMatch(f -> ReportMatcher.matches(e, f));
    }

    private static List<Expected> makeChanges(Installation installation, Path scratch) {
        OutOfBandChanges.Context c = new OutOfBandChanges.Context(installation, scratch);
        c.kubectl(
                "set",
                "image",
                "-n",
                "ingress-nginx",
                "deployment/ingress-nginx-controller",
                "controller=registry.k8s.io/ingress-nginx/controller:v1.15.1");
        c.kubectl("delete", "ingressclass/nginx");
        c.admin()
                .rbac()
                .clusterRoleBindings()
                .withName("kube-state-metrics")
                .patch(
                        new PatchContext.Builder()
                                .withPatchType(PatchType.JSON)
                                .withFieldManager("python-requests")
                                .build(),
                        "[{\"op\":\"add\",\"path\":\"/subjects/-\",\"value\":{\"kind\":\"Group\","
                                + "\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"system:authenticated\"}}]");
        c.kubectl("label", "-n", "sealed-secrets", "service/sealed-secrets", "team=security");
        return List.of(
                Expected.modified(
                        "Deployment",
                        "ingress-nginx",
                        "ingress-nginx-controller",
                        "spec.template.spec.containers[name=controller].image",
                        "changed",
                        "kubectl-set"),
                Expected.missing("IngressClass", "", "nginx"),
                Expected.modified(
                        "ClusterRoleBinding", "", "kube-state-metrics", "subjects", "changed", "python-requests"),
                Expected.modified(
                        "Service", "sealed-secrets", "sealed-secrets", "metadata.labels", "added", "kubectl-label"));
    }

    private String config(GitRepoFixture repo, List<Project> projects) {
        StringBuilder apps = new StringBuilder();
        for (Project p : projects) {
            String path = "realworld/" + p.name() + (p.path() == null ? "" : "/" + p.path());
            apps.append("    - {name: ")
                    .append(p.name())
                    .append(", repoUrl: \"")
                    .append(repo.fileUrl())
                    .append("\", revision: main, path: ")
                    .append(path)
                    .append(", targetNamespace: ")
                    .append(p.namespace())
                    .append(", pollInterval: ")
                    .append(POLL)
                    .append("}\n");
        }
        return """
                cluster: it-realworld
                http: {host: 127.0.0.1, port: 0}
                resyncInterval: %s
                leaderElection: {enabled: false}
                sources:
                  git:
                    cacheDir: %s
                    minFetchInterval: 10s
                    apps:
                %s""".formatted(RESYNC, tmp.resolve("git-cache"), apps);
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
