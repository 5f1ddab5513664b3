package io.driftwatch.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Reads {@code audit.k8s.io/v1} audit events — an {@code EventList} as the API server's webhook backend posts it, or one
 * {@code Event} per line as its log backend writes it — and keeps the successful writes (create, update, patch,
 * delete, deletecollection; on the object or a subresource such as {@code scale} or {@code status}) of the kinds
 * asked for. Everything else is counted as ignored: other verbs, other stages, failed or dry-run requests. Request and
 * response bodies are never kept: of a {@code responseObject} only {@code metadata.resourceVersion} is read.
 */
public final class AuditEvents {

    /** The verbs that write. Server-side apply is a {@code patch} (the audit event does not carry its content type). */
    public static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_VERSION = "audit.k8s.io/v1";

    private final BiPredicate<String, String> watched;

    /** @param watched whether writes of an API group and resource (plural) are kept */
    public AuditEvents(BiPredicate<String, String> watched) {
        this.watched = watched;
    }

    /** What one batch held: the writes kept, and how many events were not writes of watched kinds. */
    public record Batch(List<AuditWrite> writes, int ignored) {}

    /** Audit input that is not what the API server sends; the message lists every problem found. */
    public static final class MalformedAuditException extends Exception {
        public MalformedAuditException(String message) {
            super(message);
        }
    }

    /** An {@code EventList} body; every problem in it is reported at once. */
    public Batch parseList(byte[] body) throws MalformedAuditException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedAuditException("not JSON: " + shortMessage(e));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new MalformedAuditException("expected an audit.k8s.io/v1 EventList object");
        }
        if (!"EventList".equals(root.path("kind").asText())) {
            problems.add("kind is '" + root.path("kind").asText() + "', expected 'EventList'");
        }
        if (!API_VERSION.equals(root.path("apiVersion").asText())) {
            problems.add("apiVersion is '" + root.path("apiVersion").asText() + "', expected '" + API_VERSION + "'");
        }
        JsonNode items = root.path("items");
        if (!items.isArray()) {
            problems.add("items is missing or not a list");
        }
        List<AuditWrite> writes = new ArrayList<>();
        int ignored = 0;
        for (int i = 0; items.isArray() && i < items.size(); i++) {
            int before = problems.size();
            AuditWrite w = event(items.get(i), "items[" + i + "]", problems);
            if (w != null) {
                writes.add(w);
            } else if (problems.size() == before) {
                ignored++;
            }
        }
        if (!problems.isEmpty()) {
            throw new MalformedAuditException(String.join("; ", problems));
        }
        return new Batch(writes, ignored);
    }

    /**
     * One line of an audit log file: an {@code Event}. Returns null when the event is not a write of a watched kind.
     */
    public AuditWrite parseLine(String line) throws MalformedAuditException {
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedAuditException("not JSON: " + shortMessage(e));
        }
        List<String> problems = new ArrayList<>();
        if (event == null || !event.isObject()) {
            throw new MalformedAuditException("expected an audit.k8s.io/v1 Event object");
        }
        if (!"Event".equals(event.path("kind").asText())
                || !API_VERSION.equals(event.path("apiVersion").asText())) {
            problems.add("kind/apiVersion is '" + event.path("kind").asText() + "' '"
                    + event.path("apiVersion").asText() + "', expected 'Event' '" + API_VERSION + "'");
        }
        AuditWrite w = event(event, "event", problems);
        if (!problems.isEmpty()) {
            throw new MalformedAuditException(String.join("; ", problems));
        }
        return w;
    }

    private AuditWrite event(JsonNode e, String where, List<String> problems) {
        if (!e.isObject()) {
            problems.add(where + " is not an object");
            return null;
        }
        int before = problems.size();
        String auditID = required(e, "auditID", where, problems);
        String stage = required(e, "stage", where, problems);
        String verb = required(e, "verb", where, problems);
        Instant received = time(e, "requestReceivedTimestamp", where, problems);
        Instant completed = time(e, "stageTimestamp", where, problems);
        if (!e.path("user").isObject()) {
            problems.add(where + ".user is missing");
        }
        if (problems.size() > before) {
            return null;
        }
        JsonNode ref = e.path("objectRef");
        String requestURI = e.path("requestURI").asText("");
        int code = e.path("responseStatus").path("code").asInt(0);
        if (!"ResponseComplete".equals(stage)
                || !WRITE_VERBS.contains(verb)
                || !ref.isObject()
                || code < 200
                || code > 299
                || query(requestURI, "dryRun") != null
                || !watched.test(
                        ref.path("apiGroup").asText(""), ref.path("resource").asText(""))) {
            return null;
        }
        JsonNode user = e.path("user");
        JsonNode as = e.path("impersonatedUser");
        JsonNode ips = e.path("sourceIPs");
        JsonNode responseRv = e.path("responseObject").path("metadata").path("resourceVersion");
        return new AuditWrite(
                auditID,
                verb,
                new AuditWrite.ObjectRef(
                        ref.path("apiGroup").asText(""),
                        ref.path("resource").asText(""),
                        ref.path("subresource").asText(""),
                        ref.path("namespace").asText(""),
                        ref.path("name").asText("")),
                user.path("username").asText(""),
                strings(user.path("groups")),
                as.isObject() ? as.path("username").asText("") : null,
                strings(as.path("groups")),
                ips.isArray() && !ips.isEmpty() ? ips.get(0).asText() : null,
                e.hasNonNull("userAgent") ? e.get("userAgent").asText() : null,
                query(requestURI, "fieldManager"),
                received,
                completed,
                responseRv.isTextual() ? responseRv.asText() : null);
    }

    private static String required(JsonNode e, String field, String where, List<String> problems) {
        JsonNode v = e.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            problems.add(where + "." + field + " is missing");
            return null;
        }
        return v.asText();
    }

    private static Instant time(JsonNode e, String field, String where, List<String> problems) {
        String v = required(e, field, where, problems);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException ex) {
            problems.add(where + "." + field + " is not an RFC 3339 time: '" + v + "'");
            return null;
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** The first value of a query parameter of a request URI, decoded; null when absent. */
    static String query(String requestURI, String name) {
        int q = requestURI.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : requestURI.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Jackson's message without its location (which could quote the body). */
    private static String shortMessage(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        m = m == null ? e.getClass().getSimpleName() : m;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
