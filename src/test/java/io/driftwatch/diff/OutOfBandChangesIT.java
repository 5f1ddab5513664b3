package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.Corpus;
import io.driftwatch.testing.DiffCli.Run;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import io.driftwatch.testing.WithKubeApiServer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each change a person or a tool makes with the real kubectl, on objects applied from the corpus, is reported with the
 * right object, type, field and field manager — and nothing else is.
 */
@WithKubeApiServer
class OutOfBandChangesIT {

    private static final String DEPLOYMENT = "16-deployment-api.yaml";
    private static final String HPA = "22-horizontalpodautoscaler-api.yaml";

    /** One change: corpus files to apply, the kubectl commands ({@code NS} is the namespace), what must be found. */
    record Case(String name, List<String> files, List<List<String>> commands, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The one drift expected: null fields are not checked; field is matched as a prefix of the readable field. */
    record Expect(String kind, String objectName, String type, String field, String op, String manager, String cause) {
        static Expect none() {
            return null;
        }
    }

    static List<String> cmd(String... args) {
        return List.of(args);
    }

    static Stream<Case> changes() {
        return Stream.of(
                new Case(
                        "kubectl scale",
                        List.of("18-statefulset-postgres.yaml"),
                        List.of(cmd("scale", "statefulset/postgres", "--replicas=3")),
                        new Expect(
                                "StatefulSet",
                                "postgres",
                                "modified",
                                "spec.replicas",
                                "changed",
                                "kubectl",
                                "out-of-band")),
                new Case(
                        "merge patch",
                        List.of(DEPLOYMENT, HPA),
                        List.of(cmd(
                                "patch",
                                "deployment/api",
                                "--type=merge",
                                "-p",
                                "{\"spec\":{\"revisionHistoryLimit\":2}}")),
                        new Expect(
                                "Deployment",
                                "api",
                                "modified",
                                "spec.revisionHistoryLimit",
                                "changed",
                                "kubectl-patch",
                                "out-of-band")),
                new Case(
                        "strategic merge patch",
                        List.of(DEPLOYMENT, HPA),
                        List.of(
                                cmd(
                                        "patch",
                                        "deployment/api",
                                        "-p",
                                        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"api\",\"imagePullPolicy\":\"Always\"}]}}}}")),
                        new Expect(
                                "Deployment",
                                "api",
                                "modified",
                                "spec.template.spec.containers[name=api].imagePullPolicy",
                                "changed",
                                "kubectl-patch",
                                "out-of-band")),
                new Case(
                        "kubectl label",
                        List.of(DEPLOYMENT, HPA),
                        List.of(cmd("label", "deployment/api", "team=payments")),
                        new Expect(
                                "Deployment",
                                "api",
                                "modified",
                                "metadata.labels",
                                "added",
                                "kubectl-label",
                                "out-of-band")),
                new Case(
                        "kubectl annotate",
                        List.of("15-service-api.yaml"),
                        List.of(cmd("annotate", "service/api", "owner=alice")),
                        new Expect(
                                "Service",
                                "api",
                                "modified",
                                "metadata.annotations",
                                "added",
                                "kubectl-annotate",
                                "out-of-band")),
                new Case(
                        "kubectl set image",
                        List.of(DEPLOYMENT, HPA),
                        List.of(cmd("set", "image", "deployment/api", "api=registry.example.com/shop/api:1.15.0")),
                        new Expect(
                                "Deployment",
                                "api",
                                "modified",
                                "spec.template.spec.containers[name=api].image",
                                "changed",
                                "kubectl-set",
                                "out-of-band")),
                new Case(
                        "env var added by kubectl set env",
                        List.of(DEPLOYMENT, HPA),
                        List.of(cmd("set", "env", "deployment/api", "-c", "api", "FEATURE_X=on")),
                        new Expect(
                                "Deployment",
                                "api",
                                "modified",
                                "spec.template.spec.containers[name=api].env",
                                "added",
                                "kubectl-set",
                                "out-of-band")),
                new Case(
                        "port 80 added to a Service",
                        List.of("17-service-postgres.yaml"),
                        List.of(
                                cmd(
                                        "patch",
                                        "service/postgres",
                                        "--type=json",
                                        "-p",
                                        "[{\"op\":\"add\",\"path\":\"/spec/ports/-\",\"value\":{\"name\":\"http\",\"port\":80,\"targetPort\":8080}}]")),
                        new Expect(
                                "Service",
                                "postgres",
                                "modified",
                                "spec.ports",
                                "added",
                                "kubectl-patch",
                                "out-of-band")),
                new Case(
                        "Secret value changed",
                        List.of("10-secret-api-credentials.yaml"),
                        List.of(cmd(
                                "patch",
                                "secret/api-credentials",
                                "-p",
                                "{\"stringData\":{\"DATABASE_PASSWORD\":\"hunter2-changed\"}}")),
                        new Expect(
                                "Secret",
                                "api-credentials",
                                "modified",
                                "data.DATABASE_PASSWORD",
                                "changed",
                                "kubectl-patch",
                                "out-of-band")),
                new Case(
                        "cpu 500m changed to 0.6",
                        List.of("07-limitrange-defaults.yaml"),
                        List.of(cmd(
                                "patch",
                                "limitrange/defaults",
                                "--type=json",
                                "-p",
                                "[{\"op\":\"replace\",\"path\":\"/spec/limits/0/default/cpu\",\"value\":\"0.6\"}]")),
                        new Expect(
                                "LimitRange",
                                "defaults",
                                "modified",
                                "spec.limits",
                                "changed",
                                "kubectl-patch",
                                "out-of-band")),
                new Case(
                        "object deleted",
                        List.of("08-configmap-api-config.yaml", "09-configmap-node-cache.yaml"),
                        List.of(cmd("delete", "configmap/api-config")),
                        new Expect("ConfigMap", "api-config", "missing", null, null, null, null)),
                new Case(
                        "tracked extra object created",
                        List.of("08-configmap-api-config.yaml"),
                        List.of(
                                cmd("create", "configmap", "stray", "--from-literal=a=b"),
                                cmd("label", "configmap/stray", "app.kubernetes.io/instance=NS")),
                        new Expect("ConfigMap", "stray", "extra", null, null, null, null)),
                new Case(
                        "kubectl rollout restart",
                        List.of(DEPLOYMENT, HPA),
                        List.of(cmd("rollout", "restart", "deployment/api")),
                        new Expect(
                                "Deployment",
                                "api",
                                "modified",
                                "spec.template.metadata.annotations",
                                "added",
                                "kubectl-rollout",
                                "out-of-band")),
                new Case(
                        "replicas of an HPA target are not drift",
                        List.of(DEPLOYMENT, HPA),
                        List.of(cmd("scale", "deployment/api", "--replicas=7")),
                        Expect.none()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void changeIsReportedWithFieldAndManager(Case change, LocalKubeCluster cluster, TestNamespace ns) {
        Path dir = Corpus.materialize(ns, change.files().toArray(String[]::new));
        Kubectl kubectl = new Kubectl(cluster);
        DiffCorpusIT.apply(kubectl, ns, dir);
        Run before = DiffCorpusIT.diff(cluster, ns, dir);
        assertThat(before.drifts())
                .as("no drift before the change: " + before.stdout())
                .isEmpty();

        Function<String, String> inNs = a -> a.replace("=NS", "=" + ns.name());
        for (List<String> command : change.commands()) {
            List<String> args = new java.util.ArrayList<>(List.of("-n", ns.name()));
            command.stream().map(inNs).forEach(args::add);
            kubectl.run(args.toArray(String[]::new));
        }
        Run after = DiffCorpusIT.diff(cluster, ns, dir);
        String context = after.stdout() + after.stderr();

        Expect expect = change.expect();
        if (expect == null) {
            assertThat(after.drifts()).as(context).isEmpty();
            assertThat(after.exitCode()).isZero();
            return;
        }
        assertThat(after.exitCode()).as(context).isEqualTo(1);
        assertThat(after.drifts()).as(context).hasSize(1);
        JsonNode drift = after.drifts().get(0);
        assertThat(drift.path("kind").asText()).isEqualTo(expect.kind());
        assertThat(drift.path("name").asText()).isEqualTo(expect.objectName());
        assertThat(drift.path("namespace").asText()).isEqualTo(ns.name());
        assertThat(drift.path("type").asText()).as(context).isEqualTo(expect.type());
        assertThat(drift.path("summary").asText()).as(context).isNotBlank();
        if (expect.field() == null) {
            return;
        }
        assertThat(drift.path("changes")).as(context).hasSize(1);
        JsonNode change1 = drift.path("changes").get(0);
        assertThat(change1.path("field").asText()).as(context).startsWith(expect.field());
        assertThat(change1.path("path").asText()).as(context).startsWith("/");
        assertThat(change1.path("op").asText()).as(context).isEqualTo(expect.op());
        assertThat(change1.path("manager").asText()).as(context).isEqualTo(expect.manager());
        assertThat(change1.path("cause").asText()).as(context).isEqualTo(expect.cause());
        // the API server records a time for every write except those through the scale subresource
        boolean viaScale = "scale".equals(change1.path("subresource").asText());
        assertThat(change1.path("time").isTextual()).as(context).isEqualTo(!viaScale);
        assertThat(context)
                .doesNotContain("hunter2")
                .doesNotContain("corpus-not-a-real-password")
                .doesNotContain(java.util.Base64.getEncoder().encodeToString("hunter2-changed".getBytes()));
    }
}
