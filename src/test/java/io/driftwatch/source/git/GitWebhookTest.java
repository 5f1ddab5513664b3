package io.driftwatch.source.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.config.RepoUrls;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DesiredState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitWebhookTest {

    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] GITHUB_PUSH = """
            {"ref":"refs/heads/main","after":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
             "repository":{"full_name":"org/deploy","clone_url":"https://github.com/org/deploy.git",
               "ssh_url":"git@github.com:org/deploy.git","html_url":"https://github.com/org/deploy",
               "git_url":"git://github.com/org/deploy.git"}}
            """.getBytes(StandardCharsets.UTF_8);
    private static final byte[] GITLAB_PUSH = """
            {"object_kind":"push","project":{"git_http_url":"https://gitlab.example.com/grp/deploy.git",
             "git_ssh_url":"git@gitlab.example.com:grp/deploy.git","web_url":"https://gitlab.example.com/grp/deploy"}}
            """.getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private GitWebhook webhook;

    /** An app of one repository that records fetch requests. */
    static final class RecordingSource implements AppSource {
        final String url;
        final String name;
        final List<String> requests = new ArrayList<>();

        RecordingSource(String name, String url) {
            this.name = name;
            this.url = url;
        }

        @Override
        public String app() {
            return name;
        }

        @Override
        public String targetNamespace() {
            return "default";
        }

        @Override
        public DesiredState load() {
            throw new UnsupportedOperationException("not loaded in this test");
        }

        @Override
        public void requestFetch() {
            requests.add("fetch");
        }

        @Override
        public boolean matchesRepository(String repositoryUrl) {
            return RepoUrls.normalize(repositoryUrl).equals(RepoUrls.normalize(url));
        }
    }

    @BeforeEach
    void writeSecret() throws Exception {
        webhook = new GitWebhook(Files.writeString(tmp.resolve("secret"), SECRET + "\n"));
    }

    private static String signature(String secret, byte[] body) {
        return "sha256="
                + HexFormat.of().formatHex(GitWebhook.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    @Test
    void theSignatureMatchesGitHubsDocumentedExample() {
        // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
        assertThat(signature(SECRET, "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void aSignedGitHubPushIsAcceptedWithEveryUrlOfTheRepositoryAndRefreshesItsAppsOnly() {
        RecordingSource shop = new RecordingSource("shop", "git@github.com:org/deploy");
        RecordingSource other = new RecordingSource("other", "https://github.com/org/other.git");

        GitWebhook.Result result = webhook.verify(
                Map.of("x-github-event", "push", "x-hub-signature-256", signature(SECRET, GITHUB_PUSH)), GITHUB_PUSH);

        assertThat(result.status()).isEqualTo(202);
        assertThat(result.repositoryUrls())
                .containsExactly(
                        "https://github.com/org/deploy.git",
                        "git@github.com:org/deploy.git",
                        "https://github.com/org/deploy",
                        "git://github.com/org/deploy.git");
        assertThat(result.refresh(List.of(shop, other))).containsExactly("shop");
        assertThat(shop.requests).hasSize(1);
        assertThat(other.requests).isEmpty();
    }

    @Test
    void aBadGitHubSignatureIsRejectedAndRefreshesNothing() {
        RecordingSource shop = new RecordingSource("shop", "https://github.com/org/deploy");

        GitWebhook.Result result = webhook.verify(
                Map.of("x-github-event", "push", "x-hub-signature-256", signature("wrong secret", GITHUB_PUSH)),
                GITHUB_PUSH);

        assertThat(result.status()).isEqualTo(401);
        assertThat(result.repositoryUrls()).isEmpty();
        assertThat(result.refresh(List.of(shop))).isEmpty();
        assertThat(shop.requests).isEmpty();
    }

    @Test
    void aSignatureOverADifferentBodyIsRejected() {
        byte[] tampered = new String(GITHUB_PUSH, StandardCharsets.UTF_8)
                .replace("deploy", "evil")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(webhook.verify(
                                Map.of("x-github-event", "push", "x-hub-signature-256", signature(SECRET, GITHUB_PUSH)),
                                tampered)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void missingOrMalformedGitHubSignaturesAreRejected() {
        assertThat(webhook.verify(Map.of("x-github-event", "push"), GITHUB_PUSH).status())
                .isEqualTo(401);
        assertThat(webhook.verify(Map.of("x-github-event", "push", "x-hub-signature-256", "sha256=zz"), GITHUB_PUSH)
                        .status())
                .isEqualTo(401);
        assertThat(webhook.verify(Map.of("x-github-event", "push", "x-hub-signature-256", "sha1=abc"), GITHUB_PUSH)
                        .status())
                .isEqualTo(401);
        assertThat(webhook.verify(Map.of(), GITHUB_PUSH).status()).isEqualTo(401);
    }

    @Test
    void aGitHubPingIsAnsweredWithoutRefreshing() {
        byte[] ping = "{\"zen\":\"Keep it simple.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        GitWebhook.Result result =
                webhook.verify(Map.of("x-github-event", "ping", "x-hub-signature-256", signature(SECRET, ping)), ping);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.repositoryUrls()).isEmpty();
    }

    @Test
    void aSignedPushThatIsNotJsonIsABadRequest() {
        byte[] garbage = "not json{".getBytes(StandardCharsets.UTF_8);
        assertThat(webhook.verify(
                                Map.of("x-github-event", "push", "x-hub-signature-256", signature(SECRET, garbage)),
                                garbage)
                        .status())
                .isEqualTo(400);
        byte[] noRepo = "{\"ref\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(webhook.verify(
                                Map.of("x-github-event", "push", "x-hub-signature-256", signature(SECRET, noRepo)),
                                noRepo)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aGitLabPushWithTheRightTokenIsAccepted() {
        RecordingSource shop = new RecordingSource("shop", "https://GITLAB.example.com/grp/deploy");
        GitWebhook.Result result =
                webhook.verify(Map.of("x-gitlab-event", "Push Hook", "x-gitlab-token", SECRET), GITLAB_PUSH);
        assertThat(result.status()).isEqualTo(202);
        assertThat(result.repositoryUrls()).contains("git@gitlab.example.com:grp/deploy.git");
        assertThat(result.refresh(List.of(shop))).containsExactly("shop");
        assertThat(webhook.verify(Map.of("x-gitlab-event", "Tag Push Hook", "x-gitlab-token", SECRET), GITLAB_PUSH)
                        .status())
                .isEqualTo(202);
    }

    @Test
    void aGitLabPushWithAWrongOrMissingTokenIsRejected() {
        RecordingSource shop = new RecordingSource("shop", "https://gitlab.example.com/grp/deploy");
        GitWebhook.Result wrong =
                webhook.verify(Map.of("x-gitlab-event", "Push Hook", "x-gitlab-token", "guess"), GITLAB_PUSH);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.refresh(List.of(shop))).isEmpty();
        assertThat(shop.requests).isEmpty();
        assertThat(webhook.verify(Map.of("x-gitlab-event", "Push Hook"), GITLAB_PUSH)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void otherGitLabEventsAreAcceptedWithoutRefreshing() {
        GitWebhook.Result result =
                webhook.verify(Map.of("x-gitlab-event", "Merge Request Hook", "x-gitlab-token", SECRET), GITLAB_PUSH);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.repositoryUrls()).isEmpty();
    }

    @Test
    void anUnreadableSecretIsAServerErrorNotAnAcceptance() {
        GitWebhook noSecret = new GitWebhook(tmp.resolve("absent"));
        assertThat(noSecret.verify(Map.of("x-gitlab-event", "Push Hook", "x-gitlab-token", ""), GITLAB_PUSH)
                        .status())
                .isEqualTo(500);
    }
}
