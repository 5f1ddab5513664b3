package io.driftwatch.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The Kubernetes client of a one-shot command ({@code diff}): at most {@link #CONNECTIONS} connections to the API
 * server. fabric8 opens one per request in flight (up to 8,192), and every new TLS connection is a handshake that, in
 * a JVM that has compiled nothing yet, costs more CPU than the request it carries: with a client certificate an RSA
 * signature, two key shares and the server's chain to verify. A diff's reads (a few lists, a metadata list per other
 * kind, the OpenAPI documents) run {@code BoundedParallel.READS} at a time; beyond two connections they queue for one
 * instead of opening more. Measured in docs/benchmarks.md (one-shot CLI): five handshakes became two, about 6 % of the
 * CPU of a 25-object diff. The agent keeps fabric8's defaults (its connections live for hours).
 */
final class OneShotClients {

    /** Connections to the API server at once; the second one usually resumes the first one's TLS session. */
    static final int CONNECTIONS = 2;

    private OneShotClients() {}

    static KubernetesClient build(Config config) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new Factory())
                .build();
    }

    private static final class Factory extends VertxHttpClientFactory {
        @Override
        protected void additionalConfig(WebClientOptions options) {
            options.setMaxPoolSize(CONNECTIONS);
        }
    }
}
