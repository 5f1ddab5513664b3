package io.driftwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server binary (Prometheus, Alertmanager) run as a plain child process on 127.0.0.1 for one test, its output in a
 * log file in its work directory. {@link #close()} stops it (SIGTERM, then SIGKILL after 10 s); a JVM shutdown hook
 * does the same if a test never gets to close it.
 */
public final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread shutdownHook;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The executable on PATH; fails the test naming the Debian package when it is missing. */
    public static Path binary(String command, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(
                command + " is not installed: scripts/test.sh installs it (apt-get install " + debianPackage + ")");
    }

    /** Ports handed out by {@link #freePort()} in this JVM: the kernel may offer a port just closed again. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A free port on the loopback address, never one this JVM handed out before (two servers started together). */
    public static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free loopback port not handed out before in 100 attempts");
    }

    /** Starts {@code command} in {@code workDir} and waits until {@code readyUrl} answers 200. */
    public static ServerProcess start(
            String name, List<String> command, Path workDir, String readyUrl, Duration timeout) {
        return start(
                name,
                command,
                java.util.Map.of(),
                workDir,
                "ready at " + readyUrl,
                () -> status(readyUrl) == 200,
                timeout);
    }

    /** Starts {@code command} with extra {@code env} in {@code workDir} and waits until {@code ready} is true. */
    public static ServerProcess start(
            String name,
            List<String> command,
            java.util.Map<String, String> env,
            Path workDir,
            String readiness,
            java.util.function.BooleanSupplier ready,
            Duration timeout) {
        Path log = workDir.resolve(name + ".log");
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + name + ": " + e.getMessage(), e);
        }
        ServerProcess server = new ServerProcess(name, process, log);
        try {
            Eventually.await(
                    name + " " + readiness,
                    timeout,
                    () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(
                                    name + " exited " + process.exitValue() + ":\n" + server.logTail());
                        }
                        return ready.getAsBoolean();
                    },
                    server::logTail);
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited " + process.exitValue() + ":\n" + server.logTail());
            }
            return server;
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
    }

    /** The HTTP status {@code url} answers with, -1 when it does not answer. */
    public static int status(String url) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The name it was started with. */
    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last 4,000 characters the process wrote, for failure messages. */
    public String logTail() {
        try {
            String text = Files.readString(log);
            return name + " log (" + log + "):\n" + text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return name + " log unreadable: " + e;
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs stop() again, which is harmless
        }
    }
}
