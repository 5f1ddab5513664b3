package io.driftwatch.localkube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * kube-controller-manager and kube-scheduler beside the local API server, as plain processes on loopback with their own
 * client certificates ({@code CN=system:kube-controller-manager}, {@code CN=system:kube-scheduler}) and kubeconfigs,
 * without leader election. The controller manager runs every default controller, each with its own ServiceAccount's
 * credentials, and signs with the cluster CA; so Deployments get ReplicaSets and revision annotations, namespaces get
 * their default ServiceAccount and finish terminating, Services get EndpointSlices, the garbage collector deletes
 * dependents. Without a kubelet, Pods stay Pending.
 */
final class ClusterControllers {

    static final String CONTROLLER_MANAGER = "kube-controller-manager";
    static final String SCHEDULER = "kube-scheduler";

    private final int controllerManagerPort;
    private final int schedulerPort;
    private final HttpClient health;

    private ClusterControllers(int controllerManagerPort, int schedulerPort, Path caCert) {
        this.controllerManagerPort = controllerManagerPort;
        this.schedulerPort = schedulerPort;
        // HTTP/1.1: the JDK 17 client's HTTP/2 connection preface is answered with GOAWAY by these Go servers
        this.health = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trusting(caCert))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Starts both; {@link #problem} says when they work. */
    static ClusterControllers start(
            ControlPlaneProcesses processes,
            LocalKubeBinaries binaries,
            RunDirectory run,
            LocalPki.Files pki,
            String apiServerUrl) {
        ClusterControllers controllers = new ClusterControllers(Ports.free(), Ports.free(), pki.caCert());
        processes.start(
                CONTROLLER_MANAGER,
                command(
                        binaries.kubeControllerManager(),
                        CONTROLLER_MANAGER,
                        pki.controllerManager(),
                        controllers.controllerManagerPort,
                        run,
                        pki,
                        apiServerUrl,
                        "--controllers=*",
                        "--use-service-account-credentials=true",
                        "--service-account-private-key-file=" + pki.serviceAccountKey(),
                        "--root-ca-file=" + pki.caCert(),
                        "--cluster-signing-cert-file=" + pki.caCert(),
                        "--cluster-signing-key-file=" + pki.caKey()));
        processes.start(
                SCHEDULER,
                command(
                        binaries.kubeScheduler(),
                        SCHEDULER,
                        pki.scheduler(),
                        controllers.schedulerPort,
                        run,
                        pki,
                        apiServerUrl));
        return controllers;
    }

    /**
     * The flags both share: their own kubeconfig (for the API, and for delegated authentication and authorization of
     * their health endpoints), serving on loopback with the local serving certificate, no leader election.
     */
    private static List<String> command(
            Path binary,
            String name,
            LocalPki.Client credentials,
            int port,
            RunDirectory run,
            LocalPki.Files pki,
            String apiServerUrl,
            String... own) {
        Path kubeconfig = Kubeconfig.write(run.resolve(name + ".kubeconfig"), apiServerUrl, pki.caCert(), credentials);
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--tls-cert-file=" + pki.servingCert(),
                "--tls-private-key-file=" + pki.servingKey(),
                "--leader-elect=false",
                "--profiling=false"));
        command.addAll(List.of(own));
        return command;
    }

    /**
     * Empty when the controllers work: both answer their health checks and the ServiceAccount controller has given
     * namespace {@code default} its ServiceAccount (it acts only after the shared informers, which start after every
     * controller, have synced). Else what is still missing.
     */
    Optional<String> problem(KubernetesClient admin) {
        Optional<String> unhealthy = unhealthy(CONTROLLER_MANAGER, controllerManagerPort, "/healthz")
                .or(() -> unhealthy(SCHEDULER, schedulerPort, "/readyz"));
        if (unhealthy.isPresent()) {
            return unhealthy;
        }
        if (admin.serviceAccounts().inNamespace("default").withName("default").get() == null) {
            return Optional.of("ServiceAccount default/default not created yet");
        }
        return Optional.empty();
    }

    private Optional<String> unhealthy(String name, int port, String path) {
        try {
            HttpResponse<String> response = health.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    ? Optional.empty()
                    : Optional.of(name + " " + path + " answered " + response.statusCode() + ": " + response.body());
        } catch (IOException e) {
            return Optional.of(name + " " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + name + " for its health", e);
        }
    }

    private static SSLContext trusting(Path caCert) {
        try (InputStream in = Files.newInputStream(caCert)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the local CA " + caCert, e);
        }
    }
}
