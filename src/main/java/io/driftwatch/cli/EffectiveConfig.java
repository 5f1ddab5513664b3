package io.driftwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.driftwatch.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated configuration as YAML, every default filled in, for {@code --check-config}. Secrets are omitted: token
 * hashes ({@code tokenSha256}) are replaced by {@value #OMITTED}, and so are passwords in URLs (user info and
 * {@code password=} parameters); files that hold secrets are shown by path only (their content is never read here).
 */
final class EffectiveConfig {

    static final String OMITTED = "<omitted>";
    private static final Set<String> SECRET_KEYS = Set.of("tokenSha256");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@?#]+@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:password|passwd|pwd|token)=)[^&;]*");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .registerModule(new SimpleModule()
                    .addSerializer(Duration.class, new ToStringSerializerBase(Duration.class) {
                        @Override
                        public String valueToString(Object value) {
                            return Durations.format((Duration) value);
                        }
                    })
                    .addSerializer(Path.class, new ToStringSerializerBase(Path.class) {
                        @Override
                        public String valueToString(Object value) {
                            return value.toString();
                        }
                    }))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private EffectiveConfig() {}

    /** The configuration record as YAML, secrets omitted. */
    static String yaml(Object config) {
        JsonNode tree = YAML.valueToTree(config);
        omitSecrets(tree);
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration as YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static void omitSecrets(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (SECRET_KEYS.contains(field.getKey()) && !field.getValue().isNull()) {
                    field.setValue(TextNode.valueOf(OMITTED));
                } else if (field.getValue().isTextual()) {
                    field.setValue(
                            TextNode.valueOf(withoutUrlSecrets(field.getValue().asText())));
                } else {
                    omitSecrets(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(withoutUrlSecrets(array.get(i).asText())));
                } else {
                    omitSecrets(array.get(i));
                }
            }
        }
    }

    /**
     * A URL's user info (which may be a token: {@code https://TOKEN@host}; an SSH URL's user is kept) and password
     * parameters replaced by {@value #OMITTED}; any other text unchanged.
     */
    static String withoutUrlSecrets(String text) {
        if (!text.contains("://")) {
            return text;
        }
        String out =
                text.startsWith("ssh://") ? text : URL_USER_INFO.matcher(text).replaceFirst(OMITTED + "@");
        return PASSWORD_PARAM.matcher(out).replaceAll("$1" + OMITTED);
    }
}
