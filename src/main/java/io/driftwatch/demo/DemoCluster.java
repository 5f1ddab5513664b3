package io.driftwatch.demo;

import io.driftwatch.localkube.LocalKubeBinaries;
import io.driftwatch.localkube.LocalKubeCluster;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The demo's Kubernetes API server: a real etcd + kube-apiserver with the cluster's own controllers
 * (kube-controller-manager, kube-scheduler) reconciling ({@link LocalKubeCluster}, the binaries the tests
 * use) or fabric8's in-memory API server in CRUD mode. What each backend can show differs and is said to the user:
 * the in-memory server keeps no managedFields (no field-manager attribution, no out-of-band added fields), has no
 * server-side apply (objects are created instead), no defaulting, admission, OpenAPI or RBAC.
 */
public final class DemoCluster implements AutoCloseable {

    /** Which API server the demo runs. */
    public enum Backend {
        /** The real one when its binaries are built, else the in-memory one. */
        AUTO,
        REAL,
        MOCK
    }

    /** MockWebServer logs every request at INFO through java.util.logging; kept here so the level sticks. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    /** The field manager the example is applied with: one of the appliers the diff rules know (Argo CD's). */
    public static final String APPLIER = "argocd-controller";

    private final Backend backend;
    private final String description;
    private final List<String> limits;
    private final Config config;
    private final KubernetesClient client;
    private final String kubectl;
    private final AutoCloseable server;

    private DemoCluster(
            Backend backend,
            String description,
            List<String> limits,
            Config config,
            String kubectl,
            AutoCloseable server) {
        this.backend = backend;
        this.description = description;
        this.limits = limits;
        this.config = config;
        this.kubectl = kubectl;
        this.server = server;
        this.client = new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Starts the backend asked for. {@code REAL} fails with the message of {@link LocalKubeBinaries#find()} when the
     * binaries are not built; {@code AUTO} then falls back to the in-memory server.
     */
    public static DemoCluster start(Backend backend) {
        Optional<LocalKubeBinaries> binaries = LocalKubeBinaries.tryFind();
        return switch (backend) {
            case REAL -> real(binaries.orElseGet(LocalKubeBinaries::find));
            case MOCK -> mock("--backend mock");
            case AUTO ->
                binaries.map(DemoCluster::real)
                        .orElseGet(() -> mock("the local control plane's binaries "
                                + "are not built (scripts/test-binaries.sh builds them; needs Go >= 1.24)"));
        };
    }

    private static DemoCluster real(LocalKubeBinaries binaries) {
        LocalKubeCluster cluster = LocalKubeCluster.start(binaries);
        return new DemoCluster(
                Backend.REAL,
                "a real kube-apiserver " + cluster.version() + " + etcd on " + cluster.url()
                        + " with kube-controller-manager and kube-scheduler (binaries: "
                        + binaries.kubeApiserver().getParent()
                        + ")",
                List.of(),
                cluster.adminConfig(),
                binaries.kubectl() + " --kubeconfig " + cluster.kubeconfig(),
                cluster);
    }

    private static DemoCluster mock(String why) {
        MOCK_LOG.setLevel(Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                responses,
                new KubernetesMixedDispatcher(responses),
                false,
                new VersionInfo.Builder()
                        .withMajor("1")
                        .withMinor("36")
                        .withGitVersion("v1.36.0-fabric8-mock")
                        .build());
        server.start(InetAddress.getLoopbackAddress(), 0);
        serveDiscovery(server);
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url("/"))
                .withNamespace("default")
                .withHttp2Disable(true)
                .withRequestRetryBackoffLimit(0)
                .build();
        List<String> limits = List.of(
                "it keeps no managedFields: drift is not attributed to a field manager (no \"kubectl-edit\"), and "
                        + "fields added out of band (a new env var, a new port) cannot be told from server defaults, "
                        + "so only changed desired fields are reported",
                "it has no server-side apply: the example is created, not applied as " + APPLIER,
                "no defaulting, admission webhooks, OpenAPI schemas (list keys come from driftwatch's built-in table) "
                        + "or RBAC");
        return new DemoCluster(
                Backend.MOCK,
                "fabric8's in-memory API server (kubernetes-server-mock, CRUD mode) on " + server.url("/")
                        + ", because " + why,
                limits,
                config,
                null,
                server::shutdown);
    }

    /**
     * The in-memory server answers CRUD requests but not discovery or OpenAPI: serve what the agent asks for — the
     * example's kinds plus Events — and an empty OpenAPI v3 index.
     */
    private static void serveDiscovery(KubernetesMockServer server) {
        server.expect()
                .get()
                .withPath("/api/v1")
                .andReturn(
                        200,
                        new APIResourceListBuilder()
                                .withGroupVersion("v1")
                                .withResources(
                                        resource("namespaces", "Namespace", false),
                                        resource("configmaps", "ConfigMap", true),
                                        resource("services", "Service", true),
                                        resource("events", "Event", true))
                                .build())
                .always();
        server.expect()
                .get()
                .withPath("/apis")
                .andReturn(
                        200,
                        new APIGroupListBuilder()
                                .withGroups(new APIGroupBuilder()
                                        .withName("apps")
                                        .withVersions(new GroupVersionForDiscoveryBuilder()
                                                .withGroupVersion("apps/v1")
                                                .withVersion("v1")
                                                .build())
                                        .withPreferredVersion(new GroupVersionForDiscoveryBuilder()
                                                .withGroupVersion("apps/v1")
                                                .withVersion("v1")
                                                .build())
                                        .build())
                                .build())
                .always();
        server.expect()
                .get()
                .withPath("/apis/apps/v1")
                .andReturn(
                        200,
                        new APIResourceListBuilder()
                                .withGroupVersion("apps/v1")
                                .withResources(resource("deployments", "Deployment", true))
                                .build())
                .always();
        server.expect()
                .get()
                .withPath("/openapi/v3")
                .andReturn(200, Map.of("paths", Map.of()))
                .always();
    }

    private static APIResource resource(String plural, String kind, boolean namespaced) {
        return new APIResourceBuilder()
                .withName(plural)
                .withKind(kind)
                .withNamespaced(namespaced)
                .withVerbs("create", "delete", "get", "list", "patch", "update", "watch")
                .build();
    }

    /**
     * Puts the example in the cluster as a GitOps tool would: server-side apply as {@value #APPLIER} on the real
     * server, a plain create on the in-memory one.
     */
    public void apply(HasMetadata object, String namespace) {
        if (!isClusterScoped(object)) {
            object.getMetadata().setNamespace(namespace);
        }
        if (backend == Backend.REAL) {
            client.resource(object).fieldManager(APPLIER).forceConflicts().serverSideApply();
        } else {
            client.resource(object).create();
        }
    }

    private static boolean isClusterScoped(HasMetadata object) {
        return object.getKind().equals("Namespace");
    }

    public Backend backend() {
        return backend;
    }

    /** One line saying which API server runs and where. */
    public String description() {
        return description;
    }

    /** What this backend cannot show; empty for the real API server. */
    public List<String> limits() {
        return limits;
    }

    /** The client configuration for the agent. */
    public Config config() {
        return config;
    }

    /** The demo's own admin client (owned by this object). */
    public KubernetesClient client() {
        return client;
    }

    /** The kubectl command line for this cluster (binary and {@code --kubeconfig}), on the real backend only. */
    public Optional<String> kubectl() {
        return Optional.ofNullable(kubectl);
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.close();
    }
}
