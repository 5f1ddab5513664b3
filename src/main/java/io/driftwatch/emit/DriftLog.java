package io.driftwatch.emit;

import static net.logstash.logback.argument.StructuredArguments.entries;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.ReportJson;
import io.driftwatch.diff.YamlDiffContext;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON log line per drift event, with the structured changes (already redacted by the engine), for log pipelines:
 * {@code {"message":"drift opened: Deployment shop/web: replicas 3 → 5 ...","event":"opened","cause":"out-of-band",
 * "actors":[...],"drift":{...}}} ({@code cause} is also in {@code drift}; at the top it is one field to filter and route
 * on; so is {@code actors}, present once audit events name who made the drift).
 * The fields ride as structured arguments, so the JSON encoder emits them as fields, not inside the message. A
 * drift's YAML diff is logged with 3 lines of context around each change, also when the hub gets the whole object.
 */
public final class DriftLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.driftwatch.drift");

    private final String cluster;

    public DriftLog(String cluster) {
        this.cluster = cluster;
    }

    public void log(DriftEvent event, Instant now) {
        DriftRecord r = event.record();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", event.type().label());
        fields.put("cluster", cluster);
        fields.put("driftId", r.id());
        fields.put("cause", r.drift().cause().json());
        fields.put("onset", r.onset().toString());
        if (r.resolvedAt() != null) {
            fields.put("resolvedAt", r.resolvedAt().toString());
            fields.put("durationSeconds", r.age(now).toSeconds());
        }
        List<Drift.Attribution> attributions = r.drift().attributions();
        if (!attributions.isEmpty()) {
            fields.put("actors", actors(attributions));
        }
        ObjectNode drift = ReportJson.toJson(r.drift());
        if (drift.path("diff").isTextual()) { // the whole object goes to the hub; a log line keeps 3 lines of context
            drift.put("diff", YamlDiffContext.narrowed(drift.get("diff").asText()));
        }
        fields.put("drift", drift);
        if (event.type() == DriftEvent.Type.RESOLVED) {
            LOG.info("drift resolved: {}", r.drift().summary(), entries(fields));
        } else {
            LOG.warn("drift {}: {}", event.type().label(), r.drift().summary(), entries(fields));
        }
    }

    /**
     * {@code [{"username": "carol", "impersonatedBy": "alice", "match": "exact", "fields": ["spec.replicas"]}]}: who
     * made the drift, at the top of the line for pipelines to filter on (the full actor of each change, with groups,
     * source address, user agent and audit id, is in {@code drift.changes[].actor}).
     */
    private static List<Map<String, Object>> actors(List<Drift.Attribution> attributions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Drift.Attribution a : attributions) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("username", a.actor().username());
            if (a.actor().impersonatedBy() != null) {
                o.put("impersonatedBy", a.actor().impersonatedBy());
            }
            o.put("match", a.actor().match().json());
            o.put("fields", a.fields());
            out.add(o);
        }
        return out;
    }
}
