package io.driftwatch.source.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.source.AppSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a Git push webhook ({@code POST /hooks/git} on the agent, which owns the HTTP route) and says which
 * repositories to fetch. Pure: no I/O but reading the secret file, which is read on every call so a rotated secret
 * takes effect at once.
 * <ul>
 *   <li>GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}, compared in constant time;
 *       {@code X-GitHub-Event: push} → 202 with {@code repository.clone_url/ssh_url/html_url/git_url};
 *       {@code ping} and other events → 200, nothing to fetch.</li>
 *   <li>GitLab: {@code X-Gitlab-Token} equal to the secret (constant time); {@code X-Gitlab-Event: Push Hook} or
 *       {@code Tag Push Hook} → 202 with {@code project.git_http_url/git_ssh_url/web_url}; other events → 200.</li>
 * </ul>
 * A missing or wrong signature or token is 401 before the body is looked at; a verified body that does not parse
 * is 400; a request from neither provider is 400.
 */
public final class GitWebhook {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GITLAB_PUSH_EVENTS = Set.of("Push Hook", "Tag Push Hook");

    private final Path secretFile;

    public GitWebhook(Path secretFile) {
        this.secretFile = secretFile;
    }

    /**
     * The answer to one request.
     *
     * @param status         HTTP status to send: 202 fetch scheduled, 200 accepted with nothing to do, 400, 401, 500
     * @param message        a short text for the response body and the log (never the secret)
     * @param repositoryUrls the repository URLs to fetch; empty unless status is 202
     */
    public record Result(int status, String message, List<String> repositoryUrls) {
        public Result {
            repositoryUrls = List.copyOf(repositoryUrls);
        }

        static Result of(int status, String message) {
            return new Result(status, message, List.of());
        }

        /** True when the request was genuine (2xx). */
        public boolean accepted() {
            return status / 100 == 2;
        }

        /**
         * Requests a fetch from every source that tracks one of the repositories, and returns their app names.
         * Does nothing unless the request was accepted with repositories to fetch.
         */
        public List<String> refresh(Collection<? extends AppSource> sources) {
            List<String> refreshed = new ArrayList<>();
            if (status != 202) {
                return refreshed;
            }
            for (AppSource source : sources) {
                if (repositoryUrls.stream().anyMatch(source::matchesRepository)) {
                    source.requestFetch();
                    refreshed.add(source.app());
                }
            }
            return refreshed;
        }
    }

    /**
     * Verifies and reads one request.
     *
     * @param headers the request headers, names in lower case
     * @param body    the raw request body, exactly as received
     */
    public Result verify(Map<String, String> headers, byte[] body) {
        byte[] secret;
        try {
            secret =
                    Files.readString(secretFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Result.of(500, "the webhook secret cannot be read");
        }
        if (secret.length == 0) {
            return Result.of(500, "the webhook secret is empty");
        }
        if (headers.containsKey("x-github-event")) {
            return github(headers, body, secret);
        }
        if (headers.containsKey("x-gitlab-event")) {
            return gitlab(headers, body, secret);
        }
        if (headers.containsKey("x-hub-signature-256") || headers.containsKey("x-gitlab-token")) {
            return Result.of(400, "no X-GitHub-Event or X-Gitlab-Event header");
        }
        return Result.of(401, "neither an X-Hub-Signature-256 nor an X-Gitlab-Token header");
    }

    private Result github(Map<String, String> headers, byte[] body, byte[] secret) {
        String signature = headers.get("x-hub-signature-256");
        if (signature == null || !signature.startsWith("sha256=")) {
            return Result.of(401, "missing X-Hub-Signature-256");
        }
        byte[] given;
        try {
            given = HexFormat.of()
                    .parseHex(signature.substring("sha256=".length()).trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Result.of(401, "malformed X-Hub-Signature-256");
        }
        if (!MessageDigest.isEqual(hmacSha256(secret, body), given)) {
            return Result.of(401, "X-Hub-Signature-256 does not match");
        }
        String event = headers.get("x-github-event");
        if (event.equals("ping")) {
            return Result.of(200, "pong");
        }
        if (!event.equals("push")) {
            return Result.of(200, "event " + event + " ignored");
        }
        return repositories(body, "repository", List.of("clone_url", "ssh_url", "html_url", "git_url"));
    }

    private Result gitlab(Map<String, String> headers, byte[] body, byte[] secret) {
        String token = headers.get("x-gitlab-token");
        if (token == null) {
            return Result.of(401, "missing X-Gitlab-Token");
        }
        if (!MessageDigest.isEqual(sha256(token.getBytes(StandardCharsets.UTF_8)), sha256(secret))) {
            return Result.of(401, "X-Gitlab-Token does not match");
        }
        String event = headers.get("x-gitlab-event");
        if (!GITLAB_PUSH_EVENTS.contains(event)) {
            return Result.of(200, "event " + event + " ignored");
        }
        return repositories(body, "project", List.of("git_http_url", "git_ssh_url", "web_url"));
    }

    private static Result repositories(byte[] body, String object, List<String> fields) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return Result.of(400, "the payload is not JSON");
        }
        if (root == null || !root.path(object).isObject()) {
            return Result.of(400, "the payload has no " + object + " object");
        }
        Set<String> urls = new LinkedHashSet<>();
        for (String field : fields) {
            JsonNode url = root.path(object).path(field);
            if (url.isTextual() && !url.asText().isBlank()) {
                urls.add(url.asText());
            }
        }
        if (urls.isEmpty()) {
            return Result.of(400, "the payload's " + object + " has none of " + fields);
        }
        return new Result(202, "fetch scheduled", List.copyOf(urls));
    }

    static byte[] hmacSha256(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Hashing both sides first makes the comparison constant-time whatever the token's length. */
    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
