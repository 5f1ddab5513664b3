package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.BuiltinResourceScope;
import io.driftwatch.diff.DesiredObject;
import io.driftwatch.diff.DiffEngine;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.DriftReport;
import io.driftwatch.diff.ListSchema;
import io.driftwatch.diff.ManifestException;
import io.driftwatch.diff.ManifestReader;
import io.driftwatch.diff.ReportJson;
import io.driftwatch.diff.ReportText;
import io.driftwatch.diff.ReportYaml;
import io.driftwatch.diff.ResourceScope;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.live.ClusterOpenApi;
import io.driftwatch.live.LiveReader;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code driftwatch diff}: one-shot drift report for people and CI. Compares the manifests of a directory with the
 * live cluster, or two files offline. Exit 0 no drift, 1 drift, 2 error, as {@code kubectl diff}.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare desired manifests with live objects and report drift: which objects, which fields, "
                + "who changed them and when.",
            "Exit codes: 0 no drift, 1 drift, 2 error."})
final class DiffCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "Directory of manifests (YAML/JSON, multi-document, kind: List; recursive) to compare "
                        + "with the live cluster.")
        Path dir;

        @ArgGroup(exclusive = false)
        Offline offline;
    }

    static final class Offline {
        @Option(names = "--desired", paramLabel = "FILE", required = true,
                description = "Desired manifests, compared offline with --live.")
        Path desired;

        @Option(names = "--live", paramLabel = "FILE", required = true,
                description = "Live objects as the API server returns them (kubectl get -o yaml, managedFields "
                        + "included, or --show-managed-fields).")
        Path live;
    }

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Namespace for desired objects that set none (default: the kubeconfig context's, else default).")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context to use.")
    String context;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--show-diff", description = "Include the unified YAML diff in json/yaml output (text always has it).")
    boolean showDiff;

    @Option(names = "--no-color", description = "Never colour text output (also: NO_COLOR set).")
    boolean noColor;

    @Mixin
    DiffSettings settings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private String server;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            DriftReport report = input.dir != null ? diffAgainstCluster(input.dir) : diffOffline(input.offline);
            out.print(render(report));
            out.flush();
            return report.hasDrift() ? ExitCodes.DRIFT : ExitCodes.OK;
        } catch (ManifestException | ApiDiscovery.UnknownKindException | DiffSettings.SettingsException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.ERROR;
        } catch (KubernetesClientException e) {
            err.println("error: " + describe(e));
            return ExitCodes.ERROR;
        }
    }

    private DriftReport diffOffline(Offline files) throws ManifestException {
        List<ObjectNode> desired = ManifestReader.read(files.desired);
        List<JsonNode> live = List.copyOf(ManifestReader.read(files.live));
        String ns = namespace != null ? namespace : "default";
        return run(desired, live, ns, BuiltinResourceScope.INSTANCE, new BuiltinListSchema());
    }

    private DriftReport diffAgainstCluster(Path dir) throws ManifestException {
        if (!Files.isDirectory(dir)) {
            throw new ManifestException(dir, 0, "not a directory");
        }
        List<ObjectNode> desired = ManifestReader.read(dir);
        Config config = clientConfig();
        config.setRequestRetryBackoffLimit(2);   // a one-shot command fails fast instead of backing off for ~20 s
        server = config.getMasterUrl();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            String ns = namespace != null ? namespace
                    : client.getConfiguration().getNamespace() != null ? client.getConfiguration().getNamespace() : "default";
            ApiDiscovery discovery = ApiDiscovery.discover(client);
            LiveReader reader = new LiveReader(client, discovery);
            List<JsonNode> live = reader.list(reader.scopesFor(desired, ns));
            ListSchema schema = ClusterOpenApi.load(client,
                    desired.stream().map(m -> m.path("apiVersion").asText()).toList());
            return run(desired, live, ns, discovery, schema);
        }
    }

    private DriftReport run(List<ObjectNode> desired, List<JsonNode> live, String ns, ResourceScope scope,
            ListSchema schema) {
        DiffOptions options = settings.toOptions().withTargetNamespace(ns)
                .withIncludeYamlDiff(showDiff || output == OutputFormat.text);
        String app = settings.app(input.dir != null ? input.dir : input.offline.desired);
        List<DesiredObject> objects = desired.stream().map(m -> new DesiredObject(m, app, null)).toList();
        // one shot: nothing was seen before, so a missing object is reported as not yet applied
        return new DiffEngine(options, scope, schema).diffAll(objects, live, key -> false);
    }

    private String render(DriftReport report) throws Exception {
        return switch (output) {
            case text -> ReportText.render(report, colour());
            case json -> Json.pretty(ReportJson.toJson(report)) + "\n";
            case yaml -> ReportYaml.render(report);
        };
    }

    private boolean colour() {
        return !noColor && System.getenv("NO_COLOR") == null && System.console() != null;
    }

    private Config clientConfig() {
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) {
                throw new DiffSettings.SettingsException("--kubeconfig " + kubeconfig + " is not a readable file");
            }
            return Config.fromKubeconfig(context, kubeconfig.toFile());
        }
        return Config.autoConfigure(context);
    }

    private String describe(KubernetesClientException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (e.getCode() > 0) {
            return "the cluster at " + server + " answered " + e.getCode() + ": " + e.getMessage();
        }
        return "cannot reach the cluster at " + server + ": " + root.getClass().getSimpleName() + ": "
                + root.getMessage();
    }

    enum OutputFormat { text, json, yaml }
}
