package io.driftwatch.source.git;

import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a rendering tool (kustomize, helm) as a process on a bounded executor with a timeout. Standard output goes to a
 * file; standard error is captured and, when the tool fails, put into the {@code RENDER} error, trimmed to its last
 * {@value #MAX_STDERR} characters (the tool's final message is at the end). Give it an executor of its own, not the
 * pool its callers run on, or a full pool waits on itself.
 */
public final class ToolRunner {

    static final int MAX_STDERR = 4000;

    private final ExecutorService executor;
    private final Duration timeout;

    public ToolRunner(ExecutorService executor, Duration timeout) {
        this.executor = executor;
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code command} in {@code workDir} with {@code extraEnv} added, writes its standard output to
     * {@code stdout} and returns when it exited 0.
     */
    public void run(List<String> command, Path workDir, Map<String, String> extraEnv, Path stdout)
            throws SourceException {
        String tool = Path.of(command.get(0)).getFileName().toString();
        Future<Void> future;
        try {
            future = executor.submit(() -> {
                runProcess(tool, command, workDir, extraEnv, stdout);
                return null;
            });
        } catch (RejectedExecutionException e) {
            throw new SourceException(Reason.RENDER, tool + " could not be started: the render pool is shut down", e);
        }
        try {
            future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new SourceException(Reason.RENDER, tool + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SourceException se) {
                throw se;
            }
            throw new SourceException(Reason.RENDER, tool + " failed: " + e.getCause(), e.getCause());
        }
    }

    private void runProcess(String tool, List<String> command, Path workDir, Map<String, String> extraEnv, Path stdout)
            throws SourceException, InterruptedException {
        Path stderr = stdout.resolveSibling(stdout.getFileName() + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(extraEnv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SourceException(Reason.RENDER, "cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new SourceException(
                        Reason.RENDER,
                        tool + " did not finish within "
                                + (timeout.toMillis() % 1000 == 0
                                        ? timeout.toSeconds() + " s"
                                        : timeout.toMillis() + " ms")
                                + " and was killed" + tail(stderr, ": "));
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        if (process.exitValue() != 0) {
            throw new SourceException(Reason.RENDER, tool + " exited " + process.exitValue() + tail(stderr, ": "));
        }
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** The end of the captured standard error, prefixed, or nothing when it is empty. */
    private static String tail(Path stderr, String prefix) {
        try {
            String text = new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "";
            }
            return prefix + (text.length() > MAX_STDERR ? "..." + text.substring(text.length() - MAX_STDERR) : text);
        } catch (IOException e) {
            return "";
        }
    }
}
