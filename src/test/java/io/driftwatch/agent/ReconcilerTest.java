package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.config.AgentConfig;
import io.driftwatch.diff.BuiltinListSchema;
import io.driftwatch.diff.DiffOptions;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ListSchema;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.drift.DriftTracker;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.live.ApiDiscovery;
import io.driftwatch.live.ApiResource;
import io.driftwatch.live.LiveEvent;
import io.driftwatch.live.LiveView;
import io.driftwatch.live.WatchEventCounts;
import io.driftwatch.source.DesiredState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The reconciler driven directly: a live view and a cluster schema from plain values, all work on the test thread. */
class ReconcilerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Executor DIRECT = Runnable::run;
    private static final ApiResource CONFIG_MAPS = new ApiResource("", "v1", "ConfigMap", "configmaps", true);
    private static final ObjectKey WEB = new ObjectKey("", "ConfigMap", "shop", "web");
    private static final Instant NOW = Instant.parse("2026-01-02T10:00:00Z");

    private final FakeLive live = new FakeLive();
    private final List<DriftEvent> emitted = new ArrayList<>();
    private final Map<ObjectKey, Instant> predecessorOnsets = new HashMap<>();
    private int kindsChanged;
    private final DriftTracker tracker = new DriftTracker("test");
    private final Reconciler reconciler = reconciler(new Published(Map.of()));

    /** A reconciler on the test thread over {@link #live}, its events and kind changes counted here. */
    private Reconciler reconciler(Published published) {
        return new Reconciler(
                new FixedSchema(),
                ApiDiscovery.of(List.of(CONFIG_MAPS)),
                live::listening,
                DIRECT,
                tracker,
                new AgentMetrics(new SimpleMeterRegistry(), 100),
                DiffOptions.defaults(),
                new ScopeFilter(everything()),
                published,
                new Reconciler.Sink() {
                    @Override
                    public void accept(List<DriftEvent> events) {
                        emitted.addAll(events);
                    }

                    @Override
                    public void kindsChanged() {
                        kindsChanged++;
                    }

                    @Override
                    public Map<ObjectKey, Instant> predecessorOnsets() {
                        return predecessorOnsets;
                    }
                },
                null,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void reportsAMissingObjectOnceDesiredStateIsLoadedAndWatchesItsKind() {
        reconciler.leading(true);
        reconciler.desiredLoaded(desired(configMap("blue")), "shop");

        assertThat(live.watched).contains("/ConfigMap");
        assertThat(reconciler.indexedApps()).containsExactly("shop");
        assertThat(openDrift().drift().type()).isEqualTo(DriftType.MISSING);
        assertThat(emitted).hasSize(1);
        assertThat(reconciler.initialDiffDone()).isTrue();
    }

    @Test
    void rediffsAnObjectWhenItsLiveEventArrives() {
        live.put(configMap("blue"));
        reconciler.leading(true);
        reconciler.desiredLoaded(desired(configMap("blue")), "shop");
        assertThat(reconciler.openDrifts()).isEmpty();

        live.change(configMap("green"));
        assertThat(openDrift().drift().type()).isEqualTo(DriftType.MODIFIED);

        live.change(configMap("blue"));
        assertThat(reconciler.openDrifts()).isEmpty();
        assertThat(emitted).hasSize(2); // opened, resolved
    }

    @Test
    void fullResyncFindsAChangeNoEventReported() {
        live.put(configMap("blue"));
        reconciler.leading(true);
        reconciler.desiredLoaded(desired(configMap("blue")), "shop");

        live.put(configMap("green")); // silently: no event
        assertThat(reconciler.openDrifts()).isEmpty();

        reconciler.fullResync();
        assertThat(openDrift().drift().type()).isEqualTo(DriftType.MODIFIED);
    }

    @Test
    void followerDiffsNothingUntilItLeadsAndForgetsItsDriftsWhenItStopsLeading() {
        live.put(configMap("green"));
        reconciler.desiredLoaded(desired(configMap("blue")), "shop");
        live.change(configMap("green"));
        assertThat(reconciler.isLeader()).isFalse();
        assertThat(reconciler.openDrifts()).isEmpty();
        assertThat(emitted).isEmpty();

        reconciler.leading(true);
        assertThat(openDrift().drift().type()).isEqualTo(DriftType.MODIFIED);

        reconciler.leading(false);
        assertThat(reconciler.openDrifts()).isEmpty();
        live.change(configMap("yellow"));
        assertThat(reconciler.openDrifts()).isEmpty();
    }

    @Test
    void newLeaderKeepsTheOnsetItsPredecessorRecorded() {
        Instant onset = NOW.minusSeconds(3600);
        predecessorOnsets.put(WEB, onset);
        reconciler.desiredLoaded(desired(configMap("blue")), "shop");

        reconciler.leading(true);

        assertThat(openDrift().onset()).isEqualTo(onset);
    }

    @Test
    void tellsItsSinkOnceWhenAnAppGainsAKindItNeverHad() {
        reconciler.desiredLoaded(desired(configMap("blue")), "shop");
        reconciler.desiredLoaded(desired(configMap("green")), "shop");

        assertThat(kindsChanged).isEqualTo(1);
    }

    @Test
    void watchesTheKindsAnAppHadInAnEarlierRunFromItsFirstLoad() {
        Reconciler restarted = reconciler(new Published(Map.of("shop", Set.of("/ConfigMap"))));

        restarted.desiredLoaded(desired(), "shop"); // Git dropped the app's last ConfigMap while the agent was down

        assertThat(live.watched).as("kinds watched for extra objects").contains("/ConfigMap");
        assertThat(kindsChanged).as("nothing new to write to the state file").isZero();
    }

    @Test
    void defersObjectsOfKindsNotListedYetAndDiffsThemOnceListed() {
        live.synced = false;
        reconciler.leading(true);
        reconciler.desiredLoaded(desired(configMap("blue")), "shop");
        assertThat(reconciler.openDrifts()).isEmpty();
        assertThat(reconciler.initialDiffDone()).isFalse();

        live.synced = true;
        reconciler.retryDeferred();

        assertThat(openDrift().drift().type()).isEqualTo(DriftType.MISSING);
        assertThat(reconciler.initialDiffDone()).isTrue();
    }

    private DriftRecord openDrift() {
        assertThat(reconciler.openDrifts()).as("open drifts").hasSize(1);
        DriftRecord record = reconciler.openDrifts().get(0);
        assertThat(record.key()).isEqualTo(WEB);
        return record;
    }

    private static DesiredState desired(ObjectNode... objects) {
        return new DesiredState("shop", "rev1", NOW, List.of(objects), NOW);
    }

    private static ObjectNode configMap(String mode) {
        ObjectNode cm = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", WEB.name()).put("namespace", WEB.namespace());
        cm.putObject("data").put("mode", mode);
        return cm;
    }

    private static AgentConfig.Scope everything() {
        AgentConfig.Filter all = new AgentConfig.Filter(List.of(), List.of());
        return new AgentConfig.Scope(all, all);
    }

    private static final class FixedSchema implements ClusterSchema {
        @Override
        public ApiDiscovery discover() {
            return ApiDiscovery.of(List.of(CONFIG_MAPS));
        }

        @Override
        public ListSchema listSchema(Set<String> apiVersions) {
            return BuiltinListSchema.INSTANCE;
        }
    }

    /** Live objects in a map; kinds count as listed while {@code synced}; changes are told to the listener. */
    private static final class FakeLive implements LiveView {
        private final Map<ObjectKey, ObjectNode> objects = new HashMap<>();
        private final Set<String> watched = new HashSet<>();
        private Consumer<LiveEvent> listener;
        private boolean synced = true;

        LiveView listening(Consumer<LiveEvent> changes) {
            this.listener = changes;
            return this;
        }

        void put(ObjectNode object) {
            objects.put(WEB, object);
        }

        void change(ObjectNode object) {
            put(object);
            listener.accept(new LiveEvent(WEB, LiveEvent.Type.UPDATED, System.nanoTime()));
        }

        @Override
        public Optional<ObjectNode> get(ObjectKey key) {
            return Optional.ofNullable(objects.get(key)).map(ObjectNode::deepCopy);
        }

        @Override
        public boolean hasSynced(String group, String kind) {
            return synced && watched.contains(group + "/" + kind);
        }

        @Override
        public boolean allSynced() {
            return synced;
        }

        @Override
        public Stream<ObjectNode> all() {
            return objects.values().stream().map(ObjectNode::deepCopy);
        }

        @Override
        public List<ObjectNode> ofKind(String group, String kind) {
            return all().filter(o -> o.path("kind").asText().equals(kind)).toList();
        }

        @Override
        public void ensureKinds(Set<ApiResource> required, Set<ApiResource> optional) {
            watched.clear();
            required.forEach(r -> watched.add(r.group() + "/" + r.kind()));
            optional.forEach(r -> watched.add(r.group() + "/" + r.kind()));
        }

        @Override
        public Set<String> watchedKinds() {
            return Set.copyOf(watched);
        }

        @Override
        public Map<String, Integer> sizes() {
            return Map.of("ConfigMap", objects.size());
        }

        @Override
        public Collection<WatchEventCounts> watchEvents() {
            return List.of();
        }

        @Override
        public List<String> unreadable() {
            return List.of();
        }

        @Override
        public List<String> notWatching() {
            return List.of();
        }

        @Override
        public void close() {
            watched.clear();
        }
    }
}
