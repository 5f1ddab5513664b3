package io.driftwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench/run-all.sh's summary: min/median/max over runs and pass/fail against the targets. */
class BenchSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void summarisesEveryFigureOverTheSuccessfulRunsAndJudgesTheMedianAgainstItsTarget() throws IOException {
        machine("full");
        run(
                "scale-50000-1",
                "scale",
                1,
                "ok",
                figures()
                        .add("scale.50000.heap_after_gc", "MiB", 310)
                        .add("scale.50000.detection_p99", "ms", 40)
                        .add("scale.50000.rss", "MiB", 1100));
        run(
                "scale-50000-2",
                "scale",
                2,
                "ok",
                figures()
                        .add("scale.50000.heap_after_gc", "MiB", 190)
                        .add("scale.50000.detection_p99", "ms", 1200)
                        .add("scale.50000.rss", "MiB", 1200));
        run(
                "scale-50000-3",
                "scale",
                3,
                "ok",
                figures()
                        .add("scale.50000.heap_after_gc", "MiB", 200)
                        .add("scale.50000.detection_p99", "ms", 1500)
                        .add("scale.50000.rss", "MiB", Double.NaN));

        BenchSummary.Result result = BenchSummary.summarize(dir);

        JsonNode heap = figure(result, "scale.50000.heap_after_gc");
        assertThat(heap.get("unit").asText()).isEqualTo("MiB");
        assertThat(heap.get("target").get("op").asText()).isEqualTo("<=");
        assertThat(heap.get("target").get("value").asDouble()).isEqualTo(300);
        assertThat(values(heap)).containsExactly(310.0, 190.0, 200.0);
        assertThat(heap.get("min").asDouble()).isEqualTo(190);
        assertThat(heap.get("median").asDouble()).isEqualTo(200);
        assertThat(heap.get("max").asDouble()).isEqualTo(310);
        assertThat(heap.get("pass").asBoolean()).isTrue();
        assertThat(heap.get("runsMeetingTarget").asInt()).isEqualTo(2);

        JsonNode p99 = figure(result, "scale.50000.detection_p99");
        assertThat(p99.get("median").asDouble()).isEqualTo(1200);
        assertThat(p99.get("pass").asBoolean()).as("median 1.2 s against ≤ 1 s").isFalse();
        assertThat(p99.get("runsMeetingTarget").asInt()).isEqualTo(1);

        JsonNode rss = figure(result, "scale.50000.rss");
        assertThat(rss.get("target").isNull()).isTrue();
        assertThat(rss.get("pass").isNull()).isTrue();
        assertThat(rss.get("runs").get(2).get("value").isNull())
                .as("not measured in run 3")
                .isTrue();
        assertThat(rss.get("median").asDouble())
                .as("median of the two measured values")
                .isEqualTo(1150);

