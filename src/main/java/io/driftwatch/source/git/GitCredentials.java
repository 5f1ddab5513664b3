package io.driftwatch.source.git;

import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.SourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The credentials of one fetch, read from their files just before it (never kept, never logged), and how they are
 * put on JGit's transport: HTTP basic auth (token as password, or username/password), a bearer header, or the SSH key
 * and known_hosts of {@link KeyFileSshSessionFactory}. {@link #close()} releases the SSH client.
 */
final class GitCredentials implements TransportConfigCallback, AutoCloseable {

    /** The user name sent with a token over basic auth when no usernameFile is set (GitHub and GitLab accept it). */
    static final String TOKEN_USER = "x-access-token";

    private final String username;
    private final String secret;
    private final boolean bearer;
    private final KeyFileSshSessionFactory ssh;

    private GitCredentials(String username, String secret, boolean bearer, KeyFileSshSessionFactory ssh) {
        this.username = username;
        this.secret = secret;
        this.bearer = bearer;
        this.ssh = ssh;
    }

    static GitCredentials read(GitAppSpec.Auth auth) throws SourceException {
        if (auth.sshKeyFile() != null) {
            return new GitCredentials(
                    null, null, false, new KeyFileSshSessionFactory(auth.sshKeyFile(), auth.knownHostsFile()));
        }
        String user = auth.usernameFile() != null ? readSecret("usernameFile", auth.usernameFile()) : null;
        if (auth.tokenFile() != null) {
            String token = readSecret("tokenFile", auth.tokenFile());
            boolean bearer = auth.tokenScheme() == GitAppSpec.TokenScheme.BEARER;
            return new GitCredentials(user != null ? user : TOKEN_USER, token, bearer, null);
        }
        if (auth.passwordFile() != null) {
            return new GitCredentials(user, readSecret("passwordFile", auth.passwordFile()), false, null);
        }
        return new GitCredentials(null, null, false, null);
    }

    private static String readSecret(String setting, Path file) throws SourceException {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new SourceException(SourceException.Reason.CONFIG, "auth." + setting + " " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new SourceException(
                    SourceException.Reason.CONFIG,
                    "auth." + setting + " " + file + " cannot be read: "
                            + e.getClass().getSimpleName());
        }
    }

    @Override
    public void configure(Transport transport) {
        if (transport instanceof TransportHttp http && secret != null) {
            if (bearer) {
                http.setAdditionalHeaders(Map.of("Authorization", "Bearer " + secret));
            } else {
                http.setCredentialsProvider(new UsernamePasswordCredentialsProvider(username, secret));
            }
        }
        if (transport instanceof SshTransport sshTransport && ssh != null) {
            sshTransport.setSshSessionFactory(ssh);
        }
    }

    /** The SSH session factory in use, if any (for tests of the wiring). */
    KeyFileSshSessionFactory sshSessionFactory() {
        return ssh;
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
    }

    @Override
    public String toString() {
        return ssh != null
                ? "GitCredentials[ssh key]"
                : secret == null
                        ? "GitCredentials[none]"
                        : bearer ? "GitCredentials[bearer ***]" : "GitCredentials[basic " + username + ":***]";
    }
}
