package io.driftwatch.cli;

import java.util.List;
import java.util.Set;

/**
 * Initialises, on a second thread, the classes a cluster diff needs whatever its options say, while the main thread
 * builds the command's model and parses the command line (picocli's reflection: the longest stretch of a one-shot run
 * before it can read the kubeconfig). Their static set-up (Jackson's YAML mapper, fabric8's configuration, the JDK's
 * default TLS context with its CA certificates, Vert.x) then costs the same CPU but no longer waits for the main thread
 * on a machine with a core to spare. A class's initialisation runs once: a thread that needs a class being initialised
 * waits for it, so nothing is done twice. Only a hint: what fails here fails again, reported, where it is used.
 */
final class OneShotWarmUp {

    /** Classes whose static initialisation a cluster diff pays for before its first request, in the order it does. */
    static final List<String> CLASSES = List.of(
            "io.driftwatch.cli.ClusterConnection",
            "io.fabric8.kubernetes.client.Config",
            "io.netty.handler.ssl.JdkSslContext", // the JDK's default TLS context: cacerts read and parsed
            "io.vertx.core.impl.VertxImpl");

    /** Options after which {@code diff} reads no cluster, or runs nothing. */
    private static final Set<String> NO_CLUSTER = Set.of("--desired", "--live", "-h", "--help", "-V", "--version");

    private OneShotWarmUp() {}

    /** Starts the warm-up for {@code driftwatch diff ARGS} when they diff against a cluster. */
    static void startFor(String... args) {
        if (!readsCluster(args)) {
            return;
        }
        Thread t = new Thread(OneShotWarmUp::run, "driftwatch-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Whether {@code diff ARGS} would read a cluster: not an offline diff, not help or version. */
    static boolean readsCluster(String... args) {
        for (String arg : args) {
            if (NO_CLUSTER.contains(arg) || arg.startsWith("--desired=") || arg.startsWith("--live=")) {
                return false;
            }
        }
        return true;
    }

    private static void run() {
        ClassLoader loader = OneShotWarmUp.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                return; // the run itself meets the same problem where it can report it
            }
        }
    }
}
