package io.driftwatch.cli;

import io.driftwatch.agent.Agent;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.config.ConfigException;
import io.driftwatch.config.ConfigLoader;
import io.driftwatch.emit.AgentMetrics;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftwatch agent}: the daemon that runs in each cluster. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the agent: watch live objects, diff them against desired state continuously, track each "
                    + "drift from onset to resolution, and export metrics, Kubernetes Events and JSON logs.",
            "Settings come from the YAML file and DRIFTWATCH_* environment variables (see README)."
        })
final class AgentCommand implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            required = true,
            description = "Agent configuration (YAML).")
    Path config;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "Kubeconfig (default: $KUBECONFIG or ~/.kube/config, else the pod's service account).")
    Path kubeconfig;

    @Option(
            names = "--context",
            paramLabel = "NAME",
            description = "Kubeconfig context (default: its current-context); an unknown name is an error.")
    String context;

    @Option(
            names = "--check-config",
            description = "Validate the configuration (file and DRIFTWATCH_* variables), print it with every default "
                    + "filled in and secrets omitted, and exit: 0 valid, 2 invalid (every problem listed). Nothing "
                    + "starts and the cluster is not contacted.")
    boolean checkConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig settings;
        try {
            settings = ConfigLoader.load(config, System.getenv(), AgentMetrics.VERTX_DROPPED_LABELS);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        if (checkConfig) {
            return CheckConfig.print(spec.commandLine().getOut(), config, settings);
        }
        Config clientConfig;
        try {
            clientConfig = ClusterConnection.resolve(kubeconfig, context);
        } catch (ClusterConnection.ConnectionException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        Agent agent = new Agent(settings, clientConfig, Clock.systemUTC());
        return ServiceRunner.run(
                "agent",
                agent::start,
                agent::stop,
                settings.shutdownTimeout().plusSeconds(120),
                spec.commandLine().getErr());
    }
}
