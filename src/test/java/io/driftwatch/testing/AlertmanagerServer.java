package io.driftwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Alertmanager (Debian's prometheus-alertmanager, 0.25) on 127.0.0.1, without clustering, started for one test
 * and stopped by {@link #close()}.
 */
public final class AlertmanagerServer implements AutoCloseable {

    private final ServerProcess process;
    private final int port;

    private AlertmanagerServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Writes {@code configYaml} to {@code workDir}/alertmanager.yml and starts Alertmanager with it. */
    public static AlertmanagerServer start(Path workDir, String configYaml) {
        try {
            Path config = Files.writeString(workDir.resolve("alertmanager.yml"), configYaml);
            Path storage = Files.createDirectories(workDir.resolve("alertmanager-data"));
            int port = ServerProcess.freePort();
            ServerProcess process = ServerProcess.start(
                    "alertmanager",
                    List.of(
                            ServerProcess.binary("prometheus-alertmanager", "prometheus-alertmanager")
                                    .toString(),
                            "--config.file=" + config,
                            "--storage.path=" + storage,
                            "--web.listen-address=127.0.0.1:" + port,
                            "--cluster.listen-address="),
                    workDir,
                    "http://127.0.0.1:" + port + "/-/ready",
                    Duration.ofSeconds(60));
            return new AlertmanagerServer(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port}, as Prometheus' alerting configuration names it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String logTail() {
        return process.logTail();
    }

    @Override
    public void close() {
        process.close();
    }
}
