package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.cli.DriftwatchCommand;
import io.driftwatch.localkube.LocalKubeBinaries;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.AgentEndpoint;
import io.driftwatch.testing.AuditRelay;
import io.driftwatch.testing.Eventually;
import io.driftwatch.testing.Kubectl;
import io.driftwatch.testing.TestNamespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Attribution from the real kube-apiserver's audit events. The API server runs with the shipped policy
 * (k8s/audit-policy.yaml, plus one rule raising ConfigMaps in this test's namespaces to RequestResponse, so that some
 * matches can be exact), the shipped webhook kubeconfig example (its server and token filled in) posting through a
 * recording relay to the agent, and the log backend writing a file. Real people change objects with the real kubectl:
 * two client-certificate users (alice, bob, in group ops), a ServiceAccount token, and carol through impersonation.
 */
class AuditIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String HOOK_NS = "audit-hook";
    private static final String LOG_NS = "audit-log";
    private static final String TOKEN = "audit-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static LocalKubeCluster.ServingCertificate tls;
    private static AuditRelay relay;
    private static LocalKubeCluster cluster;
    private static Path auditLog;
    private static Kubectl admin;
    private static Kubectl alice;
    private static Kubectl bob;

    @BeforeAll
    static void startClusterWithAudit() throws IOException {
        tls = LocalKubeCluster.writeServingCertificate(tmp.resolve("audit-tls"));
        relay = new AuditRelay(tls);
        String policy =
                Files.readString(Path.of("k8s/audit-policy.yaml")).replace("rules:\n", """
                        rules:
                          - level: RequestResponse
                            verbs: ["create", "update", "patch", "delete"]
                            namespaces: ["%s", "%s"]
                            resources:
                              - group: ""
                                resources: ["configmaps"]
                        """.formatted(HOOK_NS, LOG_NS));
        Path policyFile = Files.writeString(tmp.resolve("audit-policy.yaml"), policy);
        String webhook = Files.readString(Path.of("k8s/audit-webhook-kubeconfig.yaml"));
        assertThat(webhook).contains("REPLACE-WITH-THE-CONTENT-OF-audit.tokenFile");
        Path webhookFile = Files.writeString(
                tmp.resolve("audit-webhook.kubeconfig"),
                webhook.replace("https://driftwatch.driftwatch.svc:8080/api/v1/audit", relay.url())
                        .replace(
                                "/etc/kubernetes/driftwatch-audit-ca.crt",
                                tls.caCert().toString())
                        .replace("REPLACE-WITH-THE-CONTENT-OF-audit.tokenFile", TOKEN));
        auditLog = tmp.resolve("kube-audit/audit.log");
        Files.createDirectories(auditLog.getParent());
        cluster = LocalKubeCluster.start(
                LocalKubeBinaries.find(),
                List.of(
                        "--audit-policy-file=" + policyFile,
                        "--audit-webhook-config-file=" + webhookFile,
                        "--audit-webhook-mode=batch",
                        "--audit-webhook-batch-max-wait=1s",
                        "--audit-webhook-initial-backoff=1s",
                        "--audit-log-path=" + auditLog,
                        "--audit-log-format=json"));
        admin = new Kubectl(cluster);
        alice = new Kubectl(cluster.userKubeconfig("alice", List.of("ops")));
        bob = new Kubectl(cluster.userKubeconfig("bob", List.of("ops")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void webhookBatchesNameEveryPersonIncludingTheRemovalTheScaleAndTheImpersonatorLateOrNot() throws Exception {
        Path desired = namespaceWithApp(
                HOOK_NS,
                deployment("web")
                        + service("web")
                        + configMap("settings", "level: info")
                        + configMap("flags", "beta: \"off\"")
                        + configMap("doomed", "a: \"1\"")
                        + configMap("operated", "mode: auto")
                        + configMap("late", "level: info"));
        admin.run("-n", HOOK_NS, "create", "serviceaccount", "deployer");
        admin.run("-n", HOOK_NS, "create", "serviceaccount", "operator");
        bindEdit(HOOK_NS, "--serviceaccount=" + HOOK_NS + ":deployer", "--serviceaccount=" + HOOK_NS + ":operator");
        Kubectl deployer = new Kubectl(cluster.serviceAccountKubeconfig(HOOK_NS, "deployer"));
        Kubectl operator = new Kubectl(cluster.serviceAccountKubeconfig(HOOK_NS, "operator"));
        Path tokenFile = Files.writeString(tmp.resolve("audit-token"), TOKEN + "\n");
        String http =
                "http: {host: 127.0.0.1, port: 0, tlsCertFile: " + tls.cert() + ", tlsKeyFile: " + tls.key() + "}";
        String config = agentConfig(HOOK_NS, desired).replace("http: {host: 127.0.0.1, port: 0}", http)
                + """
                audit:
                  tokenFile: %s
                  controllers: ["system:serviceaccount:%s:operator"]
                """.formatted(tokenFile, HOOK_NS);
        ListAppender<ILoggingEvent> log = captureDriftLog();

        try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig(), tls.caCert())) {
            AgentEndpoint agent = runner.endpoint;
            relay.forwardTo(runner.agentPort());
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            assertThat(agent.drifts()).isEmpty();

            edit(alice, HOOK_NS, "configmap/settings", "s/level: info/level: debug/");
            bob.run("-n", HOOK_NS, "scale", "deployment/web", "--replicas=3");
            deployer.run(
                    "-n",
                    HOOK_NS,
                    "patch",
                    "service/web",
                    "--type=json",
                    "-p",
                    "[{\"op\":\"remove\",\"path\":\"/spec/ports/1\"}]");
            String flags = admin.run("-n", HOOK_NS, "--as=carol", "get", "configmap/flags", "-o", "yaml");
            Path replaced =
                    Files.writeString(tmp.resolve("flags.yaml"), flags.replace("beta: \"off\"", "beta: \"on\""));
            admin.run("-n", HOOK_NS, "--as=carol", "replace", "-f", replaced.toString());
            alice.run("-n", HOOK_NS, "delete", "configmap/doomed");
            operator.run(
                    "-n",
                    HOOK_NS,
                    "patch",
                    "configmap/operated",
                    "--type=merge",
                    "-p",
                    "{\"data\":{\"mode\":\"manual\"}}");

            // a probable match may first name an earlier writer, until the batch with the real write arrives
            awaitAsserted("every change attributed to its person", agent, AuditIT::assertHookAttribution);

            forgedPostsAreRefusedAndChangeNothing(runner, agent);
            lateBatchUpdatesTheOpenDrift(agent, log);
            noSecretValueInAnyAuditEvent(agent);
        }
    }

    private static void assertHookAttribution(List<JsonNode> drifts) {
        JsonNode edited = onlyChange(drifts, "ConfigMap", "settings");
        assertThat(edited.path("field").asText()).isEqualTo("data.level");
        assertThat(edited.path("manager").asText()).isEqualTo("kubectl-edit");
        assertActor(edited.path("actor"), "alice", null, "exact");
        assertThat(edited.path("actor").path("groups"))
                .extracting(JsonNode::asText)
                .contains("ops", "system:authenticated");
        assertThat(edited.path("cause").asText()).isEqualTo("out-of-band");

        JsonNode scaled = onlyChange(drifts, "Deployment", "web");
        assertThat(scaled.path("field").asText()).isEqualTo("spec.replicas");
        assertActor(scaled.path("actor"), "bob", null, "probable");
        assertThat(scaled.path("actor").path("groups"))
                .extracting(JsonNode::asText)
                .contains("ops");

        JsonNode service = drift(drifts, "Service", "web").orElseThrow();
        JsonNode removal = service.path("changes").get(0);
        assertThat(removal.path("op").asText()).isEqualTo("removed");
        assertThat(removal.path("manager").isNull()).isTrue();
        assertActor(removal.path("actor"), "system:serviceaccount:" + HOOK_NS + ":deployer", null, "probable");
        assertThat(removal.path("cause").asText()).isEqualTo("out-of-band");

        JsonNode replacedChange = onlyChange(drifts, "ConfigMap", "flags");
        assertThat(replacedChange.path("manager").asText()).isEqualTo("kubectl-replace");
        assertActor(replacedChange.path("actor"), "carol", "driftwatch-admin", "exact");

        JsonNode deleted = drift(drifts, "ConfigMap", "doomed").orElseThrow();
        assertThat(deleted.path("type").asText()).isEqualTo("missing");
        assertActor(deleted.path("actor"), "alice", null, "probable");

        JsonNode operated = onlyChange(drifts, "ConfigMap", "operated");
        assertActor(operated.path("actor"), "system:serviceaccount:" + HOOK_NS + ":operator", null, "exact");
        assertThat(operated.path("cause").asText()).isEqualTo("controller");
    }

    /** Waits until {@code assertions} pass on the agent's drifts; fails with their last failure. */
    private static void awaitAsserted(String what, AgentEndpoint agent, Consumer<List<JsonNode>> assertions) {
        Eventually.await(
                what,
                WAIT,
                () -> {
                    try {
                        assertions.accept(agent.drifts());
                        return true;
                    } catch (AssertionError | RuntimeException e) {
                        return false;
                    }
                },
                () -> agent.drifts().toString());
        assertions.accept(agent.drifts());
    }

    /** The drift is reported while its audit batch is held; the late batch names the person in an updated event. */
    private static void lateBatchUpdatesTheOpenDrift(AgentEndpoint agent, ListAppender<ILoggingEvent> log)
            throws Exception {
        relay.hold();
        edit(alice, HOOK_NS, "configmap/late", "s/level: info/level: warn/");
        Eventually.await(
                "the drift reported while its audit batch is held",
                WAIT,
                () -> drift(agent.drifts(), "ConfigMap", "late").isPresent(),
                () -> agent.drifts().toString());
        JsonNode early = onlyChange(agent.drifts(), "ConfigMap", "late");
        assertThat(early.path("actor").isNull()).isTrue();
        String id = drift(agent.drifts(), "ConfigMap", "late")
                .orElseThrow()
                .path("id")
                .asText();

        relay.release();
        Eventually.await(
                "the late batch names alice",
                WAIT,
                () -> onlyChange(agent.drifts(), "ConfigMap", "late").hasNonNull("actor"),
                () -> agent.drifts().toString());
        JsonNode late = drift(agent.drifts(), "ConfigMap", "late").orElseThrow();
        assertThat(late.path("id").asText()).isEqualTo(id);
        assertActor(late.path("changes").get(0).path("actor"), "alice", null, "exact");
        Eventually.await(
                "an updated drift event with the actor",
                WAIT,
                () -> updatedLine(log, "late").isPresent());
        JsonNode line = updatedLine(log, "late").orElseThrow();
        assertThat(line.path("driftId").asText()).isEqualTo(id);
        assertActor(line.path("drift").path("changes").get(0).path("actor"), "alice", null, "exact");
    }

    private static void forgedPostsAreRefusedAndChangeNothing(AgentRunner runner, AgentEndpoint agent)
            throws Exception {
        String forged = """
                {"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{"kind":"Event",
                "apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"forged-1","stage":"ResponseComplete",
                "requestURI":"/api/v1/namespaces/%1$s/configmaps/settings?fieldManager=kubectl-edit","verb":"patch",
                "user":{"username":"mallory","groups":["ops"]},"sourceIPs":["10.9.9.9"],"userAgent":"kubectl/v1",
                "objectRef":{"resource":"configmaps","namespace":"%1$s","name":"settings","apiVersion":"v1"},
                "responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"%2$s",
                "stageTimestamp":"%2$s"}]}
                """.formatted(HOOK_NS, Instant.now());
        double held = agent.metric("driftwatch_audit_index_writes", Map.of()).orElseThrow();
        byte[] body = forged.getBytes(StandardCharsets.UTF_8);
        assertThat(agent.post("/api/v1/audit", null, body)).isEqualTo(401);
        assertThat(agent.post("/api/v1/audit", "Bearer not-" + TOKEN, body)).isEqualTo(401);
        assertThat(agent.metric("driftwatch_audit_posts_total", Map.of("result", "unauthenticated")))
                .hasValue(2.0);
        assertThat(agent.metric("driftwatch_audit_index_writes", Map.of()).orElseThrow())
                .isLessThanOrEqualTo(held);
        runner.agent.state().reconciler().fullResync();
        Thread.sleep(2000); // a resync re-diffs every object; it must still name alice
        assertActor(onlyChange(agent.drifts(), "ConfigMap", "settings").path("actor"), "alice", null, "exact");
        assertThat(agent.drifts().toString()).doesNotContain("mallory");
    }

    /** The shipped policy logs Secrets at Metadata level: the value is in no event the agent got, nor the log file. */
    private static void noSecretValueInAnyAuditEvent(AgentEndpoint agent) throws Exception {
        String value = "canary-" + UUID.randomUUID();
        admin.run("-n", HOOK_NS, "create", "secret", "generic", "canary", "--from-literal=password=" + value);
        alice.run(
                "-n",
                HOOK_NS,
                "patch",
                "secret/canary",
                "--type=merge",
                "-p",
                "{\"stringData\":{\"password\":\"" + value + "-2\"}}");
        Eventually.await(
                "the Secret's writes posted by the API server and logged",
                WAIT,
                () -> relay.received().stream().anyMatch(p -> canaryPatch(p.text())) && canaryPatch(logText()),
                () -> "posts: " + relay.received().size());
        String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        for (AuditRelay.Post post : relay.received()) {
            assertThat(post.text()).doesNotContain(value).doesNotContain(encoded);
        }
        assertThat(logText()).doesNotContain(value).doesNotContain(encoded);
        assertThat(agent.drifts().toString()).doesNotContain(value);
        assertThat(agent.metrics()).doesNotContain(value);
    }

    @Test
    void theLogBackendsFileIsFollowedAndDiffAuditLogNamesTheSamePeople() throws Exception {
        Path desired = namespaceWithApp(LOG_NS, configMap("app-config", "level: info\n  retries: \"3\""));
        String config = agentConfig(LOG_NS, desired) + "audit:\n  logFile: " + auditLog + "\n";
        try (AgentRunner runner = AgentRunner.start(config, cluster.adminConfig())) {
            AgentEndpoint agent = runner.endpoint;
            Eventually.await("agent ready", WAIT, agent::ready, agent::readiness);
            assertThat(agent.drifts()).isEmpty();

            edit(bob, LOG_NS, "configmap/app-config", "s/level: info/level: debug/");
            alice.run(
                    "-n",
                    LOG_NS,
                    "patch",
                    "configmap/app-config",
                    "--type=json",
                    "-p",
                    "[{\"op\":\"remove\",\"path\":\"/data/retries\"}]");

            awaitAsserted(
                    "both changes attributed from the log file",
                    agent,
                    drifts -> assertLogAttribution(
                            drift(drifts, "ConfigMap", "app-config").orElseThrow()));
            assertThat(agent.metric("driftwatch_audit_log_lines_total", Map.of("result", "kept"))
                            .orElseThrow())
                    .isGreaterThanOrEqualTo(2.0);
            assertThat(agent.metric("driftwatch_audit_log_lines_total", Map.of("result", "malformed")))
                    .hasValue(0.0);
        }

        String[] json = diffWithAuditLog(desired, "json");
        assertThat(json[0]).as(json[2]).isEqualTo("1");
        assertLogAttribution(JSON.readTree(json[1]).path("drifts").get(0));

        String[] text = diffWithAuditLog(desired, "text");
        assertThat(text[0]).as(text[2]).isEqualTo("1");
        assertThat(text[1]).contains("bob").contains("alice").contains("exact").contains("probable");
    }

    /** {@code driftwatch diff --audit-log} on the log backend's file: exit code, standard output, standard error. */
    private static String[] diffWithAuditLog(Path desired, String format) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DriftwatchCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(
                "diff",
                "--dir",
                desired.toString(),
                "-n",
                LOG_NS,
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "--audit-log",
                auditLog.toString(),
                "--no-color",
                "-o",
                format);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static void assertLogAttribution(JsonNode drift) {
        JsonNode level = change(drift, "data.level");
        assertThat(level.path("manager").asText()).isEqualTo("kubectl-edit");
        // alice's later patch produced the live version: bob's edit is the newest kubectl-edit write, not exact
        assertActor(level.path("actor"), "bob", null, "probable");
        JsonNode removed = change(drift, "data.retries");
        assertThat(removed.path("op").asText()).isEqualTo("removed");
        assertActor(removed.path("actor"), "alice", null, "exact");
    }

    private static JsonNode change(JsonNode drift, String field) {
        for (JsonNode c : drift.path("changes")) {
            if (c.path("field").asText().equals(field)) {
                return c;
            }
        }
        throw new AssertionError("no change of " + field + " in " + drift);
    }

    private static void assertActor(JsonNode actor, String username, String impersonatedBy, String match) {
        assertThat(actor.path("username").asText()).as(actor.toString()).isEqualTo(username);
        if (impersonatedBy == null) {
            assertThat(actor.path("impersonatedBy").isNull())
                    .as(actor.toString())
                    .isTrue();
        } else {
            assertThat(actor.path("impersonatedBy").asText()).isEqualTo(impersonatedBy);
        }
        assertThat(actor.path("match").asText()).as(actor.toString()).isEqualTo(match);
        assertThat(actor.path("userAgent").asText()).startsWith("kubectl/");
        assertThat(actor.path("sourceIP").asText()).isEqualTo("127.0.0.1");
        assertThat(actor.path("auditID").asText()).isNotBlank();
    }

    private static Optional<JsonNode> drift(List<JsonNode> drifts, String kind, String name) {
        return drifts.stream()
                .filter(d -> d.path("kind").asText().equals(kind)
                        && d.path("name").asText().equals(name))
                .findFirst();
    }

    private static JsonNode onlyChange(List<JsonNode> drifts, String kind, String name) {
        JsonNode d = drift(drifts, kind, name).orElseThrow(() -> new AssertionError(kind + " " + name + ": " + drifts));
        assertThat(d.path("changes")).as(d.toString()).hasSize(1);
        return d.path("changes").get(0);
    }

    private static Optional<JsonNode> updatedLine(ListAppender<ILoggingEvent> log, String name) {
        List<ILoggingEvent> events = new ArrayList<>(log.list);
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).getLoggerContext());
        encoder.start();
        for (ILoggingEvent e : events) {
            if (!e.getFormattedMessage().startsWith("drift updated")) {
                continue;
            }
            try {
                JsonNode line = JSON.readTree(new String(encoder.encode(e), StandardCharsets.UTF_8));
                if (line.path("drift").path("name").asText().equals(name)) {
                    return Optional.of(line);
                }
            } catch (IOException ex) {
                throw new AssertionError(ex);
            }
        }
        return Optional.empty();
    }

    private static ListAppender<ILoggingEvent> captureDriftLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger("io.driftwatch.drift")).addAppender(appender);
        return appender;
    }

    /** Whether audit events (JSON) hold the patch of the canary Secret. */
    private static boolean canaryPatch(String events) {
        return events.contains("\"verb\":\"patch\"")
                && events.contains("\"resource\":\"secrets\",\"namespace\":\"" + HOOK_NS + "\",\"name\":\"canary\"");
    }

    private static String logText() {
        try {
            return Files.readString(auditLog);
        } catch (IOException e) {
            return "";
        }
    }

    /** kubectl edit with an editor that runs one sed expression on the object. */
    private static void edit(Kubectl as, String ns, String object, String sed) throws IOException {
        Path editor = tmp.resolve("editor-" + UUID.randomUUID() + ".sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i '" + sed + "' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        Kubectl.Result r = as.tryRun(Map.of("KUBE_EDITOR", editor.toString()), "-n", ns, "edit", object);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static Path namespaceWithApp(String ns, String manifests) throws IOException {
        admin.run("create", "namespace", ns);
        bindEdit(ns, "--group=ops", "--user=carol");
        Path dir = Files.createDirectories(tmp.resolve("desired-" + ns));
        Files.writeString(dir.resolve("app.yaml"), manifests);
        admin.run("-n", ns, "apply", "-f", dir.toString());
        return dir;
    }

    private static void bindEdit(String ns, String... subjects) {
        List<String> args = new ArrayList<>(
                List.of("-n", ns, "create", "rolebinding", "edit-" + UUID.randomUUID(), "--clusterrole=edit"));
        args.addAll(List.of(subjects));
        admin.run(args.toArray(String[]::new));
    }

    private static String agentConfig(String ns, Path dir) {
        return AgentIT.config(new TestNamespace(ns), dir);
    }

    private static String deployment(String name) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers:
                      - {name: %1$s, image: "nginx:1.27"}
                ---
                """.formatted(name);
    }

    private static String service(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s}
                spec:
                  selector: {app: %1$s}
                  ports:
                  - {name: http, port: 80, targetPort: 8080}
                  - {name: metrics, port: 9090, targetPort: 9090}
                ---
                """.formatted(name);
    }

    private static String configMap(String name, String data) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s}
                data:
                  %s
                ---
                """.formatted(name, data);
    }
}
