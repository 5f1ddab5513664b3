package io.driftwatch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.config.RepoUrls;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.git.GitAppSource;
import io.driftwatch.source.git.GitRepositories;
import io.driftwatch.source.git.RenderCache;
import io.driftwatch.source.git.Renderers;
import io.driftwatch.source.git.ToolBinaries;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One-shot load of a Git app's desired state for {@code driftwatch diff --repo}: always fetches, renders once. */
final class GitDesiredState {

    private GitDesiredState() {}

    static List<ObjectNode> load(GitAppSpec spec, Path cacheDir, PrintWriter err) throws SourceException {
        GitRepositories.Settings settings = GitRepositories.Settings.defaults().withMinFetchInterval(Duration.ZERO);
        if (cacheDir != null) {
            settings = settings.withCacheDir(cacheDir);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "driftwatch-render");
            t.setDaemon(true);
            return t;
        });
        try (GitRepositories repositories = new GitRepositories(settings);
                GitAppSource source = new GitAppSource(
                        spec,
                        repositories,
                        new RenderCache(RenderCache.DEFAULT_MAX_BYTES),
                        new Renderers(ToolBinaries.fromEnvironment(), pool, Renderers.DEFAULT_TIMEOUT),
                        Clock.systemUTC())) {
            DesiredState state = source.load();
            err.println("desired state: " + state.objects().size() + " objects from " + RepoUrls.redact(spec.repoUrl())
                    + " path " + spec.path() + " at " + state.revision() + " (" + spec.revision() + ", committed "
                    + state.revisionTime() + ")");
            err.flush();
            return state.objects();
        } finally {
            pool.shutdownNow();
        }
    }
}
