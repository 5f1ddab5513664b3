package io.driftwatch.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.live.LiveReader;
import io.driftwatch.live.LiveView;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds an app's objects in kinds the agent does not watch: every listable kind (but the high-churn ones Argo CD leaves
 * out too) is searched by metadata only, in the namespaces in scope, for objects tracked as an indexed app's. The
 * kinds found are handed to the reconciler, which watches them from then on like kinds the app had, so an object
 * someone created with the app's tracking label, of a kind the app never had, becomes an {@code extra} drift. Runs on
 * its own thread, at every full resync (blocking: a few list calls per kind).
 */
final class StraySweep {

    private static final Logger LOG = LoggerFactory.getLogger(StraySweep.class);

    private final KubernetesClient client;
    private final Reconciler reconciler;
    private final LiveView live;
    private final ScopeFilter scope;
    private final List<String> namespaces;
    private List<String> unreadable = List.of();

    /** @param namespaces the namespaces to search namespaced kinds in; empty: all */
    StraySweep(
            KubernetesClient client, Reconciler reconciler, LiveView live, ScopeFilter scope, List<String> namespaces) {
        this.client = client;
        this.reconciler = reconciler;
        this.live = live;
        this.scope = scope;
        this.namespaces = namespaces.isEmpty() ? List.of("") : namespaces;
    }

    /** One search; what it finds is watched from then on. Kinds that cannot be listed are logged. */
    void run() {
        if (!reconciler.isLeader() || reconciler.indexedApps().isEmpty()) {
            return;
        }
        Set<String> watched = live.watchedKinds();
        LiveReader reader = new LiveReader(client, reconciler.discovery());
        LiveReader.Tracked found = reader.tracked(
                s -> watched.contains(s.resource().group() + "/" + s.resource().kind())
                        || !scope.kindAllowed(s.resource().group(), s.resource().kind()),
                namespaces,
                null,
                object -> reconciler.trackedApp(object).isPresent()
                        && scope.namespaceAllowed(
                                object.path("metadata").path("namespace").asText("")));
        Map<String, Set<String>> kinds = new TreeMap<>();
        for (JsonNode object : found.objects()) {
            reconciler
                    .trackedApp(object)
                    .ifPresent(app -> kinds.computeIfAbsent(app, a -> new TreeSet<>())
                            .add(DesiredIndex.groupKind(
                                    ObjectKey.groupOf(object.path("apiVersion").asText()),
                                    object.path("kind").asText())));
        }
        if (!kinds.isEmpty()) {
            LOG.info("apps' objects found in kinds not watched so far, watching them: {}", kinds);
            reconciler.kindsFound(kinds);
        }
        if (!found.unreadable().equals(unreadable)) { // said once, not at every sweep
            unreadable = found.unreadable();
            if (!unreadable.isEmpty()) {
                LOG.warn(
                        "extra objects not looked for in {} kind(s) the agent may not list: {}",
                        unreadable.size(),
                        unreadable);
            }
        }
    }
}
