package io.driftwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures one benchmark run measured, in the machine-readable form bench/run-all.sh collects: a JSON Lines file,
 * one {@code {"name": "scale.50000.time_to_ready", "unit": "s", "value": 22.9}} per line. A value that could not be
 * measured is written as {@code null}. {@link BenchSummary} reads these files; targets are attached there, not here.
 */
final class BenchFigures {

    /** One measured figure; {@code value} is null when it could not be measured. */
    record Figure(String name, String unit, Double value) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Figure> figures = new ArrayList<>();

    BenchFigures add(String name, String unit, double value) {
        figures.add(new Figure(name, unit, Double.isFinite(value) ? value : null));
        return this;
    }

    List<Figure> list() {
        return List.copyOf(figures);
    }

    /** Appends the figures to a file (a script that runs several sizes into one directory collects them all). */
    void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Figure f : figures) {
            out.append(JSON.createObjectNode()
                            .put("name", f.name())
                            .put("unit", f.unit())
                            .put("value", f.value()))
                    .append('\n');
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static List<Figure> read(Path file) throws IOException {
        List<Figure> out = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new IOException(file + " line " + number + " is not JSON: " + e.getMessage(), e);
            }
            if (!node.path("name").isTextual()
                    || !node.path("unit").isTextual()
                    || !(node.path("value").isNumber() || node.path("value").isNull())) {
                throw new IOException(file + " line " + number
                        + ": expected {\"name\": text, \"unit\": text, \"value\": number or null}, got " + line);
            }
            out.add(new Figure(
                    node.get("name").asText(),
                    node.get("unit").asText(),
                    node.get("value").isNull() ? null : node.get("value").asDouble()));
        }
        return out;
    }
}
