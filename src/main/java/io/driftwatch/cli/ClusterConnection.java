package io.driftwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which cluster a command talks to, checked before anything connects: the kubeconfig named by {@code --kubeconfig}
 * (else {@code $KUBECONFIG}, else {@code ~/.kube/config}) must parse and hold the context asked for (or a current
 * context that exists); without any kubeconfig only a pod's service account will do. A wrong name or a broken file is
 * an error naming the file and the contexts it holds, never a silent fall-back to another cluster.
 */
final class ClusterConnection {

    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String KEY_PBE_ITERATIONS = "keystore.pkcs12.keyPbeIterationCount";

    private ClusterConnection() {}

    /** The machine's view: the kubeconfig files fabric8 would read, and whether this process runs in a pod. */
    record Environment(List<Path> defaultKubeconfigs, boolean inPod) {
        static Environment current() {
            List<Path> files = Config.getKubeconfigFilenames().stream()
                    .filter(s -> !s.isBlank())
                    .map(Path::of)
                    .toList();
            boolean inPod = System.getenv(Config.KUBERNETES_SERVICE_HOST_PROPERTY) != null
                    && Files.isReadable(SERVICE_ACCOUNT_TOKEN);
            return new Environment(files, inPod);
        }
    }

    /** The client configuration for {@code --kubeconfig} / {@code --context}, or a {@link ConnectionException}. */
    static Config resolve(Path kubeconfig, String context) {
        inMemoryKeyStoresWithoutKeyStretching();
        return resolve(kubeconfig, context, Environment.current());
    }

    /**
     * The Kubernetes client hands a kubeconfig's client key to TLS through a PKCS#12 key store that exists only in
     * memory, under a fixed password: the JDK's default 10,000 PBKDF2 rounds to wrap the key, and again to unwrap it,
     * protect nothing there and cost 1-1.5 s of CPU in a fresh JVM (a third of a one-shot {@code driftwatch diff} of a
     * small directory). Key stores read from files keep the rounds they were written with; driftwatch writes none. An
     * explicit {@code -Dkeystore.pkcs12.keyPbeIterationCount} wins.
     */
    static void inMemoryKeyStoresWithoutKeyStretching() {
        if (System.getProperty(KEY_PBE_ITERATIONS) == null) {
            System.setProperty(KEY_PBE_ITERATIONS, "1");
        }
    }

    static Config resolve(Path kubeconfig, String context, Environment env) {
        if (kubeconfig != null) {
            check(List.of(kubeconfig), "--kubeconfig", context);
            return Config.fromKubeconfig(context, kubeconfig.toFile());
        }
        List<Path> present =
                env.defaultKubeconfigs().stream().filter(Files::exists).toList();
        if (present.isEmpty()) {
            String looked = env.defaultKubeconfigs().isEmpty()
                    ? "no KUBECONFIG and no home directory"
                    : String.join(
                                    ", ",
                                    env.defaultKubeconfigs().stream()
                                            .map(Path::toString)
                                            .toList())
                            + (env.defaultKubeconfigs().size() == 1 ? " does not exist" : " do not exist");
            if (context != null) {
                throw new ConnectionException("--context " + context + ": no kubeconfig to find it in (" + looked
                        + "); pass --kubeconfig FILE");
            }
            if (!env.inPod()) {
                throw new ConnectionException(
                        "no kubeconfig (" + looked + ") and not running in a pod (no "
                                + "KUBERNETES_SERVICE_HOST and service account token); pass --kubeconfig FILE or set KUBECONFIG");
            }
            return Config.autoConfigure(null); // the pod's service account
        }
        check(present, "KUBECONFIG", context);
        return Config.autoConfigure(context);
    }

    /** Parses the files as kubectl merges them (first wins) and checks the context the client will use. */
    private static void check(List<Path> files, String origin, String context) {
        Map<String, String> contexts = new LinkedHashMap<>(); // context name -> its cluster's name
        Set<String> clusters = new HashSet<>();
        String current = null;
        Path currentFrom = null;
        for (Path file : files) {
            JsonNode root = parse(file, origin);
            for (JsonNode ctx : root.path("contexts")) {
                if (ctx.path("name").isTextual()) {
                    contexts.putIfAbsent(
                            ctx.path("name").asText(),
                            ctx.path("context").path("cluster").asText());
                }
            }
            root.path("clusters").forEach(c -> clusters.add(c.path("name").asText()));
            if (current == null
                    && root.path("current-context").isTextual()
                    && !root.path("current-context").asText().isEmpty()) {
                current = root.path("current-context").asText();
                currentFrom = file;
            }
        }
        String where = files.size() == 1 ? "kubeconfig " + files.get(0) : "kubeconfigs " + files;
        if (contexts.isEmpty()) {
            throw new ConnectionException(where + " defines no contexts (kubectl config get-contexts lists none)");
        }
        String available = " (available: " + String.join(", ", contexts.keySet()) + ")";
        String chosen = context;
        if (context != null && !contexts.containsKey(context)) {
            throw new ConnectionException("--context " + context + ": no such context in " + where + available);
        }
        if (context == null) {
            if (current == null) {
                throw new ConnectionException(where + " sets no current-context; pick one with --context" + available);
            }
            if (!contexts.containsKey(current)) {
                throw new ConnectionException("current-context " + current + " of kubeconfig " + currentFrom
                        + " is not among its contexts" + available);
            }
            chosen = current;
        }
        if (!clusters.contains(contexts.get(chosen))) {
            throw new ConnectionException("context " + chosen + " in " + where + " names cluster '"
                    + contexts.get(chosen) + "', which is not among its clusters");
        }
    }

    private static JsonNode parse(Path file, String origin) {
        if (Files.isDirectory(file)) {
            throw new ConnectionException("kubeconfig " + file + " (" + origin + ") is a directory, not a file");
        }
        if (!Files.isReadable(file)) {
            throw new ConnectionException("kubeconfig " + file + " (" + origin + ") does not exist or is not readable");
        }
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) {
                return YAML.createObjectNode();
            }
            if (!root.isObject()) {
                throw new ConnectionException("kubeconfig " + file + " is not a kubeconfig (a YAML mapping with "
                        + "clusters, users and contexts)");
            }
            if (!root.path("contexts").isMissingNode()
                    && !root.path("contexts").isNull()
                    && !root.path("contexts").isArray()) {
                throw new ConnectionException("kubeconfig " + file + ": contexts must be a list");
            }
            return root;
        } catch (IOException e) {
            throw new ConnectionException("kubeconfig " + file + " cannot be parsed: " + firstLine(e));
        }
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return message == null
                ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }

    /** The cluster a command would talk to cannot be determined; the message names the file and the choices. */
    static final class ConnectionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionException(String message) {
            super(message);
        }
    }
}
