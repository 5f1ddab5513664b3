package io.driftwatch.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** Builds protocol bodies (docs/hub-protocol.md) for tests, as an agent would send them. */
final class HubBodies {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    /** A drift: id, object, type and cause (out-of-band unless given); the rest derived. */
    record D(String id, String namespace, String kind, String name, String app, String type, String cause) {
        D(String id, String namespace, String kind, String name, String app, String type) {
            this(id, namespace, kind, name, app, type, "out-of-band");
        }

        static D of(String id, String namespace, String kind, String name) {
            return new D(id, namespace, kind, name, "shop", "modified");
        }

        D app(String value) {
            return new D(id, namespace, kind, name, value, type, cause);
        }

        D type(String value) {
            return new D(id, namespace, kind, name, app, value, cause);
        }

        D cause(String value) {
            return new D(id, namespace, kind, name, app, type, value);
        }
    }

    private HubBodies() {}

    static ObjectNode drift(D d, String change) {
        ObjectNode o = JSON.createObjectNode()
                .put("driftId", d.id())
                .put("onset", T0.toString())
                .put("lastSeen", T0.plusSeconds(60).toString());
        ObjectNode drift = o.putObject("drift");
        drift.put("group", "apps")
                .put("version", "v1")
                .put("kind", d.kind())
                .put("namespace", d.namespace())
                .put("name", d.name())
                .put("app", d.app())
                .put("type", d.type())
                .put("cause", d.cause())
                .put("summary", d.kind() + " " + d.namespace() + "/" + d.name() + ": " + change);
        ArrayNode changes = drift.putArray("changes");
        changes.addObject()
                .put("field", "spec.replicas")
                .put("path", "/spec/replicas")
                .put("op", "replace")
                .put("cause", "out-of-band")
                .put("desired", 1)
                .put("live", change)
                .put("manager", "kubectl")
                .putNull("operation")
                .putNull("subresource")
                .put("time", T0.toString());
        drift.put("diff", "--- desired\n+++ live\n-  replicas: 1\n+  replicas: " + change + "\n");
        return o;
    }

    static ObjectNode event(long seq, String type, D d, String change) {
        ObjectNode o = JSON.createObjectNode().put("seq", seq).put("type", type);
        o.setAll(drift(d, change));
        o.put("resolvedAt", type.equals("resolved") ? T0.plusSeconds(120).toString() : null);
        return o;
    }

    /** The stream id (a UUID, as every outbox makes) a test names {@code name}: the same name, the same stream. */
    static String streamId(String name) {
        return java.util
                .UUID
                .nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * {@code eventOrDrift} (an event or a snapshot drift) with an audit actor on its first change, or on the object
     * when the drift is missing or extra, as the agent reports it (docs/audit.md).
     */
    static ObjectNode withActor(ObjectNode eventOrDrift, String username, String impersonatedBy) {
        ObjectNode actor = JSON.createObjectNode().put("username", username);
        actor.putArray("groups").add("ops");
        actor.put("impersonatedBy", impersonatedBy)
                .put("sourceIP", "10.0.0.7")
                .put("userAgent", "kubectl/v1.31.0")
                .put("auditID", "audit-" + username)
                .put("match", "probable");
        ObjectNode drift = (ObjectNode) eventOrDrift.path("drift");
        if (drift.path("type").asText().equals("modified")) {
            ((ObjectNode) drift.path("changes").get(0)).set("actor", actor);
        } else {
            drift.set("actor", actor);
        }
        return eventOrDrift;
    }

    static String events(String stream, List<ObjectNode> events) {
        ObjectNode body = JSON.createObjectNode().put("stream", streamId(stream));
        events.forEach(body.putArray("events")::add);
        return body.toString();
    }

    static String snapshot(String stream, long seq, Instant takenAt, List<ObjectNode> drifts) {
        ObjectNode body = JSON.createObjectNode()
                .put("stream", streamId(stream))
                .put("seq", seq)
                .put("takenAt", takenAt.toString());
        drifts.forEach(body.putArray("drifts")::add);
        return body.toString();
    }

    static String heartbeat(String agentId, String labelsJson) {
        return "{\"agentId\":\"" + agentId + "\",\"version\":\"0.1.0\",\"labels\":" + labelsJson
                + ",\"sources\":{\"shop\":{\"healthy\":true,\"revision\":\"abc123\",\"error\":null},"
                + "\"billing\":{\"healthy\":false,\"revision\":null,\"error\":\"fetch: timeout\"}}}";
    }
}
