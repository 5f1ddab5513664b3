package io.driftwatch.install;

import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.testing.ServerProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the container of an installed Deployment as a local process, as the kubelet would run it but without one: the
 * volumes are made from what the API server holds (ConfigMap and Secret keys as files, empty directories for
 * emptyDir and PersistentVolumeClaim), the container's mount paths are mapped to those directories in its arguments,
 * environment and ConfigMap files (the only change to the installed configuration), the environment is resolved
 * (fieldRef, secretKeyRef), and a mounted ServiceAccount token becomes a kubeconfig with a token minted for the pod's
 * ServiceAccount. {@code driftwatch} (the launcher the build wrote) stands in for the image's entrypoint. The caller
 * may replace strings the test machine cannot use (an external URL) in the ConfigMap files, naming each.
 */
final class InstalledPod {

    private InstalledPod() {}

    static ServerProcess start(
            LocalKubeCluster cluster,
            String namespace,
            String deployment,
            Path dir,
            Map<String, String> localOverrides,
            Map<String, String> replacements,
            String readiness,
            BooleanSupplier ready) {
        KubernetesClient admin = cluster.adminClient();
        Deployment d = admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(deployment)
                .get();
        if (d == null) {
            throw new AssertionError("Deployment " + namespace + "/" + deployment + " is not installed");
        }
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            throw new AssertionError(deployment + " overrides the image's entrypoint: " + container.getCommand());
        }
        try {
            Path root = Files.createDirectories(dir.resolve(deployment));
            Map<String, Path> volumes = new LinkedHashMap<>();
            for (Volume v : pod.getVolumes()) {
                volumes.put(
                        v.getName(),
                        materialize(
                                admin,
                                namespace,
                                v,
                                Files.createDirectories(root.resolve("volumes").resolve(v.getName()))));
            }
            Map<String, Path> mounts = new LinkedHashMap<>();
            for (VolumeMount m : container.getVolumeMounts()) {
                Path local = volumes.get(m.getName());
                if (local == null) {
                    throw new AssertionError(deployment + " mounts the undeclared volume " + m.getName());
                }
                mounts.put(m.getMountPath(), local);
            }
            for (Volume v : pod.getVolumes()) {
                if (v.getConfigMap() != null) {
                    rewriteFiles(volumes.get(v.getName()), mounts, replacements);
                }
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar e : container.getEnv()) {
                env.put(e.getName(), map(value(admin, namespace, e), mounts));
            }
            if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                env.put(
                        "KUBECONFIG",
                        serviceAccountKubeconfig(cluster, namespace, pod.getServiceAccountName(), root)
                                .toString());
            }
            env.putAll(localOverrides);
            List<String> command = new ArrayList<>();
            command.add(Path.of("target", "driftwatch").toAbsolutePath().toString());
            container.getArgs().forEach(a -> command.add(map(a, mounts)));
            return ServerProcess.start(deployment, command, env, root, readiness, ready, Duration.ofSeconds(180));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path materialize(KubernetesClient admin, String namespace, Volume v, Path dir) throws IOException {
        if (v.getConfigMap() != null) {
            ConfigMap cm = admin.configMaps()
                    .inNamespace(namespace)
                    .withName(v.getConfigMap().getName())
                    .get();
            if (cm == null) {
                throw new AssertionError(
                        "ConfigMap " + v.getConfigMap().getName() + " (volume " + v.getName() + ") is not installed");
            }
            writeKeys(dir, cm.getData(), v.getConfigMap().getItems(), s -> s.getBytes(StandardCharsets.UTF_8));
        } else if (v.getSecret() != null) {
            Secret s = admin.secrets()
                    .inNamespace(namespace)
                    .withName(v.getSecret().getSecretName())
                    .get();
            if (s == null) {
                throw new AssertionError("Secret " + v.getSecret().getSecretName() + " (volume " + v.getName()
                        + ") does not exist: the pod could not start");
            }
            writeKeys(
                    dir,
                    s.getData(),
                    v.getSecret().getItems(),
                    b -> Base64.getDecoder().decode(b));
        } else if (v.getEmptyDir() == null && v.getPersistentVolumeClaim() == null) {
            throw new AssertionError("volume " + v.getName() + ": only configMap, secret, emptyDir and "
                    + "persistentVolumeClaim volumes are emulated");
        }
        return dir;
    }

    private static void writeKeys(
            Path dir,
            Map<String, String> data,
            List<KeyToPath> items,
            java.util.function.Function<String, byte[]> decode)
            throws IOException {
        Map<String, String> paths = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.keySet().forEach(k -> paths.put(k, k));
        } else {
            items.forEach(i -> paths.put(i.getKey(), i.getPath()));
        }
        for (Map.Entry<String, String> p : paths.entrySet()) {
            Files.write(dir.resolve(p.getValue()), decode.apply(data.get(p.getKey())));
        }
    }

    private static String value(KubernetesClient admin, String namespace, EnvVar e) {
        if (e.getValueFrom() == null) {
            return e.getValue();
        }
        if (e.getValueFrom().getFieldRef() != null
                && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace")) {
            return namespace;
        }
        if (e.getValueFrom().getSecretKeyRef() != null) {
            var ref = e.getValueFrom().getSecretKeyRef();
            Secret s = admin.secrets()
                    .inNamespace(namespace)
                    .withName(ref.getName())
                    .get();
            return new String(Base64.getDecoder().decode(s.getData().get(ref.getKey())), StandardCharsets.UTF_8);
        }
        throw new AssertionError("env " + e.getName() + ": this valueFrom is not emulated: " + e.getValueFrom());
    }

    /** Each mount path in {@code text} (whole path segments) replaced by its local directory, in one pass. */
    static String map(String text, Map<String, Path> mounts) {
        List<String> paths = new ArrayList<>(mounts.keySet());
        paths.sort(Comparator.comparingInt(String::length).reversed()); // longest first: /etc/x-y before /etc/x
        String alternatives =
                String.join("|", paths.stream().map(Pattern::quote).toList());
        Pattern any =
                Pattern.compile("(?<![A-Za-z0-9._/-])(" + alternatives + ")(?=/|$|[^A-Za-z0-9._-])", Pattern.MULTILINE);
        return any.matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(mounts.get(m.group(1)).toString()));
    }

    private static void rewriteFiles(Path dir, Map<String, Path> mounts, Map<String, String> replacements)
            throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String text = map(Files.readString(f), mounts);
                for (Map.Entry<String, String> r : replacements.entrySet()) {
                    text = text.replace(r.getKey(), r.getValue());
                }
                Files.writeString(f, text);
            }
        }
    }

    /** What a pod's mounted ServiceAccount token gives it: a kubeconfig with a token minted for that account. */
    private static Path serviceAccountKubeconfig(
            LocalKubeCluster cluster, String namespace, String serviceAccount, Path dir) throws IOException {
        String token = cluster.adminClient()
                .serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        var admin = cluster.adminConfig();
        String ca = admin.getCaCertData() != null
                ? "certificate-authority-data: " + admin.getCaCertData()
                : "certificate-authority: " + admin.getCaCertFile();
        return Files.writeString(dir.resolve("serviceaccount.kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: local, cluster: {server: '%s', %s}}]
                users: [{name: %s, user: {token: '%s'}}]
                contexts: [{name: pod, context: {cluster: local, user: %s, namespace: %s}}]
                current-context: pod
                """.formatted(
                        cluster.url(), ca, serviceAccount, token, serviceAccount, namespace));
    }
}
