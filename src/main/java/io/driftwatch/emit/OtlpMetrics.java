package io.driftwatch.emit;

import io.driftwatch.config.AgentConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The optional OTLP/HTTP metrics push ({@code metrics.otlp}): Micrometer's OTLP registry, configured from the agent
 * configuration. Cumulative temporality and seconds as the time unit, so a Prometheus-compatible receiver stores the
 * same names and types as a scrape of {@code /metrics} ({@code driftwatch_drift_events_total},
 * {@code driftwatch_drift_detection_latency_seconds_bucket}, ...). Header values are read from their files on every
 * push (a rotated token is picked up) and never logged.
 */
public final class OtlpMetrics {

    private OtlpMetrics() {}

    /** A started registry pushing every {@code step}; add it to the agent's composite registry. */
    public static OtlpMeterRegistry registry(AgentConfig.Otlp otlp, String instance) {
        Map<String, String> resource = new LinkedHashMap<>();
        resource.put("service.name", "driftwatch-agent");
        resource.put("service.instance.id", instance);
        resource.putAll(otlp.resourceAttributes());
        OtlpConfig config = new OtlpConfig() {
            @Override
            public String get(String key) {
                return null; // everything below is set explicitly
            }

            @Override
            public String url() {
                return otlp.url();
            }

            @Override
            public Duration step() {
                return otlp.step();
            }

            @Override
            public Map<String, String> resourceAttributes() {
                return resource;
            }

            @Override
            public Map<String, String> headers() {
                Map<String, String> headers = new LinkedHashMap<>();
                otlp.headers().forEach((name, file) -> {
                    try {
                        headers.put(
                                name,
                                Files.readString(file, StandardCharsets.UTF_8).strip());
                    } catch (IOException e) {
                        throw new UncheckedIOException("metrics.otlp.headers." + name + ": cannot read " + file, e);
                    }
                });
                return headers;
            }

            @Override
            public TimeUnit baseTimeUnit() {
                return TimeUnit.SECONDS;
            }
        };
        return new OtlpMeterRegistry(config, Clock.SYSTEM);
    }
}
