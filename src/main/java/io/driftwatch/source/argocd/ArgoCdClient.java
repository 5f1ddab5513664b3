package io.driftwatch.source.argocd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.config.ArgoCdConnection;
import io.driftwatch.net.Tls;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import io.driftwatch.source.argocd.rest.ApiClient;
import io.driftwatch.source.argocd.rest.ApiException;
import io.driftwatch.source.argocd.rest.api.ApplicationApi;
import io.driftwatch.source.argocd.rest.api.SettingsApi;
import io.driftwatch.source.argocd.rest.api.VersionApi;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.source.argocd.rest.model.ApplicationList;
import io.driftwatch.source.argocd.rest.model.ClusterSettings;
import io.driftwatch.source.argocd.rest.model.ManifestResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Argo CD's REST API through the client generated from {@code src/main/openapi/argocd.yaml}: bearer token read from
 * its file on every call (a rotated token is picked up; the token is never logged), TLS per the connection, and every
 * failure turned into a {@link SourceException} whose message names the call and says why — refused credentials
 * ({@link Reason#AUTH}), server errors and timeouts ({@link Reason#FETCH}), bodies that are not the expected JSON
 * ({@link Reason#PARSE}). Blocking; thread-safe.
 */
public final class ArgoCdClient {

    private static final int MAX_BODY_IN_MESSAGE = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArgoCdConnection connection;
    private final URI base;
    private final ApplicationApi applications;
    private final SettingsApi settings;
    private final VersionApi version;
    private final HttpClient http;

    public ArgoCdClient(ArgoCdConnection connection) throws SourceException {
        this.connection = connection;
        this.base = connection.baseUri();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connection.requestTimeout());
        try {
            Tls.trust(builder, connection.caFile(), connection.insecure(), "Argo CD caFile");
        } catch (IOException | GeneralSecurityException e) {
            throw new SourceException(Reason.CONFIG, "Argo CD " + base + ": cannot set up TLS: " + e.getMessage(), e);
        }
        this.http = builder.build();
        ApiClient api = new ApiClient(builder, ApiClient.createDefaultObjectMapper(), base.toString());
        api.setReadTimeout(connection.requestTimeout());
        api.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token()));
        this.applications = new ApplicationApi(api);
        this.settings = new SettingsApi(api);
        this.version = new VersionApi(api);
    }

    public ArgoCdConnection connection() {
        return connection;
    }

    /** The server's base URI (server plus root path). */
    public URI base() {
        return base;
    }

    /** The HTTP client the generated API uses, for the hand-written watch stream. */
    HttpClient http() {
        return http;
    }

    /** The bearer token, read from its file now. Unchecked because the generated client's interceptor cannot throw. */
    String token() {
        try {
            return Files.readString(connection.tokenFile(), StandardCharsets.UTF_8)
                    .strip();
        } catch (IOException e) {
            throw new TokenUnreadable(connection.tokenFile() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** {@code GET /api/version}: the server's version string (e.g. v3.5.1+109ca7c). */
    public String version() throws SourceException {
        return call("GET /api/version", null, () -> version.version().getVersion());
    }

    /** {@code GET /api/v1/settings}: tracking method, app label key, resource overrides. */
    public ClusterSettings settings() throws SourceException {
        return call("GET /api/v1/settings", null, settings::getSettings);
    }

    /**
     * The fields a list keeps ({@code fields} query parameter, as Argo CD's UI uses it): the list's resource version
     * and each app's identity, not the whole Applications (their specs, statuses and managed fields).
     */
    static final String LIST_FIELDS =
            "metadata.resourceVersion,items.metadata.name,items.metadata.namespace," + "items.metadata.resourceVersion";

    /**
     * {@code GET /api/v1/applications} filtered by projects (empty: all) and a label selector (null: none), narrowed
     * to {@link #LIST_FIELDS}.
     */
    public ApplicationList listApplications(List<String> projects, String selector, String appNamespace)
            throws SourceException {
        return call(
                "GET /api/v1/applications",
                null,
                () -> applications.listApplications(
                        projects.isEmpty() ? null : projects,
                        blankToNull(selector),
                        blankToNull(appNamespace),
                        null,
                        LIST_FIELDS));
    }

    /** {@code GET /api/v1/applications/{name}}. */
    public Application application(String name, String appNamespace) throws SourceException {
        return call(
                "GET /api/v1/applications/" + name,
                name,
                () -> applications.getApplication(name, blankToNull(appNamespace), null));
    }

    /**
     * {@code GET /api/v1/applications/{name}/manifests} at {@code revision} (null: the app's target revision), or for
     * a multi-source app at {@code revisions} of the sources at {@code sourcePositions} (1-based).
     */
    public ManifestResponse manifests(
            String name,
            String appNamespace,
            String project,
            String revision,
            List<Long> sourcePositions,
            List<String> revisions)
            throws SourceException {
        return call(
                "GET /api/v1/applications/" + name + "/manifests",
                name,
                () -> applications.getManifests(
                        name,
                        blankToNull(revision),
                        blankToNull(appNamespace),
                        blankToNull(project),
                        sourcePositions.isEmpty() ? null : sourcePositions,
                        revisions.isEmpty() ? null : revisions));
    }

    private interface Call<T> {
        T run() throws ApiException;
    }

    private <T> T call(String what, String app, Call<T> call) throws SourceException {
        String where = "Argo CD " + base + ": " + what;
        T result;
        try {
            result = call.run();
        } catch (TokenUnreadable e) {
            throw new SourceException(Reason.CONFIG, where + ": the token file " + e.getMessage(), e);
        } catch (ApiException e) {
            throw failure(where, app, e);
        }
        if (result == null) {
            throw new SourceException(Reason.PARSE, where + ": empty answer (expected a JSON object)");
        }
        return result;
    }

    static SourceException failure(String where, String app, ApiException e) {
        int code = e.getCode();
        if (code == 0) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof JsonProcessingException json) {
                return new SourceException(
                        Reason.PARSE,
                        where + ": malformed answer (not the expected JSON): " + json.getOriginalMessage(),
                        e);
            }
            if (cause instanceof HttpTimeoutException) {
                return new SourceException(Reason.FETCH, where + ": timed out (" + cause.getMessage() + ")", e);
            }
            return new SourceException(Reason.FETCH, where + ": cannot connect: " + cause, e);
        }
        String detail = serverMessage(e.getResponseBody());
        if (code == 401) {
            return new SourceException(
                    Reason.AUTH,
                    where + ": 401 unauthenticated — the token was refused (expired, "
                            + "revoked, or not an Argo CD token)" + detail,
                    e);
        }
        if (code == 403) {
            return new SourceException(
                    Reason.AUTH,
                    where + ": 403 permission denied — the token may not read "
                            + (app == null ? "this" : "app " + app)
                            + " (it needs 'applications, get'; Argo CD also answers 403 "
                            + "for an app that does not exist)" + detail,
                    e);
        }
        if (code >= 500) {
            return new SourceException(Reason.FETCH, where + ": server error " + code + detail, e);
        }
        return new SourceException(Reason.FETCH, where + ": HTTP " + code + detail, e);
    }

    /** The "message" of an error body in grpc-gateway's shape, or the start of the body; never the whole of it. */
    private static String serverMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.hasNonNull("message")) {
                text = node.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: quote the start of the body
        }
        return ": " + (text.length() > MAX_BODY_IN_MESSAGE ? text.substring(0, MAX_BODY_IN_MESSAGE) + "…" : text);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The token file could not be read inside the generated client's request interceptor. */
    private static final class TokenUnreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TokenUnreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
