package io.driftwatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.driftwatch.localkube.LocalKubeCluster;
import io.driftwatch.net.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Stands between the API server's webhook audit backend and the agent, as a log forwarder would: each post is recorded
 * (body and {@code Authorization} header, unchanged) and passed on to the agent's {@code /api/v1/audit} byte for byte,
 * answering the API server with the agent's status. While {@link #hold() held}, posts are kept and answered 200 (the
 * forwarder has them), and {@link #release()} passes them on late, in order. Before an agent is set, posts are answered
 * 503 (the API server retries, then drops the batch). Listens with TLS on 127.0.0.1 only (the API server sends the
 * webhook kubeconfig's token only to an https server), with a certificate of {@code tls}, whose CA the agent's
 * certificate must also be signed by.
 */
public final class AuditRelay implements AutoCloseable {

    /** One post as the API server sent it. */
    public record Post(String authorization, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpsServer server;
    private final HttpClient http;
    private final List<Post> received = new ArrayList<>();
    private final List<Post> held = new ArrayList<>();
    private volatile String agentUrl;
    private boolean holding;

    public AuditRelay(LocalKubeCluster.ServingCertificate tls) {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(serving(tls)));
            http = Tls.trust(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)), tls.caCert(), false, "ca")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL to give the API server's webhook kubeconfig. */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/audit";
    }

    /** Where posts go from now on: the agent's audit endpoint. */
    public void forwardTo(int agentPort) {
        agentUrl = "https://127.0.0.1:" + agentPort + "/api/v1/audit";
    }

    /** Keeps posts instead of passing them on (the agent's audit input is down or slow). */
    public synchronized void hold() {
        holding = true;
    }

    /** Passes on the held posts, in order, and every later post at once. */
    public void release() {
        List<Post> late;
        synchronized (this) {
            holding = false;
            late = List.copyOf(held);
            held.clear();
        }
        for (Post p : late) {
            forward(p);
        }
    }

    /** Every post received from the API server so far. */
    public synchronized List<Post> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Post post = new Post(
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestBody().readAllBytes());
            int status;
            synchronized (this) {
                received.add(post);
                if (holding) {
                    held.add(post);
                }
                status = holding ? 200 : -1;
            }
            if (status < 0) {
                status = agentUrl == null ? 503 : forward(post);
            }
            exchange.sendResponseHeaders(status, -1);
            OutputStream unused = exchange.getResponseBody();
            unused.close();
        }
    }

    private int forward(Post post) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agentUrl))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(post.body()));
            if (post.authorization() != null) {
                request.header("Authorization", post.authorization());
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        }
    }

    private static SSLContext serving(LocalKubeCluster.ServingCertificate tls)
            throws IOException, GeneralSecurityException {
        KeyPair keys;
        try (Reader in = Files.newBufferedReader(tls.key());
                PEMParser parser = new PEMParser(in)) {
            keys = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject());
        }
        Certificate cert;
        try (var in = Files.newInputStream(tls.cert())) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("relay", keys.getPrivate(), new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
