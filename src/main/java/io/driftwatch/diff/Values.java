package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Value-level helpers: emptiness, pruning, numeric and quantity equality, canonical scalar text. */
final class Values {

    private Values() {}

    /** Null, missing, an empty object or an empty array. */
    static boolean isEmpty(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || (node.isContainerNode() && node.size() == 0);
    }

    /** Empty, or a zero scalar (false, 0, "") that the API server omits when serialising. */
    static boolean isEmptyOrZero(JsonNode node) {
        if (isEmpty(node)) {
            return true;
        }
        if (node.isBoolean()) {
            return !node.booleanValue();
        }
        if (node.isNumber()) {
            return node.decimalValue().signum() == 0;
        }
        return node.isTextual() && node.textValue().isEmpty();
    }

    /** Removes nulls, and objects and arrays that are empty (after pruning their children), in place. */
    static void prune(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            while (it.hasNext()) {
                JsonNode child = it.next().getValue();
                prune(child);
                if (isEmpty(child)) {
                    it.remove();
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode child = array.get(i);
                prune(child);
                if (child.isNull()) {
                    array.remove(i);
                }
            }
        }
    }

    /** Whether {@link #prune} would change {@code node}: it holds a null, or an empty object or array as a field value. */
    static boolean needsPruning(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            while (it.hasNext()) {
                JsonNode child = it.next().getValue();
                if (isEmpty(child) || needsPruning(child)) {
                    return true;
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode child : array) {
                if (child.isNull() || needsPruning(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Scalars equal by value: numbers by numeric value, and quantities when {@code quantity} and both parse. */
    static boolean scalarEquals(JsonNode desired, JsonNode live, boolean quantity) {
        if (desired.isNumber() && live.isNumber()) {
            return sameNumber(desired, live);
        }
        if (desired.equals(live)) {
            return true;
        }
        if (quantity && isQuantityLike(desired) && isQuantityLike(live)) {
            BigDecimal a = quantityValue(desired.asText());
            BigDecimal b = quantityValue(live.asText());
            return a != null && b != null && a.compareTo(b) == 0;
        }
        return false;
    }

    private static boolean isQuantityLike(JsonNode node) {
        return node.isNumber() || node.isTextual();
    }

    /** The numeric value of a Kubernetes quantity ("500m" → 0.5, "1Gi" → 1073741824), or null when it is not one. */
    static BigDecimal quantityValue(String text) {
        String s = text.trim();
        if (s.isEmpty()
                || !(Character.isDigit(s.charAt(0))
                        || s.charAt(0) == '.'
                        || s.charAt(0) == '+'
                        || s.charAt(0) == '-')) {
            return null;
        }
        try {
            return Quantity.getAmountInBytes(Quantity.parse(s));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Canonical text of a scalar, so that 80 and 80.0 agree; strings and others keep a type prefix. */
    static String canonical(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isNumber()) {
            return "n:" + node.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (node.isTextual()) {
            return "s:" + node.textValue();
        }
        if (node.isBoolean()) {
            return "b:" + node.booleanValue();
        }
        return "j:" + node;
    }

    /** Whether every key field of {@code element} (or its default) equals the wanted key values. */
    static boolean keyMatches(JsonNode element, Map<String, JsonNode> key, Map<String, JsonNode> defaults) {
        for (Map.Entry<String, JsonNode> k : key.entrySet()) {
            JsonNode v = element.get(k.getKey());
            if (v == null || v.isNull()) {
                v = defaults.get(k.getKey());
            }
            if (v == null || !sameScalar(v, k.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** {@code canonical(a).equals(canonical(b))}, without building the strings for texts and numbers. */
    static boolean sameScalar(JsonNode a, JsonNode b) {
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().equals(b.textValue());
        }
        if (a.isNumber() && b.isNumber()) {
            return sameNumber(a, b);
        }
        return canonical(a).equals(canonical(b));
    }

    /** Numbers equal by value ({@code 80} and {@code 80.0}); integers without going through BigDecimal. */
    private static boolean sameNumber(JsonNode a, JsonNode b) {
        if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()) {
            return a.longValue() == b.longValue();
        }
        return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
