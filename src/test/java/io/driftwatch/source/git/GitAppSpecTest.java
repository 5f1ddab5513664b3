package io.driftwatch.source.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitAppSpecTest {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @TempDir
    Path tmp;

    private static GitAppSpec spec(String name, String url, String path, String ns) {
        return new GitAppSpec(name, url, null, path, ns, null, null, null, null);
    }

    @Test
    void readsTheDocumentedYamlShapeWithDefaults() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "t");
        List<GitAppSpec> apps = YAML.readValue("""
                - name: shop
                  repoUrl: https://git.example.com/platform/deploy.git
                  revision: main
                  path: apps/shop/overlays/prod/
                  targetNamespace: shop
                  renderer: Helm
                  helm:
                    releaseName: shop-prod
                    valuesFiles: [values-prod.yaml]
                    values: {replicaCount: 3, image: {tag: "1.2"}}
                    kubeVersion: "1.36.0"
                  auth:
                    tokenFile: %s
                    tokenScheme: bearer
                  pollInterval: 90s
                - name: minimal
                  repoUrl: git@github.com:org/repo.git
                  targetNamespace: default
                """.formatted(token), new TypeReference<>() {});

        GitAppSpec shop = GitAppSource.validated(apps.get(0));
        assertThat(shop.path()).isEqualTo("apps/shop/overlays/prod");
        assertThat(shop.renderer()).isEqualTo(GitAppSpec.Renderer.HELM);
        assertThat(shop.releaseName()).isEqualTo("shop-prod");
        assertThat(shop.helm().values().path("image").path("tag").asText()).isEqualTo("1.2");
        assertThat(shop.auth().tokenScheme()).isEqualTo(GitAppSpec.TokenScheme.BEARER);
        assertThat(shop.pollInterval()).isEqualTo(Duration.ofSeconds(90));

        GitAppSpec minimal = GitAppSource.validated(apps.get(1));
        assertThat(minimal.revision()).isEqualTo("HEAD");
        assertThat(minimal.path()).isEqualTo(".");
        assertThat(minimal.renderer()).isEqualTo(GitAppSpec.Renderer.AUTO);
        assertThat(minimal.releaseName()).isEqualTo("minimal");
        assertThat(minimal.pollInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(minimal.auth()).isEqualTo(GitAppSpec.Auth.NONE);
    }

    @Test
    void pollIntervalAcceptsMinutesIsoAndBareSecondsButNotNonsense() throws Exception {
        assertThat(YAML.readValue("{pollInterval: 5m}", GitAppSpec.class).pollInterval())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(YAML.readValue("{pollInterval: PT2M}", GitAppSpec.class).pollInterval())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(YAML.readValue("{pollInterval: 30}", GitAppSpec.class).pollInterval())
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> YAML.readValue("{pollInterval: soon}", GitAppSpec.class))
                .isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void unknownSettingsAndRenderersAreRejected() {
        assertThatThrownBy(() -> YAML.readValue("{name: a, repoURL: x}", GitAppSpec.class))
                .hasMessageContaining("repoURL");
        assertThatThrownBy(() -> YAML.readValue("{renderer: jsonnet}", GitAppSpec.class))
                .hasMessageContaining("renderer 'jsonnet' is not one of auto, plain, kustomize, helm");
    }

    @Test
    void missingRequiredSettingsAreNamedPerApp() {
        assertThatThrownBy(() -> GitAppSource.validated(spec("shop", null, null, null)))
                .isInstanceOf(SourceException.class)
                .hasMessage("apps[shop].repoUrl: required; apps[shop].targetNamespace: required")
                .extracting(e -> ((SourceException) e).reason())
                .isEqualTo(SourceException.Reason.CONFIG);
        assertThat(spec(null, "https://h/o/r", ".", "ns").problems()).containsExactly("apps[?].name: required");
    }

    @Test
    void pathsLeavingTheRepositoryAreRejected() {
        assertThat(spec("a", "https://h/o/r", "../other", "ns").problems())
                .containsExactly("apps[a].path: must be a relative directory inside the repository, without '..'");
        assertThat(spec("a", "https://h/o/r", "/etc", "ns").problems()).hasSize(1);
        assertThat(spec("a", "https://h/o/r", "apps/../apps/x/", "ns").path()).isEqualTo("apps/x");
    }

    @Test
    void urlsAreCheckedAndPasswordsInThemRefused() {
        assertThat(spec("a", "ftp://h/o/r", ".", "ns").problems())
                .containsExactly("apps[a].repoUrl: scheme 'ftp' is not supported (https, http, ssh, git, file)");
        assertThat(spec("a", "https://user:pw@h/o/r", ".", "ns").problems())
                .containsExactly(
                        "apps[a].repoUrl: must not contain a password; use auth.passwordFile or auth.tokenFile");
        assertThat(spec("a", "/srv/git/repo", ".", "ns").problems())
                .containsExactly("apps[a].repoUrl: '/srv/git/repo' is a local path; write it as file:///srv/git/repo");
    }

    @Test
    void authSettingsMustFitTheUrlAndComeInPairs() throws Exception {
        Path key = Files.writeString(tmp.resolve("id"), "k");
        Path token = Files.writeString(tmp.resolve("token"), "t");
        GitAppSpec sshWithoutKnownHosts = new GitAppSpec(
                "a",
                "git@github.com:o/r",
                null,
                null,
                "ns",
                null,
                null,
                new GitAppSpec.Auth(null, null, null, null, key, null),
                null);
        assertThat(sshWithoutKnownHosts.problems())
                .containsExactly("apps[a].auth.knownHostsFile: sshKeyFile and knownHostsFile go together");

        GitAppSpec tokenOverSsh = new GitAppSpec(
                "a",
                "ssh://git@github.com/o/r",
                null,
                null,
                "ns",
                null,
                null,
                new GitAppSpec.Auth(token, null, null, null, null, null),
                null);
        assertThat(tokenOverSsh.problems())
                .containsExactly(
                        "apps[a].auth.tokenFile: HTTPS credentials do not apply to the SSH URL ssh://git@github.com/o/r");

        GitAppSpec missingFile = new GitAppSpec(
                "a",
                "https://h/o/r",
                null,
                null,
                "ns",
                null,
                null,
                new GitAppSpec.Auth(tmp.resolve("absent"), null, null, null, null, null),
                null);
        assertThat(missingFile.problems())
                .containsExactly("apps[a].auth.tokenFile: " + tmp.resolve("absent") + " is not a readable file");

        GitAppSpec passwordWithoutUser = new GitAppSpec(
                "a",
                "https://h/o/r",
                null,
                null,
                "ns",
                null,
                null,
                new GitAppSpec.Auth(null, null, null, token, null, null),
                null);
        assertThat(passwordWithoutUser.problems())
                .containsExactly("apps[a].auth.usernameFile: required with passwordFile");
    }

    @Test
    void helmSettingsAreCheckedAndOnlyAllowedForHelmOrAuto() {
        GitAppSpec.Helm helm = new GitAppSpec.Helm("Not_Valid", List.of("/abs.yaml"), null, null);
        GitAppSpec plain =
                new GitAppSpec("a", "https://h/o/r", null, null, "ns", GitAppSpec.Renderer.PLAIN, helm, null, null);
        assertThat(plain.problems())
                .containsExactly(
                        "apps[a].helm: only for renderer helm or auto, renderer is plain",
                        "apps[a].helm.releaseName: 'Not_Valid' is not a valid release name",
                        "apps[a].helm.valuesFiles[0]: must be a path relative to the chart");
    }

    @Test
    void aTooShortPollIntervalIsRejected() {
        GitAppSpec fast =
                new GitAppSpec("a", "https://h/o/r", null, null, "ns", null, null, null, Duration.ofMillis(10));
        assertThat(fast.problems()).containsExactly("apps[a].pollInterval: must be at least 1s, was PT0.01S");
    }
}
