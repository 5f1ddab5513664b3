package io.driftwatch.source.git;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.GitAppSpec;
import io.driftwatch.config.RepoUrls;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application's desired state from Git: {@link #load()} fetches (at most once per the repositories' minimum
 * interval, unless {@link #requestFetch()} asked for it), resolves the revision to a commit, detects the renderer,
 * and renders through the shared {@link RenderCache}, so a commit already rendered is not rendered again. Blocking.
 */
public final class GitAppSource implements AppSource {

    private static final Logger LOG = LoggerFactory.getLogger(GitAppSource.class);
    private static final List<String> KUSTOMIZATION_FILES =
            List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private final GitAppSpec spec;
    private final GitRepositories repositories;
    private final RenderCache cache;
    private final Renderers renderers;
    private final Clock clock;
    private final String normalizedUrl;

    /** {@code spec} must be {@linkplain #validated(GitAppSpec) valid}. */
    public GitAppSource(
            GitAppSpec spec, GitRepositories repositories, RenderCache cache, Renderers renderers, Clock clock) {
        this.spec = spec;
        this.repositories = repositories;
        this.cache = cache;
        this.renderers = renderers;
        this.clock = clock;
        this.normalizedUrl = RepoUrls.normalize(spec.repoUrl());
    }

    /**
     * {@code spec} when it has no {@linkplain GitAppSpec#problems() problems}, else one {@link SourceException}
     * ({@code CONFIG}) listing each as {@code apps[NAME].SETTING: problem}.
     */
    public static GitAppSpec validated(GitAppSpec spec) throws SourceException {
        List<String> problems = spec.problems();
        if (!problems.isEmpty()) {
            throw new SourceException(Reason.CONFIG, String.join("; ", problems));
        }
        return spec;
    }

    public GitAppSpec spec() {
        return spec;
    }

    @Override
    public String app() {
        return spec.name();
    }

    @Override
    public String targetNamespace() {
        return spec.targetNamespace();
    }

    @Override
    public DesiredState load() throws SourceException {
        repositories.fetch(spec.repoUrl(), spec.auth());
        ResolvedCommit commit = repositories.resolve(spec.repoUrl(), spec.revision());
        GitAppSpec.Renderer type = rendererAt(commit.sha());
        ManifestRenderer renderer = renderers.forType(type);
        RenderKey key = new RenderKey(normalizedUrl, commit.sha(), spec.path(), type, renderer.inputs(spec));
        List<ObjectNode> objects = cache.get(key, () -> render(renderer, type, commit.sha()));
        return new DesiredState(spec.name(), commit.sha(), commit.commitTime(), objects, clock.instant());
    }

    /** The next load fetches from the remote at once (a webhook said the repository changed). */
    @Override
    public void requestFetch() {
        repositories.requestFetch(spec.repoUrl());
    }

    @Override
    public boolean matchesRepository(String repositoryUrl) {
        return repositoryUrl != null
                && !repositoryUrl.isBlank()
                && RepoUrls.normalize(repositoryUrl).equals(normalizedUrl);
    }

    private GitAppSpec.Renderer rendererAt(String commit) throws SourceException {
        GitRepositories.Entry entry = repositories.entry(spec.repoUrl(), commit, spec.path());
        if (entry != GitRepositories.Entry.DIRECTORY) {
            throw new SourceException(
                    Reason.CONFIG,
                    "apps[" + spec.name() + "].path: " + spec.path()
                            + (entry == GitRepositories.Entry.ABSENT
                                    ? " does not exist"
                                    : " is a file, not a directory")
                            + " at commit " + commit);
        }
        if (spec.renderer() != GitAppSpec.Renderer.AUTO) {
            return spec.renderer();
        }
        for (String name : KUSTOMIZATION_FILES) {
            if (repositories.entry(spec.repoUrl(), commit, child(name)) == GitRepositories.Entry.FILE) {
                return GitAppSpec.Renderer.KUSTOMIZE;
            }
        }
        if (repositories.entry(spec.repoUrl(), commit, child("Chart.yaml")) == GitRepositories.Entry.FILE) {
            return GitAppSpec.Renderer.HELM;
        }
        return GitAppSpec.Renderer.PLAIN;
    }

    private String child(String name) {
        return spec.path().equals(".") ? name : spec.path() + "/" + name;
    }

    private List<ObjectNode> render(ManifestRenderer renderer, GitAppSpec.Renderer type, String commit)
            throws SourceException {
        Path work;
        try {
            work = Files.createTempDirectory("driftwatch-render-")
                    .toAbsolutePath()
                    .normalize();
        } catch (IOException e) {
            throw new SourceException(Reason.RENDER, "cannot create a render directory: " + e.getMessage(), e);
        }
        try {
            Path checkout = Files.createDirectory(work.resolve("repo"));
            Path scratch = Files.createDirectory(work.resolve("scratch"));
            repositories.export(spec.repoUrl(), commit, checkout);
            long start = System.nanoTime();
            List<ObjectNode> objects =
                    renderer.render(new RenderInput(checkout, spec, commit, scratch, renderers.limits()));
            LOG.info(
                    "app {}: rendered {} objects from {} {} at {} with {} in {} ms",
                    spec.name(),
                    objects.size(),
                    RepoUrls.redact(spec.repoUrl()),
                    spec.path(),
                    commit,
                    type.name().toLowerCase(Locale.ROOT),
                    (System.nanoTime() - start) / 1_000_000);
            return objects;
        } catch (IOException e) {
            throw new SourceException(
                    Reason.RENDER, "cannot prepare the render directory " + work + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete the render directory {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "GitAppSource[" + spec.name() + " " + RepoUrls.redact(spec.repoUrl()) + " " + spec.path() + "@"
                + spec.revision() + "]";
    }
}
