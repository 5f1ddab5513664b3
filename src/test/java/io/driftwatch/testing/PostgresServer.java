package io.driftwatch.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests: Debian's binaries ({@code apt-get install postgresql}, which scripts/test.sh
 * does), {@code initdb} into a temporary directory and {@code pg_ctl start} on a free loopback port, as the
 * {@code postgres} user when the tests run as root (PostgreSQL refuses to run as root). One server per JVM, stopped at
 * exit; runs left behind by a killed JVM are stopped by the next start. Tests get a fresh database each
 * ({@link #newDatabase}). If the server cannot start, the test fails with the reason — it is never skipped.
 */
public final class PostgresServer {

    private static final String USER = "driftwatch";
    private static final Path RUNS = Path.of(System.getProperty("java.io.tmpdir"), "driftwatch-postgres");
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "postgres-stop"));
        }
        return shared;
    }

    public int port() {
        return port;
    }

    /** A new, empty database; returns its JDBC URL. */
    public String newDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet())
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    public String user() {
        return USER;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PostgresServer start() {
        Path bin = findBinaries();
        reapOrphans(bin);
        try {
            Files.createDirectories(RUNS);
            Path dir = Files.createTempDirectory(RUNS, "run-");
            Files.writeString(
                    dir.resolve("owner.pid"),
                    Long.toString(ProcessHandle.current().pid()));
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "-R", "postgres", dir.toString()), "chown");
                run(List.of("chmod", "755", RUNS.toString(), dir.toString()), "chmod");
            }
            run(
                    asPostgres(
                            root,
                            bin.resolve("initdb").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-U",
                            USER,
                            "--auth=trust",
                            "-E",
                            "UTF8",
                            "--no-sync"),
                    "initdb");
            int port = freePort();
            run(
                    asPostgres(
                            root,
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-l",
                            dir.resolve("server.log").toString(),
                            "-w",
                            "-t",
                            "60",
                            "-o",
                            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                                    + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                            "start"),
                    "pg_ctl start");
            return new PostgresServer(bin, dir, port);
        } catch (IOException e) {
            throw new AssertionError("PostgreSQL for the tests could not start: " + e.getMessage(), e);
        }
    }

    private void stop() {
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            run(
                    asPostgres(
                            root,
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-m",
                            "immediate",
                            "-w",
                            "stop"),
                    "pg_ctl stop");
        } catch (RuntimeException | Error e) {
            // best effort at JVM exit; the next run reaps it
        }
        deleteQuietly(dir);
    }

    private static void reapOrphans(Path bin) {
        if (!Files.isDirectory(RUNS)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        try (var runs = Files.list(RUNS)) {
            for (Path run : runs.toList()) {
                try {
                    long owner = Long.parseLong(
                            Files.readString(run.resolve("owner.pid")).strip());
                    if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (IOException | NumberFormatException e) {
                    // no owner recorded: treat as orphaned
                }
                if (Files.exists(run.resolve("data/postmaster.pid"))) {
                    try {
                        run(
                                asPostgres(
                                        root,
                                        bin.resolve("pg_ctl").toString(),
                                        "-D",
                                        run.resolve("data").toString(),
                                        "-m",
                                        "immediate",
                                        "-w",
                                        "stop"),
                                "pg_ctl stop (orphan)");
                    } catch (RuntimeException | Error e) {
                        // already gone
                    }
                }
                deleteQuietly(run);
            }
        } catch (IOException e) {
            // nothing to reap
        }
    }

    private static Path findBinaries() {
        List<Path> candidates = new ArrayList<>();
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (var versions = Files.list(lib)) {
                versions.sorted(java.util.Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException e) {
                // fall through
            }
        }
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(Path.of(p));
        }
        return candidates.stream()
                .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("PostgreSQL server binaries (initdb, pg_ctl) not found; install "
                        + "them (Debian: apt-get install postgresql) or run scripts/test.sh, which does"));
    }

    private static List<String> asPostgres(boolean root, String... command) {
        List<String> out = new ArrayList<>();
        if (root) {
            out.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        out.addAll(List.of(command));
        return out;
    }

    private static void run(List<String> command, String what) {
        try {
            Path log = Files.createTempFile("pg-", ".log");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(what + " did not finish in 120 s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (p.exitValue() != 0) {
                throw new AssertionError("PostgreSQL for the tests could not start: " + what + " exited with "
                        + p.exitValue() + ":\n" + output);
            }
        } catch (IOException e) {
            throw new AssertionError("PostgreSQL for the tests could not start: " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + what, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
