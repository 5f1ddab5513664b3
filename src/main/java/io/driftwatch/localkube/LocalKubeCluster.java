package io.driftwatch.localkube;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real control plane on free loopback ports: etcd, kube-apiserver (RBAC and Node authorization, front-proxy
 * request-header authentication), kube-controller-manager running every default controller and kube-scheduler, each
 * with its own client certificate. What the cluster's own controllers write into objects is real: Deployments get
 * ReplicaSets and {@code deployment.kubernetes.io/revision}, namespaces their {@code default} ServiceAccount and
 * {@code kube-root-ca.crt}, Services their EndpointSlices, HPAs their status; deleted namespaces finish terminating and
 * the garbage collector deletes dependents. No kubelet runs: Pods stay Pending. Defaulting, validation, admission,
 * managedFields, server-side apply, watches, CRDs and RBAC with TokenRequest are all real.
 *
 * <p>{@link #start()} returns once the API server is ready and the controllers work (see {@link ClusterControllers}).
 * {@link #close()} stops every process and deletes their data and logs; a JVM that dies without closing is cleaned
 * up by the next {@link #start()} (see {@link RunDirectory}). While running, each process logs to
 * {@code <name>.log} in {@link #runDirectory()}.
 */
public final class LocalKubeCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKubeCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String API_SERVER = "kube-apiserver";

    private final RunDirectory run;
    private final LocalPki.Files pki;
    private final int apiPort;
    private final Path kubeconfig;
    private final ControlPlaneProcesses processes;
    private final Thread shutdownHook;
    private KubernetesClient adminClient;
    private String version;
    private List<String> apiServerCommand;

    private LocalKubeCluster(RunDirectory run, LocalPki.Files pki, int apiPort) {
        this.run = run;
        this.pki = pki;
        this.apiPort = apiPort;
        this.kubeconfig = run.resolve("kubeconfig");
        this.processes = new ControlPlaneProcesses(run);
        this.shutdownHook = new Thread(processes::stopAll, "localkube-shutdown");
    }

    /** Starts the control plane with the binaries from {@link LocalKubeBinaries#find()} and waits until it works. */
    /**
     * A fresh CA with a serving certificate for 127.0.0.1 and an admin client certificate it signed, written into
     * {@code dir}: the build's training run for the launcher's class-data archive serves HTTPS with the one and writes a
     * kubeconfig for the other once its server listens.
     */
    public static LocalTls writeLocalTls(Path dir) {
        LocalPki.Files pki = LocalPki.create(dir.resolve("pki"));
        return new LocalTls(
                dir,
                pki.caCert(),
                pki.servingCert(),
                pki.servingKey(),
                pki.admin().cert(),
                pki.admin().key());
    }

    /** The PEM files of {@link #writeLocalTls}. */
    public record LocalTls(Path dir, Path caCert, Path servingCert, Path servingKey, Path adminCert, Path adminKey) {
        /** A kubeconfig for {@code server} (trusting the CA, as the admin), written into the directory. */
        public Path writeKubeconfig(String server) {
            return Kubeconfig.write(
                    dir.resolve("kubeconfig"), server, caCert, new LocalPki.Client(adminCert, adminKey));
        }
    }

    /** A CA and a serving certificate for 127.0.0.1 it signed (PEM files). */
    public record ServingCertificate(Path caCert, Path cert, Path key) {}

    /**
     * A fresh CA and a serving certificate for 127.0.0.1 and localhost, written into {@code dir}: for a test server that
     * a local API server calls (an audit webhook), made before the cluster starts.
     */
    public static ServingCertificate writeServingCertificate(Path dir) {
        LocalPki.Files pki = LocalPki.create(dir);
        return new ServingCertificate(pki.caCert(), pki.servingCert(), pki.servingKey());
    }

    public static LocalKubeCluster start() {
        return start(LocalKubeBinaries.find());
    }

    public static LocalKubeCluster start(LocalKubeBinaries binaries) {
        return start(binaries, List.of());
    }

    /**
     * Starts the control plane with extra kube-apiserver flags (e.g. {@code --audit-policy-file}, {@code
     * --audit-webhook-config-file}, {@code --audit-log-path}); a later flag overrides an earlier one of the same name.
     */
    public static LocalKubeCluster start(LocalKubeBinaries binaries, List<String> extraApiServerFlags) {
        RunDirectory.reapOrphans();
        long started = System.nanoTime();
        RunDirectory run = RunDirectory.create();
        LocalKubeCluster cluster = new LocalKubeCluster(run, LocalPki.create(run.resolve("pki")), Ports.free());
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            String etcdUrl = cluster.startEtcd(binaries.etcd());
            cluster.startApiServer(binaries.kubeApiserver(), etcdUrl, extraApiServerFlags);
            Kubeconfig.write(cluster.kubeconfig, cluster.url(), cluster.pki.caCert(), cluster.pki.admin());
            cluster.awaitReady();
            long apiReady = System.nanoTime();
            ClusterControllers controllers =
                    ClusterControllers.start(cluster.processes, binaries, run, cluster.pki, cluster.url());
            cluster.await("kube-controller-manager and kube-scheduler working", controllers::problem);
            LOG.info(
                    "local kube-apiserver {} ready on {} in {} ms, its controllers working {} ms later (run dir {})",
                    cluster.version,
                    cluster.url(),
                    (apiReady - started) / 1_000_000,
                    (System.nanoTime() - apiReady) / 1_000_000,
                    run.path());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The directory with this cluster's data, certificates, kubeconfigs and process logs; deleted on close. */
    public Path runDirectory() {
        return run.path();
    }

    /** The processes of the control plane while it runs; empty after {@link #close()}. */
    public List<ProcessHandle> processes() {
        return processes.handles();
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

    /**
     * A kubeconfig (usable by kubectl and fabric8) for a person authenticated by a client certificate signed by the
     * cluster's CA: user {@code name} in {@code groups}. RBAC decides what the user may do.
     */
    public Path userKubeconfig(String name, List<String> groups) {
        LocalPki.Client user = LocalPki.user(pki, run.resolve("pki"), name, groups);
        return Kubeconfig.write(run.resolve("user-" + name + ".kubeconfig"), url(), pki.caCert(), user);
    }

    /** The cluster CA's certificate (PEM). */
    public Path caCert() {
        return pki.caCert();
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
        Config config = new ConfigBuilder()
                .withMasterUrl(url())
                .withCaCertFile(pki.caCert().toString())
                .withOauthToken(serviceAccountToken(namespace, serviceAccount))
                .withNamespace(namespace)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A kubeconfig (usable by kubectl) with a ServiceAccount's token from the TokenRequest API. */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount) {
        return Kubeconfig.writeToken(
                run.resolve("sa-" + namespace + "-" + serviceAccount + ".kubeconfig"),
                url(),
                pki.caCert(),
                serviceAccountToken(namespace, serviceAccount));
    }

    private String serviceAccountToken(String namespace, String serviceAccount) {
        TokenRequest request = adminClient()
                .serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build());
        return request.getStatus().getToken();
    }

    @Override
    public synchronized void close() {
        if (adminClient != null) {
            adminClient.close();
            adminClient = null;
        }
        processes.stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
        run.delete();
    }

    private String startEtcd(Path etcd) {
        int client = Ports.free();
        int peer = Ports.free();
        processes.start(
                "etcd",
                List.of(
                        etcd.toString(),
                        "--name=default",
                        "--data-dir=" + run.resolve("etcd-data"),
                        "--listen-client-urls=http://127.0.0.1:" + client,
                        "--advertise-client-urls=http://127.0.0.1:" + client,
                        "--listen-peer-urls=http://127.0.0.1:" + peer,
                        "--initial-advertise-peer-urls=http://127.0.0.1:" + peer,
                        "--initial-cluster=default=http://127.0.0.1:" + peer,
                        "--listen-metrics-urls=http://127.0.0.1:" + Ports.free(),
                        "--unsafe-no-fsync=true",
                        "--quota-backend-bytes=" + (4L << 30)));
        return "http://127.0.0.1:" + client;
    }

    private void startApiServer(Path apiserver, String etcdUrl, List<String> extraFlags) {
        List<String> command = new ArrayList<>(List.of(
                apiserver.toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--cert-dir=" + run.resolve("apiserver-certs"),
                "--tls-cert-file=" + pki.servingCert(),
                "--tls-private-key-file=" + pki.servingKey(),
                "--client-ca-file=" + pki.caCert(),
                "--authorization-mode=Node,RBAC",
                "--requestheader-client-ca-file=" + pki.frontProxyCaCert(),
                "--requestheader-allowed-names=" + LocalPki.FRONT_PROXY_CLIENT,
                "--requestheader-username-headers=X-Remote-User",
                "--requestheader-group-headers=X-Remote-Group",
                "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                "--proxy-client-cert-file=" + pki.frontProxy().cert(),
                "--proxy-client-key-file=" + pki.frontProxy().key(),
                "--service-cluster-ip-range=10.0.0.0/16", // room for scale tests: 65k Service IPs
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + pki.serviceAccountKey(),
                "--service-account-signing-key-file=" + pki.serviceAccountKey(),
                "--disable-admission-plugins=ServiceAccount",
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false",
                "--profiling=false"));
        command.addAll(extraFlags);
        apiServerCommand = List.copyOf(command);
        processes.start(API_SERVER, apiServerCommand);
    }

    /**
     * Stops the API server and starts it again on the same port with the same etcd, so every client sees its watches
     * break and must reconnect (and relist when its resourceVersion is gone). Blocks until ready again.
     */
    public synchronized void restartApiServer() {
        processes.stop(API_SERVER);
        processes.start(API_SERVER, apiServerCommand);
        awaitReady();
        LOG.info("local kube-apiserver restarted on {}", url());
    }

    /** Ready when {@code /readyz} answers ok to the admin and namespace {@code default} exists. */
    private void awaitReady() {
        await("kube-apiserver ready", client -> {
            String readyz = client.raw("/readyz");
            if (!"ok".equals(readyz)) {
                return Optional.of("/readyz answered " + readyz);
            }
            if (client.namespaces().withName("default").get() == null) {
                return Optional.of("namespace default not created yet");
            }
            version = client.getKubernetesVersion().getGitVersion();
            return Optional.empty();
        });
    }

    /** Polls {@code problem} until it finds none; fails at once when a process exits, else after a generous timeout. */
    private void await(String what, Function<KubernetesClient, Optional<String>> problem) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastProblem = "not checked yet";
        while (System.nanoTime() < deadline) {
            processes.requireAlive();
            try {
                Optional<String> found = problem.apply(adminClient());
                if (found.isEmpty()) {
                    return;
                }
                lastProblem = found.get();
            } catch (RuntimeException e) {
                lastProblem = e.getMessage();
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("local cluster: " + what + " not reached within " + READY_TIMEOUT.toSeconds()
                + " s (" + lastProblem + "); last log lines:\n" + processes.logTails());
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
