package io.driftwatch.diff;

import static org.assertj.core.api.Assertions.assertThat;

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
}
