package io.driftwatch.agent;

import io.driftwatch.config.AgentConfig;
import io.driftwatch.emit.OtlpMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The agent's metric registries, set up in one place: the Prometheus registry {@code /metrics} scrapes, the OTLP push
 * registry when {@code metrics.otlp} is set, and {@link #meters} where every meter is registered (both at once).
 */
final class AgentRegistries implements AutoCloseable {

    private final PrometheusMeterRegistry prometheus;
    private final MeterRegistry otlp;
    private final MeterRegistry meters;
    private final String identity;

    AgentRegistries(AgentConfig config, String identity) {
        this.identity = identity;
        this.prometheus = configure(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config.cluster());
        if (config.metrics().otlp() == null) {
            this.otlp = null;
            this.meters = prometheus;
        } else {
            this.otlp = configure(OtlpMetrics.registry(config.metrics().otlp(), identity), config.cluster());
            this.meters = new CompositeMeterRegistry().add(prometheus).add(otlp);
        }
    }

    PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    MeterRegistry meters() {
        return meters;
    }

    /** Vert.x's own metrics (HTTP server, pools) into {@link #meters}. */
    MicrometerMetricsOptions vertxMetrics() {
        return new MicrometerMetricsOptions()
                .setMicrometerRegistry(meters)
                .setEnabled(true)
                // Vert.x shares one metrics backend per registry name in a JVM: without a name of its own, a second
                // agent in the same JVM (tests) would count its HTTP server in the first one's registry
                .setRegistryName(identity);
    }

    /**
     * JVM and process metrics. Call after Vert.x is created, which adds its meter filter (dropping the labels it has
     * disabled) to the registry: a filter added once meters exist does not apply to them, and Micrometer warns about
     * it at every start.
     */
    void bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
    }

    @Override
    public void close() {
        if (otlp != null) {
            otlp.close(); // publishes once more
        }
        meters.close();
        prometheus.close();
    }

    private static <R extends MeterRegistry> R configure(R registry, String cluster) {
        // every series names its cluster, so one Prometheus (or the hub) can hold many clusters' agents
        registry.config().commonTags("cluster", cluster);
        // two ProcessorMetrics names fail `promtool check metrics` (an abbreviated unit, a non-histogram _count);
        // process_cpu_usage and system_cpu_usage carry the same information
        registry.config()
                .meterFilter(MeterFilter.deny(id ->
                        id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        return registry;
    }
}
