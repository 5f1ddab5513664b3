package io.driftwatch.diff;

/** Human-readable report: a header per object, its changes, its unified diff, and a summary line. */
public final class ReportText {

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";

    private ReportText() {}

    public static String render(DriftReport report, boolean colour) {
        StringBuilder sb = new StringBuilder();
        for (Drift d : report.drifts()) {
            String header = d.key().kind() + " " + d.key().displayName()
                    + " (" + (d.apiVersion() == null ? "" : d.apiVersion()) + "): "
                    + d.type().json()
                    + ", " + d.cause().json() + (d.app() == null ? "" : " [app " + d.app() + "]");
            sb.append(paint(colour, BOLD, header)).append('\n');
            sb.append("  ").append(d.summary()).append('\n');
            if (d.actor() != null) {
                sb.append("  ").append(actorLine(d.actor())).append('\n');
            }
            for (Change c : d.changes()) {
                sb.append("  ")
                        .append(paint(colour, YELLOW, symbol(c.op())))
                        .append(' ')
                        .append(c.field())
                        .append(": ");
                switch (c.op()) {
                    case CHANGED ->
                        sb.append(Summaries.value(c.desired())).append(" → ").append(Summaries.value(c.live()));
                    case ADDED -> sb.append("added ").append(Summaries.value(c.live()));
                    case REMOVED ->
                        sb.append("removed (desired ")
                                .append(Summaries.value(c.desired()))
                                .append(')');
                }
                sb.append("  [").append(c.cause().json());
                if (c.manager() != null) {
                    sb.append(", ").append(c.manager()).append(' ').append(c.operation());
                    if (c.subresource() != null && !c.subresource().isEmpty()) {
                        sb.append('/').append(c.subresource());
                    }
                    if (c.time() != null) {
                        sb.append(' ').append(c.time());
                    }
                }
                sb.append("]\n");
                if (c.note() != null) {
                    sb.append("      ").append(c.note()).append('\n');
                }
                if (c.actor() != null) {
                    sb.append("      ").append(actorLine(c.actor())).append('\n');
                }
            }
            if (d.yamlDiff() != null) {
                for (String line : d.yamlDiff().split("\n")) {
                    sb.append(diffLine(colour, line)).append('\n');
                }
            }
            sb.append('\n');
        }
        sb.append(summaryLine(report));
        sb.append('\n');
        return sb.toString();
    }

    /** "by carol (impersonated by alice) from 10.0.0.7 with kubectl/v1.31.0 (...), audit 1f2e..., exact match". */
    static String actorLine(Actor a) {
        StringBuilder sb = new StringBuilder("by ").append(a.display());
        if (a.sourceIP() != null) {
            sb.append(" from ").append(a.sourceIP());
        }
        if (a.userAgent() != null) {
            sb.append(" with ").append(a.userAgent());
        }
        return sb.append(", audit ")
                .append(a.auditID())
                .append(", ")
                .append(a.match().json())
                .append(" match")
                .toString();
    }

    static String summaryLine(DriftReport report) {
        DriftReport.Summary s = report.summary();
        String line;
        if (s.drifted() == 0) {
            line = "No drift: " + s.desired() + " desired object" + (s.desired() == 1 ? "" : "s")
                    + " match the cluster.";
        } else {
            line = "Drift: " + s.drifted() + " object" + (s.drifted() == 1 ? "" : "s") + " (" + s.modified()
                    + " modified, " + s.missing() + " missing, " + s.extra() + " extra) of " + s.desired()
                    + " desired.";
        }
        long admission = report.drifts().stream().filter(Drift::admissionOnly).count();
        if (admission > 0
                && report.summary().modified()
                        < report.drifts().stream()
                                .filter(d -> d.type() == DriftType.MODIFIED)
                                .count()) {
            line += " " + admission + " object" + (admission == 1 ? "" : "s")
                    + " changed only by admission webhooks (not counted).";
        }
        return line;
    }

    private static String symbol(Op op) {
        return switch (op) {
            case CHANGED -> "~";
            case ADDED -> "+";
            case REMOVED -> "-";
        };
    }

    private static String diffLine(boolean colour, String line) {
        if (line.startsWith("---") || line.startsWith("+++")) {
            return paint(colour, BOLD, line);
        }
        if (line.startsWith("@@")) {
            return paint(colour, CYAN, line);
        }
        if (line.startsWith("-")) {
            return paint(colour, RED, line);
        }
        if (line.startsWith("+")) {
            return paint(colour, GREEN, line);
        }
        return line;
    }

    private static String paint(boolean colour, String code, String text) {
        return colour ? code + text + RESET : text;
    }
}
