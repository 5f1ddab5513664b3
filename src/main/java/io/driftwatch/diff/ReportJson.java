package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The stable JSON form of a report:
 * <pre>
 * {"summary": {"desired", "drifted", "modified", "missing", "extra", "byCause": {cause: n}},
 *  "drifts": [{"group", "version", "kind", "namespace", "name", "app", "type", "cause", "summary", "actor",
 *              "changes": [{"field", "path", "op", "cause", "desired", "live", "manager", "operation",
 *                           "subresource", "time", "note", "actor"}],
 *              "diff"  (only when a YAML diff was requested)}]}
 * </pre>
 * Every listed key is always present ({@code null} when unknown); values of Secrets are already redacted. An
 * {@code actor} is {"username", "groups", "impersonatedBy", "sourceIP", "userAgent", "auditID", "match"} (audit
 * events; null when audit is off or no write matched).
 */
public final class ReportJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ReportJson() {}

    public static ObjectNode toJson(DriftReport report) {
        ObjectNode root = F.objectNode();
        ObjectNode summary = root.putObject("summary");
        DriftReport.Summary s = report.summary();
        summary.put("desired", s.desired());
        summary.put("drifted", s.drifted());
        summary.put("modified", s.modified());
        summary.put("missing", s.missing());
        summary.put("extra", s.extra());
        ObjectNode byCause = summary.putObject("byCause");
        s.byCause().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> byCause.put(e.getKey(), e.getValue()));
        ArrayNode drifts = root.putArray("drifts");
        report.drifts().forEach(d -> drifts.add(toJson(d)));
        return root;
    }

    public static ObjectNode toJson(Drift d) {
        ObjectNode o = F.objectNode();
        o.put("group", d.key().group());
        String apiVersion = d.apiVersion() == null ? "" : d.apiVersion();
        o.put("version", apiVersion.substring(apiVersion.indexOf('/') + 1));
        o.put("kind", d.key().kind());
        o.put("namespace", d.key().namespace());
        o.put("name", d.key().name());
        o.put("app", d.app());
        o.put("type", d.type().json());
        o.put("cause", d.cause().json());
        o.put("summary", d.summary());
        o.set("actor", actor(d.actor()));
        ArrayNode changes = o.putArray("changes");
        for (Change c : d.changes()) {
            ObjectNode ch = changes.addObject();
            ch.put("field", c.field());
            ch.put("path", c.path());
            ch.put("op", c.op().json());
            ch.put("cause", c.cause().json());
            ch.set("desired", orNull(c.desired()));
            ch.set("live", orNull(c.live()));
            ch.put("manager", c.manager());
            ch.put("operation", c.operation());
            ch.put("subresource", c.subresource());
            ch.put("time", c.time() == null ? null : c.time().toString());
            ch.put("note", c.note());
            ch.set("actor", actor(c.actor()));
        }
        if (d.yamlDiff() != null) {
            o.put("diff", d.yamlDiff());
        }
        return o;
    }

    /** {"username", "groups", "impersonatedBy", "sourceIP", "userAgent", "auditID", "match"}, or null. */
    static JsonNode actor(Actor a) {
        if (a == null) {
            return F.nullNode();
        }
        ObjectNode o = F.objectNode();
        o.put("username", a.username());
        ArrayNode groups = o.putArray("groups");
        a.groups().forEach(groups::add);
        o.put("impersonatedBy", a.impersonatedBy());
        o.put("sourceIP", a.sourceIP());
        o.put("userAgent", a.userAgent());
        o.put("auditID", a.auditID());
        o.put("match", a.match().json());
        return o;
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? F.nullNode() : node;
    }
}
