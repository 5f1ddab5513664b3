package io.driftwatch.realworld;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.realworld.OutOfBandChanges.Expected;
import java.util.ArrayList;
import java.util.List;

/**
 * Matches a {@code driftwatch diff -o json} report against the drifts expected: which expected ones were reported
 * right (type, field, op, manager), and what was reported that nobody expected.
 */
final class ReportMatcher {

    private ReportMatcher() {}

    /** One reported finding: a changed field of a modified object, or a whole missing/extra object. */
    record Finding(String kind, String namespace, String name, String type, JsonNode change) {
        @Override
        public String toString() {
            String head = type + " " + kind + " " + namespace + "/" + name;
            if (change == null) {
                return head;
            }
            return head + " " + change.path("field").asText() + " "
                    + change.path("op").asText() + " by "
                    + (change.hasNonNull("manager") ? change.path("manager").asText() : "(none)")
                    + " cause " + change.path("cause").asText();
        }
    }

    static List<Finding> findings(List<JsonNode> drifts) {
        List<Finding> out = new ArrayList<>();
        for (JsonNode d : drifts) {
            String kind = d.path("kind").asText();
            String ns = d.path("namespace").asText("");
            String name = d.path("name").asText();
            String type = d.path("type").asText();
            if (d.path("changes").isEmpty()) {
                out.add(new Finding(kind, ns, name, type, null));
            }
            d.path("changes").forEach(c -> out.add(new Finding(kind, ns, name, type, c)));
        }
        return out;
    }

    static boolean matches(Expected e, Finding f) {
        if (!e.kind().equals(f.kind())
                || !e.namespace().equals(f.namespace())
                || !e.name().equals(f.name())
                || !e.type().equals(f.type())) {
            return false;
        }
        if (e.field() == null) {
            return f.change() == null;
        }
        if (f.change() == null) {
            return false;
        }
        JsonNode c = f.change();
        String manager = c.hasNonNull("manager") ? c.path("manager").asText() : null;
        return c.path("field").asText().startsWith(e.field())
                && e.op().equals(c.path("op").asText())
                && java.util.Objects.equals(e.manager(), manager);
    }

    /** Findings no expectation accounts for. */
    static List<Finding> unexpected(List<Finding> findings, List<Expected> expected) {
        return findings.stream()
                .filter(f -> expected.stream().noneMatch(e -> matches(e, f)))
                .toList();
    }

    /** Removals: the report must say plainly that the object does not record who removed the field. */
    static boolean saysRemovalNotRecorded(JsonNode report, Expected e) {
        for (JsonNode d : report.path("drifts")) {
            if (d.path("name").asText().equals(e.name())
                    && d.path("kind").asText().equals(e.kind())) {
                return d.toString().contains("not recorded");
            }
        }
        return false;
    }
}
