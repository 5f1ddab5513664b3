package io.driftwatch.hub;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.StrictParsing;
import io.driftwatch.wire.DriftMessage;
import io.driftwatch.wire.EventMessage;
import io.driftwatch.wire.HeartbeatMessage;
import io.driftwatch.wire.MetricsMessage;
import io.driftwatch.wire.SnapshotMessage;
import io.driftwatch.wire.Wire;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The agent → hub wire format (docs/hub-protocol.md), parsed and validated strictly: anything malformed, of the wrong
 * type, out of order or over a limit is a {@link BadRequest} naming the field, before anything is stored.
 */
public final class Protocol {

    public static final Set<String> EVENT_TYPES = Set.of("opened", "updated", "resolved");
    public static final Set<String> DRIFT_TYPES = Set.of("modified", "missing", "extra");
    /** The drift causes this version knows (docs/diff.md, {@link Cause#json()}), in declaration order. */
    public static final List<String> CAUSES =
            Arrays.stream(Cause.values()).map(Cause::json).toList();

    private static final int MAX_ID = 128;
    private static final int MAX_NAME = 253;
    /** Field managers are at most 128 characters in Kubernetes; longer values are cut, never refused. */
    private static final int MAX_MANAGER = 128;

    private static final int MAX_CAUSE = 32;
    /** The longest audit user name kept for the actor filter; longer names stay in the drift JSON only. */
    static final int MAX_ACTOR = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(200).build());
        JSON.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Free text (may hold tabs and line breaks); every other string is an identifier and holds no control character. */
    private static final Set<String> FREE_TEXT = Set.of("summary", "help", "error");
    /** Drift ids: the agent's are UUIDs; anything addressable in a URL path segment without escaping is accepted. */
    private static final Pattern DRIFT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    /**
     * One drift as the agent knows it: its id, times, and the drift JSON of docs/diff.md (Secret values redacted);
     * {@code manager} is the field manager of its first change that names one ("" when none does); {@code cause} is the
     * drift's cause ("" when the drift states none); {@code actors} are the distinct audit user names of the drift
     * (its object's actor and its changes'), empty without audit.
     */
    public record DriftState(
            String driftId,
            String namespace,
            String kind,
            String name,
            String app,
            String type,
            String summary,
            Instant onset,
            Instant lastSeen,
            String driftJson,
            String manager,
            String cause,
            Set<String> actors) {

        public DriftState {
            actors = Set.copyOf(actors);
        }
    }

    public record Event(long seq, String type, Instant resolvedAt, DriftState drift) {}

    public record EventBatch(String stream, List<Event> events) {
        public long lastSeq() {
            return events.get(events.size() - 1).seq();
        }
    }

    public record Snapshot(String stream, long seq, Instant takenAt, List<DriftState> drifts) {}

    public record SourceHealth(boolean healthy, String revision, String error) {}

    public record Heartbeat(
            String agentId, String version, Map<String, String> labels, Map<String, SourceHealth> sources) {}

    /**
     * The relayed metric types: the agent's Prometheus types (classic histograms; summaries without quantiles; info
     * metrics, named without their {@code _info} suffix).
     */
    public static final Set<String> METRIC_TYPES = Set.of("counter", "gauge", "histogram", "summary", "info");

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Labels the hub sets itself (or that would change what a sample means); an agent's values are ignored. */
    public static final Set<String> RESERVED_LABELS = Set.of("cluster", "instance", "job", "le", "quantile");

    /** Stream ids are UUIDs (each outbox makes one); anything else (a path, a query) is refused before it is stored. */
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * The times an agent may report (onsets, last-seen, resolved and snapshot times): not before {@link #EARLIEST}, not
     * after the hub's clock plus the allowed skew, so a year-9999 onset cannot pin a drift at the top of every list.
     */
    public record TimeBounds(Instant earliest, Instant latest) {
        public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

        public static TimeBounds around(Instant now, Duration maxSkew) {
            return new TimeBounds(EARLIEST, now.plus(maxSkew));
        }
    }

    private Protocol() {}

    /**
     * A metrics push, as the agent sent it but for the labels the hub sets itself (left out) and a family's missing
     * help (""); at most {@code maxSeries} data points in all (more is a 413, not silently cut).
     */
    public static MetricsMessage metrics(byte[] body, int maxSeries) {
        JsonNode root = parse(body);
        text(root, "instance", MAX_ID, true);
        instant(root, "startedAt", "metrics", true);
        JsonNode last = root.get("final");
        if (last != null && !last.isNull() && !last.isBoolean()) {
            throw BadRequest.invalid("final: must be true or false");
        }
        JsonNode list = root.get("families");
        if (list == null || !list.isArray()) {
            throw BadRequest.invalid("families: required, an array");
        }
        List<List<Map<String, String>>> labels = new ArrayList<>(list.size());
        Set<String> names = new HashSet<>();
        int total = 0;
        for (int i = 0; i < list.size(); i++) {
            String at = "families[" + i + "]";
            JsonNode f = list.get(i);
            if (!f.isObject()) {
                throw BadRequest.invalid(at + ": must be an object");
            }
            String name = text(f, "name", 200, true, at);
            if (!METRIC_NAME.matcher(name).matches()
                    || name.startsWith("__")
                    || PrometheusNaming.validateMetricName(name) != null) {
                throw BadRequest.invalid(at + ".name: '" + name + "' is not a Prometheus metric name without type "
                        + "suffix (a counter x is sent as x, exported as x_total)");
            }
            if (!names.add(name)) {
                throw BadRequest.invalid(at + ".name: '" + name + "' appears twice");
            }
            String type = text(f, "type", 16, true, at);
            if (!METRIC_TYPES.contains(type)) {
                throw BadRequest.invalid(at + ".type: '" + type + "' is not one of " + METRIC_TYPES);
            }
            text(f, "help", 1000, false, at);
            JsonNode series = f.get("series");
            if (series == null || !series.isArray()) {
                throw BadRequest.invalid(at + ".series: required, an array");
            }
            total += series.size();
            if (total > maxSeries) {
                throw new BadRequest(
                        413, "too_many_series", "families: more than " + maxSeries + " series in one " + "push");
            }
            List<Map<String, String>> kept = new ArrayList<>(series.size());
            Set<Map<String, String>> labelSets = new HashSet<>();
            for (int j = 0; j < series.size(); j++) {
                Map<String, String> point = checkPoint(series.get(j), type, at + ".series[" + j + "]");
                if (!labelSets.add(point)) {
                    throw BadRequest.invalid(at + ".series[" + j + "].labels: " + point + " appears twice");
                }
                kept.add(point);
            }
            labels.add(kept);
        }
        MetricsMessage sent;
        try {
            sent = Wire.read(root, MetricsMessage.class);
        } catch (IllegalArgumentException e) { // a number out of range for its field
            throw BadRequest.invalid(e.getMessage());
        }
        List<MetricsMessage.Family> families = new ArrayList<>(sent.families().size());
        for (int i = 0; i < sent.families().size(); i++) {
            MetricsMessage.Family f = sent.families().get(i);
            List<MetricsMessage.Series> series = new ArrayList<>(f.series().size());
            for (int j = 0; j < f.series().size(); j++) {
                series.add(kept(f.type(), f.series().get(j), labels.get(i).get(j)));
            }
            families.add(new MetricsMessage.Family(
                    f.name(), f.type(), f.help() == null ? "" : f.help(), List.copyOf(series)));
        }
        return new MetricsMessage(sent.instance(), sent.startedAt(), sent.last(), List.copyOf(families));
    }

    /** A checked data point as the hub keeps it: its own labels, and only the fields of its family's type. */
    private static MetricsMessage.Series kept(String type, MetricsMessage.Series s, Map<String, String> labels) {
        return switch (type) {
            case "info" -> MetricsMessage.Series.info(labels);
            case "counter", "gauge" -> MetricsMessage.Series.value(labels, s.value());
            case "summary" -> MetricsMessage.Series.summary(labels, s.count(), s.sum());
            default -> MetricsMessage.Series.histogram(labels, List.copyOf(s.buckets()), s.count(), s.sum());
        };
    }

    /** Checks one data point of a family of {@code type}; returns its labels but those the hub sets itself. */
    private static Map<String, String> checkPoint(JsonNode p, String type, String at) {
        if (!p.isObject()) {
            throw BadRequest.invalid(at + ": must be an object");
        }
        Map<String, String> labels = new TreeMap<>();
        JsonNode l = p.get("labels");
        if (l != null && !l.isNull()) {
            if (!l.isObject() || l.size() > 32) {
                throw BadRequest.invalid(at + ".labels: must be an object of at most 32 string values");
            }
            l.fields().forEachRemaining(e -> {
                if (!LABEL_NAME.matcher(e.getKey()).matches()
                        || e.getKey().startsWith("__")
                        || e.getKey().length() > 100
                        || !e.getValue().isTextual()
                        || e.getValue().asText().length() > 1024) {
                    throw BadRequest.invalid(at + ".labels." + e.getKey() + ": a Prometheus label name with a "
                            + "string value of at most 1024 characters");
                }
                if (!RESERVED_LABELS.contains(e.getKey())) {
                    labels.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        if (type.equals("info")) {
            return Map.copyOf(labels);
        }
        if (type.equals("counter") || type.equals("gauge")) {
            double value = number(p, "value", at);
            if (type.equals("counter") && !(value >= 0)) {
                throw BadRequest.invalid(at + ".value: a counter is a number ≥ 0");
            }
            return Map.copyOf(labels);
        }
        long count = (long) number(p, "count", at);
        number(p, "sum", at);
        if (count < 0) {
            throw BadRequest.invalid(at + ".count: must be ≥ 0");
        }
        if (type.equals("summary")) {
            return Map.copyOf(labels);
        }
        JsonNode b = p.get("buckets");
        if (b == null || !b.isArray() || b.size() > 200) {
            throw BadRequest.invalid(at + ".buckets: required, an array of at most 200 [upperBound, cumulativeCount]");
        }
        double previousBound = 0;
        long previousCount = 0;
        for (int i = 0; i < b.size(); i++) {
            JsonNode pair = b.get(i);
            if (!pair.isArray()
                    || pair.size() != 2
                    || !pair.get(0).isNumber()
                    || !pair.get(1).canConvertToLong()) {
                throw BadRequest.invalid(at + ".buckets[" + i + "]: must be [upperBound, cumulativeCount]");
            }
            double bound = pair.get(0).asDouble();
            long cumulative = pair.get(1).asLong();
            if (i > 0 && (bound <= previousBound || cumulative < previousCount)) {
                throw BadRequest.invalid(at + ".buckets[" + i + "]: bounds must increase, counts must not decrease");
            }
            if (Double.isInfinite(bound) || Double.isNaN(bound) || cumulative < 0 || cumulative > count) {
                throw BadRequest.invalid(at + ".buckets[" + i + "]: a finite bound and a count between 0 and count");
            }
            previousBound = bound;
            previousCount = cumulative;
        }
        return Map.copyOf(labels);
    }

    private static double number(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) {
            throw BadRequest.invalid(at + "." + field + ": required, a number");
        }
        return v.asDouble();
    }

    /** {@link #events(byte[], int, TimeBounds)} with the hub's default bounds around the system clock. */
    public static EventBatch events(byte[] body, int maxEvents) {
        return events(body, maxEvents, TimeBounds.around(Instant.now(), Duration.ofHours(1)));
    }

    public static EventBatch events(byte[] body, int maxEvents, TimeBounds bounds) {
        JsonNode root = parse(body);
        String stream = stream(root);
        JsonNode list = root.get("events");
        if (list == null || !list.isArray()) {
            throw BadRequest.invalid("events: required, an array");
        }
        if (list.isEmpty()) {
            throw BadRequest.invalid("events: empty batch");
        }
        if (list.size() > maxEvents) {
            throw new BadRequest(
                    413,
                    "batch_too_large",
                    "events: " + list.size() + " events in one batch, the limit is " + maxEvents);
        }
        List<Event> events = new ArrayList<>(list.size());
        long previous = 0;
        for (int i = 0; i < list.size(); i++) {
            String at = "events[" + i + "]";
            JsonNode e = list.get(i);
            if (!e.isObject()) {
                throw BadRequest.invalid(at + ": must be an object");
            }
            long seq = positiveLong(e, at + ".seq");
            if (seq <= previous) {
                throw BadRequest.invalid(at + ".seq: " + seq + " does not increase (previous " + previous + ")");
            }
            previous = seq;
            String type = text(e, "type", 16, true);
            if (!EVENT_TYPES.contains(type)) {
                throw BadRequest.invalid(at + ".type: '" + type + "' is not one of " + EVENT_TYPES);
            }
            Instant resolvedAt = instant(e, "resolvedAt", at, type.equals("resolved"), bounds);
            if (!type.equals("resolved") && resolvedAt != null) {
                throw BadRequest.invalid(at + ".resolvedAt: only resolved events carry it");
            }
            Checked checked = checkDrift(e, at, bounds);
            EventMessage m = Wire.read(e, EventMessage.class);
            events.add(new Event(m.seq(), m.type(), m.resolvedAt(), drift(m.asDrift(), checked)));
        }
        return new EventBatch(stream, List.copyOf(events));
    }

    /** {@link #snapshot(byte[], int, TimeBounds)} with the hub's default bounds around the system clock. */
    public static Snapshot snapshot(byte[] body, int maxDrifts) {
        return snapshot(body, maxDrifts, TimeBounds.around(Instant.now(), Duration.ofHours(1)));
    }

    public static Snapshot snapshot(byte[] body, int maxDrifts, TimeBounds bounds) {
        JsonNode root = parse(body);
        String stream = stream(root);
        long seq = nonNegativeLong(root, "seq");
        Instant takenAt = instant(root, "takenAt", "snapshot", true, bounds);
        JsonNode list = root.get("drifts");
        if (list == null || !list.isArray()) {
            throw BadRequest.invalid("drifts: required, an array (empty when nothing drifts)");
        }
        if (list.size() > maxDrifts) {
            throw new BadRequest(
                    413, "snapshot_too_large", "drifts: " + list.size() + " drifts, the limit is " + maxDrifts);
        }
        List<Checked> checked = new ArrayList<>(list.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "drifts[" + i + "]";
            if (!list.get(i).isObject()) {
                throw BadRequest.invalid(at + ": must be an object");
            }
            Checked c = checkDrift(list.get(i), at, bounds);
            if (!ids.add(c.driftId())) {
                throw BadRequest.invalid(at + ".driftId: '" + c.driftId() + "' appears twice");
            }
            checked.add(c);
        }
        SnapshotMessage m = Wire.read(root, SnapshotMessage.class);
        List<DriftState> drifts = new ArrayList<>(list.size());
        for (int i = 0; i < checked.size(); i++) {
            drifts.add(drift(m.drifts().get(i), checked.get(i)));
        }
        return new Snapshot(m.stream(), m.seq(), m.takenAt(), List.copyOf(drifts));
    }

    public static Heartbeat heartbeat(byte[] body) {
        JsonNode root = parse(body);
        text(root, "agentId", 200, true);
        text(root, "version", 100, true);
        JsonNode l = root.get("labels");
        if (l != null && !l.isNull()) {
            if (!l.isObject() || l.size() > 64) {
                throw BadRequest.invalid("labels: must be an object of at most 64 string values");
            }
            l.fields().forEachRemaining(f -> {
                if (!f.getValue().isTextual()
                        || f.getKey().length() > 100
                        || f.getValue().asText().length() > 200) {
                    throw BadRequest.invalid(
                            "labels." + printable(f.getKey()) + ": must be a string (key ≤ 100, " + "value ≤ 200)");
                }
                controlCharacters(f.getKey(), "labels (a key)", false);
                controlCharacters(f.getValue().asText(), "labels." + printable(f.getKey()), false);
            });
        }
        JsonNode s = root.get("sources");
        if (s != null && !s.isNull()) {
            if (!s.isObject() || s.size() > 1000) {
                throw BadRequest.invalid("sources: must be an object of at most 1000 apps");
            }
            s.fields().forEachRemaining(f -> {
                String at = "sources." + printable(f.getKey());
                controlCharacters(f.getKey(), "sources (an app name)", false);
                JsonNode v = f.getValue();
                if (!v.isObject()
                        || !v.path("healthy").isBoolean()
                        || f.getKey().length() > MAX_NAME) {
                    throw BadRequest.invalid(at + ": must be an object with a boolean 'healthy'");
                }
                text(v, "revision", 200, false);
                text(v, "error", 2000, false);
            });
        }
        HeartbeatMessage m = Wire.read(root, HeartbeatMessage.class);
        Map<String, SourceHealth> sources = new LinkedHashMap<>();
        if (m.sources() != null) {
            m.sources().forEach((app, h) -> sources.put(app, new SourceHealth(h.healthy(), h.revision(), h.error())));
        }
        return new Heartbeat(m.agentId(), m.version(), m.labels() == null ? Map.of() : Map.copyOf(m.labels()), sources);
    }

    /** The drift fields the hub checks and stores beside the drift JSON; {@code cause} and {@code summary} may be null. */
    private record Checked(
            String driftId,
            String namespace,
            String kind,
            String name,
            String app,
            String type,
            String summary,
            String cause) {}

    /** A checked drift as the hub keeps it. */
    private static DriftState drift(DriftMessage m, Checked c) {
        return new DriftState(
                m.driftId(),
                c.namespace() == null ? "" : c.namespace(),
                c.kind(),
                c.name(),
                c.app() == null ? "" : c.app(),
                c.type(),
                c.summary() == null ? "" : c.summary(),
                m.onset(),
                m.lastSeen(),
                m.drift().toString(),
                manager(m.drift()),
                c.cause() == null ? "" : c.cause(),
                actors(m.drift()));
    }

    private static Checked checkDrift(JsonNode e, String at, TimeBounds bounds) {
        String id = text(e, "driftId", MAX_ID, true, at);
        if (!DRIFT_ID.matcher(id).matches()) {
            throw BadRequest.invalid(at + ".driftId: '" + printable(id) + "' is not an id (letters, digits, '.', '_', "
                    + "':', '-'; the agent sends UUIDs)");
        }
        instant(e, "onset", at, true, bounds);
        instant(e, "lastSeen", at, true, bounds);
        JsonNode d = e.get("drift");
        if (d == null || !d.isObject()) {
            throw BadRequest.invalid(at + ".drift: required, the drift object of docs/diff.md");
        }
        String where = at + ".drift";
        String kind = text(d, "kind", 100, true, where);
        String name = text(d, "name", MAX_NAME, true, where);
        String namespace = text(d, "namespace", MAX_NAME, false, where);
        String app = text(d, "app", MAX_NAME, false, where);
        String type = text(d, "type", 16, true, where);
        if (!DRIFT_TYPES.contains(type)) {
            throw BadRequest.invalid(where + ".type: '" + type + "' is not one of " + DRIFT_TYPES);
        }
        // any cause is stored as sent (a newer agent's cause must not cost it its events); its length is bounded
        String cause = text(d, "cause", MAX_CAUSE, false, where);
        String summary = text(d, "summary", 4000, false, where);
        JsonNode changes = d.get("changes");
        if (changes != null && !changes.isNull() && !changes.isArray()) {
            throw BadRequest.invalid(where + ".changes: must be an array");
        }
        return new Checked(id, namespace, kind, name, app, type, summary, cause);
    }

    /** The cause of a stored drift JSON (replayed events; it was validated when it arrived), "" when it has none. */
    static String cause(String driftJson) {
        try {
            return JSON.readTree(driftJson).path("cause").asText("");
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    /** The field manager of the drift's first change that names one, as the agent's per-drift series reports it. */
    static String manager(JsonNode drift) {
        for (JsonNode change : drift.path("changes")) {
            JsonNode m = change.get("manager");
            if (m != null && m.isTextual() && !m.asText().isEmpty()) {
                String s = m.asText();
                return s.length() > MAX_MANAGER ? s.substring(0, MAX_MANAGER) : s;
            }
        }
        return "";
    }

    /**
     * The distinct audit user names of a drift: its object's {@code actor} (who deleted or created it) and each
     * change's {@code actor.username}; names longer than {@value #MAX_ACTOR} characters are left out (they stay in the
     * drift JSON).
     */
    static Set<String> actors(JsonNode drift) {
        Set<String> out = new TreeSet<>();
        addActor(drift.path("actor"), out);
        for (JsonNode change : drift.path("changes")) {
            addActor(change.path("actor"), out);
        }
        return out;
    }

    private static void addActor(JsonNode actor, Set<String> into) {
        JsonNode name = actor.path("username");
        if (name.isTextual() && !name.asText().isEmpty() && name.asText().length() <= MAX_ACTOR) {
            into.add(name.asText());
        }
    }

    /** {@link #actors(JsonNode)} of a stored drift JSON (replayed events). */
    static Set<String> actors(String driftJson) {
        try {
            return actors(JSON.readTree(driftJson));
        } catch (JsonProcessingException e) {
            return Set.of();
        }
    }

    /** {@link #manager(JsonNode)} of a stored drift JSON (replayed events). */
    static String manager(String driftJson) {
        try {
            return manager(JSON.readTree(driftJson));
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw BadRequest.invalid("empty body: expected a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw BadRequest.invalid("malformed JSON"
                    + (at == null || at.getLineNr() < 1
                            ? ""
                            : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": "
                    + StrictParsing.describe(e));
        } catch (IOException e) {
            throw BadRequest.invalid("unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw BadRequest.invalid("expected a JSON object");
        }
        return root;
    }

    private static String text(JsonNode o, String field, int max, boolean required) {
        return text(o, field, max, required, null);
    }

    private static String text(JsonNode o, String field, int max, boolean required, String at) {
        String name = at == null ? field : at + "." + field;
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw BadRequest.invalid(name + ": required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw BadRequest.invalid(
                    name + ": must be a string, not " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String s = v.asText();
        if (required && s.isBlank()) {
            throw BadRequest.invalid(name + ": must not be empty");
        }
        if (s.length() > max) {
            throw BadRequest.invalid(name + ": longer than " + max + " characters");
        }
        controlCharacters(s, name, FREE_TEXT.contains(field));
        return s;
    }

    /** Refuses NUL (PostgreSQL cannot store it) and other control characters, tabs and line breaks only in free text. */
    private static void controlCharacters(String s, String name, boolean freeText) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && !(freeText && (c == '\n' || c == '\r' || c == '\t'))) {
                throw BadRequest.invalid(name + ": control character U+" + String.format("%04X", (int) c) + " at index "
                        + i + (freeText ? "" : " (an identifier holds none)"));
            }
        }
    }

    /** A value for an error message: control characters shown as U+XXXX, at most 100 characters. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints()
                .limit(100)
                .forEach(c -> out.append(
                        Character.isISOControl(c) ? String.format("U+%04X", c) : new String(Character.toChars(c))));
        return out.toString();
    }

    private static long positiveLong(JsonNode o, String name) {
        JsonNode v = o.get("seq");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
            throw BadRequest.invalid(name + ": required, an integer ≥ 1");
        }
        return v.asLong();
    }

    private static long nonNegativeLong(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw BadRequest.invalid(field + ": required, an integer ≥ 0");
        }
        return v.asLong();
    }

    private static String stream(JsonNode root) {
        String stream = text(root, "stream", 64, true);
        if (!UUID.matcher(stream).matches()) {
            throw BadRequest.invalid("stream: '" + stream + "' is not a UUID (each outbox's stream id is one)");
        }
        return stream;
    }

    private static Instant instant(JsonNode o, String field, String at, boolean required, TimeBounds bounds) {
        Instant t = instant(o, field, at, required);
        if (t != null && (t.isBefore(bounds.earliest()) || t.isAfter(bounds.latest()))) {
            throw BadRequest.invalid(at + "." + field + ": " + t + " is outside " + bounds.earliest() + " .. "
                    + bounds.latest() + " (the hub's clock plus limits.maxClockSkew)");
        }
        return t;
    }

    private static Instant instant(JsonNode o, String field, String at, boolean required) {
        String s = text(o, field, 40, required, at);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw BadRequest.invalid(at + "." + field + ": '" + s + "' is not an RFC 3339 UTC time");
        }
    }
}
