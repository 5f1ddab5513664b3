package io.driftwatch.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which certificates a one-shot client trusts for the API server, as kubectl (client-go) decides: a kubeconfig that
 * names a CA ({@code certificate-authority-data} or {@code certificate-authority}) trusts that CA and nothing else;
 * one that names none trusts the JVM's CAs. client-go's {@code transport.rootCertPool}: "When caData is not empty, it
 * will be the ONLY information used in the CertPool". fabric8 instead adds the kubeconfig's CA to the JDK's
 * {@code cacerts} (about 140 certificates parsed, 6 % of a 25-object diff's Java CPU), so an API server whose
 * certificate a public CA signed would pass even where the kubeconfig pins its own CA. Left to fabric8: insecure
 * kubeconfigs ({@code insecure-skip-tls-verify}), a trust store named in the config or by
 * {@code javax.net.ssl.trustStore} (an explicit choice of trust anchors), and no CA at all.
 */
final class KubeconfigTrust {

    private static final String TRUST_STORE_PROPERTY = "javax.net.ssl.trustStore";

    private KubeconfigTrust() {}

    /** Trust managers of the kubeconfig's CA alone, or null where fabric8's own choice stands. */
    static TrustManager[] onlyNamedCa(Config config) {
        boolean namesCa = notBlank(config.getCaCertData()) || notBlank(config.getCaCertFile());
        if (!namesCa
                || config.isTrustCerts()
                || notBlank(config.getTrustStoreFile())
                || notBlank(System.getProperty(TRUST_STORE_PROPERTY))) {
            return null;
        }
        try (InputStream pem = CertUtils.getInputStreamFromDataOrFile(config.getCaCertData(), config.getCaCertFile())) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(pem);
            if (certificates.isEmpty()) {
                throw new KubernetesClientException("the kubeconfig's certificate authority holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("kubeconfig-ca-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new KubernetesClientException(
                    "the kubeconfig's certificate authority cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
