package io.driftwatch.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Server trust for the JDK HttpClient of driftwatch's outgoing HTTPS calls (the hub, Argo CD): the JVM's CAs, only
 * the CAs of a PEM file, or — with an explicit insecure flag — anything.
 */
public final class Tls {

    private Tls() {}

    /**
     * Sets the builder's trust: {@code insecure} accepts any certificate, else {@code caFile} (PEM, may be null for the
     * JVM's CAs). {@code setting} names the CA file setting in errors.
     */
    public static HttpClient.Builder trust(HttpClient.Builder builder, Path caFile, boolean insecure, String setting)
            throws IOException, GeneralSecurityException {
        if (insecure) {
            builder.sslContext(sslContext(new TrustManager[] {new TrustAll()}));
        } else if (caFile != null) {
            builder.sslContext(sslContext(trustOnly(caFile, setting).getTrustManagers()));
        }
        return builder;
    }

    private static SSLContext sslContext(TrustManager[] trust) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trust, null);
        return ctx;
    }

    private static TrustManagerFactory trustOnly(Path caFile, String setting)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new GeneralSecurityException(setting + " " + caFile + " holds no PEM certificate");
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf;
    }

    /** The explicit insecure flag: accepts any certificate. For tests and emergencies only. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
