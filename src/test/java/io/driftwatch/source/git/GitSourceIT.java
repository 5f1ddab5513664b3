package io.driftwatch.source.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.testing.GitHttpServer;
import io.driftwatch.testing.GitRepoFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git source against real repositories made with git, served over file:// and git's smart HTTP with a token. */
class GitSourceIT {

    @TempDir
    Path tmp;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private GitRepositories repositories;
    private RenderCache cache;
    private Renderers renderers;
    private GitRepoFixture repo;

    @BeforeEach
    void setUp() {
        repositories = new GitRepositories(GitRepositories.Settings.defaults()
                .withCacheDir(tmp.resolve("cache"))
                .withMinFetchInterval(Duration.ZERO));
        cache = new RenderCache(RenderCache.DEFAULT_MAX_BYTES);
        renderers = new Renderers(ToolBinaries.fromEnvironment(), pool, Duration.ofSeconds(60));
        repo = GitRepoFixture.init(tmp.resolve("repos/deploy"));
    }

    @AfterEach
    void tearDown() {
        repositories.close();
        pool.shutdownNow();
    }

    static String configMap(String name, String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  value: \"" + value + "\"\n";
    }

    private GitAppSource source(String name, String url, String revision, String path, GitAppSpec.Auth auth) {
        try {
            GitAppSpec spec = GitAppSource.validated(
                    new GitAppSpec(name, url, revision, path, "default", null, null, auth, null));
            return new GitAppSource(spec, repositories, cache, renderers, Clock.systemUTC());
        } catch (SourceException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private GitAppSource source(String name, String path) {
        return source(name, repo.fileUrl(), null, path, null);
    }

    private static List<String> names(DesiredState state) {
        return state.objects().stream()
                .map(o -> o.path("metadata").path("name").asText())
                .sorted()
                .toList();
    }

    @Test
    void aRenderBeyondTheConfiguredLimitsIsAParseErrorNamingTheKey() throws Exception {
        repo.write(
                "apps/web/a.yaml", configMap("a", "1") + "---\n" + configMap("b", "2") + "---\n" + configMap("c", "3"));
        repo.commit("three objects");
        renderers = new Renderers(
                ToolBinaries.fromEnvironment(),
                pool,
                Duration.ofSeconds(60),
                new io.driftwatch.config.AgentConfig.ManifestLimits(null, null, 2).toLimits());

        assertThatThrownBy(() -> source("web", "apps/web").load()).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.reason()).isEqualTo(SourceException.Reason.PARSE);
            assertThat(e.getMessage())
                    .contains("apps/web/a.yaml")
                    .contains("more than 2 objects")
                    .contains("(sources.limits.maxDocuments)");
        });
    }

    @Test
    void loadsAPlainDirectoryOverFileUrlWithTheCommitShaAndTime() throws Exception {
        repo.write("apps/web/a.yaml", configMap("a", "1"))
                .write("apps/web/sub/b.yml", configMap("b", "2") + "---\n" + configMap("c", "3"))
                .write("apps/web/README.md", "not a manifest")
                .write("other/x.yaml", configMap("x", "0"));
        String sha = repo.commit("first");

        DesiredState state = source("web", "apps/web").load();

        assertThat(state.revision()).isEqualTo(sha);
        assertThat(state.app()).isEqualTo("web");
        assertThat(names(state)).containsExactly("a", "b", "c");
        long committed =
                Long.parseLong(repo.git("show", "-s", "--format=%ct", sha).strip());
        assertThat(state.revisionTime()).isEqualTo(Instant.ofEpochSecond(committed));
    }

    @Test
    void resolvesBranchTagAbbreviatedShaAndHeadToTheirCommits() throws Exception {
        repo.write("a.yaml", configMap("a", "1"));
        String first = repo.commit("first");
        repo.tag("v1");
        repo.branch("release");
        repo.write("a.yaml", configMap("a", "2"));
        String second = repo.commit("second");

        assertThat(source("head", ".").load().revision()).isEqualTo(second);
        assertThat(source("main", repo.fileUrl(), "main", ".", null).load().revision())
                .isEqualTo(second);
        assertThat(source("tag", repo.fileUrl(), "v1", ".", null).load().revision())
                .isEqualTo(first);
        assertThat(source("branch", repo.fileUrl(), "refs/heads/release", ".", null)
                        .load()
                        .revision())
                .isEqualTo(first);
        assertThat(source("short", repo.fileUrl(), first.substring(0, 10), ".", null)
                        .load()
                        .revision())
                .isEqualTo(first);
        assertThat(source("full", repo.fileUrl(), first, ".", null)
                        .load()
                        .objects()
                        .get(0)
                        .path("data")
                        .path("value")
                        .asText())
                .isEqualTo("1");
        assertThatThrownBy(() -> source("nope", repo.fileUrl(), "no-such-branch", ".", null)
                        .load())
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("revision 'no-such-branch' not found")
                .extracting(e -> ((SourceException) e).reason())
                .isEqualTo(SourceException.Reason.FETCH);
    }

    @Test
    void fetchesOverSmartHttpWithATokenAsBasicAuth() throws Exception {
        repo.write("a.yaml", configMap("a", "1"));
        String sha = repo.commit("first");
        Path tokenFile = Files.writeString(tmp.resolve("token"), "s3cret-token\n");
        String expected = "Basic "
                + Base64.getEncoder()
                        .encodeToString((GitCredentials.TOKEN_USER + ":s3cret-token").getBytes(StandardCharsets.UTF_8));
        try (GitHttpServer server = new GitHttpServer(repo.dir().getParent(), expected)) {
            GitAppSpec.Auth auth = new GitAppSpec.Auth(tokenFile, null, null, null, null, null);

            DesiredState state =
                    source("web", server.url("deploy"), null, ".", auth).load();

            assertThat(state.revision()).isEqualTo(sha);
            assertThat(names(state)).containsExactly("a");
        }
    }

    @Test
    void fetchesOverSmartHttpWithABearerToken() throws Exception {
        repo.write("a.yaml", configMap("a", "1"));
        String sha = repo.commit("first");
        Path tokenFile = Files.writeString(tmp.resolve("token"), "bearer-token");
        try (GitHttpServer server = new GitHttpServer(repo.dir().getParent(), "Bearer bearer-token")) {
            GitAppSpec.Auth auth =
                    new GitAppSpec.Auth(tokenFile, GitAppSpec.TokenScheme.BEARER, null, null, null, null);

            assertThat(source("web", server.url("deploy") + "/", null, ".", auth)
                            .load()
                            .revision())
                    .isEqualTo(sha);
        }
    }

    @Test
    void aWrongTokenFailsTheFetchWithAClearErrorThatDoesNotContainTheToken() throws Exception {
        repo.write("a.yaml", configMap("a", "1"));
        repo.commit("first");
        Path tokenFile = Files.writeString(tmp.resolve("token"), "wrong-token-value");
        try (GitHttpServer server = new GitHttpServer(repo.dir().getParent(), "Bearer right-token")) {
            GitAppSpec.Auth auth = new GitAppSpec.Auth(tokenFile, null, null, null, null, null);
            GitAppSource source = source("web", server.url("deploy"), null, ".", auth);

            assertThatThrownBy(source::load).isInstanceOf(SourceException.class).satisfies(e -> {
                SourceException se = (SourceException) e;
                assertThat(se.reason()).isEqualTo(SourceException.Reason.FETCH);
                assertThat(se.getMessage())
                        .startsWith("cannot fetch " + server.url("deploy"))
                        .containsIgnoringCase("not authorized")
                        .doesNotContain("wrong-token-value");
            });
            assertThat(server.rejected()).isPositive();
        }
    }

    @Test
    void aNewCommitIsFetchedOnlyAfterTheMinimumIntervalOrWhenAFetchIsRequested() throws Exception {
        repositories = new GitRepositories(GitRepositories.Settings.defaults()
                .withCacheDir(tmp.resolve("cache2"))
                .withMinFetchInterval(Duration.ofHours(1)));
        repo.write("a.yaml", configMap("a", "1"));
        String first = repo.commit("first");
        GitAppSource web = source("web", ".");
        GitAppSource other = source("other", ".");
        assertThat(web.load().revision()).isEqualTo(first);

        repo.write("a.yaml", configMap("a", "2"));
        String second = repo.commit("second");

        assertThat(web.load().revision()).as("within the interval: no fetch").isEqualTo(first);
        assertThat(repositories.fetchCount(repo.fileUrl())).isEqualTo(1);
        other.requestFetch(); // a webhook for the repository reaches any app of it
        DesiredState state = web.load();
        assertThat(state.revision()).isEqualTo(second);
        assertThat(state.objects().get(0).path("data").path("value").asText()).isEqualTo("2");
        assertThat(other.load().revision()).isEqualTo(second);
        assertThat(repositories.fetchCount(repo.fileUrl())).isEqualTo(2);
    }

    @Test
    void aCommitThatDeletesAFileRemovesItsObjectFromDesiredState() throws Exception {
        repo.write("app/a.yaml", configMap("a", "1")).write("app/b.yaml", configMap("b", "1"));
        repo.commit("two objects");
        GitAppSource source = source("app", "app");
        assertThat(names(source.load())).containsExactly("a", "b");

        repo.delete("app/b.yaml");
        String sha = repo.commit("remove b");

        DesiredState state = source.load();
        assertThat(state.revision()).isEqualTo(sha);
        assertThat(names(state)).containsExactly("a");
    }

    @Test
    void theSameCommitIsRenderedOnceAndANewCommitOnceMore() throws Exception {
        repo.write("app/a.yaml", configMap("a", "1"));
        repo.commit("first");
        GitAppSource source = source("app", "app");
        GitAppSource sameDirectory = source("app-copy", "app");

        source.load();
        source.load();
        sameDirectory.load();
        assertThat(cache.stats().loadCount()).as("renders").isEqualTo(1);
        assertThat(cache.stats().hitCount()).isEqualTo(2);

        repo.write("app/a.yaml", configMap("a", "2"));
        repo.commit("second");
        source.load();
        source.load();
        assertThat(cache.stats().loadCount()).as("renders").isEqualTo(2);
    }

    @Test
    void changingALoadedStateDoesNotChangeTheCachedOne() throws Exception {
        repo.write("a.yaml", configMap("a", "1"));
        repo.commit("first");
        GitAppSource source = source("app", ".");

        ((ObjectNode) source.load().objects().get(0).get("metadata")).put("namespace", "changed");

        assertThat(source.load().objects().get(0).path("metadata").has("namespace"))
                .isFalse();
    }

    @Test
    void brokenYamlAndAFailingChartFailTheirAppsWhileAThirdAppKeepsLoading() throws Exception {
        repo.write("apps/broken/ok.yaml", configMap("ok", "1"))
                .write(
                        "apps/broken/bad.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n"
                                + "  key: [unclosed\n  other: 1\n")
                .write("apps/chart/Chart.yaml", "apiVersion: v2\nname: failing\nversion: 0.1.0\n")
                .write("apps/chart/templates/cm.yaml", "{{ required \"image.tag is required\" .Values.tag }}\n")
                .write("apps/healthy/cm.yaml", configMap("healthy", "1"));
        repo.commit("three apps");
        GitAppSource broken = source("broken", "apps/broken");
        GitAppSource chart = source("chart", "apps/chart");
        GitAppSource healthy = source("healthy", "apps/healthy");

        List<Future<Object>> results = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            for (GitAppSource s : List.of(broken, chart, healthy)) {
                results.add(callers.submit(() -> {
                    try {
                        return s.load();
                    } catch (SourceException e) {
                        return e;
                    }
                }));
            }
            Object brokenResult = results.get(0).get();
            Object chartResult = results.get(1).get();
            Object healthyResult = results.get(2).get();

            assertThat(brokenResult).isInstanceOfSatisfying(SourceException.class, e -> {
                assertThat(e.reason()).isEqualTo(SourceException.Reason.PARSE);
                assertThat(e.getMessage())
                        .startsWith("apps/broken/bad.yaml:7: cannot parse YAML")
                        .contains("line 6, column 8");
            });
            assertThat(chartResult).isInstanceOfSatisfying(SourceException.class, e -> {
                assertThat(e.reason()).isEqualTo(SourceException.Reason.RENDER);
                assertThat(e.getMessage()).startsWith("helm exited 1").contains("tag is required");
            });
            assertThat(healthyResult)
                    .isInstanceOfSatisfying(
                            DesiredState.class, s -> assertThat(names(s)).containsExactly("healthy"));
        } finally {
            callers.shutdownNow();
        }
        assertThat(healthy.load().objects()).hasSize(1);
    }

    @Test
    void aPathMissingAtTheCommitIsAConfigErrorNamingIt() throws Exception {
        repo.write("a.yaml", configMap("a", "1"));
        String sha = repo.commit("first");

        assertThatThrownBy(() -> source("gone", "apps/gone").load())
                .isInstanceOf(SourceException.class)
                .hasMessage("apps[gone].path: apps/gone does not exist at commit " + sha);
    }

    @Test
    void anUnreachableRepositoryIsAFetchError() {
        String url = "file://" + tmp.resolve("no-such-repo");
        assertThatThrownBy(() -> source("none", url, null, ".", null).load())
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("cannot fetch " + url)
                .extracting(e -> ((SourceException) e).reason())
                .isEqualTo(SourceException.Reason.FETCH);
    }
}
