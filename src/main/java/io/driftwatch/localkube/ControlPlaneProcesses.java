package io.driftwatch.localkube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes of one local cluster, each logging into {@code <name>.log} in the run directory and recorded there so
 * that {@link RunDirectory#reapOrphans()} can kill them if this JVM dies. Stopped in the reverse order of their start
 * (SIGTERM, then SIGKILL after a grace period), and always waited for, so none is left behind.
 */
final class ControlPlaneProcesses {

    private static final long STOP_TIMEOUT_SECONDS = 15;
    private static final int LOG_TAIL_LINES = 15;

    private record Named(String name, Process process) {}

    private final RunDirectory run;
    private final List<Named> processes = new ArrayList<>();

    ControlPlaneProcesses(RunDirectory run) {
        this.run = run;
    }

    synchronized void start(String name, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
        try {
            Process process = builder.start();
            run.recordChild(process);
            processes.add(new Named(name, process));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Stops the named process (if running) and forgets it; {@link #start} may start it again. */
    synchronized void stop(String name) {
        processes.removeIf(p -> {
            if (p.name().equals(name)) {
                stop(p.process());
                return true;
            }
            return false;
        });
    }

    /** Stops every process, last started first. */
    synchronized void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i).process());
        }
        processes.clear();
    }

    /** Fails, with the last lines of every log, when a process has exited. */
    synchronized void requireAlive() {
        for (Named p : processes) {
            if (!p.process().isAlive()) {
                throw new IllegalStateException(
                        p.name() + " exited with " + p.process().exitValue()
                                + " while the local cluster was starting; last log lines:\n" + logTails());
            }
        }
    }

    /** The process handles (for tests that check none outlives the cluster). */
    synchronized List<ProcessHandle> handles() {
        return processes.stream().map(p -> p.process().toHandle()).toList();
    }

    synchronized String logTails() {
        StringBuilder out = new StringBuilder();
        for (Named p : processes) {
            Path log = log(p.name());
            out.append("--- ").append(p.name()).append('\n');
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append(e.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    private Path log(String name) {
        return run.resolve(name + ".log");
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
