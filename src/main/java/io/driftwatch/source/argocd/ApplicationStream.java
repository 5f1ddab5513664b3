package io.driftwatch.source.argocd;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.net.Backoff;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.argocd.rest.ApiClient;
import io.driftwatch.source.argocd.rest.ApiException;
import io.driftwatch.source.argocd.rest.model.Application;
import io.driftwatch.source.argocd.rest.model.ApplicationList;
import io.driftwatch.source.argocd.rest.model.ApplicationStreamResult;
import io.driftwatch.source.argocd.rest.model.ApplicationWatchEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Argo CD's application watch stream ({@code GET /api/v1/stream/applications}: newline-delimited JSON, one
 * {@code {"result": {"type", "application"}}} per line), which the generated client cannot read. It lists first and
 * resumes the stream from the list's resource version, so the server sends only later changes; when the stream ends
 * or fails it waits per {@link Backoff}, lists again (changes made while disconnected are not replayed by the
 * server) and reconnects. Runs on its own daemon thread until {@link #close()}; never throws to its caller.
 */
public final class ApplicationStream implements AutoCloseable {

    /** Receives what the stream learns; called on the stream's thread. */
    public interface Listener {
        /** A full list (at start, after every reconnect and on {@link #relist()}): these apps exist, no others. */
        void listed(List<Application> apps);

        /** One change: {@code type} is ADDED, MODIFIED or DELETED. */
        void changed(String type, Application app);

        /** Listing or the stream failed; the stream retries by itself. */
        void failed(SourceException error);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationStream.class);
    /** A stream that ends sooner than this after connecting counts as failed (backoff before the next attempt). */
    private static final Duration SHORTEST_HEALTHY_STREAM = Duration.ofSeconds(5);

    private final ArgoCdSource source;
    private final Listener listener;
    private final ObjectMapper json = ApiClient.createDefaultObjectMapper();
    private final Backoff backoff = new Backoff(Math::random);
    private final Thread thread;
    private volatile boolean closed;
    private volatile InputStream body;
    private volatile String resourceVersion;
    private volatile int connections;

    public ApplicationStream(ArgoCdSource source, Listener listener) {
        this.source = source;
        this.listener = listener;
        this.thread = new Thread(this::run, "driftwatch-argocd-stream");
        this.thread.setDaemon(true);
    }

    public ApplicationStream start() {
        thread.start();
        return this;
    }

    /** How many times the stream has connected (diagnostics and tests). */
    public int connections() {
        return connections;
    }

    /** Lists now and tells the listener (the periodic fallback for changes a stream may have missed). */
    public void relist() {
        try {
            ApplicationList list = source.list();
            if (list.getMetadata() != null && list.getMetadata().getResourceVersion() != null) {
                resourceVersion = list.getMetadata().getResourceVersion();
            }
            listener.listed(list.getItems() == null ? List.of() : list.getItems());
        } catch (SourceException e) {
            listener.failed(e);
        }
    }

    private void run() {
        while (!closed) {
            relist();
            long started = System.nanoTime();
            try {
                follow();
                if (closed) {
                    return;
                }
                if (System.nanoTime() - started < SHORTEST_HEALTHY_STREAM.toNanos()) {
                    // a stream the server ends at once is a failure too: never relist and reconnect in a tight loop
                    Duration wait = backoff.failed();
                    LOG.warn(
                            "Argo CD {}: the application stream ended at once; reconnecting in {} ms",
                            source.client().base(),
                            wait.toMillis());
                    sleep(wait);
                } else {
                    backoff.succeeded();
                    LOG.info(
                            "Argo CD {}: the application stream ended; reconnecting",
                            source.client().base());
                }
            } catch (SourceException e) {
                if (closed) {
                    return;
                }
                listener.failed(e);
                Duration wait = backoff.failed();
                LOG.warn("{}; reconnecting in {} ms", e.getMessage(), wait.toMillis());
                sleep(wait);
            } catch (RuntimeException e) {
                LOG.error(
                        "Argo CD {}: unexpected failure in the application stream",
                        source.client().base(),
                        e);
                sleep(backoff.failed());
            }
        }
    }

    private void follow() throws SourceException {
        URI uri = streamUri();
        String where = "Argo CD " + source.client().base() + ": GET /api/v1/stream/applications";
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token(where))
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = source.client().http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new SourceException(SourceException.Reason.FETCH, where + ": cannot connect: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            return;
        }
        body = response.body();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                String text = lines.lines().limit(20).reduce("", (a, b) -> a + b);
                throw ArgoCdClient.failure(
                        where,
                        null,
                        new ApiException(response.statusCode(), "stream refused", response.headers(), text));
            }
            connections++;
            LOG.info(
                    "Argo CD {}: following the application stream from resource version {}",
                    source.client().base(),
                    resourceVersion);
            String line;
            while (!closed && (line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    handle(where, line);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                throw new SourceException(SourceException.Reason.FETCH, where + ": the stream broke: " + e, e);
            }
        }
    }

    private void handle(String where, String line) throws SourceException {
        ApplicationStreamResult result;
        try {
            result = json.readValue(line, ApplicationStreamResult.class);
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Reason.PARSE, where + ": malformed stream line: " + e.getMessage(), e);
        }
        if (result.getError() != null) {
            int status = result.getError().getHttpCode() == null
                    ? 0
                    : result.getError().getHttpCode();
            throw ArgoCdClient.failure(
                    where,
                    null,
                    new ApiException(
                            status,
                            "stream error",
                            null,
                            json.valueToTree(result.getError()).toString()));
        }
        ApplicationWatchEvent event = result.getResult();
        if (event == null || event.getApplication() == null) {
            return;
        }
        Application app = event.getApplication();
        if (app.getMetadata() != null && app.getMetadata().getResourceVersion() != null) {
            resourceVersion = app.getMetadata().getResourceVersion();
        }
        listener.changed(event.getType() == null ? "MODIFIED" : event.getType(), app);
    }

    private URI streamUri() {
        List<String> query = new ArrayList<>();
        source.projects().forEach(p -> query.add("projects=" + encode(p)));
        if (source.selector() != null && !source.selector().isBlank()) {
            query.add("selector=" + encode(source.selector()));
        }
        if (source.appNamespace() != null && !source.appNamespace().isBlank()) {
            query.add("appNamespace=" + encode(source.appNamespace()));
        }
        if (resourceVersion != null) {
            query.add("resourceVersion=" + encode(resourceVersion));
        }
        return URI.create(source.client().base() + "/api/v1/stream/applications"
                + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    }

    private String token(String where) throws SourceException {
        try {
            return source.client().token();
        } catch (RuntimeException e) {
            throw new SourceException(SourceException.Reason.CONFIG, where + ": the token file " + e.getMessage(), e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops following: the open connection is closed and the thread ends. */
    @Override
    public void close() {
        closed = true;
        InputStream open = body;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.debug("closing the application stream: {}", e.toString());
            }
        }
        thread.interrupt();
    }
}
