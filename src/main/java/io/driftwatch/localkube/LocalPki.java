package io.driftwatch.localkube;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates a throw-away control plane needs: a CA (its key signs the certificates kube-controller-manager
 * issues), a serving certificate for 127.0.0.1, client certificates for the admin ({@code system:masters}),
 * kube-controller-manager and kube-scheduler, a separate front-proxy CA with the API server's front-proxy client
 * certificate, and the service-account signing key. RSA keys, because fabric8 reads PKCS#8 EC keys only when told the
 * algorithm. Written as PEM files into one directory.
 */
final class LocalPki {

    /** A client certificate and its key. */
    record Client(Path cert, Path key) {}

    /** The PEM files of one PKI. */
    record Files(
            Path caCert,
            Path caKey,
            Path servingCert,
            Path servingKey,
            Client admin,
            Client controllerManager,
            Client scheduler,
            Path frontProxyCaCert,
            Client frontProxy,
            Path serviceAccountKey) {}

    /** The common name the API server accepts front-proxy (request header) client certificates from. */
    static final String FRONT_PROXY_CLIENT = "front-proxy-client";

    private static final Duration VALIDITY = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalPki() {}

    static Files create(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            KeyPair ca = rsa();
            X500Name caName = new X500Name("CN=driftwatch-local-ca");
            X509Certificate caCert = sign(caName, ca, caName, ca.getPublic(), certificateAuthority());

            KeyPair serving = rsa();
            X509Certificate servingCert =
                    sign(caName, ca, new X500Name("CN=kube-apiserver"), serving.getPublic(), builder -> {
                        builder.addExtension(
                                Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                    new GeneralName(GeneralName.dNSName, "localhost"),
                                    new GeneralName(GeneralName.dNSName, "kubernetes.default.svc")
                                }));
                        builder.addExtension(
                                Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                    });

            KeyPair frontProxyCa = rsa();
            X500Name frontProxyCaName = new X500Name("CN=driftwatch-local-front-proxy-ca");
            X509Certificate frontProxyCaCert = sign(
                    frontProxyCaName, frontProxyCa, frontProxyCaName, frontProxyCa.getPublic(), certificateAuthority());

            KeyPair serviceAccount = rsa();
            return new Files(
                    write(dir.resolve("ca.crt"), caCert),
                    write(dir.resolve("ca.key"), ca.getPrivate()),
                    write(dir.resolve("apiserver.crt"), servingCert),
                    write(dir.resolve("apiserver.key"), serving.getPrivate()),
                    client(dir, "admin", caName, ca, "CN=driftwatch-admin,O=system:masters"),
                    client(dir, "kube-controller-manager", caName, ca, "CN=system:kube-controller-manager"),
                    client(dir, "kube-scheduler", caName, ca, "CN=system:kube-scheduler"),
                    write(dir.resolve("front-proxy-ca.crt"), frontProxyCaCert),
                    client(dir, "front-proxy-client", frontProxyCaName, frontProxyCa, "CN=" + FRONT_PROXY_CLIENT),
                    write(dir.resolve("service-account.key"), serviceAccount.getPrivate()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local API server's certificates to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the local API server's certificates", e);
        }
    }

    /**
     * A client certificate signed by the CA of {@code pki} for a user {@code name} in {@code groups} (the API server
     * reads the common name as the user name and each organization as a group), written into {@code dir}.
     */
    static Client user(Files pki, Path dir, String name, List<String> groups) {
        StringBuilder subject = new StringBuilder("CN=").append(name);
        groups.forEach(g -> subject.append(",O=").append(g));
        try (Reader in = java.nio.file.Files.newBufferedReader(pki.caKey());
                PEMParser parser = new PEMParser(in)) {
            KeyPair ca = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject());
            return client(dir, "user-" + name, new X500Name("CN=driftwatch-local-ca"), ca, subject.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a client certificate for " + name + " to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a client certificate for " + name, e);
        }
    }

    private static Client client(Path dir, String name, X500Name issuer, KeyPair issuerKeys, String subject)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = rsa();
        X509Certificate cert = sign(
                issuer,
                issuerKeys,
                new X500Name(subject),
                keys.getPublic(),
                builder -> builder.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));
        return new Client(
                write(dir.resolve(name + ".crt"), cert), write(dir.resolve(name + ".key"), keys.getPrivate()));
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws CertIOException;
    }

    private static Extensions certificateAuthority() {
        return builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        };
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(
            X500Name issuer, KeyPair issuerKeys, X500Name subject, PublicKey subjectKey, Extensions extensions)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer,
                new BigInteger(64, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)),
                subject,
                subjectKey);
        extensions.add(builder);
        if (!subject.equals(issuer)) {
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }

    private static Path write(Path file, Object pemObject) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pemObject);
        }
        java.nio.file.Files.writeString(file, text.toString());
        return file;
    }

    static String base64(Path pemFile) {
        try {
            return Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(pemFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
