package io.driftwatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Git's smart HTTP protocol on 127.0.0.1, served by the real {@code git http-backend} run as a CGI program for every
 * request, behind a check of the {@code Authorization} header (401 with a basic challenge when it is wrong).
 * Repositories are the directories under {@code projectRoot}: {@code http://127.0.0.1:PORT/NAME}.
 */
public final class GitHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Path projectRoot;
    private final String expectedAuthorization;
    private final AtomicInteger rejected = new AtomicInteger();

    /** Serves {@code projectRoot}, accepting only requests whose Authorization header equals the given value. */
    public GitHttpServer(Path projectRoot, String expectedAuthorization) {
        this.projectRoot = projectRoot.toAbsolutePath();
        this.expectedAuthorization = expectedAuthorization;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public String url(String repository) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository;
    }

    /** Requests turned away for a missing or wrong Authorization header. */
    public int rejected() {
        return rejected.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!expectedAuthorization.equals(authorization)) {
                rejected.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            ProcessBuilder cgi =
                    new ProcessBuilder("git", "http-backend").redirectError(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = cgi.environment();
            env.put("GIT_PROJECT_ROOT", projectRoot.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("GIT_CONFIG_GLOBAL", "/dev/null");
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            env.put("PATH_INFO", exchange.getRequestURI().getRawPath());
            env.put(
                    "QUERY_STRING",
                    exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : exchange.getRequestURI().getRawQuery());
            env.put("REQUEST_METHOD", exchange.getRequestMethod());
            putHeader(exchange, env, "Content-Length", "CONTENT_LENGTH"); // absent when chunked: read to EOF
            env.put("REMOTE_ADDR", "127.0.0.1");
            putHeader(exchange, env, "Content-Type", "CONTENT_TYPE");
            putHeader(exchange, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
            putHeader(exchange, env, "Git-Protocol", "GIT_PROTOCOL");
            Process process = cgi.start();
            Thread feeder = new Thread(
                    () -> {
                        try (InputStream body = exchange.getRequestBody();
                                OutputStream in = process.getOutputStream()) {
                            body.transferTo(in);
                        } catch (IOException e) {
                            process.destroy();
                        }
                    },
                    "git-http-backend-stdin");
            feeder.start();
            respond(exchange, process.getInputStream());
            feeder.join();
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void putHeader(HttpExchange exchange, Map<String, String> env, String header, String variable) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
            env.put(variable, value);
        }
    }

    /** Copies the CGI response: header lines up to an empty line (Status sets the code), then the body, streamed. */
    private static void respond(HttpExchange exchange, InputStream cgiOut) throws IOException {
        int status = 200;
        while (true) {
            String line = readLine(cgiOut);
            if (line == null || line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            cgiOut.transferTo(out);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
