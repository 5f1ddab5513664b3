package io.driftwatch.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.hub.StoreModel.ClusterRow;
import io.driftwatch.hub.StoreModel.DriftQuery;
import io.driftwatch.hub.StoreModel.DriftRow;
import io.driftwatch.hub.StoreModel.EventRow;
import io.driftwatch.hub.StoreModel.HistoryQuery;
import io.vertx.core.MultiMap;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read API (read tokens only), described in src/main/openapi/hub-api.yaml: clusters, open drifts with filters and
 * keyset pagination, one drift with its changes and history, history of events. Queries run on the database pool.
 */
final class ReadApi {

    private static final Logger LOG = LoggerFactory.getLogger(ReadApi.class);
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private static final String PRINCIPAL = "driftwatch.principal";

    private final Console console;
    private final Supplier<HubStore> store;
    private final WorkerExecutor dbPool;
    private final Clock clock;
    private final long downAfterMs;

    ReadApi(Console console, Supplier<HubStore> store, WorkerExecutor dbPool, Clock clock, long downAfterMs) {
        this.console = console;
        this.store = store;
        this.dbPool = dbPool;
        this.clock = clock;
        this.downAfterMs = downAfterMs;
    }

    void mount(Router router, EventStream stream) {
        router.get("/api/v1/*").handler(this::authorize);
        router.get("/api/v1/me").handler(ctx -> Http.json(ctx, 200, Console.me(who(ctx))));
        router.get("/api/v1/clusters").handler(ctx -> answer(ctx, () -> clusters(who(ctx))));
        router.get("/api/v1/drifts").handler(ctx -> answer(ctx, () -> drifts(ctx.queryParams(), who(ctx))));
        router.get("/api/v1/clusters/:cluster/drifts/:id")
                .handler(ctx -> answer(ctx, () -> drift(ctx.pathParam("cluster"), ctx.pathParam("id"), who(ctx))));
        router.get("/api/v1/events/stream").handler(ctx -> subscribe(ctx, stream));
        router.get("/api/v1/events").handler(ctx -> answer(ctx, () -> history(ctx.queryParams(), who(ctx))));
    }

    /** A read token (bearer), a console session cookie or a trusted proxy's user; else 401 (403 for agents). */
    private void authorize(RoutingContext ctx) {
        var principal = console.principal(ctx);
        if (principal.isEmpty()) {
            String header = ctx.request().getHeader("authorization");
            Http.error(
                    ctx,
                    401,
                    "unauthorized",
                    header == null
                            ? "missing bearer token (Authorization: Bearer ...) or console session"
                            : "unknown or malformed bearer token");
            return;
        }
        if (!principal.get().mayRead()) {
            Http.error(ctx, 403, "forbidden", "cluster tokens can only push; use a read token");
            return;
        }
        ctx.put(PRINCIPAL, principal.get());
        ctx.next();
    }

