package io.driftwatch.cli;

import io.driftwatch.localkube.LocalKubeCluster;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS server {@link CdsTraining}'s cluster diff talks to at build time, so that the class-data archive the build
 * writes holds what a diff against a real cluster loads: the TLS handshake with a client certificate, HTTP, aggregated
 * discovery, the OpenAPI index and documents, typed lists and metadata lists, and their decoding. It answers those
 * requests for one namespace ({@code shop}) with a Deployment and a ConfigMap, in the shapes a kube-apiserver sends
 * (Kubernetes 1.36); anything else gets a 404 {@code Status}. Its answers are never a verdict: the training run's output
 * is discarded, and tests run against real API servers. Not for anything but the build's training run.
 *
 * <p>It runs in a JVM of its own ({@link #main}, started by the training run), so that neither its classes (the HTTP
 * server's, Bouncy Castle's for the certificates) nor anything else it loads goes into the archive: every one-shot run
 * maps the whole archive, and classes it never uses only add to its resident memory.
 */
final class CdsTrainingServer implements AutoCloseable {

    /** What {@link #main} prints once the kubeconfig is written and the server listens. */
    static final String READY = "cds-training-server ready";

    private static final String JSON = "application/json";

    private static final String CORE_DISCOVERY = """
            {"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[
             {"metadata":{},"versions":[{"version":"v1","freshness":"Current","resources":[
              %s,%s,%s,%s,
              {"resource":"namespaces","responseKind":{"group":"","version":"","kind":"Namespace"},"scope":"Cluster",
               "singularResource":"namespace","verbs":["create","delete","get","list","patch","update","watch"],
               "shortNames":["ns"]}]}]}]}
            """.formatted(
                    resource("", "configmaps", "ConfigMap", "configmap", "cm"),
                    resource("", "secrets", "Secret", "secret", null),
                    resource("", "services", "Service", "service", "svc"),
                    resource("", "serviceaccounts", "ServiceAccount", "serviceaccount", "sa"));

    private static final String GROUP_DISCOVERY =
            """
            {"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[
             {"metadata":{"name":"apps"},"versions":[{"version":"v1","freshness":"Current","resources":[%s]}]}]}
            """.formatted(resource("apps", "deployments", "Deployment", "deployment", "deploy"));

    private static final String OPENAPI_INDEX = """
            {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1"},
             "apis/apps/v1":{"serverRelativeURL":"/openapi/v3/apis/apps/v1"}}}
            """;

    private static final String OBJECT_META = """
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta":{"type":"object","properties":{
             "name":{"type":"string"},"namespace":{"type":"string"},
             "labels":{"type":"object","additionalProperties":{"type":"string","default":""}},
             "annotations":{"type":"object","additionalProperties":{"type":"string","default":""}}}}
            """;

    private static final String CORE_OPENAPI = """
            {"openapi":"3.0.0","components":{"schemas":{%s,
             "io.k8s.api.core.v1.ConfigMap":{"type":"object","properties":{
              "apiVersion":{"type":"string"},"kind":{"type":"string"},
              "data":{"type":"object","additionalProperties":{"type":"string","default":""}},
              "metadata":{"default":{},"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]}},
              "x-kubernetes-group-version-kind":[{"group":"","kind":"ConfigMap","version":"v1"}]}}}}
            """.formatted(OBJECT_META);

    private static final String APPS_OPENAPI = """
            {"openapi":"3.0.0","components":{"schemas":{%s,
             "io.k8s.api.apps.v1.Deployment":{"type":"object","properties":{
              "apiVersion":{"type":"string"},"kind":{"type":"string"},
              "metadata":{"default":{},"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]},
              "spec":{"default":{},"allOf":[{"$ref":"#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}]}},
              "x-kubernetes-group-version-kind":[{"group":"apps","kind":"Deployment","version":"v1"}]},
             "io.k8s.api.apps.v1.DeploymentSpec":{"type":"object","properties":{
              "replicas":{"type":"integer","format":"int32"},
              "revisionHistoryLimit":{"type":"integer","format":"int32","default":10},
              "template":{"default":{},"allOf":[{"$ref":"#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec"}]}}},
             "io.k8s.api.core.v1.PodTemplateSpec":{"type":"object","properties":{
              "spec":{"default":{},"allOf":[{"$ref":"#/components/schemas/io.k8s.api.core.v1.PodSpec"}]}}},
             "io.k8s.api.core.v1.PodSpec":{"type":"object","properties":{
              "containers":{"type":"array","items":{"default":{},"allOf":[{"$ref":"#/components/schemas/io.k8s.api.core.v1.Container"}]},
               "x-kubernetes-list-map-keys":["name"],"x-kubernetes-list-type":"map",
               "x-kubernetes-patch-merge-key":"name","x-kubernetes-patch-strategy":"merge"}}},
             "io.k8s.api.core.v1.Container":{"type":"object","properties":{
              "name":{"type":"string","default":""},"image":{"type":"string"},
              "ports":{"type":"array","items":{"default":{},"allOf":[{"$ref":"#/components/schemas/io.k8s.api.core.v1.ContainerPort"}]},
               "x-kubernetes-list-map-keys":["containerPort","protocol"],"x-kubernetes-list-type":"map"},
              "resources":{"type":"object","properties":{"requests":{"type":"object",
               "additionalProperties":{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"}}}}}},
             "io.k8s.api.core.v1.ContainerPort":{"type":"object","properties":{
              "containerPort":{"type":"integer","format":"int32","default":0},
              "protocol":{"type":"string","default":"TCP"}}},
             "io.k8s.apimachinery.pkg.api.resource.Quantity":{"type":"string"}}}}
            """.formatted(OBJECT_META);

    private static final String MANAGED_FIELDS = """
            "managedFields":[
             {"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1",
              "time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}},
             {"manager":"kubectl-edit","operation":"Update","apiVersion":"apps/v1","time":"2026-01-02T00:00:00Z",
              "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:template":{"f:spec":{"f:containers":
               {"k:{\\"name\\":\\"web\\"}":{"f:image":{}}}}}}}}]
            """;

    private static final String DEPLOYMENTS = """
            {"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"1002"},"items":[
             {"metadata":{"name":"web","namespace":"shop","uid":"7d0c5a54-1111-4d8e-9c39-000000000001",
               "resourceVersion":"1001","generation":2,"creationTimestamp":"2026-01-01T00:00:00Z",
               "labels":{"app":"web"},%s},
              "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"revisionHistoryLimit":10,
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web",
                "image":"registry.example.com/web:1.1","ports":[{"containerPort":8080,"protocol":"TCP"}],
                "resources":{"requests":{"cpu":"100m","memory":"128Mi"}}}]}}},
              "status":{"observedGeneration":2,"replicas":2,"readyReplicas":2}}]}
            """.formatted(MANAGED_FIELDS);

    private static final String CONFIG_MAPS = """
            {"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"1002"},"items":[
             {"metadata":{"name":"web","namespace":"shop","uid":"7d0c5a54-1111-4d8e-9c39-000000000002",
               "resourceVersion":"1000","creationTimestamp":"2026-01-01T00:00:00Z",
               "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"v1",
                "time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:mode":{}}}}]},
              "data":{"mode":"staging"}}]}
            """;

    private static final String METADATA_LIST = """
            {"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"1002"},
             "items":[{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"default",
              "namespace":"shop","uid":"7d0c5a54-1111-4d8e-9c39-000000000003","resourceVersion":"900",
              "creationTimestamp":"2026-01-01T00:00:00Z"}}]}
            """;

    private static final String NOT_FOUND = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find \
            the requested resource","reason":"NotFound","details":{},"code":404}
            """;

    private static final Map<String, String> ANSWERS = Map.of(
            "/api", CORE_DISCOVERY,
            "/apis", GROUP_DISCOVERY,
            "/openapi/v3", OPENAPI_INDEX,
            "/openapi/v3/api/v1", CORE_OPENAPI,
            "/openapi/v3/apis/apps/v1", APPS_OPENAPI,
            "/apis/apps/v1/namespaces/shop/deployments", DEPLOYMENTS,
            "/api/v1/namespaces/shop/configmaps", CONFIG_MAPS);

    private final Vertx vertx;
    private final HttpServer server;

    private CdsTrainingServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * {@code CdsTrainingServer DIR}: writes a fresh CA with serving and admin certificates into DIR, listens, writes
     * {@code DIR/kubeconfig} for its address, prints {@link #READY} and serves until its standard input closes.
     */
    public static void main(String[] args) throws Exception {
        LocalKubeCluster.LocalTls tls = LocalKubeCluster.writeLocalTls(Path.of(args[0]));
        try (CdsTrainingServer server = start(tls)) {
            tls.writeKubeconfig(server.url());
            System.out.println(READY);
            System.out.flush();
            while (System.in.read() >= 0) {
                // serves on its event loop until the training run closes the pipe (or ends)
            }
        }
        System.exit(0);
    }

    /** Listens on 127.0.0.1 (a free port) with the serving certificate of {@code tls}, asking for client certificates. */
    static CdsTrainingServer start(LocalKubeCluster.LocalTls tls) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(tls.servingCert().toString())
                        .setKeyPath(tls.servingKey().toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(tls.caCert().toString()))
                .setClientAuth(ClientAuth.REQUEST);
        try {
            HttpServer server = vertx.createHttpServer(options)
                    .requestHandler(CdsTrainingServer::answer)
                    .listen()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            return new CdsTrainingServer(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    /** Where a client reaches it. */
    String url() {
        return "https://127.0.0.1:" + server.actualPort();
    }

    private static void answer(HttpServerRequest request) {
        String body = ANSWERS.get(request.path());
        int status = 200;
        if (body == null) {
            String accept = request.getHeader("Accept");
            if (accept != null && accept.contains("as=PartialObjectMetadataList")) {
                body = METADATA_LIST;
            } else {
                body = NOT_FOUND;
                status = 404;
            }
        }
        request.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String resource(String group, String plural, String kind, String singular, String shortName) {
        return """
                {"resource":"%s","responseKind":{"group":"%s","version":"v1","kind":"%s"},"scope":"Namespaced",\
                "singularResource":"%s","verbs":["create","delete","deletecollection","get","list","patch",\
                "update","watch"]%s}""".formatted(
                plural, group, kind, singular, shortName == null ? "" : ",\"shortNames\":[\"" + shortName + "\"]");
    }
}
