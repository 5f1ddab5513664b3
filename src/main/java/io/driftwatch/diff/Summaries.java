package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** One-line plain-English summaries, e.g. "Deployment shop/web: replicas 3 → 5, set by kubectl-scale at 10:42Z". */
final class Summaries {

    private static final int MAX_CHANGES = 3;
    private static final int MAX_VALUE = 60;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> PREFIXES =
            List.of("spec.jobTemplate.spec.template.spec.", "spec.template.spec.", "spec.");

    private Summaries() {}

    static String modified(ObjectKey key, List<Change> changes) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < changes.size() && i < MAX_CHANGES; i++) {
            parts.add(phrase(changes.get(i)));
        }
        String text = head(key) + String.join("; ", parts);
        if (changes.size() > MAX_CHANGES) {
            text += "; and " + (changes.size() - MAX_CHANGES) + " more";
        }
        String unknown = changes.stream()
                .filter(c -> c.cause() == Cause.UNKNOWN_MANAGER && c.manager() != null)
                .map(Change::manager)
                .findFirst()
                .orElse(null);
        if (unknown != null) {
            text += ". " + ManagerRules.hint(unknown);
        }
        return text;
    }

    static String missing(ObjectKey key, Cause cause) {
        return head(key) + "missing (" + (cause == Cause.DELETED ? "deleted" : "not yet applied") + ")";
    }

    /** @param kept why the applier will not delete it (cause {@code orphaned}) */
    static String extra(ObjectKey key, String app, Cause cause, String creator, String kept) {
        String text = head(key) + "extra, tracked by app " + app + " but not in Git";
        if (creator != null) {
            text += " (created by " + creator + ")";
        }
        if (cause == Cause.PENDING_SYNC) {
            text += ", pending prune";
        } else if (cause == Cause.ORPHANED) {
            text += ", orphaned: the applier will not delete it (" + kept + ")";
        } else if (cause == Cause.UNKNOWN_MANAGER && creator != null) {
            text += "; " + ManagerRules.hint(creator);
        }
        return text;
    }

    private static String head(ObjectKey key) {
        return key.kind() + " " + key.displayName() + ": ";
    }

    static String phrase(Change c) {
        String field = shortField(c.field());
        String text = switch (c.op()) {
            case CHANGED -> field + " " + value(c.desired()) + " → " + value(c.live());
            case ADDED -> field + " added (" + value(c.live()) + ")";
            case REMOVED -> field + " removed (desired " + value(c.desired()) + ")";
        };
        if (c.op() == Op.REMOVED) {
            text += "; not recorded in the object who removed it";
        } else if (c.op() == Op.ADDED && c.manager() == null) {
            text += "; not recorded in the object who set it";
        } else if (c.manager() != null) {
            text += ", set by " + c.manager();
            if (c.time() != null) {
                text += " at " + time(c.time());
            }
        }
        if (c.cause() != Cause.OUT_OF_BAND) {
            text += " (" + c.cause().json().replace('-', ' ') + ")";
        }
        return text;
    }

    static String shortField(String field) {
        for (String prefix : PREFIXES) {
            if (field.startsWith(prefix) && field.length() > prefix.length()) {
                return field.substring(prefix.length());
            }
        }
        return field;
    }

    static String value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isTextual() && node.textValue().isEmpty()) {
            return "\"\"";
        }
        String text = node.isValueNode() ? node.asText() : node.toString();
        return text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE - 1) + "…" : text;
    }

    static String time(Instant time) {
        return TIME.format(time);
    }
}
