package io.driftwatch.localkube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory that holds one local cluster's data, certificates and logs, plus the pids of the processes it started
 * and the pid of the JVM that owns it. Before a new cluster starts, {@link #reapOrphans} kills the processes of every
 * run whose owning JVM is gone (killed with SIGKILL, say) and deletes its directory, so a crashed test run never leaves
 * a control-plane process (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) behind for the next one.
 */
final class RunDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    private static final String OWNER = "owner.pid";
    private static final String CHILDREN = "children.pid";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    static Path root() {
        return Path.of(System.getProperty("java.io.tmpdir"), "driftwatch-localkube");
    }

    static RunDirectory create() {
        try {
            Files.createDirectories(root());
            Path dir = Files.createTempDirectory(root(), "run-");
            Files.writeString(dir.resolve(OWNER), ownerToken(ProcessHandle.current()));
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory under " + root(), e);
        }
    }

    Path path() {
        return dir;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Records a started process so that a later run can reap it if this JVM dies without cleaning up. */
    synchronized void recordChild(Process process) {
        try {
            Files.writeString(
                    dir.resolve(CHILDREN),
                    process.pid() + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record pid " + process.pid() + " in " + dir, e);
        }
    }

    void delete() {
        deleteRecursively(dir);
    }

    /** Kills the processes of runs whose owner JVM no longer exists and removes their directories. */
    static int reapOrphans() {
        Path root = root();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int reaped = 0;
        try (Stream<Path> runs = Files.list(root)) {
            for (Path run : runs.filter(Files::isDirectory).toList()) {
                if (ownerAlive(run)) {
                    continue;
                }
                for (long pid : childPids(run)) {
                    killIfOurs(pid, run);
                }
                deleteRecursively(run);
                reaped++;
                LOG.info("reaped the leftovers of an earlier local cluster run in {}", run);
            }
        } catch (IOException e) {
            LOG.warn("cannot list {} to reap orphaned local clusters: {}", root, e.toString());
        }
        return reaped;
    }

    private static boolean ownerAlive(Path run) {
        Path owner = run.resolve(OWNER);
        if (!Files.exists(owner)) {
            // A run being created right now writes its owner file first; an old one without it is debris.
            return isYoungerThanAMinute(run);
        }
        try {
            String token = Files.readString(owner).trim();
            long pid = Long.parseLong(token.split(" ")[0]);
            return ProcessHandle.of(pid).map(p -> ownerToken(p).equals(token)).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A pid plus its start time: a recycled pid of another process does not look like the owner. */
    private static String ownerToken(ProcessHandle process) {
        return process.pid() + " "
                + process.info().startInstant().map(Object::toString).orElse("?");
    }

    private static List<Long> childPids(Path run) {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(run.resolve(CHILDREN))) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // nothing recorded: nothing to kill
        }
        return pids;
    }

    /** Kills the pid only if its command line mentions the run directory, so a recycled pid is never touched. */
    private static void killIfOurs(long pid, Path run) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !commandLine(pid).contains(run.toString())) {
            return;
        }
        handle.get().destroyForcibly();
        handle.get()
                .onExit()
                .orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(t -> null)
                .join();
        LOG.info("killed orphaned process {} of {}", pid, run);
    }

    private static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
        }
    }

    private static boolean isYoungerThanAMinute(Path run) {
        try {
            return Files.getLastModifiedTime(run).toMillis() > System.currentTimeMillis() - 60_000;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }
}
