package io.driftwatch.source.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Values as helm-controller holds them (pure): a {@code valuesFrom} document read as Helm's {@code ReadValues} reads it
 * ({@code sigs.k8s.io/yaml}: go-yaml v2's YAML 1.1 resolution of plain scalars — {@code yes}/{@code on} are booleans,
 * {@code 017} is octal, {@code 1_000} a number, timestamps stay strings; {@code <<} merge keys; non-string keys turned
 * into strings; then a JSON round trip, so every number is a float64), and {@code spec.values} read as
 * {@code encoding/json} reads it (every number a float64). Numbers come out as double nodes, which is what
 * {@link ValuesDigest} takes for Go's float64.
 */
final class GoValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Tag PLAIN = new Tag("!driftwatch-plain");
    private static final int MAX_DEPTH = 1000;

    private GoValues() {}

    /**
     * A values document; null when it holds no values (empty, or only {@code null}).
     *
     * @throws IllegalArgumentException naming what helm-controller would refuse (not YAML, not a map, a key or value
     *     JSON cannot hold)
     */
    static ObjectNode readDocument(String text) {
        Node root;
        try {
            Iterator<Node> documents = yaml().composeAll(new StringReader(text)).iterator();
            root = documents.hasNext() ? documents.next() : null;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
        JsonNode value = root == null ? null : convert(root, 0);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("not a YAML map of values");
        }
        return (ObjectNode) value;
    }

    /** {@code spec.values} as encoding/json decodes it: every number a float64. */
    static JsonNode fromJson(JsonNode json) {
        if (json.isObject()) {
            ObjectNode out = NODES.objectNode();
            json.fields().forEachRemaining(e -> out.set(e.getKey(), fromJson(e.getValue())));
            return out;
        }
        if (json.isArray()) {
            ArrayNode out = NODES.arrayNode();
            json.forEach(item -> out.add(fromJson(item)));
            return out;
        }
        if (json.isNumber()) {
            return NODES.numberNode(json.isDouble() ? json.doubleValue() : Double.parseDouble(json.asText()));
        }
        return json.deepCopy();
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new PlainResolver());
    }

    /** Marks every plain untagged scalar, so it is resolved the way go-yaml v2 does, not SnakeYAML's way. */
    private static final class PlainResolver extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            return kind == NodeId.scalar && implicit ? PLAIN : super.resolve(kind, value, implicit);
        }
    }

    private static JsonNode convert(Node node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " (a recursive alias?)");
        }
        if (node instanceof MappingNode mapping) {
            ObjectNode out = NODES.objectNode();
            mergeInto(out, mapping, depth);
            return out;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode out = NODES.arrayNode();
            for (Node item : sequence.getValue()) {
                out.add(convert(item, depth + 1));
            }
            return out;
        }
        ScalarNode scalar = (ScalarNode) node;
        GoYamlScalars.Resolved resolved = resolved(scalar);
        return switch (resolved.kind()) {
            case NULL -> NODES.nullNode();
            case BOOL -> NODES.booleanNode((Boolean) resolved.value());
            case INT -> NODES.numberNode(new BigDecimal((BigInteger) resolved.value()).doubleValue());
            case FLOAT -> {
                double f = (Double) resolved.value();
                if (Double.isNaN(f) || Double.isInfinite(f)) {
                    throw new IllegalArgumentException("'" + scalar.getValue() + "' is " + GoYamlScalars.formatFloat(f)
                            + ", which JSON cannot hold (Helm refuses it)");
                }
                yield NODES.numberNode(f);
            }
            default -> NODES.textNode(scalar.getValue());
        };
    }

    private static GoYamlScalars.Resolved resolved(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        if (tag.equals(PLAIN)
                || tag.equals(Tag.INT)
                || tag.equals(Tag.FLOAT)
                || tag.equals(Tag.BOOL)
                || tag.equals(Tag.NULL)) {
            return GoYamlScalars.resolve(scalar.getValue());
        }
        return new GoYamlScalars.Resolved(GoYamlScalars.Kind.STRING, scalar.getValue());
    }

    /** A mapping's pairs into {@code out} in order (later ones win), {@code <<} merging as go-yaml v2 does. */
    private static void mergeInto(ObjectNode out, MappingNode mapping, int depth) {
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            Node value = tuple.getValueNode();
            if (key instanceof ScalarNode k
                    && k.getTag().equals(PLAIN)
                    && k.getValue().equals("<<")) {
                merge(out, value, depth);
                continue;
            }
            out.set(key(key), convert(value, depth + 1));
        }
    }

    private static void merge(ObjectNode out, Node value, int depth) {
        if (value instanceof MappingNode mapping) {
            mergeInto(out, mapping, depth + 1);
        } else if (value instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            for (int i = items.size() - 1; i >= 0; i--) {
                if (!(items.get(i) instanceof MappingNode mapping)) {
                    throw new IllegalArgumentException("map merge requires map or sequence of maps as the value");
                }
                mergeInto(out, mapping, depth + 1);
            }
        } else {
            throw new IllegalArgumentException("map merge requires map or sequence of maps as the value");
        }
    }

    /** A key as sigs.k8s.io/yaml turns it into a JSON object's key. */
    private static String key(Node key) {
        if (!(key instanceof ScalarNode scalar)) {
            throw new IllegalArgumentException("a map key that is a " + key.getNodeId() + " (JSON keys are strings)");
        }
        GoYamlScalars.Resolved resolved = resolved(scalar);
        return switch (resolved.kind()) {
            case BOOL -> resolved.value().toString();
            case INT -> {
                BigInteger i = (BigInteger) resolved.value();
                if (i.bitLength() > 63) {
                    throw new IllegalArgumentException("unsupported map key " + scalar.getValue() + " (uint64)");
                }
                yield i.toString();
            }
            case FLOAT -> formatFloat32((Double) resolved.value());
            case NULL -> throw new IllegalArgumentException("unsupported map key: null ('" + scalar.getValue() + "')");
            default -> scalar.getValue();
        };
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 32)} as sigs.k8s.io/yaml writes a float key. */
    static String formatFloat32(double f) {
        float v = (float) f;
        if (Float.isNaN(v)) {
            return ".nan";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? ".inf" : "-.inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        float abs = Math.abs(v);
        BigDecimal best = GoYamlScalars.shortest(new BigDecimal(abs), 9, d -> Float.parseFloat(d.toString()) == abs);
        return GoYamlScalars.formatDecimal(v < 0, best);
    }
}
