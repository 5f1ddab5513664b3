package io.driftwatch.agent;

import io.driftwatch.source.AppSource;
import io.driftwatch.source.flux.FluxHelmReleaseSource;
import io.driftwatch.source.flux.FluxKustomizationSource;
import io.driftwatch.source.flux.FluxSources;
import io.driftwatch.source.flux.FluxWatch;
import io.driftwatch.source.flux.FluxWatch.Kind;
import io.driftwatch.source.flux.ReferenceWatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flux's Kustomizations, and HelmReleases when configured, as apps ({@code sources.flux}): each one a watch reports
 * becomes an app named {@code <kind>/<namespace>/<name>} ({@code Kustomization/flux-system/apps}), loaded at once and
 * every pollInterval; a change to what decides its desired state or health (a revision Flux applied or attempted, its
 * spec, readiness) loads it at once; a deleted one is dropped. What a HelmRelease's desired state was made from — its
 * {@code valuesFrom} ConfigMaps (and Secrets, when read) and its chart source, a HelmChart in any namespace or an
 * OCIRepository — is watched object by object ({@link ReferenceWatches}): a change of their data, or a new artifact,
 * loads the HelmReleases made from them at once. Flux's ownership labels hold the owner's name and namespace and differ
 * per kind, so objects of the same name (in other namespaces, or of the other kind) are apps of their own whose live
 * objects are told apart.
 */
final class FluxApps implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FluxApps.class);

    private final FluxSources sources;
    private final Apps apps;
    private final long pollMillis;
    private final List<FluxWatch> watches = new ArrayList<>();
    /** The apps followed; a HelmRelease's references are watched only while its app is. */
    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    /** What the followed HelmReleases were made from; null when HelmReleases are not followed. */
    private final ReferenceWatches references;

    /**
     * @param kinds      the kinds to follow as apps ({@link Kind#KUSTOMIZATION}, {@link Kind#HELM_RELEASE}); with
     *                   HelmReleases, what they are made from is watched too
     * @param watch      makes the watch of a kind reporting to a listener
     * @param references makes the watches of single objects, reporting (app, reference) to a listener
     */
    FluxApps(
            FluxSources sources,
            Apps apps,
            long pollMillis,
            List<Kind> kinds,
            BiFunction<Kind, FluxWatch.Listener, FluxWatch> watch,
            Function<BiConsumer<String, String>, ReferenceWatches> references) {
        this.sources = sources;
        this.apps = apps;
        this.pollMillis = pollMillis;
        for (Kind kind : kinds) {
            watches.add(watch.apply(kind, new AppListener(kind)));
        }
        this.references = kinds.contains(Kind.HELM_RELEASE) ? references.apply(this::referenceChanged) : null;
    }

    void start() {
        watches.forEach(FluxWatch::start);
    }

    /** True once every watched kind has been listed (readiness waits for it). */
    boolean listed() {
        return watches.stream().allMatch(FluxWatch::listed);
    }

    /** Which kinds are not listed yet and why, e.g. "HelmReleases (forbidden ...)"; empty when all are. */
    String notListed() {
        List<String> kinds = new ArrayList<>();
        for (FluxWatch w : watches) {
            if (!w.listed()) {
                String failure = w.failure();
                kinds.add(w.kind().plural() + (failure == null ? "" : " (" + failure + ")"));
            }
        }
        return String.join(", ", kinds);
    }

    /** The app of a Flux object: {@code Kustomization/<namespace>/<name>} or {@code HelmRelease/<namespace>/<name>}. */
    static String app(Kind kind, String namespace, String name) {
        return (kind == Kind.HELM_RELEASE ? FluxHelmReleaseSource.OWNER : FluxKustomizationSource.OWNER)
                .app(namespace, name);
    }

    private void follow(Kind kind, String namespace, String name) {
        if (apps.closed()) {
            return;
        }
        String app = app(kind, namespace, name);
        if (apps.has(app)) {
            apps.load(app);
            return;
        }
        followed.add(app);
        AppSource source;
        if (kind == Kind.HELM_RELEASE) {
            FluxHelmReleaseSource helm = sources.helmRelease(namespace, name);
            helm.whenLoaded(loaded -> {
                if (followed.contains(app)) {
                    references.follow(app, loaded.references());
                }
            });
            source = helm;
        } else {
            source = sources.kustomization(namespace, name);
        }
        LOG.debug("following Flux {} {}/{} as app {}", kind, namespace, name, app);
        apps.add(source, pollMillis);
    }

    private void referenceChanged(String app, String reference) {
        LOG.debug("{} changed: loading {}", reference, app);
        apps.load(app);
    }

    @Override
    public void close() {
        watches.forEach(FluxWatch::close);
        if (references != null) {
            references.close();
        }
    }

    /** Kustomizations or HelmReleases: each one an app. */
    private final class AppListener implements FluxWatch.Listener {
        private final Kind kind;

        AppListener(Kind kind) {
            this.kind = kind;
        }

        @Override
        public void added(String namespace, String name) {
            follow(kind, namespace, name);
        }

        @Override
        public void changed(String namespace, String name) {
            String app = app(kind, namespace, name);
            if (apps.has(app)) {
                apps.load(app);
            }
        }

        @Override
        public void deleted(String namespace, String name) {
            String app = app(kind, namespace, name);
            if (followed.remove(app) && references != null) {
                references.forget(app);
            }
            if (apps.has(app)) {
                apps.remove(app);
            }
        }
    }
}
