package io.driftwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.source.AppSource;
import io.driftwatch.source.DesiredState;
import io.driftwatch.source.SourceException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registering an app's metric series happens on the source pool, never on the thread that adds the app. */
class AppsMetricsTest {

    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService sourcePool =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "test-driftwatch-source"));

    @AfterEach
    void close() {
        sourcePool.shutdownNow();
        vertx.close();
    }

    /** A source whose loads fail: the app stays known, the reconciler is never reached. */
    private record FailingSource(String app) implements AppSource {
        @Override
        public String targetNamespace() {
            return "default";
        }

        @Override
        public DesiredState load() throws SourceException {
            throw new SourceException(SourceException.Reason.FETCH, "no such repository");
        }

        @Override
        public void close() {}
    }

    @Test
    void anAppsSeriesAreRegisteredOnTheSourcePoolWithTheirZeroValues() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, String> registeredOn = new ConcurrentHashMap<>();
        registry.config().onMeterAdded(m -> {
            String app = m.getId().getTag("app");
            if (app != null) {
                registeredOn.merge(app, Thread.currentThread().getName(), (a, b) -> a.equals(b) ? a : a + "," + b);
            }
        });
        AgentMetrics metrics = new AgentMetrics(registry, 100);
        Apps apps = new Apps(
                vertx,
                sourcePool,
                null,
                metrics,
                new AgentConfig.Sources(null, null, null, null, null, null),
                Clock.systemUTC());

        String caller = Thread.currentThread().getName();
        for (String app : List.of("a", "b", "c")) {
            apps.add(new FailingSource(app), 60_000);
        }
        sourcePool.submit(() -> {}).get(30, TimeUnit.SECONDS); // the pool has run everything queued before

        assertThat(registeredOn).containsOnlyKeys("a", "b", "c");
        assertThat(registeredOn.values()).containsOnly("test-driftwatch-source").doesNotContain(caller);
        // every series at its zero value, and the failed load counted
        assertThat(registry.find(AgentMetrics.DRIFT_EVENTS).tag("app", "b").counters())
                .hasSizeGreaterThanOrEqualTo(39)
                .allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(registry.get(AgentMetrics.SOURCE_SYNC)
                        .tags("app", "b", "result", "success")
                        .counter()
                        .count())
                .isZero();
        assertThat(registry.get(AgentMetrics.SOURCE_SYNC)
                        .tags("app", "b", "result", "error")
                        .counter()
                        .count())
                .isEqualTo(1);
        apps.close();
    }
}
