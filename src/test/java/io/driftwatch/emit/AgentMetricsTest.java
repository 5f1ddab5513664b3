package io.driftwatch.emit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.driftwatch.diff.Actor;
import io.driftwatch.diff.Cause;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.Drift;
import io.driftwatch.diff.DriftType;
import io.driftwatch.diff.ObjectKey;
import io.driftwatch.diff.Op;
import io.driftwatch.drift.DriftEvent;
import io.driftwatch.drift.DriftRecord;
import io.driftwatch.live.LiveEvent;
import io.driftwatch.live.WatchEventCounts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static final Instant ONSET = Instant.parse("2026-11-21T10:00:00Z");

    private static DriftRecord drift(String name) {
        ObjectKey key = new ObjectKey("", "ConfigMap", "shop", name);
        return new DriftRecord(
                "id-" + name,
                new Drift(key, "v1", "shop", DriftType.MISSING, Cause.DELETED, "gone", List.of(), null),
                ONSET,
                ONSET,
                null);
    }

    @Test
    void perDriftSeriesAreCappedAndTheRestCounted() {
        AgentMetrics metrics = new AgentMetrics(registry, 2);
        List<DriftRecord> open = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            open.add(drift("cm-" + i));
        }

        metrics.openDrifts(open, Set.of("shop"));

        String text = registry.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("driftwatch_drift_started_timestamp_seconds{")))
                .hasSize(2);
        assertThat(text).contains("driftwatch_drift_series_dropped_total 3.0");
        assertThat(text)
                .contains("driftwatch_drifted_resources{app=\"shop\",cause=\"deleted\",kind=\"ConfigMap\","
                        + "namespace=\"shop\",type=\"missing\"} 5.0");
        assertThat(text).contains("driftwatch_app_drifted{app=\"shop\"} 1.0");
    }

    @Test
    void perDriftSeriesCarryTheUserOnlyWhenActorLabelsAreOn() {
        ObjectKey key = new ObjectKey("apps", "Deployment", "shop", "web");
        Change unattributed = new Change(
                "spec.replicas",
                "/spec/replicas",
                Op.CHANGED,
                Cause.OUT_OF_BAND,
                null,
                null,
                "kubectl",
                "Update",
                "",
                ONSET);
        Drift before = new Drift(
                key, "apps/v1", "shop", DriftType.MODIFIED, Cause.OUT_OF_BAND, "s", List.of(unattributed), null);
        Actor carol = new Actor("carol", List.of("ops"), "alice", "10.0.0.7", "kubectl", "a-1", Actor.Match.EXACT);
        Drift after =
                before.attributed(List.of(unattributed.attributed(carol, Cause.OUT_OF_BAND)), null, Cause.OUT_OF_BAND);

        new AgentMetrics(registry, 10)
                .openDrifts(List.of(new DriftRecord("id", after, ONSET, ONSET, null)), Set.of("shop"));
        assertThat(registry.scrape())
                .contains("driftwatch_drift_started_timestamp_seconds{")
                .doesNotContain("user=")
                .doesNotContain("carol");

        PrometheusMeterRegistry labelled = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentMetrics metrics = new AgentMetrics(labelled, 10, true);
        metrics.openDrifts(List.of(new DriftRecord("id", before, ONSET, ONSET, null)), Set.of("shop"));
        assertThat(started(labelled)).singleElement().asString().contains("user=\"\"");
        // a late audit batch names the user: the drift's series is replaced, not doubled
        metrics.openDrifts(List.of(new DriftRecord("id", after, ONSET, ONSET, null)), Set.of("shop"));
        assertThat(started(labelled))
                .singleElement()
                .asString()
                .contains("user=\"carol\"")
                .doesNotContain("alice");
    }

    private static List<String> started(PrometheusMeterRegistry r) {
        return r.scrape()
                .lines()
                .filter(l -> l.startsWith("driftwatch_drift_started_timestamp_seconds{"))
                .toList();
    }

    @Test
    void resolvedDriftsLeaveTheirGaugesAtZeroAndRemoveTheirSeries() {
        AgentMetrics metrics = new AgentMetrics(registry, 10);
        metrics.openDrifts(List.of(drift("a")), Set.of("shop"));

        metrics.openDrifts(List.of(), Set.of("shop"));

        String text = registry.scrape();
        assertThat(text).doesNotContain("driftwatch_drift_started_timestamp_seconds{");
        assertThat(text)
                .contains("driftwatch_drifted_resources{app=\"shop\",cause=\"deleted\",kind=\"ConfigMap\","
                        + "namespace=\"shop\",type=\"missing\"} 0.0");
        assertThat(text).contains("driftwatch_app_drifted{app=\"shop\"} 0.0");
    }

    @Test
    void resolutionObservesTheDurationInAClassicHistogram() {
        AgentMetrics metrics = new AgentMetrics(registry, 10);
        DriftRecord resolved = new DriftRecord("id", drift("a").drift(), ONSET, ONSET, ONSET.plusSeconds(600));

        metrics.driftEvent(new DriftEvent(DriftEvent.Type.RESOLVED, resolved), ONSET.plusSeconds(600));

        String text = registry.scrape();
        assertThat(text)
                .contains("driftwatch_drift_duration_seconds_bucket{app=\"shop\",cause=\"deleted\",type=\"missing\","
                        + "le=\"900.0\"} 1");
        assertThat(text)
                .contains("driftwatch_drift_duration_seconds_bucket{app=\"shop\",cause=\"deleted\",type=\"missing\","
                        + "le=\"300.0\"} 0");
        assertThat(text)
                .contains("driftwatch_drift_events_total{app=\"shop\",cause=\"deleted\",event=\"resolved\","
                        + "type=\"missing\"} 1.0");
    }

    @Test
    void knownAppsStartWithZeroedSeries() {
        new AgentMetrics(registry, 10).knownApp("shop");

        String text = registry.scrape();
        assertThat(text).contains("driftwatch_source_sync_total{app=\"shop\",result=\"error\"} 0.0");
        assertThat(text)
                .contains("driftwatch_drift_events_total{app=\"shop\",cause=\"unknown-manager\",event=\"opened\","
                        + "type=\"modified\"} 0.0");
        assertThat(text)
                .contains("driftwatch_drift_events_total{app=\"shop\",cause=\"not-yet-applied\",event=\"resolved\","
                        + "type=\"missing\"} 0.0");
        assertThat(text)
                .as("only the causes a type can have")
                .doesNotContain("cause=\"deleted\",event=\"opened\"," + "type=\"modified\"");
        assertThat(text)
                .contains("driftwatch_drift_events_total{app=\"shop\",cause=\"orphaned\",event=\"opened\","
                        + "type=\"extra\"} 0.0");
        assertThat(text.lines().filter(l -> l.startsWith("driftwatch_drift_events_total{")))
                .as("6 modified + 2 missing + 5 extra causes, 3 events each")
                .hasSize(13 * 3);
        assertThat(text).contains("driftwatch_build_info{");
    }

    @Test
    void aDriftsCauseLabelsItsSeriesAndAChangedCauseReplacesItsSeries() {
        AgentMetrics metrics = new AgentMetrics(registry, 10);
        DriftRecord viaScript = modified(Cause.UNKNOWN_MANAGER, "python-requests");
        metrics.knownApp("shop");
        metrics.driftEvent(new DriftEvent(DriftEvent.Type.OPENED, viaScript), ONSET);
        metrics.openDrifts(List.of(viaScript), Set.of("shop"));

        String text = registry.scrape();
        assertThat(text)
                .contains("driftwatch_drift_events_total{app=\"shop\",cause=\"unknown-manager\",event=\"opened\","
                        + "type=\"modified\"} 1.0");
        assertThat(text)
                .contains("driftwatch_drifted_resources{app=\"shop\",cause=\"unknown-manager\",kind=\"ConfigMap\","
                        + "namespace=\"shop\",type=\"modified\"} 1.0");
        assertThat(text)
                .contains("driftwatch_drift_started_timestamp_seconds{app=\"shop\",cause=\"unknown-manager\","
                        + "kind=\"ConfigMap\",manager=\"python-requests\",name=\"settings\",namespace=\"shop\","
                        + "type=\"modified\"}");

        metrics.openDrifts(List.of(modified(Cause.OUT_OF_BAND, "kubectl-edit")), Set.of("shop"));

        text = registry.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("driftwatch_drift_started_timestamp_seconds{")))
                .singleElement()
                .asString()
                .contains("cause=\"out-of-band\"")
                .contains("manager=\"kubectl-edit\"");
        assertThat(text)
                .contains("driftwatch_drifted_resources{app=\"shop\",cause=\"unknown-manager\",kind=\"ConfigMap\","
                        + "namespace=\"shop\",type=\"modified\"} 0.0");
        assertThat(text)
                .contains("driftwatch_drifted_resources{app=\"shop\",cause=\"out-of-band\",kind=\"ConfigMap\","
                        + "namespace=\"shop\",type=\"modified\"} 1.0");
    }

    private static DriftRecord modified(Cause cause, String manager) {
        return modified(new ObjectKey("", "ConfigMap", "shop", "settings"), "shop", cause, manager);
    }

    /**
     * Batches that name only the objects they diffed leave every open-drift gauge as a recomputation from all open
     * drifts would: counts per labels and per app, and which drifts have a per-drift series, for opened, updated
     * (same labels, another cause, another manager, another app), resolved and re-opened drifts, past the cap.
     */
    @Test
    void batchUpdatesLeaveTheSameGaugesAsARecomputationFromAllOpenDrifts() {
        AgentMetrics incremental = new AgentMetrics(registry, 3);
        Map<ObjectKey, DriftRecord> open = new LinkedHashMap<>();
        Random random = new Random(11);
        String[] apps = {"shop", "billing"};
        String[] managers = {"kubectl-edit", "python-requests", "helm"};
        Cause[] causes = {Cause.OUT_OF_BAND, Cause.UNKNOWN_MANAGER};
        for (int batch = 0; batch < 200; batch++) {
            Map<ObjectKey, DriftRecord> changed = new HashMap<>();
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                ObjectKey key = new ObjectKey("", "ConfigMap", "ns-" + random.nextInt(2), "cm-" + random.nextInt(8));
                DriftRecord now = random.nextInt(3) == 0
                        ? null
                        : modified(
                                key,
                                apps[random.nextInt(apps.length)],
                                causes[random.nextInt(causes.length)],
                                managers[random.nextInt(managers.length)]);
                changed.put(key, now);
                if (now == null) {
                    open.remove(key);
                } else {
                    open.put(key, now);
                }
            }
            incremental.openDriftsChanged(changed, Set.of(apps));

            PrometheusMeterRegistry fresh = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // held until compared: the registry's gauges refer to its values weakly (a collected one reads NaN)
            AgentMetrics recomputed = new AgentMetrics(fresh, 3);
            recomputed.openDrifts(open.values(), Set.of(apps));
            assertThat(nonZeroOpenDriftGauges(registry))
                    .as("batch %d: drifted resources and apps", batch)
                    .isEqualTo(nonZeroOpenDriftGauges(fresh));
            assertThat(started(registry))
                    .as("batch %d: per-drift series", batch)
                    .hasSize(Math.min(3, open.size()));
            assertThat(started(registry))
                    .as("batch %d: each series is an open drift's, with its labels now", batch)
                    .isSubsetOf(uncappedSeries(open.values()));
            Reference.reachabilityFence(recomputed);
        }
    }

    @Test
    void aResolvedDriftsSeriesGoesToADriftThatWaitedForOne() {
        AgentMetrics metrics = new AgentMetrics(registry, 1);
        DriftRecord first = drift("first");
        DriftRecord second = drift("second");
        metrics.openDriftsChanged(Map.of(first.key(), first), Set.of("shop"));
        metrics.openDriftsChanged(Map.of(second.key(), second), Set.of("shop"));
        assertThat(started(registry)).singleElement().asString().contains("name=\"first\"");
        assertThat(registry.scrape()).contains("driftwatch_drift_series_dropped_total 1.0");

        Map<ObjectKey, DriftRecord> resolved = new HashMap<>();
        resolved.put(first.key(), null);
        metrics.openDriftsChanged(resolved, Set.of("shop"));

        assertThat(started(registry)).singleElement().asString().contains("name=\"second\"");
        assertThat(registry.scrape())
                .contains("driftwatch_drift_series_dropped_total 1.0")
                .contains("driftwatch_drifted_resources{app=\"shop\",cause=\"deleted\",kind=\"ConfigMap\","
                        + "namespace=\"shop\",type=\"missing\"} 1.0");
    }

    /** Every open drift with its own series (no cap): the series each open drift should have, with its labels. */
    private static List<String> uncappedSeries(Collection<DriftRecord> open) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new AgentMetrics(r, Integer.MAX_VALUE).openDrifts(open, Set.of());
        return started(r);
    }

    /** The drifted-resources and app-drifted lines of a scrape that are not 0, sorted. */
    private static List<String> nonZeroOpenDriftGauges(PrometheusMeterRegistry r) {
        return r.scrape()
                .lines()
                .filter(l -> l.startsWith("driftwatch_drifted_resources{") || l.startsWith("driftwatch_app_drifted{"))
                .filter(l -> !l.endsWith(" 0.0"))
                .sorted()
                .toList();
    }

    private static DriftRecord modified(ObjectKey key, String app, Cause cause, String manager) {
        Change change = new Change(
                "data.admin",
                "/data/admin",
                Op.ADDED,
                cause,
                null,
                TextNode.valueOf("true"),
                manager,
                "Update",
                null,
                ONSET,
                null);
        return new DriftRecord(
                "id-" + key.name(),
                new Drift(key, "v1", app, DriftType.MODIFIED, cause, "added", List.of(change), null),
                ONSET,
                ONSET,
                null);
    }

    @Test
    void kubernetesEventResultsStartAtZeroSoTheFirstFailureIsARateIncrease() {
        AgentMetrics metrics = new AgentMetrics(registry, 10);

        assertThat(registry.scrape())
                .contains("driftwatch_kubernetes_events_total{result=\"failed\"} 0.0")
                .contains("driftwatch_kubernetes_events_total{result=\"rate_limited\"} 0.0")
                .contains("driftwatch_kubernetes_events_total{result=\"sent\"} 0.0");

        metrics.kubernetesEvent("failed");

        assertThat(registry.scrape()).contains("driftwatch_kubernetes_events_total{result=\"failed\"} 1.0");
    }

    @Test
    void clusterInfoCarriesPrometheusSafeClusterLabels() {
        new AgentMetrics(registry, 10)
                .clusterInfo(java.util.Map.of("env", "prod", "topology.kubernetes.io/region", "eu"));

        assertThat(registry.scrape())
                .contains("driftwatch_cluster_info{env=\"prod\",topology_kubernetes_io_region=\"eu\"} 1");
    }

    @Test
    void watchEventsAreCountedPerKindAndEventFromTheInformersCountersAndRegisteredOnce() {
        AgentMetrics metrics = new AgentMetrics(registry, 10);
        WatchEventCounts deployments = new WatchEventCounts("apps", "Deployment");
        WatchEventCounts configMaps = new WatchEventCounts("", "ConfigMap");
        metrics.watchEvents(List.of(deployments));
        String series = "driftwatch_watch_events_total{event=\"%s\",group=\"apps\",kind=\"Deployment\"} %s";
        assertThat(registry.scrape())
                .contains(series.formatted("added", "0.0"))
                .contains(series.formatted("updated", "0.0"))
                .contains(series.formatted("deleted", "0.0"))
                .contains(series.formatted("unchanged", "0.0"))
                .doesNotContain("kind=\"ConfigMap\"");

        deployments.count(LiveEvent.Type.ADDED);
        for (int i = 0; i < 3; i++) {
            deployments.count(LiveEvent.Type.UPDATED);
        }
        deployments.countUnchanged();
        deployments.count(LiveEvent.Type.DELETED);
        deployments.count(LiveEvent.Type.DELETED);
        configMaps.count(LiveEvent.Type.UPDATED);
        // called every second with every kind watched: a kind already registered is not registered again
        metrics.watchEvents(List.of(deployments, configMaps));
        metrics.watchEvents(List.of(deployments, configMaps));

        String text = registry.scrape();
        assertThat(text)
                .contains(series.formatted("added", "1.0"))
                .contains(series.formatted("updated", "3.0"))
                .contains(series.formatted("deleted", "2.0"))
                .contains(series.formatted("unchanged", "1.0"))
                .contains("driftwatch_watch_events_total{event=\"updated\",group=\"\",kind=\"ConfigMap\"} 1.0");
        assertThat(text.lines().filter(l -> l.startsWith("driftwatch_watch_events_total{")))
                .hasSize(8);
    }
}
