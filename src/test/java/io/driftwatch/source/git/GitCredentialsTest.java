package io.driftwatch.source.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.SourceException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How credentials are put on JGit's transports; opening a transport does not connect. */
class GitCredentialsTest {

    @TempDir
    Path tmp;

    private static GitAppSpec.Auth auth(
            Path token, GitAppSpec.TokenScheme scheme, Path user, Path password, Path key, Path knownHosts) {
        return new GitAppSpec.Auth(token, scheme, user, password, key, knownHosts);
    }

    @Test
    void aTokenFileBecomesBasicAuthWithTheTokenAsPassword() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "tok-123\n");
        try (GitCredentials credentials = GitCredentials.read(auth(token, null, null, null, null, null));
                Transport transport = Transport.open(new URIish("https://git.example.com/org/repo.git"))) {
            credentials.configure(transport);

            CredentialItem.Username user = new CredentialItem.Username();
            CredentialItem.Password password = new CredentialItem.Password();
            assertThat(transport.getCredentialsProvider().get(new URIish("https://git.example.com"), user, password))
                    .isTrue();
            assertThat(user.getValue()).isEqualTo("x-access-token");
            assertThat(new String(password.getValue())).isEqualTo("tok-123");
            assertThat(credentials.toString()).doesNotContain("tok-123");
        }
    }

    @Test
    void aBearerTokenIsSentAsAnAuthorizationHeader() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "tok-456");
        try (GitCredentials credentials =
                        GitCredentials.read(auth(token, GitAppSpec.TokenScheme.BEARER, null, null, null, null));
                Transport transport = Transport.open(new URIish("https://git.example.com/org/repo.git"))) {
            credentials.configure(transport);

            assertThat(((TransportHttp) transport).getAdditionalHeaders())
                    .containsEntry("Authorization", "Bearer tok-456");
        }
    }

    @Test
    void usernameAndPasswordFilesAreReadAtUseTime() throws Exception {
        Path user = Files.writeString(tmp.resolve("user"), "deployer");
        Path password = Files.writeString(tmp.resolve("password"), "first");
        GitAppSpec.Auth auth = auth(null, null, user, password, null, null);
        GitCredentials.read(auth).close();
        Files.writeString(password, "rotated");
        try (GitCredentials credentials = GitCredentials.read(auth);
                Transport transport = Transport.open(new URIish("https://git.example.com/org/repo.git"))) {
            credentials.configure(transport);
            CredentialItem.Username u = new CredentialItem.Username();
            CredentialItem.Password p = new CredentialItem.Password();
            transport.getCredentialsProvider().get(new URIish("https://git.example.com"), u, p);
            assertThat(u.getValue()).isEqualTo("deployer");
            assertThat(new String(p.getValue())).isEqualTo("rotated");
        }
    }

    @Test
    void anEmptyOrMissingSecretFileIsAConfigErrorNamingTheSetting() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        assertThatThrownBy(() -> GitCredentials.read(auth(empty, null, null, null, null, null)))
                .isInstanceOf(SourceException.class)
                .hasMessage("auth.tokenFile " + empty + " is empty");
        assertThatThrownBy(() -> GitCredentials.read(auth(tmp.resolve("gone"), null, null, null, null, null)))
                .hasMessageStartingWith("auth.tokenFile " + tmp.resolve("gone") + " cannot be read");
    }

    @Test
    void anSshKeyAndKnownHostsAreWiredIntoJGitsApacheMinaTransport() throws Exception {
        Path key = Files.writeString(tmp.resolve("id_ed25519"), "not read until a session opens");
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        try (GitCredentials credentials = GitCredentials.read(auth(null, null, null, null, key, knownHosts));
                Transport transport = Transport.open(new URIish("git@git.example.com:org/repo.git"))) {
            credentials.configure(transport);

            KeyFileSshSessionFactory factory = credentials.sshSessionFactory();
            assertThat(((SshTransport) transport).getSshSessionFactory()).isSameAs(factory);
            File sshDir = factory.getSshDirectory();
            assertThat(factory.getDefaultIdentities(sshDir)).containsExactly(key.toAbsolutePath());
            assertThat(factory.getDefaultKnownHostsFiles(sshDir)).containsExactly(knownHosts.toAbsolutePath());
            assertThat(factory.createSshConfigStore(sshDir, new File(sshDir, "config"), "me"))
                    .as("the host's ~/.ssh/config is not used")
                    .isNull();
            assertThat(factory.getDefaultPreferredAuthentications()).isEqualTo("publickey");
        }
    }
}
