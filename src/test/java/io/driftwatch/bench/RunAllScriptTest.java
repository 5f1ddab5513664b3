package io.driftwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bench/run-all.sh's command line (checked before it builds or runs anything) and what its runs need from the build:
 * the benchmarks cannot rot unnoticed because this runs with every {@code mvn test}.
 */
class RunAllScriptTest {

    @Test
    void documentsItsOptionsAndOutputInHelp() throws Exception {
        Run run = run("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.output())
                .contains(
                        "--repeat N",
                        "--only LIST",
                        "--sizes LIST",
                        "--quick",
                        "summary.json",
                        "summary.md",
                        "machine.json",
                        "figures.jsonl");
    }

    @Test
    void rejectsAnUnknownBenchmarkNamingIt() throws Exception {
        Run run = run("--only", "diff,scael");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("unknown benchmark 'scael'", "diff, scale, hub");
    }

    @Test
    void rejectsRepeatAndSizesThatAreNotPositiveWholeNumbers() throws Exception {
        assertThat(run("--repeat", "0").output()).contains("--repeat must be a whole number ≥ 1, got '0'");
        assertThat(run("--repeat").output()).contains("--repeat needs a number");
        Run sizes = run("--sizes", "10k,50000");
        assertThat(sizes.exit()).isEqualTo(2);
        assertThat(sizes.output()).contains("got '10k,50000'");
        assertThat(run("--fast").output()).contains("unknown argument '--fast'", "Usage:");
    }

    @Test
    void theJmhBenchmarkListNamesTheDiffBenchmark() throws IOException {
        // bench/run-diff.sh runs what JMH's annotation processor listed during test-compile
        try (InputStream list = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(list).as("META-INF/BenchmarkList on the test classpath").isNotNull();
            String text = new String(list.readAllBytes(), StandardCharsets.UTF_8);
            for (String method : List.of("engineDiff", "engineParseAndDiff", "parseBoth", "zjsonpatchJsonDiff")) {
                assertThat(text).contains("io.driftwatch.bench.jmh_generated.DiffBenchmark_" + method + "_jmhTest");
            }
        }
    }

    private record Run(int exit, String output) {}

    private static Run run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "bench/run-all.sh"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("bench/run-all.sh %s ended", command)
                .isTrue();
        return new Run(p.exitValue(), output);
    }
}
