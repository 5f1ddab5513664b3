package io.driftwatch.config;

import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.transport.URIish;

/**
 * Repository URLs: checks, redaction for logs and a normal form under which the many spellings of one repository
 * compare equal — {@code https://GitHub.com/org/repo.git}, {@code git@github.com:org/repo},
 * {@code ssh://git@github.com:22/org/repo/} all become {@code github.com/org/repo} — so that a webhook's URL finds the
 * apps that track that repository.
 */
public final class RepoUrls {

    private static final Set<String> SCHEMES = Set.of("http", "https", "ssh", "git", "file");

    private RepoUrls() {}

    /** Why {@code url} cannot be used, or empty if it can. */
    public static Optional<String> check(String url) {
        URIish u;
        try {
            u = new URIish(url.trim());
        } catch (URISyntaxException e) {
            return Optional.of("'" + redact(url) + "' is not a Git URL");
        }
        String scheme = u.getScheme();
        if (scheme == null && u.getHost() == null) {
            return Optional.of("'" + url + "' is a local path; write it as file://" + url);
        }
        if (scheme != null && !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
            return Optional.of("scheme '" + scheme + "' is not supported (https, http, ssh, git, file)");
        }
        if (u.getPass() != null) {
            return Optional.of("must not contain a password; use auth.passwordFile or auth.tokenFile");
        }
        if (u.getPath() == null || u.getPath().isBlank() || u.getPath().equals("/")) {
            return Optional.of("'" + url + "' names no repository path");
        }
        return Optional.empty();
    }

    /** True for {@code ssh://} and scp-like {@code user@host:path} URLs. */
    public static boolean isSsh(String url) {
        try {
            URIish u = new URIish(url.trim());
            String scheme = u.getScheme();
            return scheme == null ? u.getHost() != null : scheme.equalsIgnoreCase("ssh");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** {@code url} without any password, for messages. */
    public static String redact(String url) {
        try {
            URIish u = new URIish(url.trim());
            return u.getPass() == null ? url : u.setPass(null).toString();
        } catch (URISyntaxException e) {
            return url.replaceAll("//[^/@]*@", "//");
        }
    }

    /**
     * The normal form: lower-case host (no scheme, user or port) followed by the path without leading or trailing
     * slashes and without a trailing {@code .git}; for local repositories {@code file:} and the absolute path.
     */
    public static String normalize(String url) {
        String trimmed = url.trim();
        URIish u;
        try {
            u = new URIish(trimmed);
        } catch (URISyntaxException e) {
            return stripGit(trimmed.toLowerCase(Locale.ROOT));
        }
        String path = stripGit(u.getPath() == null ? "" : u.getPath());
        if (u.getHost() == null || u.getHost().isEmpty()) {
            return "file:" + (path.startsWith("/") ? path : "/" + path);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.startsWith("~")) { // ssh://host/~user/repo
            path = path.substring(1);
        }
        return u.getHost().toLowerCase(Locale.ROOT) + "/" + path;
    }

    private static String stripGit(String path) {
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.endsWith(".git")) {
            p = p.substring(0, p.length() - 4);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
