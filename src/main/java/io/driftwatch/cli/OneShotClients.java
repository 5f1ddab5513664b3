package io.driftwatch.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.ext.web.client.WebClientOptions;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The Kubernetes client of a one-shot command ({@code diff}): at most {@link #CONNECTIONS} connections to the API
 * server, and a kubeconfig that names a CA trusts that CA only, as kubectl does ({@link KubeconfigTrust}). fabric8
 * opens one connection per request in flight (up to 8,192), and every new TLS connection is a handshake that, in a JVM
 * that has compiled nothing yet, costs more CPU than the request it carries: with a client certificate an RSA
 * signature, two key shares and the server's chain to verify. A diff's reads (a few lists, a metadata list per other
 * kind, the OpenAPI documents) run {@code BoundedParallel.READS} at a time; beyond two connections they queue for one
 * instead of opening more. Measured in docs/benchmarks.md (one-shot CLI): five handshakes became two, about 6 % of the
 * CPU of a 25-object diff. HTTP/2 (one connection for every request) was measured and not kept: Netty's ALPN set-up
 * constructs Bouncy Castle's JCE provider when it is on the class path, which costs more than the second handshake.
 * The agent keeps fabric8's defaults (its connections live for hours).
 */
final class OneShotClients {

    /** HTTP/1.1 connections to the API server at once; the second one usually resumes the first one's TLS session. */
    static final int CONNECTIONS = 2;

    private OneShotClients() {}

    static KubernetesClient build(Config config) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new Factory())
                .build();
    }

    private static final class Factory extends VertxHttpClientFactory {
        /** fabric8's set-up, but with the kubeconfig's CA as the only trust anchor when it names one. */
        @Override
        public HttpClient.Builder newBuilder(Config config) {
            TrustManager[] onlyCa = KubeconfigTrust.onlyNamedCa(config);
            if (onlyCa == null) {
                return super.newBuilder(config);
            }
            Boolean trustCerts = config.getTrustCerts();
            // fabric8 builds its trust managers from the JDK's CAs plus the kubeconfig's unless it is told to trust
            // every certificate; it is told so only while it sets up, and the builder swaps in the CA's managers
            config.setTrustCerts(true);
            try {
                Builder builder = new Builder(this, onlyCa);
                HttpClientUtils.applyCommonConfiguration(config, builder, this);
                return builder;
            } finally {
                config.setTrustCerts(trustCerts);
            }
        }

        @Override
        protected void additionalConfig(WebClientOptions options) {
            options.setMaxPoolSize(CONNECTIONS);
        }
    }

    /** fabric8's builder that takes the given trust managers instead of those fabric8 hands it. */
    private static final class Builder extends VertxHttpClientBuilder<VertxHttpClientFactory> {
        private final TrustManager[] trust;

        Builder(VertxHttpClientFactory factory, TrustManager[] trust) {
            super(factory, null);
            this.trust = trust;
        }

        @Override
        public VertxHttpClientBuilder<VertxHttpClientFactory> sslContext(KeyManager[] keys, TrustManager[] ignored) {
            return super.sslContext(keys, trust);
        }
    }
}
