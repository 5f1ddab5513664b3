package io.driftwatch.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.hub.TokenHash;
import io.driftwatch.testing.LauncherRun;
import io.driftwatch.testing.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hub, started by the built launcher as its own process on SQLite, spoken to over raw sockets with hostile
 * requests: each must get a 4xx whose JSON error names what was wrong (or, for connections that never finish a
 * request, be closed by a timeout); afterwards the hub is healthy, and neither its read API nor the SQLite file holds
 * anything. Then one valid push is stored (the checks can see a row). Hub RSS (VmRSS) before and after:
 * docs/hostile-input.md.
 */
class HostileHubIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUSH = "push-token-7f3a9c1e5b2d4086";
    private static final String READ = "read-token-2c8e6a0f4d1b9357";
    private static final String STREAM = "5f0c3a51-9a1c-4a8e-b0a2-2d4f1c9e7a11";
    private static final String EVENTS = "/api/v1/clusters/prod-eu/events";

    @TempDir
    Path tmp;

    private int port;

    /** What a case expects: a status and words of the JSON error's message, or the connection closed (status 0). */
    private record Expect(int status, String words) {}

    @Test
    void hostileRequestsGetA4xxNamingTheProblemAndNothingIsStored() throws Exception {
        port = ServerProcess.freePort();
        Path db = tmp.resolve("hub.db");
        Path config = Files.writeString(
                tmp.resolve("hub.yaml"),
                "listen: {host: 127.0.0.1, port: " + port
                        + ", idleTimeout: 2s, headerTimeout: 3s, requestTimeout: 5s}\n"
                        + "storage: {type: sqlite, sqlitePath: '" + db + "'}\n"
                        + "clusters: [{name: prod-eu, tokenSha256: " + TokenHash.sha256Hex(PUSH) + "}]\n"
                        + "readTokens: [{name: tests, tokenSha256: " + TokenHash.sha256Hex(READ) + "}]\n");
        try (ServerProcess hub = ServerProcess.start(
                "hub",
                List.of(LauncherRun.launcher().toString(), "hub", "--config", config.toString()),
                tmp,
                "http://127.0.0.1:" + port + "/readyz",
                Duration.ofSeconds(180))) {
            long rssBefore = LauncherRun.statusKib(hub.pid(), "VmRSS:");
            long started = System.nanoTime();
            SoftAssertions soft = new SoftAssertions();
            int tried = 0;
            int rejected = 0;
            for (var c : cases().entrySet()) {
                tried++;
                String answer = exchange(c.getValue());
                if (check(soft, c.getKey(), answer, expected(c.getKey()))) {
                    rejected++;
                }
            }
            for (var c : connectionCases().entrySet()) {
                tried++;
                boolean closed = c.getValue().call();
                System.out.println("hostile-input: hub / " + c.getKey() + ": " + (closed ? "closed" : "NOT closed"));
                soft.assertThat(closed)
                        .as(c.getKey() + ": connection closed by the hub")
                        .isTrue();
                rejected += closed ? 1 : 0;
            }
            long rssAfter = LauncherRun.statusKib(hub.pid(), "VmRSS:");
            System.out.println("hostile-input: hub: " + tried + " requests/connections tried, " + rejected
                    + " rejected or closed; hub VmRSS " + rssBefore / 1024 + " MiB before, " + rssAfter / 1024
                    + " MiB after; "
                    + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");

            soft.assertThat(hub.isAlive()).as("hub still running").isTrue();
            soft.assertThat(exchange(get("/readyz", null)))
                    .as("hub ready after")
                    .startsWith("HTTP/1.1 200");
            soft.assertThat(stored(db)).as("rows in the SQLite file").isEqualTo(List.of(0, 0, 0));
            soft.assertThat(read("/api/v1/events").path("events").size())
                    .as("history via the API")
                    .isZero();
            soft.assertThat(read("/api/v1/drifts").path("drifts").size())
                    .as("open drifts via the API")
                    .isZero();
            soft.assertThat(rssAfter).as("hub RSS KiB after").isLessThan(1536L << 10);
            soft.assertAll();

            // the control: a valid push is stored, so the checks above could see one
            assertThat(exchange(post(EVENTS, PUSH, "application/json", batch(event("d-1", now(), "api")))))
                    .startsWith("HTTP/1.1 200");
            assertThat(stored(db).get(0)).isEqualTo(1);
            assertThat(read("/api/v1/drifts").path("drifts").size()).isEqualTo(1);
        }
    }

    private java.util.Map<String, byte[]> cases() {
        java.util.Map<String, byte[]> c = new java.util.LinkedHashMap<>();
        String ok = event("d-1", now(), "api");
        byte[] big = new byte[9 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        c.put("a 9 MiB body", post(EVENTS, PUSH, "application/json", big));
        c.put(
                "JSON nested 100,000 levels",
                post(
                        EVENTS,
                        PUSH,
                        "application/json",
                        "{\"stream\":\"" + STREAM + "\",\"events\":" + "[".repeat(100_000) + "]".repeat(100_000)
                                + "}"));
        c.put(
                "an array of 2,000,000 events",
                post(
                        EVENTS,
                        PUSH,
                        "application/json",
                        "{\"stream\":\"" + STREAM + "\",\"events\":[" + "1,".repeat(1_999_999) + "1]}"));
        c.put("Content-Type text/plain", post(EVENTS, PUSH, "text/plain", batch(ok)));
        c.put("Content-Type application/jsonx", post(EVENTS, PUSH, "application/jsonx", batch(ok)));
        byte[] utf = batch(event("d-1", now(), "ab")).getBytes(StandardCharsets.UTF_8);
        int at = new String(utf, StandardCharsets.ISO_8859_1).indexOf("\"ab\"") + 1;
        utf[at] = (byte) 0xff;
        c.put("invalid UTF-8", post(EVENTS, PUSH, "application/json", utf));
        c.put("NUL in a drift id", post(EVENTS, PUSH, "application/json", batch(event("d\\u0000", now(), "api"))));
        c.put("CRLF in a name", post(EVENTS, PUSH, "application/json", batch(event("d-1", now(), "a\\r\\nb"))));
        c.put(
                "a path traversal drift id",
                post(EVENTS, PUSH, "application/json", batch(event("../../etc/passwd", now(), "api"))));
        c.put(
                "a path traversal stream id",
                post(EVENTS, PUSH, "application/json", batch(ok).replace(STREAM, "../../etc/passwd")));
        c.put(
                "a non-UUID stream id",
                post(EVENTS, PUSH, "application/json", batch(ok).replace(STREAM, "1234")));
        c.put(
                "an onset in year 9999",
                post(EVENTS, PUSH, "application/json", batch(event("d-1", "9999-12-31T23:59:59Z", "api"))));
        c.put(
                "a negative onset",
                post(EVENTS, PUSH, "application/json", batch(event("d-1", "-0001-01-01T00:00:00Z", "api"))));
        c.put("an onset NaN", post(EVENTS, PUSH, "application/json", batch(event("d-1", "NaN", "api"))));
        c.put("seq NaN", post(EVENTS, PUSH, "application/json", batch(ok).replace("\"seq\":1", "\"seq\":NaN")));
        c.put(
                "seq 10^30",
                post(EVENTS, PUSH, "application/json", batch(ok).replace("\"seq\":1", "\"seq\":1" + "0".repeat(30))));
        c.put(
                "a 5000-digit number",
                post(EVENTS, PUSH, "application/json", batch(ok).replace("\"seq\":1", "\"seq\":" + "9".repeat(5000))));
        c.put(
                "a key given twice",
                post(
                        EVENTS,
                        PUSH,
                        "application/json",
                        batch(ok).replace("{\"stream\":", "{\"stream\":\"" + STREAM + "\",\"stream\":")));
        c.put(
                "a snapshot taken in year 9999",
                post(
                        "/api/v1/clusters/prod-eu/snapshot",
                        PUSH,
                        "application/json",
                        "{\"stream\":\"" + STREAM
                                + "\",\"seq\":0,\"takenAt\":\"9999-01-01T00:00:00Z\",\"drifts\":[]}"));
        c.put(
                "CRLF in a heartbeat label",
                post(
                        "/api/v1/clusters/prod-eu/heartbeat",
                        PUSH,
                        "application/json",
                        "{\"agentId\":\"a\",\"version\":\"1\",\"labels\":{\"env\":\"prod\\r\\nX-Forged: 1\"}}"));
        c.put(
                "CRLF in the cluster path",
                post("/api/v1/clusters/prod%0D%0Aeu/events", PUSH, "application/json", batch(ok)));
        c.put(
                "NUL in the cluster path",
                post("/api/v1/clusters/prod%00eu/events", PUSH, "application/json", batch(ok)));
        c.put("a path traversal drift id read", get("/api/v1/clusters/prod-eu/drifts/..%2F..%2Fetc%2Fpasswd", READ));
        c.put(
                "an unknown method",
                ("BREW " + EVENTS + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        c.put("no bearer token", post(EVENTS, null, "application/json", batch(ok)));
        c.put("a garbage bearer token", post(EVENTS, "x".repeat(300), "application/json", batch(ok)));
        c.put("a control character in the token", post(EVENTS, "ab\u0001cd", "application/json", batch(ok)));
        c.put("a read token used to push", post(EVENTS, READ, "application/json", batch(ok)));
        c.put("a garbage request line", "\u0000\u0001 GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        c.put(
                "a 20 KiB header",
                ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return c;
    }

    private static Expect expected(String name) {
        return switch (name) {
            case "a 9 MiB body" -> new Expect(413, "exceeds limits.maxBodyBytes");
            case "JSON nested 100,000 levels" -> new Expect(400, "nested deeper than 200 levels");
            case "an array of 2,000,000 events" -> new Expect(413, "2000000 events in one batch, the limit is 1000");
            case "Content-Type text/plain" -> new Expect(415, "Content-Type text/plain is not JSON");
            case "Content-Type application/jsonx" -> new Expect(415, "is not JSON");
            case "invalid UTF-8" -> new Expect(400, "not valid UTF-8");
            case "NUL in a drift id" -> new Expect(400, "events[0].driftId: control character U+0000");
            case "CRLF in a name" -> new Expect(400, "events[0].drift.name: control character U+000D");
            case "a path traversal drift id" -> new Expect(400, "'../../etc/passwd' is not an id");
            case "a path traversal stream id" -> new Expect(400, "stream: '../../etc/passwd' is not a UUID");
            case "a non-UUID stream id" -> new Expect(400, "stream: '1234' is not a UUID");
            case "an onset in year 9999" -> new Expect(400, "events[0].onset: 9999-12-31T23:59:59Z is outside");
            case "a negative onset" -> new Expect(400, "events[0].onset: -0001-01-01T00:00:00Z is outside");
            case "an onset NaN" -> new Expect(400, "events[0].onset: 'NaN' is not an RFC 3339 UTC time");
            case "seq NaN" -> new Expect(400, "Non-standard token 'NaN'");
            case "seq 10^30" -> new Expect(400, "events[0].seq: required, an integer");
            case "a 5000-digit number" -> new Expect(400, "a number longer than 1000 digits");
            case "a key given twice" -> new Expect(400, "duplicate key 'stream'");
            case "a snapshot taken in year 9999" ->
                new Expect(400, "snapshot.takenAt: 9999-01-01T00:00:00Z is outside");
            case "CRLF in a heartbeat label" -> new Expect(400, "labels.env: control character U+000D");
            case "CRLF in the cluster path", "NUL in the cluster path" ->
                new Expect(403, "this token may push only for its own cluster");
            case "a path traversal drift id read" -> new Expect(404, "no drift ../../etc/passwd in cluster prod-eu");
            case "an unknown method" -> new Expect(405, "BREW is not allowed on " + EVENTS);
            case "no bearer token" -> new Expect(401, "missing bearer token");
            case "a garbage bearer token" -> new Expect(401, "unknown or malformed bearer token");
            case "a control character in the token", "a garbage request line" ->
                new Expect(400, "the request head could not be read");
            case "a 20 KiB header" -> new Expect(431, "the request head could not be read");
            case "a read token used to push" -> new Expect(403, "a read token cannot push");
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Whether {@code answer} is the expected 4xx with a JSON error naming the problem; soft-asserts it. */
    private static boolean check(SoftAssertions soft, String name, String answer, Expect expect) {
        // an undecodable request is answered in HTTP/1.0, as Netty reads it
        boolean statusOk = answer.matches("(?s)HTTP/1\\.[01] " + expect.status() + " .*");
        soft.assertThat(statusOk)
                .as(name + ": status " + expect.status() + " in " + answer)
                .isTrue();
        System.out.println("hostile-input: hub / " + name + ": "
                + answer.lines().findFirst().orElse("(no answer)") + " "
                + (answer.contains("\r\n\r\n") ? answer.substring(answer.indexOf("\r\n\r\n") + 4) : ""));
        if (!answer.contains("\r\n\r\n")) {
            soft.fail(name + ": no HTTP answer: '" + answer + "'");
            return false;
        }
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        JsonNode error;
        try {
            error = JSON.readTree(body);
        } catch (IOException e) {
            soft.fail(name + ": the answer has no JSON error: " + answer);
            return false;
        }
        soft.assertThat(error.path("message").asText())
                .as(name + ": " + answer)
                .contains(expect.words())
                .doesNotContain("`", "java.", "Exception");
        if (expect.status() == 405) {
            soft.assertThat(answer.toLowerCase(Locale.ROOT)).as(name).contains("allow: post");
        }
        return statusOk && error.path("message").asText().contains(expect.words());
    }

    /** Connections that never finish a request: each must be closed by the hub (true) within 30 s. */
    private java.util.Map<String, java.util.concurrent.Callable<Boolean>> connectionCases() {
        java.util.Map<String, java.util.concurrent.Callable<Boolean>> c = new java.util.LinkedHashMap<>();
        c.put("an idle connection", () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return closedWithin(s, 30_000);
            }
        });
        c.put("slowloris: a head trickled a byte every 500 ms", () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                byte[] head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 60; i++) {
                    try {
                        out.write(head[Math.min(i, head.length - 1)]);
                        out.flush();
                    } catch (IOException e) {
                        return true;
                    }
                    if (closedWithin(s, 500)) {
                        return true;
                    }
                }
                return false;
            }
        });
        c.put("a body that never finishes", () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream()
                        .write(("POST " + EVENTS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + PUSH
                                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"stream\":")
                                .getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(30_000);
                // idleTimeout (2 s) is shorter than requestTimeout (5 s): closed silently, or a 408 naming the timeout
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                return answer.isEmpty() || answer.startsWith("HTTP/1.1 408") && answer.contains("request_timeout");
            } catch (SocketTimeoutException e) {
                return false;
            }
        });
        c.put("200 concurrent idle connections (the hub answers meanwhile)", () -> {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    sockets.add(new Socket("127.0.0.1", port));
                }
                boolean served = exchange(get("/healthz", null)).startsWith("HTTP/1.1 200");
                boolean allClosed = true;
                for (Socket s : sockets) {
                    allClosed &= closedWithin(s, 30_000);
                }
                return served && allClosed;
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        });
        return c;
    }

    /** True when the peer closes within {@code millis} (data read on the way is ignored), false when still open. */
    private static boolean closedWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) != -1) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the peer
        }
    }

    /**
     * Sends the request (from another thread, so an answer the hub gives before the whole body is written, 413 or 431,
     * is read) and reads the answer until the hub closes or a whole response (by Content-Length) is in.
     */
    private String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            Thread writer = new Thread(
                    () -> {
                        try {
                            socket.getOutputStream().write(request);
                            socket.getOutputStream().flush();
                        } catch (IOException e) {
                            // the hub answered and closed before the whole request was written
                        }
                    },
                    "hostile-writer");
            writer.start();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                    if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (IOException e) {
                // reset after the answer: what arrived is the answer
            }
            socket.close();
            try {
                writer.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : answer.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return answer.length() - end - 4
                        >= Integer.parseInt(line.substring(15).trim());
            }
        }
        return false;
    }

    private static byte[] post(String path, String token, String type, String body) {
        return post(path, token, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] post(String path, String token, String type, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Content-Type: " + type
                + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static byte[] get(String path, String token) {
        return ("GET " + path + " HTTP/1.1\r\nHost: x\r\n"
                        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                        + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private JsonNode read(String path) throws IOException {
        String answer = exchange(get(path, READ));
        if (!answer.startsWith("HTTP/1.1 200")) {
            throw new AssertionError("GET " + path + ": " + answer);
        }
        return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    private static String now() {
        return Instant.now().minusSeconds(60).toString();
    }

    /** One event as JSON text; {@code id} and {@code name} are inserted raw (JSON escapes in them stay escapes). */
    private static String event(String id, String onset, String name) {
        return "{\"seq\":1,\"type\":\"opened\",\"driftId\":\"" + id + "\",\"onset\":\"" + onset + "\",\"lastSeen\":\""
                + now() + "\",\"drift\":{\"kind\":\"Deployment\",\"namespace\":\"shop\",\"name\":\"" + name
                + "\",\"type\":\"modified\"}}";
    }

    private static String batch(String event) {
        return "{\"stream\":\"" + STREAM + "\",\"events\":[" + event + "]}";
    }

    /** Rows in events, open_drifts, and clusters that were ever seen (a refused push must not touch last-seen). */
    private static List<Integer> stored(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            List<Integer> counts = new ArrayList<>();
            for (String query : List.of(
                    "SELECT count(*) FROM events",
                    "SELECT count(*) FROM open_drifts",
                    "SELECT count(*) FROM clusters WHERE last_seen_ms IS NOT NULL")) {
                try (ResultSet r = c.createStatement().executeQuery(query)) {
                    r.next();
                    counts.add(r.getInt(1));
                }
            }
            return counts;
        }
    }
}
