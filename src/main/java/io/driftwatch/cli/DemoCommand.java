package io.driftwatch.cli;

import ch.qos.logback.classic.Level;
import io.driftwatch.demo.Demo;
import io.driftwatch.demo.DemoCluster;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftwatch demo}: the whole loop on this machine, with an example app, until Ctrl-C. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the whole loop on this machine: an API server, an example Git repository, the hub "
                    + "(SQLite) and the agent in one process. Applies the example, changes it out of band as "
                    + "`kubectl edit` would, prints the drift, then serves the agent's /metrics and the hub API until "
                    + "Ctrl-C.",
            "The API server is a real etcd + kube-apiserver when scripts/test-binaries.sh has built them, else "
                    + "fabric8's in-memory API server (which cannot show field-manager attribution)."
        })
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Option(
            names = "--backend",
            paramLabel = "auto|real|mock",
            defaultValue = "auto",
            converter = BackendConverter.class,
            description = "API server: real (etcd + kube-apiserver), mock (in-memory), auto (real when built; "
                    + "default: ${DEFAULT-VALUE}).")
    DemoCluster.Backend backend;

    @Option(
            names = "--agent-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Port of the agent's /metrics and API on 127.0.0.1 (default: a free port).")
    int agentPort;

    @Option(
            names = "--hub-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Port of the hub's API and /metrics on 127.0.0.1 (default: a free port).")
    int hubPort;

    @Option(
            names = {"-v", "--verbose"},
            description = "Show the agent's and hub's INFO logs (default: warnings only; also --log-level).")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The demo's settings from the options; a usage error names the bad option. */
    Demo.Settings settings() {
        try {
            return new Demo.Settings(backend, agentPort, hubPort);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** The settings, with fixed ports checked free before anything starts. */
    private Demo.Settings settingsWithFreePorts() {
        Demo.Settings settings = settings();
        try {
            settings.requireFreePorts();
            return settings;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        Demo.Settings settings = settingsWithFreePorts();
        if (!verbose) {
            quietMicrometer();
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Demo demo;
        try {
            demo = Demo.start(settings, out);
        } catch (Exception e) {
            LOG.debug("demo failed", e); // the stack trace with --log-level debug
            spec.commandLine().getErr().println("error: demo failed: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println("stopping: agent, hub, API server; deleting " + demo.workDir());
                            demo.close();
                            stopped.countDown();
                        },
                        "driftwatch-demo-shutdown"));
        out.println("Running until Ctrl-C.");
        stopped.await();
        return ExitCodes.OK;
    }

    /** Micrometer's duplicate-gauge notice is not for users (the level otherwise is --log-level's, warn by default). */
    private static void quietMicrometer() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.getLoggerContext().getLogger("io.micrometer").setLevel(Level.ERROR);
        }
    }

    /** {@code auto|real|mock}, case-insensitive, with an error that lists them. */
    static final class BackendConverter implements CommandLine.ITypeConverter<DemoCluster.Backend> {
        @Override
        public DemoCluster.Backend convert(String value) {
            try {
                return DemoCluster.Backend.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not one of auto, real, mock");
            }
        }
    }
}
