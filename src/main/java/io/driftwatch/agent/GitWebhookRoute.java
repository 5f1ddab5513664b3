package io.driftwatch.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.source.git.GitWebhook;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/git}: a GitHub or GitLab push, verified against the secret, fetches the matching apps'
 * repositories at once instead of at their next poll. Verification reads the secret file, so it runs on the
 * "driftwatch-http" pool, off the event loop.
 */
final class GitWebhookRoute {

    private static final Logger LOG = LoggerFactory.getLogger(GitWebhookRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BODY_LIMIT = 5L << 20; // GitHub caps payloads at 25 MB; pushes are far smaller

    private final GitWebhook webhook;
    private final Apps apps;
    private final ExecutorService blocking;

    /** @param webhook null when no secret is configured: every request is answered 404 */
    GitWebhookRoute(GitWebhook webhook, Apps apps, ExecutorService blocking) {
        this.webhook = webhook;
        this.apps = apps;
        this.blocking = blocking;
    }

    /**
     * Mounts {@code POST /hooks/git} before the route exists: until the agent is assembled ({@code route} gives null)
     * it answers 503.
     */
    static void mount(Router router, Supplier<GitWebhookRoute> route) {
        router.post("/hooks/git")
                .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT))
                .handler(ctx -> {
                    GitWebhookRoute r = route.get();
                    if (r == null) {
                        ctx.response().setStatusCode(503).end("the agent is starting\n");
                    } else {
                        r.handle(ctx);
                    }
                });
    }

    void handle(RoutingContext ctx) {
        if (webhook == null) {
            ctx.response().setStatusCode(404).end("no webhook secret configured (sources.git.webhookSecretFile)\n");
            return;
        }
        Map<String, String> headers = new HashMap<>();
        ctx.request().headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        byte[] body =
                ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        AgentPools.call(blocking, ctx.vertx().getOrCreateContext(), () -> webhook.verify(headers, body))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.response().setStatusCode(500).end("webhook failed\n");
                        return;
                    }
                    answer(ctx, ar.result());
                });
    }

    private void answer(RoutingContext ctx, GitWebhook.Result result) {
        List<String> refreshed = apps.refresh(result);
        if (result.accepted()) {
            LOG.info("git webhook: {}; refreshing {}", result.message(), refreshed.isEmpty() ? "nothing" : refreshed);
        } else {
            LOG.warn("git webhook rejected with {}: {}", result.status(), result.message());
        }
        ctx.response()
                .setStatusCode(result.status())
                .putHeader("content-type", "application/json")
                .end(JSON.createObjectNode()
                        .put("message", result.message())
                        .set("refreshed", JSON.valueToTree(refreshed))
                        .toString());
    }
}
