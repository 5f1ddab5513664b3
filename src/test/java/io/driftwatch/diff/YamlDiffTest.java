package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlDiffTest {

    @Test
    void writesUnifiedHunksWithThreeLinesOfContext() {
        List<String> a = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            a.add("line" + i);
        }
        List<String> b = new ArrayList<>(a);
        b.set(9, "changed10");
        assertThat(YamlDiff.unifiedLines(a, b)).isEqualTo("""
                --- desired
                +++ live
                @@ -7,7 +7,7 @@
                 line7
                 line8
                 line9
                -line10
                +changed10
                 line11
                 line12
                 line13
                """);
    }

    @Test
    void separatesDistantChangesIntoTwoHunks() {
        List<String> a = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            a.add("l" + i);
        }
        List<String> b = new ArrayList<>(a);
        b.remove(1);
        b.add(27, "new");
        String diff = YamlDiff.unifiedLines(a, b);
        assertThat(diff.lines().filter(l -> l.startsWith("@@")))
                .containsExactly("@@ -1,5 +1,4 @@", "@@ -26,5 +25,6 @@");
    }

    @Test
    void showsAWholeObjectAgainstNothing() {
        String diff = YamlDiff.unified(Fixtures.json("{\"a\":1}"), null);
        assertThat(diff).isEqualTo("--- desired\n+++ live\n@@ -1 +0,0 @@\n-a: 1\n");
    }

    @Test
    void isEmptyOfHunksForEqualInput() {
        assertThat(YamlDiff.unifiedLines(List.of("a"), List.of("a"))).isEqualTo("--- desired\n+++ live\n");
    }

    // ---- the whole object as context (the agent's diff.fullContextLines) -----------------------------------------

    /** A ConfigMap of {@code keys} keys (one YAML line each, plus 5 lines around them), with key {@code changed} edited. */
    private static ObjectNode configMap(int keys, int changed, String value) {
        ObjectNode cm = Fixtures.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: shop\n");
        ObjectNode data = cm.putObject("data");
        for (int i = 0; i < keys; i++) {
            data.put(String.format("k%05d", i), i == changed ? value : "v" + i);
        }
        return cm;
    }

    @Test
    void smallObjectComesWholeAsOneHunkWithEveryLine() {
        ObjectNode desired = configMap(40, 20, "v20");
        ObjectNode live = configMap(40, 20, "edited");
        int lines = YamlDiff.toYaml(live).split("\n").length; // 46

        String diff = YamlDiff.unified(desired, live, lines);

        assertThat(diff.lines().filter(l -> l.startsWith("@@"))).containsExactly("@@ -1,46 +1,46 @@");
        assertThat(diff.lines().skip(3).filter(l -> l.startsWith(" "))).hasSize(45);
        assertThat(diff).contains("\n-  k00020: v20\n+  k00020: edited\n", "\n apiVersion: v1\n", "\n   k00039: v39\n");
        assertThat(diff.lines().skip(3).map(l -> l.substring(1)).distinct())
                .containsAll(List.of(YamlDiff.toYaml(live).split("\n")));
    }

    @Test
    void objectOverTheBoundOrABoundOfZeroGetsThreeLines() {
        ObjectNode desired = configMap(40, 20, "v20");
        ObjectNode live = configMap(40, 20, "edited");
        String threeLines = YamlDiff.unified(desired, live);

        assertThat(YamlDiff.unified(desired, live, 45)).isEqualTo(threeLines); // 46 lines > 45
        assertThat(YamlDiff.unified(desired, live, 0)).isEqualTo(threeLines);
        assertThat(threeLines.lines().filter(l -> l.startsWith("@@"))).containsExactly("@@ -24,7 +24,7 @@");
        assertThat(YamlDiff.unified(desired, live, 46)).isNotEqualTo(threeLines);
    }

    @Test
    void theBoundIsOnTheLargerSide() {
        ObjectNode desired = configMap(10, -1, "");
        ObjectNode live = configMap(40, -1, ""); // 30 keys added: live has 46 lines, desired 16
        assertThat(YamlDiff.unified(desired, live, 30).lines().filter(l -> l.startsWith("@@")))
                .containsExactly("@@ -14,3 +14,33 @@");
        assertThat(YamlDiff.unified(desired, live, 46).lines().filter(l -> l.startsWith("@@")))
                .containsExactly("@@ -1,16 +1,46 @@");
    }

    @Test
    void aWholeObjectDiffNarrowsToExactlyTheThreeLineDiff() {
        ObjectNode desired = configMap(60, 3, "v3");
        ObjectNode live = configMap(60, 3, "x");
        ObjectNode data = (ObjectNode) live.get("data");
        data.put("k00050", "y");
        data.remove("k00030");
        data.put("k00061", "new");
        String whole = YamlDiff.unified(desired, live, 1_000);
        String three = YamlDiff.unified(desired, live);

        assertThat(whole.lines().filter(l -> l.startsWith("@@"))).hasSize(1);
        assertThat(three.lines().filter(l -> l.startsWith("@@"))).hasSize(4);
        assertThat(YamlDiff.narrowed(whole)).isEqualTo(three);
        assertThat(YamlDiff.narrowed(three)).isEqualTo(three);
        String missing = YamlDiff.unified(desired, null, 1_000);
        assertThat(YamlDiff.narrowed(missing)).isEqualTo(missing).isEqualTo(YamlDiff.unified(desired, null));
        assertThat(YamlDiff.narrowed("not a diff\n")).isEqualTo("not a diff\n");
        String cut = whole.substring(0, whole.length() / 2);
        assertThat(YamlDiff.narrowed(cut)).as("a truncated diff is left alone").isEqualTo(cut);
    }

    @Test
    void changesAtTheEdgesNarrowLikeTheEngineWritesThem() {
        List<String> a = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        List<String> b = List.of("A", "b", "c", "d", "e", "f", "g", "h", "i", "J", "k");
        assertThat(YamlDiff.narrowed(YamlDiff.unifiedLines(a, b, 11))).isEqualTo(YamlDiff.unifiedLines(a, b));
        assertThat(YamlDiff.narrowed(YamlDiff.unifiedLines(List.of(), b, 11)))
                .isEqualTo(YamlDiff.unifiedLines(List.of(), b));
    }

    @Test
    void unchangedSecretValuesAreOnlyHashesInAWholeObjectDiff() {
        DiffEngine engine = DiffEngine.withDefaults(DiffOptions.defaults()
                .withIncludeYamlDiff(true)
                .withYamlDiffContextLines(2_000)
                .withRedactionKey("k".getBytes(StandardCharsets.UTF_8)));
        Drift d = engine.diffAll(
                        List.of(Fixtures.desired(Fixtures.load("secret-desired.yaml"))),
                        List.of(Fixtures.load("secret-live.yaml")),
                        k -> true)
                .drifts()
                .get(0);

        assertThat(d.yamlDiff().lines().filter(l -> l.startsWith("@@"))).hasSize(1);
        assertThat(d.yamlDiff())
                .contains(" kind: Secret", " type: Opaque", "   username: " + Redactor.PREFIX)
                .doesNotContain("YWRtaW4", "admin", "hunter2", "aHVudGVyMi1wbGFpbg", "Y2hhbmdlZC1wbGFpbg");
    }
}
