package io.driftwatch.testing;

import io.driftwatch.localkube.LocalKubeCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one real etcd + kube-apiserver for the whole test run (kept in the root store, closed when the run ends) and
 * resolves {@link LocalKubeCluster}, admin {@link KubernetesClient} and per-test {@link TestNamespace} parameters.
 * If the cluster cannot start, every test that needs it fails with the same message; nothing is skipped.
 */
public final class KubeApiServerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(KubeApiServerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalKubeCluster.class || type == KubernetesClient.class || type == TestNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalKubeCluster cluster = cluster(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == LocalKubeCluster.class) {
            return cluster;
        }
        if (type == KubernetesClient.class) {
            return cluster.adminClient();
        }
        return context.getStore(STORE)
                .getOrComputeIfAbsent(
                        TestNamespace.class, k -> createNamespace(cluster.adminClient(), context), TestNamespace.class);
    }

    /** The shared cluster; a start failure is remembered so later tests fail at once with the same cause. */
    public static LocalKubeCluster cluster(ExtensionContext context) {
        Started started = context.getRoot()
                .getStore(STORE)
                .getOrComputeIfAbsent(Started.class, k -> Started.attempt(), Started.class);
        if (started.failure != null) {
            throw new ParameterResolutionException(
                    "the real kube-apiserver for tests could not start: " + started.failure.getMessage(),
                    started.failure);
        }
        return started.cluster;
    }

    private static TestNamespace createNamespace(KubernetesClient client, ExtensionContext context) {
        String base = context.getTestMethod()
                .map(m -> m.getName())
                .orElse(context.getDisplayName())
                .replaceAll("([a-z])([A-Z])", "$1-$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-");
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
        String name = ("t-" + base.substring(0, Math.min(base.length(), 50)) + "-" + suffix).replaceAll("-+", "-");
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("driftwatch.io/test", "true")
                        .endMetadata()
                        .build())
                .create();
        return new TestNamespace(name);
    }

    /** Closed by JUnit at the end of the run because it is an {@link AutoCloseable} in the root store. */
    private static final class Started implements AutoCloseable {
        private final LocalKubeCluster cluster;
        private final RuntimeException failure;

        private Started(LocalKubeCluster cluster, RuntimeException failure) {
            this.cluster = cluster;
            this.failure = failure;
        }

        static Started attempt() {
            try {
                return new Started(LocalKubeCluster.start(), null);
            } catch (RuntimeException e) {
                return new Started(null, e);
            }
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
