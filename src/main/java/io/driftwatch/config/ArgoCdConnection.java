package io.driftwatch.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach one Argo CD API server: its URL (with {@code rootPath} when Argo CD runs under a path prefix, like
 * {@code argocd-server --rootpath}), a bearer token read from a file on every request (a project-role token with
 * {@code applications, get} is enough), and TLS trust: the JVM's CAs, the CAs of {@code caFile}, or — explicitly —
 * none ({@code insecure}).
 */
public record ArgoCdConnection(
        String server, Path tokenFile, Path caFile, Boolean insecure, String rootPath, Duration requestTimeout) {

    public ArgoCdConnection {
        insecure = insecure != null && insecure;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        rootPath = rootPath == null ? "" : rootPath.strip();
    }

    /** The base URI calls are made against: server plus root path, no trailing slash. */
    public URI baseUri() {
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        String root = rootPath.isEmpty() || rootPath.equals("/")
                ? ""
                : (rootPath.startsWith("/") ? rootPath : "/" + rootPath).replaceAll("/+$", "");
        return URI.create(base + root);
    }

    /** What is wrong with these settings, each naming its setting under {@code prefix} (e.g. "sources.argocd"). */
    public List<String> problems(String prefix) {
        List<String> problems = new ArrayList<>();
        if (server == null || server.isBlank()) {
            problems.add(prefix + ".server: required (the Argo CD API server's URL, e.g. https://argocd.example.com)");
        } else {
            try {
                URI uri = URI.create(server);
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    problems.add(prefix + ".server: " + server + " is not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                problems.add(prefix + ".server: " + server + " is not a URL: " + e.getMessage());
            }
        }
        if (tokenFile == null) {
            problems.add(prefix + ".tokenFile: required (a file holding an Argo CD API token; "
                    + "a project-role token with 'applications, get' is enough)");
        } else if (!Files.isReadable(tokenFile)) {
            problems.add(prefix + ".tokenFile: " + tokenFile + " is not readable");
        }
        if (caFile != null && !Files.isReadable(caFile)) {
            problems.add(prefix + ".caFile: " + caFile + " is not readable");
        }
        if (caFile != null && insecure) {
            problems.add(prefix + ".insecure: cannot be combined with " + prefix + ".caFile (pick one)");
        }
        if (requestTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            problems.add(prefix + ".requestTimeout: must be at least 100ms");
        }
        return problems;
    }
}
