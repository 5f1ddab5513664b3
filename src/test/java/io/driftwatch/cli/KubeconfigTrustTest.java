package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.localkube.LocalKubeCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kubeconfig that names a CA trusts that CA alone, as kubectl; every other case stays fabric8's. */
class KubeconfigTrustTest {

    @TempDir
    Path tmp;

    private Config kubeconfig(LocalKubeCluster.LocalTls tls) {
        return Config.fromKubeconfig(
                null, tls.writeKubeconfig("https://127.0.0.1:1").toFile());
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        assertThat(managers).hasSize(1);
        return (X509TrustManager) managers[0];
    }

    @Test
    void aNamedCaIsTheOnlyTrustAnchor() throws Exception {
        LocalKubeCluster.LocalTls ours = LocalKubeCluster.writeLocalTls(tmp.resolve("ours"));
        LocalKubeCluster.LocalTls other = LocalKubeCluster.writeLocalTls(tmp.resolve("other"));
        X509TrustManager trust = x509(KubeconfigTrust.onlyNamedCa(kubeconfig(ours)));

        assertThat(trust.getAcceptedIssuers()).containsExactly(certificate(ours.caCert()));
        trust.checkServerTrusted(new X509Certificate[] {certificate(ours.servingCert())}, "RSA");
        // a server certificate another CA signed is refused, though it is a CA the JVM does not know either
        assertThatThrownBy(
                        () -> trust.checkServerTrusted(new X509Certificate[] {certificate(other.servingCert())}, "RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aCaFileWorksAsCaData() throws Exception {
        LocalKubeCluster.LocalTls tls = LocalKubeCluster.writeLocalTls(tmp);
        Config config = kubeconfig(tls);
        config.setCaCertData(null);
        config.setCaCertFile(tls.caCert().toString());

        assertThat(x509(KubeconfigTrust.onlyNamedCa(config)).getAcceptedIssuers())
                .containsExactly(certificate(tls.caCert()));
    }

    @Test
    void fabric8DecidesWithoutACaOrWithAnExplicitChoice() {
        LocalKubeCluster.LocalTls tls = LocalKubeCluster.writeLocalTls(tmp);
        Config noCa = kubeconfig(tls);
        noCa.setCaCertData(null);
        noCa.setCaCertFile(null);
        Config insecure = kubeconfig(tls);
        insecure.setTrustCerts(true);
        Config trustStore = kubeconfig(tls);
        trustStore.setTrustStoreFile(tmp.resolve("truststore.p12").toString());

        assertThat(KubeconfigTrust.onlyNamedCa(noCa)).isNull(); // the JVM's CAs, as kubectl uses the system's
        assertThat(KubeconfigTrust.onlyNamedCa(insecure)).isNull(); // insecure-skip-tls-verify: fabric8's trust-all
        assertThat(KubeconfigTrust.onlyNamedCa(trustStore)).isNull();
    }

    @Test
    void aCaThatIsNoCertificateIsAnErrorNamingIt() throws Exception {
        LocalKubeCluster.LocalTls tls = LocalKubeCluster.writeLocalTls(tmp);
        Path garbage = Files.writeString(tmp.resolve("ca.crt"), "not a certificate\n");
        Config config = kubeconfig(tls);
        config.setCaCertData(null);
        config.setCaCertFile(garbage.toString());

        assertThatThrownBy(() -> KubeconfigTrust.onlyNamedCa(config))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("certificate authority");
    }

    @Test
    void buildingAOneShotClientLeavesTheConfigAsItWas() {
        Config config = kubeconfig(LocalKubeCluster.writeLocalTls(tmp));
        try (KubernetesClient client = OneShotClients.build(config)) {
            assertThat(client.getConfiguration().isTrustCerts()).isFalse();
        }
        assertThat(config.getTrustCerts()).isNotEqualTo(Boolean.TRUE);
    }
}
