package io.driftwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.emit.AgentMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path tmp;

    private Path write(String yaml) throws IOException {
        Path file = tmp.resolve("agent.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The loader as the agent calls it, with the label names the agent's metrics drop. */
    private static AgentConfig load(Path file, Map<String, String> env) {
        return ConfigLoader.load(file, env, AgentMetrics.VERTX_DROPPED_LABELS);
    }

    private static final String MINIMAL = """
            cluster: prod-eu-1
            leaderElection: {leaseNamespace: driftwatch}
            sources:
              directories:
              - {name: shop, path: /manifests/shop}
            """;

    @Test
    void minimalFileGetsDefaultsForEverythingElse() throws IOException {
        AgentConfig c = load(write(MINIMAL), Map.of());

        assertThat(c.cluster()).isEqualTo("prod-eu-1");
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.scope().kinds().exclude())
                .contains("Event", "Endpoints", "discovery.k8s.io/EndpointSlice", "coordination.k8s.io/Lease");
        assertThat(c.leaderElection().enabled()).isTrue();
        assertThat(c.leaderElection().leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.metrics().maxDriftSeries()).isEqualTo(1000);
        assertThat(c.metrics().actorLabels()).isFalse();
        assertThat(c.diff().ignoreHpaReplicas()).isTrue();
        assertThat(c.sources().directories().get(0).pollInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void environmentOverridesSingleSettings() throws IOException {
        AgentConfig c = load(
                write(MINIMAL),
                Map.of(
                        "DRIFTWATCH_CLUSTER",
                        "edge-7",
                        "DRIFTWATCH_HTTP_PORT",
                        "9090",
                        "DRIFTWATCH_RESYNC_INTERVAL_SECONDS",
                        "120",
                        "DRIFTWATCH_CLUSTER_LABELS",
                        "env=prod,region=eu",
                        "DRIFTWATCH_LEADER_ELECTION_ENABLED",
                        "false"));

        assertThat(c.cluster()).isEqualTo("edge-7");
        assertThat(c.http().port()).isEqualTo(9090);
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.clusterLabels()).containsEntry("env", "prod").containsEntry("region", "eu");
        assertThat(c.leaderElection().enabled()).isFalse();
    }

    @Test
    void leaseNamespaceComesFromPodNamespaceWhenNotSet() throws IOException {
        AgentConfig c = load(write("""
                cluster: a
                sources: {directories: [{name: shop, path: /m}]}
                """), Map.of("POD_NAMESPACE", "driftwatch-system"));

        assertThat(c.leaderElection().leaseNamespace()).isEqualTo("driftwatch-system");
    }

    @Test
    void unknownSettingIsNamedWithItsPath() throws IOException {
        assertThatThrownBy(() -> load(write(MINIMAL + "scope:\n  namespace: {include: [a]}\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("scope.namespace: unknown setting (known: kinds, namespaces)");
    }

    @Test
    void wrongAuditSettingsAreNamedAllAtOnce() throws IOException {
        assertThatThrownBy(() -> load(
                        write(MINIMAL
                                + "audit:\n  tokenFile: /nonexistent/audit-token\n  window: 0s\n  maxWrites: 0\n"
                                + "  maxBodyBytes: 10\n"),
                        Map.of()))
                .hasMessageContaining("audit.tokenFile: /nonexistent/audit-token does not exist or is not readable")
                .hasMessageContaining("audit.window: must be at least 1s")
                .hasMessageContaining("audit.maxWrites: must be 1 or more")
                .hasMessageContaining("audit.maxBodyBytes: must be at least 1024");
    }

    @Test
    void aTlsListenerNeedsBothReadablePemFiles() throws IOException {
        assertThatThrownBy(() -> load(write(MINIMAL + "http:\n  tlsCertFile: /nonexistent/tls.crt\n"), Map.of()))
                .hasMessageContaining("http.tlsCertFile, http.tlsKeyFile: set both (PEM) or neither")
                .hasMessageContaining("http: /nonexistent/tls.crt does not exist or is not readable");
    }

    @Test
    void anAuditLogFileMayNotExistYetButItsDirectoryMustAndADirectoryIsNoLogFile() throws IOException {
        Path dir = Files.createTempDirectory("audit-log");
        AgentConfig config = load(write(MINIMAL + "audit:\n  logFile: " + dir.resolve("audit.log") + "\n"), Map.of());
        assertThat(config.audit().logFile()).isEqualTo(dir.resolve("audit.log"));
        assertThat(config.audit().enabled()).isTrue();

        assertThatThrownBy(() -> load(
                        write(MINIMAL + "audit:\n  logFile: /nonexistent-dir/audit.log\n  tokenFile: " + dir + "\n"),
                        Map.of()))
                .hasMessageContaining("audit.logFile: /nonexistent-dir/audit.log does not exist and neither does its "
                        + "directory /nonexistent-dir")
                .hasMessageContaining("audit.tokenFile: " + dir + " is a directory, not a file");
        assertThatThrownBy(() -> load(write(MINIMAL + "audit:\n  logFile: " + dir + "\n"), Map.of()))
                .hasMessageContaining("audit.logFile: " + dir + " is a directory, not a file");
    }

    @Test
    void badDurationIsNamedWithItsPath() throws IOException {
        assertThatThrownBy(() -> load(write(MINIMAL + "resyncInterval: ten minutes\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("resyncInterval")
                .hasMessageContaining("not a duration");
    }

    @Test
    void clusterLabelsTheMetricsWouldDropAreErrors() throws IOException {
        assertThatThrownBy(() -> load(write("""
                cluster: c
                clusterLabels: {env: prod, path: /eu, cluster: other, team-name: a}
                """), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clusterLabels.path: the agent's metrics cannot carry a label named path")
                .hasMessageContaining("remote")
                .hasMessageContaining("clusterLabels.cluster:")
                .hasMessageNotContaining("clusterLabels.env")
                .hasMessageNotContaining("clusterLabels.team-name");
    }

    @Test
    void everyProblemIsListedAtOnce() throws IOException {
        assertThatThrownBy(() -> load(write("""
                http: {port: 70000}
                resyncInterval: 1s
                leaderElection: {leaseNamespace: x, renewDeadline: 20s}
                sources:
                  directories:
                  - {name: shop, path: /a}
                  - {name: shop}
                """), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster: required")
                .hasMessageContaining("http.port: 70000")
                .hasMessageContaining("resyncInterval: 1s is below the minimum")
                .hasMessageContaining("leaderElection.renewDeadline: must be shorter than leaseDuration")
                .hasMessageContaining("sources.directories[1].name: 'shop' is used by another app")
                .hasMessageContaining("sources.directories[1].path: required");
    }

    @Test
    void anArgoCdSourceIsEnoughAndGetsDefaults() throws IOException {
        Path token = Files.writeString(tmp.resolve("argocd-token"), "t\n");
        AgentConfig c = load(write("""
                cluster: a
                leaderElection: {enabled: false}
                sources:
                  argocd: {server: "https://argocd.example.com", tokenFile: %s, projects: [shop], selector: team=shop}
                """.formatted(token)), Map.of());

        AgentConfig.ArgoCd argocd = c.sources().argocd();
        assertThat(argocd.enabled()).isTrue();
        assertThat(argocd.projects()).containsExactly("shop");
        assertThat(argocd.pollInterval()).isEqualTo(Duration.ofMinutes(3));
        assertThat(argocd.relistInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(argocd.connection().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aWrongArgoCdSourceIsNamedSettingBySetting() throws IOException {
        assertThatThrownBy(() -> load(write("""
                cluster: a
                leaderElection: {enabled: false}
                sources:
                  argocd: {server: "argocd.example.com", caFile: /nonexistent/ca.pem, insecure: true, pollInterval: 1s,
                           projects: [""]}
                """), Map.of()))
                .hasMessageContaining("sources.argocd.server: argocd.example.com is not an http(s) URL")
                .hasMessageContaining("sources.argocd.tokenFile: required")
                .hasMessageContaining("sources.argocd.caFile: /nonexistent/ca.pem is not readable")
                .hasMessageContaining("sources.argocd.insecure: cannot be combined with sources.argocd.caFile")
                .hasMessageContaining("sources.argocd.pollInterval: must be at least 10s")
                .hasMessageContaining("sources.argocd.projects: entries must be project names");
    }

    @Test
    void aFluxSourceIsEnoughAndGetsDefaults() throws IOException {
        AgentConfig c = load(write("""
                cluster: a
                leaderElection: {enabled: false}
                sources:
                  flux: {namespaces: [flux-system], selector: "team in (shop,web)"}
                """), Map.of());

        AgentConfig.Flux flux = c.sources().flux();
        assertThat(flux.namespaces()).containsExactly("flux-system");
        assertThat(flux.selector()).isEqualTo("team in (shop,web)");
        assertThat(flux.pollInterval()).isEqualTo(Duration.ofMinutes(3));
        assertThat(flux.helmReleases()).as("HelmReleases only when asked for").isNull();
        AgentConfig.FluxHelm helm = load(
                        write("cluster: a\nleaderElection: {enabled: false}\nsources: {flux: {helmReleases: {}}}\n"),
                        Map.of())
                .sources()
                .flux()
                .helmReleases();
        assertThat(helm.desired()).isEqualTo("chart");
        assertThat(helm.valuesSecrets()).isFalse();
        assertThat(load(write("cluster: a\nleaderElection: {enabled: false}\nsources: {flux: {}}\n"), Map.of())
                        .sources()
                        .flux()
                        .namespaces())
                .as("no namespaces: every namespace")
                .isEmpty();
    }

    @Test
    void aWrongFluxSourceIsNamedSettingBySetting() throws IOException {
        Path token = Files.writeString(tmp.resolve("argocd-token"), "t\n");
        assertThatThrownBy(() -> load(write("""
                cluster: a
                leaderElection: {enabled: false}
                diff: {tracking: {label: app}}
                sources:
                  argocd: {server: "https://argocd.example.com", tokenFile: %s}
                  flux: {namespaces: [Flux_System, ""], selector: "team in (shop", pollInterval: 2s}
                """.formatted(token)), Map.of()))
                .hasMessageContaining("sources.flux.namespaces[0]: 'Flux_System' is not a namespace name")
                .hasMessageContaining("sources.flux.namespaces[1]: '' is not a namespace name")
                .hasMessageContaining("sources.flux.selector: unbalanced parentheses")
                .hasMessageContaining("sources.flux.pollInterval: must be at least 10s")
                .hasMessageContaining("sources.flux: cannot be combined with sources.argocd")
                .hasMessageContaining("diff.tracking: not used with sources.flux");
        assertThatThrownBy(() -> load(write("""
                cluster: a
                leaderElection: {enabled: false}
                sources:
                  flux: {helmReleases: {desired: installed}}
                """), Map.of()))
                .hasMessageContaining("sources.flux.helmReleases.desired: 'installed' is not chart or release-storage");
        assertThatThrownBy(() -> load(write("""
                cluster: a
                leaderElection: {enabled: false}
                sources:
                  flux: {helmReleases: {desired: release-storage, valuesSecrets: true}}
                """), Map.of()))
                .hasMessageContaining("sources.flux.helmReleases.valuesSecrets: only read with desired: chart");
    }

    @Test
    void noApplicationIsAnError() throws IOException {
        assertThatThrownBy(() -> load(write("cluster: a\nleaderElection: {enabled: false}\n"), Map.of()))
                .hasMessageContaining("sources: no application configured");
    }

    @Test
    void leaderElectionWithoutNamespaceAnywhereIsAnError() throws IOException {
        assertThatThrownBy(() -> load(write("cluster: a\nsources: {directories: [{name: s, path: /m}]}\n"), Map.of()))
                .hasMessageContaining("leaderElection.leaseNamespace: required");
    }

    @Test
    void badEnvironmentValueIsNamed() throws IOException {
        assertThatThrownBy(() -> load(write(MINIMAL), Map.of("DRIFTWATCH_HTTP_PORT", "eighty")))
                .hasMessageContaining("DRIFTWATCH_HTTP_PORT=eighty");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> load(tmp.resolve("nope.yaml"), Map.of())).hasMessageContaining("nope.yaml");
    }

    @Test
    void ignoreRulesInArgoCdShapeAreRead() throws IOException {
        AgentConfig c = load(write(MINIMAL + """
                diff:
                  ignoreDifferences:
                  - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}
                  - {kind: MutatingWebhookConfiguration, managedFieldsManagers: [cainjector]}
                """), Map.of());

        assertThat(c.diff().ignoreDifferences()).hasSize(2);
        assertThat(c.diff().ignoreDifferences().get(0).jsonPointers()).containsExactly("/spec/replicas");
    }

    @Test
    void effectiveConfigurationDescribesDurationsReadably() throws IOException {
        String text = ConfigLoader.describe(load(write(MINIMAL), Map.of()));

        assertThat(text).contains("cluster: \"prod-eu-1\"").contains("resyncInterval: \"10m\"");
    }

    @Test
    void hubIsOffUntilAUrlIsSetAndThenHasBoundedDefaults() throws IOException {
        assertThat(load(write(MINIMAL), Map.of()).hub().enabled()).isFalse();
        Path token = write("t0ken\n");
        AgentConfig c =
                load(write(MINIMAL + "hub: {url: 'https://hub.example:8443', tokenFile: " + token + "}\n"), Map.of());
        assertThat(c.hub().enabled()).isTrue();
        assertThat(c.hub().outboxPath()).as("in memory unless a path is set").isNull();
        assertThat(c.hub().outboxMaxEvents()).isEqualTo(10_000);
        assertThat(c.hub().outboxMaxBytes()).isEqualTo(64L << 20);
        assertThat(c.hub().snapshotInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.hub().heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.hub().snapshotFullDiffBytes()).isEqualTo(2L << 20);
        assertThat(c.diff().fullContextLines()).isEqualTo(2_000);
    }

    @Test
    void fullContextDiffSettingsAreReadAndBadValuesNamedTogether() throws IOException {
        Path token = write("t0ken\n");
        AgentConfig c = load(
                write(MINIMAL + "diff: {fullContextLines: 0}\nhub: {url: 'https://hub:8443', tokenFile: " + token
                        + ", snapshotFullDiffBytes: 0}\n"),
                Map.of());
        assertThat(c.diff().fullContextLines()).isZero();
        assertThat(c.hub().snapshotFullDiffBytes()).isZero();

        assertThatThrownBy(() -> load(
                        write(MINIMAL + "diff: {fullContextLines: -1}\nhub: {url: 'https://hub:8443', tokenFile: "
                                + token + ", snapshotFullDiffBytes: -5, batchSize: 0}\n"),
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "diff.fullContextLines: must be between 0 (3 lines around each change) and " + "100000, not -1")
                .hasMessageContaining("hub.snapshotFullDiffBytes: must be between 0")
                .hasMessageContaining("not -5")
                .hasMessageContaining("hub.batchSize");
        assertThatThrownBy(() -> load(write(MINIMAL + "diff: {fullContextLines: 100001}\n"), Map.of()))
                .hasMessageContaining("diff.fullContextLines: must be between 0");
        assertThatThrownBy(() -> load(write(MINIMAL + "diff: {fullContextLines: many}\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("diff.fullContextLines");
    }

    @Test
    void hubSettingsAreValidatedByName() throws IOException {
        assertThatThrownBy(() -> load(write(MINIMAL + """
                hub:
                  url: ftp://hub
                  caFile: /nonexistent/ca.pem
                  insecure: true
                  outboxMaxEvents: 0
                  outboxMaxBytes: 10
                  snapshotInterval: 0s
                  metricsInterval: 500ms
                metrics:
                  otlp:
                    url: otel-collector:4318
                    headers: {Authorization: /nonexistent/otlp-token, "bad:name": /etc/hosts}
                    step: 0s
                """), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hub.url: ftp://hub is not an http(s) URL")
                .hasMessageContaining("hub.tokenFile: required")
                .hasMessageContaining("hub.caFile: /nonexistent/ca.pem does not exist or is not readable")
                .hasMessageContaining("hub.insecure: cannot be combined with hub.caFile")
                .hasMessageContaining("hub.outboxMaxEvents")
                .hasMessageContaining("hub.outboxMaxBytes")
                .hasMessageContaining("hub.snapshotInterval")
                .hasMessageContaining("hub.metricsInterval: must be at least 1s (or 0 to push no metrics)")
                .hasMessageContaining("metrics.otlp.url: required, the http(s) URL")
                .hasMessageContaining("metrics.otlp.headers.Authorization: /nonexistent/otlp-token is not readable")
                .hasMessageContaining("metrics.otlp.headers: 'bad:name' is not an HTTP header name")
                .hasMessageContaining("metrics.otlp.step: must be at least 1s");
    }

    @Test
    void managerGroupsAreReadAndTheirProblemsNamed() throws IOException {
        AgentConfig c = load(write(MINIMAL + """
                diff:
                  managers: {controllers: [my-operator, "team-*"], unknown: controller}
                """), Map.of());
        assertThat(c.diff().managers().controllers()).containsExactly("my-operator", "team-*");
        assertThat(c.diff().managers().unknown()).isEqualTo("controller");
        assertThat(load(write(MINIMAL), Map.of()).diff().managers().unknown()).isEqualTo("drift");

        assertThatThrownBy(() -> load(write(MINIMAL + """
                diff:
                  managers: {appliers: [ci-bot], controllers: [ci-bot, ""], unknown: ignore}
                """), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("diff.managers.controllers[0]: 'ci-bot' is also in diff.managers.appliers")
                .hasMessageContaining("diff.managers.controllers[1]: must be a field manager name or glob, not empty")
                .hasMessageContaining("diff.managers.unknown: 'ignore' is not one of drift, controller");
    }

    @Test
    void actorLabelsInMetricsAreABooleanAndNeedAudit() throws IOException {
        Path token = Files.writeString(tmp.resolve("audit-token"), "s3cret");
        AgentConfig on =
                load(write(MINIMAL + "metrics: {actorLabels: true}\naudit: {tokenFile: " + token + "}\n"), Map.of());
        assertThat(on.metrics().actorLabels()).isTrue();

        assertThatThrownBy(() -> load(write(MINIMAL + "metrics: {actorLabels: true, maxDriftSeries: -1}\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.actorLabels: true needs audit (set audit.tokenFile)")
                .hasMessageContaining("metrics.maxDriftSeries: must be 0 or more");
        assertThatThrownBy(() -> load(write(MINIMAL + "metrics: {actorLabels: names}\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.actorLabels: \"names\" is not true or false");
    }

    @Test
    void unknownKeysTypeErrorsAndBadValuesAreListedAtOnceWithTheirPathsAndNoJavaNames() throws IOException {
        Path tokenDir = Files.createDirectories(tmp.resolve("token-dir"));
        String yaml = """
                cluster: c
                colour: blue
                http: {port: eighty}
                clusterLabels: "env=prod"
                resyncInterval: 5x
                leaderElection: {enabled: maybe, leaseNamespace: ns}
                sources:
                  directories:
                  - {name: a, path: /m, pollInterval: 5x, extra: 1}
                  git:
                    apps: {name: x}
                metrics: {maxDriftSeries: -1}
                hub: {url: "http://hub:8443", tokenFile: %s}
                """.formatted(tokenDir);

        assertThatThrownBy(() -> load(write(yaml), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "colour: unknown setting (known: audit, cluster, clusterLabels, diff, events, http, hub,")
                .hasMessageContaining("http.port: \"eighty\" is not a whole number")
                .hasMessageContaining("clusterLabels: expected a mapping, got \"env=prod\"")
                .hasMessageContaining("resyncInterval: \"5x\" is not a duration (e.g. 30s, 10m, 1h30m)")
                .hasMessageContaining("leaderElection.enabled: \"maybe\" is not true or false")
                .hasMessageContaining("sources.directories[0].pollInterval: \"5x\" is not a duration")
                .hasMessageContaining("sources.directories[0].extra: unknown setting")
                .hasMessageContaining("sources.git.apps: expected a list, got a mapping")
                .hasMessageContaining("metrics.maxDriftSeries: must be 0 or more")
                .hasMessageContaining("hub.tokenFile: " + tokenDir + " is a directory, not a file")
                .hasMessageNotContaining("java.")
                .hasMessageNotContaining("`")
                .hasMessageNotContaining("Cannot construct")
                .hasMessageNotContaining("LinkedHashMap")
                .satisfies(e -> assertThat(e.getMessage().lines().filter(l -> l.startsWith("  - ")))
                        .as("one line per problem, and a removed bad setting is not reported again as missing")
                        .hasSize(10));
    }

    @Test
    void hubTokenFileMustBeAReadableFile() throws IOException {
        String hub = "hub: {url: \"http://hub:8443\", tokenFile: " + tmp.resolve("absent") + "}\n";

        assertThatThrownBy(() -> load(write(MINIMAL + hub), Map.of()))
                .hasMessageContaining("hub.tokenFile: " + tmp.resolve("absent") + " does not exist or is not readable");
    }

    @Test
    void brokenYamlNamesLineAndColumn() throws IOException {
        assertThatThrownBy(() -> load(write("cluster: c\nsources: [\n  a: b\n"), Map.of()))
                .hasMessageStartingWith(tmp.resolve("agent.yaml") + ": cannot parse YAML: line ")
                .hasMessageNotContaining("Source:");
    }

    @Test
    void manifestLimitsDefaultToDiffsAndAreValidatedTogether() throws IOException {
        AgentConfig defaults = load(write(MINIMAL), Map.of());
        assertThat(defaults.sources().limits().toLimits().maxDocumentBytes())
                .isEqualTo(io.driftwatch.diff.ManifestLimits.DEFAULT.maxDocumentBytes());
        assertThat(defaults.sources().limits().maxTotalBytes()).isEqualTo(256L << 20);
        assertThat(defaults.sources().limits().maxDocuments()).isEqualTo(50_000);

        AgentConfig set = load(
                write(
                        MINIMAL.replace(
                                "sources:\n",
                                "sources:\n  limits: {maxDocumentBytes: 1048576, maxTotalBytes: 8388608, maxDocuments: 500}\n")),
                Map.of());
        assertThat(set.sources().limits().toLimits()).satisfies(l -> {
            assertThat(l.maxDocumentBytes()).isEqualTo(1L << 20);
            assertThat(l.maxTotalBytes()).isEqualTo(8L << 20);
            assertThat(l.maxDocuments()).isEqualTo(500);
            assertThat(l.names().document()).isEqualTo("sources.limits.maxDocumentBytes");
        });

        assertThatThrownBy(() -> load(
                        write(
                                MINIMAL.replace(
                                        "sources:\n",
                                        "sources:\n  limits: {maxDocumentBytes: 4096, maxTotalBytes: 2048, maxDocuments: 0, maxScalar: 1}\n")),
                        Map.of()))
                .hasMessageContaining("sources.limits.maxScalar: unknown setting (known: maxDocumentBytes, "
                        + "maxDocuments, maxTotalBytes)")
                .hasMessageContaining("sources.limits.maxTotalBytes: 2048 is below maxDocumentBytes (4096)")
                .hasMessageContaining("sources.limits.maxDocuments: must be at least 1");
        assertThatThrownBy(() -> load(
                        write(MINIMAL.replace("sources:\n", "sources:\n  limits: {maxDocumentBytes: big}\n")),
                        Map.of()))
                .hasMessageContaining("sources.limits.maxDocumentBytes: \"big\" is not a whole number");
    }
}
