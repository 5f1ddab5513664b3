package io.driftwatch.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftwatch.diff.StrictParsing;
import java.io.IOException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads an agent or hub configuration file as a YAML mapping, refusing before parsing what no configuration is: more
 * than {@link #MAX_BYTES}, a FIFO or device, a directory; and while parsing: a key given twice, YAML aliases, nesting
 * deeper than {@link #MAX_DEPTH}. Every refusal names the file, and the line when there is one.
 */
final class ConfigFile {

    /** A configuration is a few KiB; inline Helm values may make it a few hundred. */
    static final long MAX_BYTES = 1L << 20;

    static final int MAX_DEPTH = 64;

    private static final ObjectMapper READER;

    static {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit((int) MAX_BYTES);
        options.setNestingDepthLimit(MAX_DEPTH);
        READER = new ObjectMapper(YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength((int) MAX_BYTES)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
    }

    private ConfigFile() {}

    /** The file's root mapping (empty for an empty file), or a {@link ConfigException} naming the file. */
    static ObjectNode read(Path file) {
        var problem = StrictParsing.unreadable(file, MAX_BYTES, null);
        if (problem.isPresent()) {
            throw new ConfigException("config file " + file + " " + problem.get());
        }
        JsonNode read;
        try (JsonParser parser = StrictParsing.refusingAliases(READER.createParser(file.toFile()))) {
            read = READER.readTree(parser);
        } catch (JsonProcessingException e) {
            int line = StrictParsing.line(e);
            throw new ConfigException(file + ": cannot parse YAML: " + (line > 0 ? "line " + line + ": " : "")
                    + StrictParsing.describe(e));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        if (read != null && !read.isMissingNode() && !read.isNull() && !read.isObject()) {
            throw new ConfigException(file + ": the configuration must be a YAML mapping");
        }
        return read instanceof ObjectNode o ? o : READER.createObjectNode();
    }
}
