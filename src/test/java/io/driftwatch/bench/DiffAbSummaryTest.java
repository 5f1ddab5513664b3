package io.driftwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffAbSummaryTest {

    @TempDir
    Path dir;

    /** A run file: one set of 10 pairs, rounds with the given engine ns against 1,000 ns of parsing. */
    private Path run(String name, String checksum, long... engineNs) throws IOException {
        StringBuilder s = new StringBuilder("# load before: 1.00 1.00 1.00\npairs\tCONFIGMAP\t10\t" + checksum + "\n");
        for (int r = 0; r < engineNs.length; r++) {
            s.append("round\tCONFIGMAP\t")
                    .append(r)
                    .append('\t')
                    .append(engineNs[r])
                    .append("\t1000\t5000\t9000\n");
        }
        return Files.writeString(dir.resolve(name), s.toString());
    }

    @Test
    void aRunIsTheMedianRatioOfItsRoundsAndTheEnginesBytesPerPair() throws IOException {
        DiffAbSummary.Run run = DiffAbSummary.read(run("01-before.tsv", "ab", 900, 1000, 5000));

        assertThat(run.ratio()).containsEntry("CONFIGMAP", 1.0);
        assertThat(run.engineBytesPerPair()).containsEntry("CONFIGMAP", 500.0);
    }

    @Test
    void pairsAreComparedRunByRunAndJudgedOnTheInterval() throws IOException {
        Map<Integer, DiffAbSummary.Run> before = Map.of(
                1, DiffAbSummary.read(run("01-before.tsv", "ab", 1000)),
                2, DiffAbSummary.read(run("02-before.tsv", "ab", 2000)),
                3, DiffAbSummary.read(run("03-before.tsv", "ab", 1000)));
        Map<Integer, DiffAbSummary.Run> after = Map.of(
                1, DiffAbSummary.read(run("01-after.tsv", "ab", 1050)),
                2, DiffAbSummary.read(run("02-after.tsv", "ab", 2100)),
                3, DiffAbSummary.read(run("03-after.tsv", "ab", 1020)));

        DiffAbSummary.SetResult r = DiffAbSummary.compare(before, after).get(0);

        assertThat(r.set()).isEqualTo("CONFIGMAP");
        assertThat(r.pairs()).isEqualTo(3);
        assertThat(r.before().median()).isEqualTo(1.0);
        assertThat(r.after().max()).isEqualTo(2.1);
        assertThat(r.pairedMedian()).isCloseTo(1.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.low()).isCloseTo(1.02, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.high()).isCloseTo(1.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(DiffAbSummary.verdict(r, 1.10)).isEqualTo("too few pairs");
        assertThat(DiffAbSummary.table(List.of(r), 1.10))
                .contains("| CONFIGMAP |", "1.050 [1.020, 1.050] | too few pairs |");
        DiffAbSummary.SetResult six = new DiffAbSummary.SetResult(
                r.set(), r.before(), r.after(), r.pairedMedian(), r.low(), r.high(), 6, 0, 0);
        assertThat(DiffAbSummary.verdict(six, 1.10)).isEqualTo("yes");
        assertThat(DiffAbSummary.verdict(six, 1.04)).isEqualTo("undecided");
        assertThat(DiffAbSummary.verdict(six, 1.01)).isEqualTo("no");
    }

    @Test
    void theBootstrapIntervalHoldsTheMedianAndStaysInsideTheSample() {
        List<Double> values = List.of(0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5);

        double[] ci = DiffAbSummary.bootstrapMedianInterval(values, new Random(7));

        assertThat(ci[0]).isLessThanOrEqualTo(1.2).isGreaterThanOrEqualTo(0.9);
        assertThat(ci[1]).isGreaterThanOrEqualTo(1.2).isLessThanOrEqualTo(1.5);
        assertThat(ci[0]).isLessThan(ci[1]);
    }

    @Test
    void runsOfDifferentPairsOrUnpairedRunsAreRefused() throws IOException {
        Map<Integer, DiffAbSummary.Run> before = Map.of(1, DiffAbSummary.read(run("01-before.tsv", "ab", 1000)));

        assertThatThrownBy(() ->
                        DiffAbSummary.compare(before, Map.of(1, DiffAbSummary.read(run("01-after.tsv", "cd", 1000)))))
                .hasMessageContaining("different pairs (checksum ab vs cd)");
        assertThatThrownBy(() -> DiffAbSummary.compare(before, Map.of()))
                .hasMessageContaining("runs do not pair up: before [1], after []");
        assertThatThrownBy(() -> DiffAbSummary.read(Files.writeString(dir.resolve("x.tsv"), "pairs\tMIXED\t1\tab\n")))
                .hasMessageContaining("no measured rounds");
    }
}
