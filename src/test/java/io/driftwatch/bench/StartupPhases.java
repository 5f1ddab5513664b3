package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an agent's time to ready went, from the timestamps of its own log (JSON lines): seconds from the process start
 * to the first line (JVM start, class loading, configuration), to listening, to connected (client, server version,
 * discovery), to the last app's desired state loaded, to the last informer started, and to ready as the benchmark saw
 * it (the rest: initial lists and the first full diff). A phase whose line is missing is left out.
 */
final class StartupPhases {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Phase name, the start of the log message that ends it, and whether the last such line counts. */
    private static final List<String[]> PHASES = List.of(
            new String[] {"firstLogLine", "starting driftwatch agent", "first"},
            new String[] {"listening", "listening on", "first"},
            new String[] {"connected", "connected to", "first"},
            new String[] {"lastAppLoaded", "app ", "last"},
            new String[] {"lastInformerStarted", "starting informer for", "last"});

    private StartupPhases() {}

    /** Seconds from {@code started} to each phase's end, up to {@code ready}; log lines after ready are ignored. */
    static Map<String, Double> of(Path log, Instant started, Instant ready) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode entry = JSON.readTree(line);
            Instant at = Instant.parse(entry.path("@timestamp").asText());
            String message = entry.path("message").asText();
            if (at.isAfter(ready)) {
                break;
            }
            for (String[] phase : PHASES) {
                boolean matches = message.startsWith(phase[1])
                        && (!phase[0].equals("lastAppLoaded") || message.contains(": desired state at revision"));
                if (matches && (phase[2].equals("last") || !out.containsKey(phase[0]))) {
                    out.put(phase[0], Duration.between(started, at).toMillis() / 1000.0);
                }
            }
        }
        out.put("ready", Duration.between(started, ready).toMillis() / 1000.0);
        return out;
    }
}