    private static Principal who(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    /** The event stream, narrowed to the clusters the reader may see (resolved once, when it connects). */
    private void subscribe(RoutingContext ctx, EventStream stream) {
        Principal who = who(ctx);
        if (!who.scoped()) {
            stream.subscribe(ctx, clusterFilter(ctx.queryParams()));
            return;
        }
        HubStore s = store.get();
        if (s == null) {
            Http.error(ctx, 503, "starting", "the hub's store is not open yet");
            return;
        }
        Http.blocking(
                        dbPool,
                        () -> ClusterScope.narrow(
                                clusterFilter(ctx.queryParams()),
                                ctx.queryParams().getAll("cluster"),
                                ClusterScope.visible(who, s.clusters()),
                                who))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        stream.subscribe(ctx, ar.result());
                    } else if (ar.cause() instanceof BadRequest e) {
                        Http.error(ctx, e);
                    } else {
                        Http.error(ctx, 500, "query_failed", "the query failed; see the hub's log");
                    }
                });
    }

    private void answer(RoutingContext ctx, Callable<JsonNode> query) {
        HubStore s = store.get();
        if (s == null) {
            Http.error(ctx, 503, "starting", "the hub's store is not open yet");
            return;
        }
        Http.blocking(dbPool, query).onComplete(ar -> {
            if (ar.succeeded()) {
                Http.json(ctx, ar.result().has("error") ? 404 : 200, ar.result());
            } else if (ar.cause() instanceof BadRequest e) {
                Http.error(ctx, e);
            } else {
                LOG.error(
                        "read API query {} failed: {}",
                        ctx.request().path(),
                        ar.cause().toString(),
                        ar.cause());
                Http.error(ctx, 500, "query_failed", "the query failed; see the hub's log");
            }
        });
    }

    private JsonNode clusters(Principal who) throws SQLException {
        ArrayNode items = Http.JSON.createArrayNode();
        long now = clock.millis();
        List<ClusterRow> rows = store.get().clusters();
        Set<String> visible = ClusterScope.visible(who, rows);
        for (ClusterRow c : rows) {
            if (visible != null && !visible.contains(c.name())) {
                continue;
            }
            ObjectNode o = items.addObject();
            o.put("name", c.name());
            o.set("labels", Http.parse(c.labelsJson()));
            o.put("version", c.version());
            o.put("agentId", c.agentId());
            o.put(
                    "lastSeen",
                    c.lastSeenMs() == null
                            ? null
                            : Instant.ofEpochMilli(c.lastSeenMs()).toString());
            o.put("up", c.lastSeenMs() != null && now - c.lastSeenMs() <= downAfterMs);
            o.set("sources", Http.parse(c.sourcesJson()));
            o.put("openDrifts", c.openDrifts());
            o.put("stream", c.stream());
            o.put("stateSeq", c.stateSeq());
            o.put(
                    "snapshotTakenAt",
                    c.snapshotMs() == 0
                            ? null
                            : Instant.ofEpochMilli(c.snapshotMs()).toString());
        }
        ObjectNode body = Http.JSON.createObjectNode();
        body.set("clusters", items);
        return body;
    }

    private JsonNode drifts(MultiMap q, Principal who) throws SQLException {
        int limit = limit(q);
        String[] after = cursor(q.get("cursor"));
        List<String> problems = new ArrayList<>();
        String type = oneOf(q, "type", Protocol.DRIFT_TYPES.stream().sorted().toList(), problems);
        String cause = oneOf(q, "cause", Protocol.CAUSES, problems);
        String actor = q.get("actor");
        if (actor != null && (actor.isEmpty() || actor.length() > Protocol.MAX_ACTOR)) {
            problems.add("actor: a user name of 1 to " + Protocol.MAX_ACTOR + " characters, matched exactly");
        }
        if (!problems.isEmpty()) {
            throw BadRequest.invalid(String.join("; ", problems));
        }
        var page = store.get()
                .drifts(new DriftQuery(
                        clusters(q, who),
                        q.get("namespace"),
                        q.get("app"),
                        q.get("kind"),
                        type,
                        cause,
                        actor,
                        after == null ? null : after[0],
                        after == null ? null : after[1],
                        limit));
        ArrayNode items = Http.JSON.createArrayNode();
        long now = clock.millis();
        page.items().forEach(d -> items.add(driftSummary(d, now)));
        ObjectNode body = Http.JSON.createObjectNode();
        body.set("drifts", items);
        if (page.more()) {
            DriftRow last = page.items().get(page.items().size() - 1);
            body.put("nextCursor", encode(last.cluster() + "\n" + last.driftId()));
        } else {
            body.putNull("nextCursor");
        }
        return body;
    }

    /** The query parameter {@code name} if it is one of {@code allowed} (or absent); otherwise a problem is added. */
    private static String oneOf(MultiMap q, String name, List<String> allowed, List<String> problems) {
        String value = q.get(name);
        if (value != null && !allowed.contains(value)) {
            problems.add(name + ": '" + value + "' is not one of " + allowed);
        }
        return value;
    }

    private JsonNode drift(String cluster, String id, Principal who) throws SQLException {
        clusters(MultiMap.caseInsensitiveMultiMap().add("cluster", cluster), who); // 403 outside the reader's scope
        var open = store.get().drift(cluster, id);
        var events = store.get().history(new HistoryQuery(Set.of(cluster), id, null, null, null, MAX_LIMIT));
        if (open.isEmpty() && events.items().isEmpty()) {
            return Http.JSON
                    .createObjectNode()
                    .put("error", "not_found")
                    .put("message", "no drift " + id + " in cluster " + cluster);
        }
        ObjectNode body;
        if (open.isPresent()) {
            body = driftSummary(open.get(), clock.millis());
            body.put("open", true);
            body.set("drift", Http.parse(open.get().driftJson()));
        } else {
            EventRow last = events.items().get(0);
            body = Http.JSON
                    .createObjectNode()
                    .put("cluster", cluster)
                    .put("id", id)
                    .put("namespace", last.namespace())
                    .put("kind", last.kind())
                    .put("name", last.name())
                    .put("app", last.app())
                    .put("type", last.driftType())
                    .put("summary", last.summary())
                    .put("onset", Instant.ofEpochMilli(last.onsetMs()).toString())
                    .put("lastSeen", Instant.ofEpochMilli(last.lastSeenMs()).toString())
                    .put("open", false);
            body.put(
                    "resolvedAt",
                    last.resolvedAtMs() == null
                            ? null
                            : Instant.ofEpochMilli(last.resolvedAtMs()).toString());
            body.set("drift", Http.parse(last.driftJson()));
        }
        ArrayNode history = body.putArray("events");
        events.items().forEach(e -> history.add(event(e, false)));
        return body;
    }

    private JsonNode history(MultiMap q, Principal who) throws SQLException {
        int limit = limit(q);
        Long before = null;
        if (q.get("cursor") != null) {
            try {
                before = Long.parseLong(q.get("cursor"));
            } catch (NumberFormatException e) {
                throw BadRequest.invalid("cursor: not a cursor this API returned");
            }
        }
        Long since = null;
        if (q.get("since") != null) {
            try {
                since = Instant.parse(q.get("since")).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw BadRequest.invalid("since: '" + q.get("since") + "' is not an RFC 3339 UTC time");
            }
        }
        String type = q.get("type");
        if (type != null && !Protocol.EVENT_TYPES.contains(type)) {
            throw BadRequest.invalid("type: one of " + Protocol.EVENT_TYPES);
        }
        var page =
                store.get().history(new HistoryQuery(clusters(q, who), q.get("driftId"), type, since, before, limit));
        ArrayNode items = Http.JSON.createArrayNode();
        page.items().forEach(e -> items.add(event(e, true)));
        ObjectNode body = Http.JSON.createObjectNode();
        body.set("events", items);
        if (page.more()) {
            body.put(
                    "nextCursor",
                    String.valueOf(page.items().get(page.items().size() - 1).id()));
        } else {
            body.putNull("nextCursor");
        }
        return body;
    }

    static ObjectNode event(EventRow e, boolean withDrift) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("id", e.id());
        o.put("cluster", e.cluster());
        o.put("stream", e.stream());
        o.put("seq", e.seq());
        o.put("type", e.type());
        o.put("driftId", e.driftId());
        o.put("namespace", e.namespace());
        o.put("kind", e.kind());
        o.put("name", e.name());
        o.put("app", e.app());
        o.put("driftType", e.driftType());
        o.put("summary", e.summary());
        o.put("onset", Instant.ofEpochMilli(e.onsetMs()).toString());
        o.put("lastSeen", Instant.ofEpochMilli(e.lastSeenMs()).toString());
        o.put(
                "resolvedAt",
                e.resolvedAtMs() == null
                        ? null
                        : Instant.ofEpochMilli(e.resolvedAtMs()).toString());
        o.put("receivedAt", Instant.ofEpochMilli(e.receivedMs()).toString());
        if (withDrift) {
            o.set("drift", Http.parse(e.driftJson()));
        }
        return o;
    }

    private static ObjectNode driftSummary(DriftRow d, long now) {
        ObjectNode o = Http.JSON
                .createObjectNode()
                .put("cluster", d.cluster())
                .put("id", d.driftId())
                .put("namespace", d.namespace())
                .put("kind", d.kind())
                .put("name", d.name())
                .put("app", d.app())
                .put("type", d.type())
                .put("cause", d.cause())
                .put("summary", d.summary())
                .put("onset", Instant.ofEpochMilli(d.onsetMs()).toString())
                .put("lastSeen", Instant.ofEpochMilli(d.lastSeenMs()).toString())
                .put("ageSeconds", Math.max(0, now - d.onsetMs()) / 1000);
        whoChanged(Http.parse(d.driftJson()), o);
        return o;
    }

    /**
     * {@code managers} and {@code actors}: the distinct field managers of a drift's changes and the audit actors' user
     * names of its object and changes (actors once agents report them; an empty list before), for filtering the fleet
     * by who changed it.
     */
    static void whoChanged(JsonNode drift, ObjectNode into) {
        Set<String> managers = new TreeSet<>();
        for (JsonNode c : drift.path("changes")) {
            if (c.path("manager").isTextual()) {
                managers.add(c.path("manager").asText());
            }
        }
        Set<String> actors = Protocol.actors(drift);
        managers.forEach(into.putArray("managers")::add);
        actors.forEach(into.putArray("actors")::add);
    }

    /**
     * The clusters a request asks for: {@code cluster=} (repeatable) and {@code label=key=value} (repeatable, all must
     * match, resolved against the labels the agents reported); null when neither is given (every cluster).
     */
    private Set<String> clusters(MultiMap q, Principal who) throws SQLException {
        List<ClusterRow> rows = who.scoped() ? store.get().clusters() : null;
        return ClusterScope.narrow(
                clusters(q, rows), q.getAll("cluster"), rows == null ? null : ClusterScope.visible(who, rows), who);
    }

    /** The clusters the query names or selects by label; {@code rows}: the clusters if already read, else null. */
    private Set<String> clusters(MultiMap q, List<ClusterRow> rows) throws SQLException {
        List<String> names = q.getAll("cluster");
        List<String> labels = q.getAll("label");
        if (names.isEmpty() && labels.isEmpty()) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        if (labels.isEmpty()) {
            out.addAll(names);
            return out;
        }
        Map<String, String> want = new HashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw BadRequest.invalid("label: '" + l + "' is not key=value");
            }
            want.put(l.substring(0, eq), l.substring(eq + 1));
        }
        for (ClusterRow c : rows != null ? rows : store.get().clusters()) {
            if (ClusterScope.matches(want, Http.parse(c.labelsJson()))
                    && (names.isEmpty() || names.contains(c.name()))) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** The {@code cluster=} filter of the event stream (labels are not resolved for it). */
    private static Set<String> clusterFilter(MultiMap q) {
        List<String> names = q.getAll("cluster");
        return names.isEmpty() ? null : Set.copyOf(names);
    }

    private static int limit(MultiMap q) {
        String text = q.get("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw BadRequest.invalid("limit: an integer from 1 to " + MAX_LIMIT);
    }

    private static String[] cursor(String text) {
        if (text == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\n", 2);
            if (parts.length == 2) {
                return parts;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw BadRequest.invalid("cursor: not a cursor this API returned");
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
