package io.driftwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the built {@code target/driftwatch} launcher as a child process (the launcher execs java, so the child is
 * the JVM): exit code, output, wall time and peak resident memory, sampled from {@code /proc/<pid>/status} (VmHWM)
 * until it exits. A run still going at its timeout is killed and reported as such.
 */
public record LauncherRun(
        int exitCode, String stdout, String stderr, Duration elapsed, long peakRssKib, boolean timedOut) {

    public static Path launcher() {
        Path launcher = Path.of("target", "driftwatch").toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            throw new AssertionError(launcher + " is missing: `mvn package` writes the launcher before the ITs");
        }
        return launcher;
    }

    /** {@code driftwatch ARGS} in {@code workDir}, killed after {@code timeout}. */
    public static LauncherRun of(Path workDir, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "out", ".txt");
            Path err = Files.createTempFile(workDir, "err", ".txt");
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            p.getOutputStream().close();
            long peak = 0;
            long deadline = start + timeout.toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                peak = Math.max(peak, statusKib(p.pid(), "VmHWM:"));
                p.waitFor(20, TimeUnit.MILLISECONDS);
            }
            boolean timedOut = p.isAlive();
            if (timedOut) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new LauncherRun(
                    timedOut ? -1 : p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    elapsed,
                    peak,
                    timedOut);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A {@code /proc/<pid>/status} field in KiB (VmRSS:, VmHWM:), 0 once the process is gone. */
    public static long statusKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(
                            line.substring(field.length()).replace("kB", "").trim());
                }
            }
            return 0;
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
