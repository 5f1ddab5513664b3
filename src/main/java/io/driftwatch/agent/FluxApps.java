package io.driftwatch.agent;

import io.driftwatch.source.flux.FluxKustomizations;
import io.driftwatch.source.flux.KustomizationWatch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flux's Kustomizations as apps ({@code sources.flux}): each one the watch reports becomes an app named after it,
 * loaded at once and every pollInterval; a change to what decides its desired state or health (a revision Flux
 * applied or attempted, its spec, readiness) loads it at once; a deleted one is dropped. A second Kustomization with a
 * name already followed (in another namespace) is not followed: Flux's ownership label holds only the name, so the
 * two apps' objects could not be told apart.
 */
final class FluxApps implements KustomizationWatch.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FluxApps.class);

    private final FluxKustomizations sources;
    private final Apps apps;
    private final long pollMillis;
    private final KustomizationWatch watch;
    /** The namespace of the Kustomization each followed app is. */
    private final Map<String, String> namespaceOf = new ConcurrentHashMap<>();

    /** @param watch a function of this listener: the watch that reports to it */
    FluxApps(
            FluxKustomizations sources,
            Apps apps,
            long pollMillis,
            Function<KustomizationWatch.Listener, KustomizationWatch> watch) {
        this.sources = sources;
        this.apps = apps;
        this.pollMillis = pollMillis;
        this.watch = watch.apply(this);
    }

    void start() {
        watch.start();
    }

    /** True once the Kustomizations have been listed (readiness waits for it). */
    boolean listed() {
        return watch.listed();
    }

    /** Why they have not been listed yet, or null. */
    String failure() {
        return watch.failure();
    }

    @Override
    public void added(String namespace, String name) {
        if (apps.closed()) {
            return;
        }
        String followed = namespaceOf.putIfAbsent(name, namespace);
        if (followed != null && !followed.equals(namespace)) {
            LOG.warn(
                    "Flux Kustomization {}/{} not followed: {}/{} has the same name, and Flux's ownership label "
                            + "holds only the name",
                    namespace,
                    name,
                    followed,
                    name);
            return;
        }
        if (apps.has(name)) {
            apps.load(name);
        } else {
            apps.add(sources.source(namespace, name), pollMillis);
        }
    }

    @Override
    public void changed(String namespace, String name) {
        if (namespace.equals(namespaceOf.get(name))) {
            apps.load(name);
        }
    }

    @Override
    public void deleted(String namespace, String name) {
        if (namespaceOf.remove(name, namespace)) {
            apps.remove(name);
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
