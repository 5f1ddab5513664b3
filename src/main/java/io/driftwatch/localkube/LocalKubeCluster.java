package io.driftwatch.localkube;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd + kube-apiserver on free loopback ports, with RBAC on, the way controller-runtime's envtest runs them.
 * No controllers run: Deployments make no ReplicaSets, namespaces never finish terminating. Defaulting, validation,
 * admission, managedFields, server-side apply, watches, CRDs and RBAC with TokenRequest are all real.
 *
 * <p>{@link #close()} stops both processes and deletes their data; a JVM that dies without closing is cleaned up by the
 * next {@link #start()} (see {@link RunDirectory}).
 */
public final class LocalKubeCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKubeCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final RunDirectory run;
    private final LocalPki.Files pki;
    private final int apiPort;
    private final Path kubeconfig;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook;
    private KubernetesClient adminClient;
    private String version;
    private List<String> apiServerCommand;

    private LocalKubeCluster(RunDirectory run, LocalPki.Files pki, int apiPort) {
        this.run = run;
        this.pki = pki;
        this.apiPort = apiPort;
        this.kubeconfig = run.resolve("kubeconfig");
        this.shutdownHook = new Thread(this::stopProcesses, "localkube-shutdown");
    }

    /** Starts etcd and kube-apiserver with the binaries from {@link LocalKubeBinaries#find()} and waits until ready. */
    public static LocalKubeCluster start() {
        return start(LocalKubeBinaries.find());
    }

    public static LocalKubeCluster start(LocalKubeBinaries binaries) {
        RunDirectory.reapOrphans();
        long started = System.nanoTime();
        RunDirectory run = RunDirectory.create();
        LocalKubeCluster cluster = new LocalKubeCluster(run, LocalPki.create(run.resolve("pki")), freePort());
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            String etcdUrl = cluster.startEtcd(binaries.etcd());
            cluster.startApiServer(binaries.kubeApiserver(), etcdUrl);
            cluster.writeKubeconfig();
            cluster.awaitReady();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("local kube-apiserver {} ready on {} in {} ms (run dir {})", cluster.version, cluster.url(),
                (System.nanoTime() - started) / 1_000_000, run.path());
        return cluster;
    }

    public String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    /** A kubeconfig file with the admin (system:masters) user, usable by kubectl. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The kube-apiserver version, e.g. {@code v1.35.7}. */
    public String version() {
        return version;
    }

    /** The shared admin client; owned by the cluster, do not close it. */
    public synchronized KubernetesClient adminClient() {
        if (adminClient == null) {
            adminClient = newAdminClient();
        }
        return adminClient;
    }

    /** A new admin client the caller owns and closes. */
    public KubernetesClient newAdminClient() {
        return new KubernetesClientBuilder().withConfig(adminConfig()).build();
    }

    public Config adminConfig() {
        try {
            return Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
    }

    /**
     * A client that authenticates as a ServiceAccount with a token minted through the TokenRequest API, so that RBAC
     * decides what it may do. The ServiceAccount must exist.
     */
    public KubernetesClient serviceAccountClient(String namespace, String serviceAccount) {
        TokenRequest request = adminClient().serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build());
        Config config = new ConfigBuilder()
                .withMasterUrl(url())
                .withCaCertFile(pki.caCert().toString())
                .withOauthToken(request.getStatus().getToken())
                .withNamespace(namespace)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public synchronized void close() {
        if (adminClient != null) {
            adminClient.close();
            adminClient = null;
        }
        stopProcesses();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
        run.delete();
    }

    private String startEtcd(Path etcd) {
        int client = freePort();
        int peer = freePort();
        start("etcd", List.of(etcd.toString(),
                "--name=default",
                "--data-dir=" + run.resolve("etcd-data"),
                "--listen-client-urls=http://127.0.0.1:" + client,
                "--advertise-client-urls=http://127.0.0.1:" + client,
                "--listen-peer-urls=http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + peer,
                "--initial-cluster=default=http://127.0.0.1:" + peer,
                "--listen-metrics-urls=http://127.0.0.1:" + freePort(),
                "--unsafe-no-fsync=true",
                "--quota-backend-bytes=" + (4L << 30)));
        return "http://127.0.0.1:" + client;
    }

    private void startApiServer(Path apiserver, String etcdUrl) {
        apiServerCommand = List.of(apiserver.toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--cert-dir=" + run.resolve("apiserver-certs"),
                "--tls-cert-file=" + pki.servingCert(),
                "--tls-private-key-file=" + pki.servingKey(),
                "--client-ca-file=" + pki.caCert(),
                "--authorization-mode=RBAC",
                "--service-cluster-ip-range=10.0.0.0/16",   // room for scale tests: 65k Service IPs
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + pki.serviceAccountKey(),
                "--service-account-signing-key-file=" + pki.serviceAccountKey(),
                "--disable-admission-plugins=ServiceAccount",
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false",
                "--profiling=false");
        start("kube-apiserver", apiServerCommand);
    }

    /**
     * Stops the API server and starts it again on the same port with the same etcd, so every client sees its watches
     * break and must reconnect (and relist when its resourceVersion is gone). Blocks until ready again.
     */
    public synchronized void restartApiServer() {
        Process apiserver = processes.remove(processes.size() - 1);
        apiserver.destroy();
        try {
            if (!apiserver.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                apiserver.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping kube-apiserver", e);
        }
        start("kube-apiserver", apiServerCommand);
        awaitReady();
        LOG.info("local kube-apiserver restarted on {}", url());
    }

    private void start(String name, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve(name + ".log").toFile()));
        try {
            Process process = builder.start();
            run.recordChild(process);
            processes.add(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    private void writeKubeconfig() {
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: local
                  context:
                    cluster: local
                    user: admin
                    namespace: default
                current-context: local
                """.formatted(url(), LocalPki.base64(pki.caCert()), LocalPki.base64(pki.adminCert()),
                LocalPki.base64(pki.adminKey()));
        try {
            Files.writeString(kubeconfig, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + kubeconfig, e);
        }
    }

    /** Ready when {@code /readyz} answers ok to the admin and namespace {@code default} exists. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastProblem = "not contacted yet";
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("local cluster process exited with " + process.exitValue()
                            + " while starting; last log lines:\n" + logTails());
                }
            }
            try {
                KubernetesClient client = adminClient();
                String readyz = client.raw("/readyz");
                if ("ok".equals(readyz) && client.namespaces().withName("default").get() != null) {
                    version = client.getKubernetesVersion().getGitVersion();
                    return;
                }
                lastProblem = "/readyz answered " + readyz;
            } catch (RuntimeException e) {
                lastProblem = e.getMessage();
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("local kube-apiserver not ready within " + READY_TIMEOUT.toSeconds() + " s ("
                + lastProblem + "); last log lines:\n" + logTails());
    }

    private String logTails() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("etcd", "kube-apiserver")) {
            Path log = run.resolve(name + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                out.append("--- ").append(name).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("--- ").append(name).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    /** API server first (it holds etcd connections), then etcd; SIGTERM, then SIGKILL after a grace period. */
    private synchronized void stopProcesses() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the local kube-apiserver", e);
        }
    }
}
