package io.driftwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus' promtool (Debian package prometheus, installed by scripts/test.sh); missing means failing. */
public final class Promtool {

    private Promtool() {}

    public static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("promtool is not installed: scripts/test.sh installs it (apt-get install prometheus)");
    }

    /** {@code promtool check metrics} on an exposition; returns its exit code and output. */
    public static Kubectl.Result checkMetrics(String exposition) {
        try {
            Process p = new ProcessBuilder(List.of(binary().toString(), "check", "metrics"))
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not finish");
            }
            return new Kubectl.Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run promtool: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
