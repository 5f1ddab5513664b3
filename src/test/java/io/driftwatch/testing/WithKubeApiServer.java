package io.driftwatch.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the real etcd + kube-apiserver shared by the whole test run. Test methods may take a
 * {@link io.driftwatch.localkube.LocalKubeCluster}, an admin {@link io.fabric8.kubernetes.client.KubernetesClient}
 * and a fresh {@link TestNamespace} as parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KubeApiServerExtension.class)
public @interface WithKubeApiServer {}
