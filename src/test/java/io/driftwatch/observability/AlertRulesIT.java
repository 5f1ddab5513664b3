package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.testing.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check rules} and {@code promtool test rules} on the shipped rules (promtool from Debian's
 * prometheus package, installed by scripts/test.sh; missing fails the test).
 */
class AlertRulesIT {

    @Test
    void rulesFilePassesPromtoolCheck() throws Exception {
        Result result = promtool("check", "rules", AlertRules.RULES.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        List<Path> files = AlertRules.testFiles();
        assertThat(files).isNotEmpty();
        files.forEach(f -> args.add(f.toString()));

        Result result = promtool(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    private record Result(int exitCode, String output) {}

    private static Result promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Promtool.binary().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
