package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportRenderingTest {

    private static final ObjectKey WEB = new ObjectKey("apps", "Deployment", "shop", "web");

    private final Change scaled = new Change(
            "spec.replicas",
            "/spec/replicas",
            Op.CHANGED,
            Cause.OUT_OF_BAND,
            IntNode.valueOf(3),
            IntNode.valueOf(5),
            "kubectl-scale",
            "Update",
            "scale",
            Instant.parse("2026-11-21T10:42:00Z"));
    private final Drift modified = new Drift(
            WEB,
            "apps/v1",
            "shop",
            DriftType.MODIFIED,
            Cause.OUT_OF_BAND,
            "Deployment shop/web: replicas 3 → 5, set by kubectl-scale at 10:42Z",
            List.of(scaled),
            "--- desired\n+++ live\n@@ -1 +1 @@\n-  replicas: 3\n+  replicas: 5\n");
    private final Drift missing = new Drift(
            new ObjectKey("", "ConfigMap", "shop", "cfg"),
            "v1",
            null,
            DriftType.MISSING,
            Cause.DELETED,
            "ConfigMap shop/cfg: missing (deleted)",
            List.of(),
            null);
    private final DriftReport report = new DriftReport(
            List.of(modified, missing), new DriftReport.Summary(4, 2, 1, 1, 0, Map.of("out-of-band", 1, "deleted", 1)));

    @Test
    void anActorIsWrittenInJsonAndText() {
        Actor carol = new Actor(
                "carol",
                List.of("system:authenticated"),
                "alice",
                "10.0.0.7",
                "kubectl/v1.31.0 (linux/amd64) kubernetes/9edcffc",
                "5f1c",
                Actor.Match.EXACT);
        Change c = modified.changes().get(0);
        Drift attributed = modified.attributed(List.of(c.attributed(carol, c.cause())), null, null);
        DriftReport one = new DriftReport(List.of(attributed), report.summary());

        assertThat(ReportJson.toJson(one)
                        .get("drifts")
                        .get(0)
                        .get("changes")
                        .get(0)
                        .get("actor"))
                .isEqualTo(
                        Fixtures.json(
                                "{\"username\":\"carol\",\"groups\":[\"system:authenticated\"],"
                                        + "\"impersonatedBy\":\"alice\",\"sourceIP\":\"10.0.0.7\",\"userAgent\":"
                                        + "\"kubectl/v1.31.0 (linux/amd64) kubernetes/9edcffc\",\"auditID\":\"5f1c\",\"match\":\"exact\"}"));
        assertThat(ReportText.render(one, false))
                .contains("by carol (impersonated by alice) from 10.0.0.7 with kubectl/v1.31.0 (linux/amd64) "
                        + "kubernetes/9edcffc, audit 5f1c, exact match");
        assertThat(ReportYaml.render(one)).contains("impersonatedBy: alice");
    }

    @Test
    void writesTheDocumentedJsonShape() {
        JsonNode json = ReportJson.toJson(report);
        assertThat(json.get("summary"))
                .isEqualTo(
                        Fixtures.json(
                                "{\"desired\":4,\"drifted\":2,\"modified\":1,\"missing\":1,\"extra\":0,\"byCause\":{\"deleted\":1,\"out-of-band\":1}}"));
        JsonNode d = json.get("drifts").get(0);
        assertThat(d.get("group").asText()).isEqualTo("apps");
        assertThat(d.get("version").asText()).isEqualTo("v1");
        assertThat(d.get("kind").asText()).isEqualTo("Deployment");
        assertThat(d.get("namespace").asText()).isEqualTo("shop");
        assertThat(d.get("name").asText()).isEqualTo("web");
        assertThat(d.get("app").asText()).isEqualTo("shop");
        assertThat(d.get("type").asText()).isEqualTo("modified");
        assertThat(d.get("cause").asText()).isEqualTo("out-of-band");
        assertThat(d.get("summary").asText()).startsWith("Deployment shop/web: replicas 3 → 5");
        assertThat(d.get("diff").asText()).contains("+  replicas: 5");
        assertThat(d.get("changes").get(0)).isEqualTo(Fixtures.json("""
                {"field":"spec.replicas","path":"/spec/replicas","op":"changed","cause":"out-of-band","desired":3,"live":5,
                 "manager":"kubectl-scale","operation":"Update","subresource":"scale","time":"2026-11-21T10:42:00Z","note":null,"actor":null}"""));
        assertThat(d.get("actor").isNull()).isTrue();
        JsonNode m = json.get("drifts").get(1);
        assertThat(m.get("version").asText()).isEqualTo("v1");
        assertThat(m.get("group").asText()).isEmpty();
        assertThat(m.get("app").isNull()).isTrue();
        assertThat(m.get("cause").asText()).isEqualTo("deleted");
        assertThat(m.has("diff")).isFalse();
    }

    @Test
    void writesTheSameShapeAsYaml() throws Exception {
        JsonNode back = Fixtures.YAML.readTree(ReportYaml.render(report));
        assertThat(back).isEqualTo(ReportJson.toJson(report));
    }

    @Test
    void rendersTextWithHeadersChangesDiffAndSummaryLine() {
        String text = ReportText.render(report, false);
        assertThat(text)
                .contains("Deployment shop/web (apps/v1): modified, out-of-band [app shop]")
                .contains("~ spec.replicas: 3 → 5  [out-of-band, kubectl-scale Update/scale 2026-11-21T10:42:00Z]")
                .contains("-  replicas: 3\n+  replicas: 5")
                .contains("ConfigMap shop/cfg (v1): missing, deleted")
                .endsWith("Drift: 2 objects (1 modified, 1 missing, 0 extra) of 4 desired.\n")
                .doesNotContain("\u001b[");
    }

    @Test
    void coloursTextOnlyWhenAsked() {
        String text = ReportText.render(report, true);
        assertThat(text).contains("\u001b[31m-  replicas: 3\u001b[0m").contains("\u001b[32m+  replicas: 5\u001b[0m");
    }

    @Test
    void saysNoDriftWhenThereIsNone() {
        DriftReport clean = new DriftReport(List.of(), new DriftReport.Summary(25, 0, 0, 0, 0, Map.of()));
        assertThat(ReportText.render(clean, false)).isEqualTo("No drift: 25 desired objects match the cluster.\n");
        assertThat(ReportJson.toJson(clean).get("drifts").size()).isZero();
    }

    @Test
    void mentionsAdmissionOnlyObjectsThatAreNotCounted() {
        Change admission = new Change(
                "spec.x",
                "/spec/x",
                Op.CHANGED,
                Cause.ADMISSION,
                IntNode.valueOf(1),
                IntNode.valueOf(2),
                "argocd-controller",
                "Apply",
                "",
                null);
        Drift d = new Drift(WEB, "apps/v1", "shop", DriftType.MODIFIED, Cause.ADMISSION, "s", List.of(admission), null);
        DriftReport r = new DriftReport(List.of(d), new DriftReport.Summary(1, 0, 0, 0, 0, Map.of("admission", 1)));
        assertThat(ReportText.render(r, false))
                .endsWith(
                        "No drift: 1 desired object match the cluster. 1 object changed only by admission webhooks (not counted).\n");
    }

    @Test
    void summarisesAtMostThreeChangesAndNamesNonOutOfBandCauses() {
        Change pending = new Change(
                "spec.template.spec.containers[name=web].image",
                "/p",
                Op.CHANGED,
                Cause.PENDING_SYNC,
                Fixtures.json("\"a:2\""),
                Fixtures.json("\"a:1\""),
                "argocd-controller",
                "Apply",
                "",
                Instant.parse("2026-11-20T09:00:00Z"));
        Change removed = new Change(
                "spec.paused",
                "/spec/paused",
                Op.REMOVED,
                Cause.UNKNOWN,
                Fixtures.json("true"),
                null,
                null,
                null,
                null,
                null);
        String s = Summaries.modified(WEB, List.of(scaled, pending, removed, scaled));
        assertThat(s)
                .isEqualTo(
                        "Deployment shop/web: replicas 3 → 5, set by kubectl-scale at 10:42Z; "
                                + "containers[name=web].image a:2 → a:1, set by argocd-controller at 09:00Z (pending sync); "
                                + "paused removed (desired true); not recorded in the object who removed it (unknown); and 1 more");
    }
}
