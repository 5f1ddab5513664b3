package io.driftwatch.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The committed dashboards and PrometheusRule are exactly what scripts/generate-observability.py writes
 * ({@code --check}), so nobody edits a generated file by hand or forgets to regenerate. Needs python3 on PATH.
 */
class GeneratedFilesTest {

    @Test
    void committedDashboardsAndPrometheusRuleMatchTheGenerator() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "scripts/generate-observability.py", "--check")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "python3 is needed to run scripts/generate-observability.py --check: " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("generator finished").isTrue();

        assertThat(p.exitValue())
                .as("scripts/generate-observability.py --check said:\n" + out)
                .isZero();
    }
}
