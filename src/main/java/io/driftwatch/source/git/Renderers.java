package io.driftwatch.source.git;

import io.driftwatch.config.GitAppSpec;
import io.driftwatch.diff.ManifestLimits;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * The three renderers over one tool lookup and one bounded process pool.
 */
public final class Renderers {

    /** Default limit for one kustomize or helm run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final PlainRenderer plain = new PlainRenderer();
    private final KustomizeRenderer kustomize;
    private final HelmRenderer helm;
    private final ManifestLimits limits;

    /** Renderers reading within the default {@link ManifestLimits}. */
    public Renderers(ToolBinaries binaries, ExecutorService executor, Duration timeout) {
        this(binaries, executor, timeout, ManifestLimits.DEFAULT);
    }

    /**
     * @param binaries where kustomize and helm are
     * @param executor the bounded pool the tool processes are waited on (not the pool that calls {@code load()})
     * @param timeout  limit for one tool run
     * @param limits   how much rendered manifest input one app may have
     */
    public Renderers(ToolBinaries binaries, ExecutorService executor, Duration timeout, ManifestLimits limits) {
        this.limits = limits;
        ToolRunner runner = new ToolRunner(executor, timeout);
        this.kustomize = new KustomizeRenderer(binaries, runner);
        this.helm = new HelmRenderer(binaries, runner);
    }

    ManifestLimits limits() {
        return limits;
    }

    ManifestRenderer forType(GitAppSpec.Renderer type) {
        return switch (type) {
            case KUSTOMIZE -> kustomize;
            case HELM -> helm;
            case PLAIN, AUTO -> plain;
        };
    }
}