        assertThat(result.exitCode()).as("a target missed").isEqualTo(3);
        assertThat(result.json().get("outcome").get("targetsMet").asInt()).isEqualTo(1);
        assertThat(result.json().get("outcome").get("targetsMissed").asInt()).isEqualTo(1);
        assertThat(result.json().get("machine").get("cpus").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(dir.resolve("summary.json").toFile()).toString())
                .isEqualTo(result.json().toString());
        assertThat(Files.readString(dir.resolve("summary.md")))
                .contains("| scale.50000.heap_after_gc | MiB | ≤ 300 | 3 | 190 | 200 | 310 | yes | 2/3 |")
                .contains("| scale.50000.detection_p99 | ms | ≤ 1,000 | 3 | 40 | 1,200 | 1,500 | **no** | 1/3 |")
                .contains("| cpuModel | Test CPU @ 2.45GHz |");
    }

    @Test
    void leavesFailedRunsOutOfTheFiguresAndFailsTheSummary() throws IOException {
        machine("full");
        run(
                "hub-1",
                "hub",
                1,
                "ok",
                figures()
                        .add("hub.sqlite.saturation_throughput", "events/s", 15_000)
                        .add("hub.sqlite.paced_p99", "ms", 30));
        run("hub-2", "hub", 2, "timed-out", figures().add("hub.sqlite.saturation_throughput", "events/s", 10));

        BenchSummary.Result result = BenchSummary.summarize(dir);

        JsonNode throughput = figure(result, "hub.sqlite.saturation_throughput");
        assertThat(values(throughput)).containsExactly(15_000.0);
        assertThat(throughput.get("pass").asBoolean()).isTrue();
        assertThat(figure(result, "hub.sqlite.paced_p99").get("pass").asBoolean())
                .isTrue();
        assertThat(result.json().get("outcome").get("runsFailed").asInt()).isEqualTo(1);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.markdown()).contains("| hub-2 | hub | 2 | timed-out |");
    }

    @Test
    void judgesTheDiffRatioAndPassesWhenAllRunsSucceedAndAllTargetsAreMet() throws IOException {
        machine("quick");
        run("diff-1", "diff", 1, "ok", figures().add("diff.MIXED.engine_vs_parse", "×", 0.8));
        run("diff-2", "diff", 2, "ok", figures().add("diff.MIXED.engine_vs_parse", "×", 1.2));

        BenchSummary.Result result = BenchSummary.summarize(dir);

        JsonNode ratio = figure(result, "diff.MIXED.engine_vs_parse");
        assertThat(ratio.get("median").asDouble()).as("mean of the middle two").isEqualTo(1.0);
        assertThat(ratio.get("pass").asBoolean()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.markdown()).contains("**Quick mode**");
    }

    @Test
    void rejectsAFigureWhoseUnitChangesBetweenRuns() throws IOException {
        machine("full");
        run("hub-1", "hub", 1, "ok", figures().add("hub.sqlite.paced_p99", "ms", 30));
        run("hub-2", "hub", 2, "ok", figures().add("hub.sqlite.paced_p99", "s", 0.03));

        assertThatThrownBy(() -> BenchSummary.summarize(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("hub.sqlite.paced_p99")
                .hasMessageContaining("unit s");
    }

    @Test
    void namesTheFileAndLineOfAFigureThatIsNotWellFormed() throws IOException {
        machine("full");
        run("hub-1", "hub", 1, "ok", figures());
        Files.writeString(
                dir.resolve("runs/hub-1/figures.jsonl"), "{\"name\": \"x\", \"unit\": \"ms\", \"value\": \"fast\"}\n");

        assertThatThrownBy(() -> BenchSummary.summarize(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("figures.jsonl line 1");
    }

    @Test
    void writesTheMachineDescriptionWithTheRunsParameters() throws IOException {
        Path file = dir.resolve("machine.json");

        BenchSummary.writeMachine(file, List.of("mode=quick", "command=bench/run-all.sh --quick"));

        JsonNode machine = JSON.readTree(file.toFile());
        assertThat(machine.get("cpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(machine.get("jdk").asText()).contains(System.getProperty("java.runtime.version"));
        assertThat(machine.get("kernel").asText()).contains(System.getProperty("os.version"));
        assertThat(machine.get("parameters").get("command").asText()).isEqualTo("bench/run-all.sh --quick");
        assertThatThrownBy(() -> BenchSummary.writeMachine(file, List.of("quick")))
                .hasMessageContaining("'quick' is not key=value");
    }

    private void machine(String mode) throws IOException {
        Files.writeString(dir.resolve("machine.json"), """
                {"cpuModel": "Test CPU @ 2.45GHz", "cpus": 2, "memoryMiB": 24105, "kernel": "Linux 6.1 amd64",
                 "os": "Debian GNU/Linux 12", "jdk": "OpenJDK 17", "loadAverage": "0.1 0.2 0.3",
                 "time": "2026-11-21T11:00:00Z", "parameters": {"mode": "%s", "command": "bench/run-all.sh"}}
                """.formatted(mode));
    }

    private void run(String id, String benchmark, int repeat, String status, BenchFigures figures) throws IOException {
        Path run = Files.createDirectories(dir.resolve("runs").resolve(id));
        Files.writeString(run.resolve("run.json"), """
                {"id": "%s", "benchmark": "%s", "repeat": %d, "size": null, "status": "%s", "exit": 0, "seconds": 60,
                 "limitSeconds": 900, "started": "2026-11-21T11:0%d:00Z", "loadBefore": "0.5", "loadAfter": "0.7"}
                """.formatted(id, benchmark, repeat, status, repeat));
        figures.write(run.resolve("figures.jsonl"));
    }

    private static BenchFigures figures() {
        return new BenchFigures();
    }

    private static JsonNode figure(BenchSummary.Result result, String name) {
        return StreamSupport.stream(result.json().get("figures").spliterator(), false)
                .filter(f -> f.get("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no figure " + name + " in " + result.json()));
    }

    private static List<Double> values(JsonNode figure) {
        List<Double> out = new ArrayList<>();
        figure.get("runs")
                .forEach(r ->
                        out.add(r.get("value").isNull() ? null : r.get("value").asDouble()));
        return out;
    }
}
