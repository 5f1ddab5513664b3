package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.testing.TestHub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hub on loopback with short timeouts, spoken to over raw sockets: idle, trickling and stalled connections are
 * closed; unknown methods get 405 with Allow.
 */
class HubHardeningIT {

    private static final String TIMEOUTS =
            "listen: {host: 127.0.0.1, port: 0, idleTimeout: 1s, headerTimeout: 2s, requestTimeout: 2s}\n";

    @TempDir
    Path tmp;

    private TestHub hub() {
        return hub(TIMEOUTS);
    }

    private TestHub hub(String listen) {
        return TestHub.start(TestHub.sqlite(tmp.resolve("hub.db")) + listen, List.of("prod-eu"));
    }

    /** Reads until the server closes the connection (or 30 s pass: then the connection was not closed). */
    private static String readUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the hub kept the connection open for 30 s");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (TestHub hub = hub();
                Socket socket = new Socket("127.0.0.1", hub.port())) {
            assertThat(readUntilClosed(socket)).isEmpty();
        }
    }

    @Test
    void aRequestHeadTrickledByteByByteIsCutOff() throws Exception {
        try (TestHub hub = hub();
                Socket socket = new Socket("127.0.0.1", hub.port())) {
            OutputStream out = socket.getOutputStream();
            byte[] head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            // one byte every 500 ms never lets the 1 s idle timeout fire; the 2 s head deadline must
            for (int i = 0; i < 60 && !closed; i++) {
                try {
                    out.write(head[Math.min(i, head.length - 1)]);
                    out.flush();
                    Thread.sleep(500);
                } catch (IOException e) {
                    closed = true;
                }
                socket.setSoTimeout(1);
                try {
                    closed = closed || socket.getInputStream().read() == -1;
                } catch (SocketTimeoutException e) {
                    // still open
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed within 30 s of trickling").isTrue();
        }
    }

    @Test
    void aBodyThatNeverArrivesGets408AndTheConnectionIsClosed() throws IOException {
        try (TestHub hub = hub(TIMEOUTS.replace("idleTimeout: 1s", "idleTimeout: 10s"));
                Socket socket = new Socket("127.0.0.1", hub.port())) {
            socket.getOutputStream()
                    .write(("POST /api/v1/clusters/prod-eu/events HTTP/1.1\r\nHost: x\r\n"
                                    + "Authorization: Bearer " + TestHub.token("prod-eu")
                                    + "\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 1000\r\n\r\n{\"stream\":")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String answer = readUntilClosed(socket);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
            assertThat(hub.history("")).as("nothing stored").isEmpty();
        }
    }

    @Test
    void unknownMethodsGet405WithAllowAndUnknownPaths404() throws IOException {
        try (TestHub hub = hub()) {
            for (String request :
                    List.of("DELETE /api/v1/clusters/prod-eu/events", "PUT /api/v1/drifts", "PATCH /healthz")) {
                try (Socket socket = new Socket("127.0.0.1", hub.port())) {
                    socket.getOutputStream()
                            .write((request + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    String answer = readUntilClosed(socket).toLowerCase(java.util.Locale.ROOT);
                    assertThat(answer).as(request).startsWith("http/1.1 405").contains("method_not_allowed");
                    String allow = request.startsWith("DELETE") ? "allow: post" : "allow: get";
                    assertThat(answer).as(request).contains(allow);
                }
            }
            HttpResponse<String> missing = hub.get("/nope", null);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("not_found");
        }
    }

    @Test
    void oversizedRequestHeadsAreRefused() throws IOException {
        try (TestHub hub = hub();
                Socket socket = new Socket("127.0.0.1", hub.port())) {
            socket.getOutputStream()
                    .write(("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));

            assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void theEventStreamOutlivesTheRequestAndIdleTimeouts() throws Exception {
        try (TestHub hub = hub(TIMEOUTS.replace("idleTimeout: 1s", "idleTimeout: 3s"));
                Socket socket = new Socket("127.0.0.1", hub.port())) {
            socket.getOutputStream()
                    .write(("GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                    + TestHub.READ_TOKEN + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(30_000);
            byte[] head = new byte[12];
            assertThat(socket.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            Thread.sleep(8_000); // four request timeouts, more than two idle timeouts: keepalives hold it open

            assertThat(hub.metrics()).contains("driftwatch_hub");
            socket.setSoTimeout(100);
            try {
                assertThat(socket.getInputStream().read())
                        .as("stream still open")
                        .isNotEqualTo(-1);
            } catch (SocketTimeoutException e) {
                // nothing to read and not closed: still open
            }
        }
    }
}
