package io.driftwatch.source.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.config.RepoUrls;
import org.junit.jupiter.api.Test;

class RepoUrlsTest {

    @Test
    void httpsSshAndScpLikeSpellingsOfOneRepositoryAreEqual() {
        String expected = "github.com/org/repo";
        assertThat(RepoUrls.normalize("https://github.com/org/repo.git")).isEqualTo(expected);
        assertThat(RepoUrls.normalize("https://GitHub.COM/org/repo/")).isEqualTo(expected);
        assertThat(RepoUrls.normalize("git@github.com:org/repo.git")).isEqualTo(expected);
        assertThat(RepoUrls.normalize("ssh://git@github.com:22/org/repo")).isEqualTo(expected);
        assertThat(RepoUrls.normalize("git://github.com/org/repo.git")).isEqualTo(expected);
        assertThat(RepoUrls.normalize("http://user@github.com:8080/org/repo")).isEqualTo(expected);
    }

    @Test
    void differentRepositoriesStayDifferent() {
        assertThat(RepoUrls.normalize("https://github.com/org/repo"))
                .isNotEqualTo(RepoUrls.normalize("https://github.com/org/repo2"))
                .isNotEqualTo(RepoUrls.normalize("https://gitlab.com/org/repo"))
                .isNotEqualTo(RepoUrls.normalize("https://github.com/other/repo"));
    }

    @Test
    void localRepositoriesNormalizeToTheirPath() {
        assertThat(RepoUrls.normalize("file:///srv/git/deploy.git")).isEqualTo("file:/srv/git/deploy");
        assertThat(RepoUrls.normalize("file:///srv/git/deploy/")).isEqualTo("file:/srv/git/deploy");
    }

    @Test
    void passwordsAreRemovedForMessages() {
        assertThat(RepoUrls.redact("https://user:secret@host/org/repo"))
                .doesNotContain("secret")
                .contains("host/org/repo");
        assertThat(RepoUrls.redact("https://host/org/repo")).isEqualTo("https://host/org/repo");
    }

    @Test
    void sshIsRecognisedInBothSpellings() {
        assertThat(RepoUrls.isSsh("git@github.com:org/repo")).isTrue();
        assertThat(RepoUrls.isSsh("ssh://git@github.com/org/repo")).isTrue();
        assertThat(RepoUrls.isSsh("https://github.com/org/repo")).isFalse();
        assertThat(RepoUrls.isSsh("file:///srv/repo")).isFalse();
    }

    @Test
    void cacheDirectoryNamesAreReadableAndDistinct() {
        String a = GitRepositories.dirName(RepoUrls.normalize("https://github.com/org/repo"));
        String b = GitRepositories.dirName(RepoUrls.normalize("https://github.com/org-repo"));
        assertThat(a).startsWith("github.com_org_repo-").endsWith(".git");
        assertThat(a).isNotEqualTo(b);
        assertThat(GitRepositories.dirName(RepoUrls.normalize("git@github.com:org/repo.git")))
                .isEqualTo(a);
    }
}
