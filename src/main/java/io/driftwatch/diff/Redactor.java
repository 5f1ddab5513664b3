package io.driftwatch.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces Secret values by a keyed hash, {@code redacted:sha256:<12 hex>} (HMAC-SHA256): equal values stay equal and
 * different ones stay different, but nothing of the value is printed. {@code data} values are hashed on their decoded
 * bytes and {@code stringData} values on their UTF-8 bytes, so a value given either way redacts the same.
 */
public final class Redactor {

    public static final String PREFIX = "redacted:sha256:";
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final SecretKeySpec key;

    /** @param key HMAC key; null or empty = a random key (stable for this instance only) */
    public Redactor(byte[] key) {
        byte[] k = key;
        if (k == null || k.length == 0) {
            k = new byte[32];
            new SecureRandom().nextBytes(k);
        }
        this.key = new SecretKeySpec(k.clone(), "HmacSHA256");
    }

    public static boolean isSecret(JsonNode object) {
        return object != null
                && "Secret".equals(object.path("kind").asText())
                && "v1".equals(object.path("apiVersion").asText("v1"));
    }

    /** A copy of {@code object} with every Secret value redacted; other kinds are returned unchanged. */
    public JsonNode redact(JsonNode object) {
        if (!isSecret(object) || !object.isObject()) {
            return object;
        }
        ObjectNode copy = ((ObjectNode) object).deepCopy();
        for (String field : new String[] {"data", "stringData"}) {
            JsonNode map = copy.get(field);
            if (map != null && !map.isNull() && !map.isObject()) {
                copy.put(field, redactValue(map.toString()));
            } else {
                redactMap(map, "data".equals(field));
            }
        }
        JsonNode annotations = copy.path("metadata").path("annotations");
        if (annotations instanceof ObjectNode a && a.has(LAST_APPLIED)) {
            a.put(LAST_APPLIED, "redacted");
        }
        return copy;
    }

    /** Redacts a plain value. */
    public String redactValue(String value) {
        return hash(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Redacts a base64 {@code data} value by its decoded bytes (by its text when not valid base64). */
    public String redactDataValue(String base64) {
        try {
            return hash(Base64.getMimeDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return redactValue(base64);
        }
    }

    /**
     * Redacts a value found at {@code path} in a Secret: the whole {@code data}/{@code stringData} map or one entry.
     * Anything else is returned unchanged.
     */
    JsonNode redactAt(FieldPath path, JsonNode value) {
        if (value == null
                || path.size() == 0
                || !(path.segments().get(0) instanceof FieldPath.FieldSeg f)
                || !("data".equals(f.name()) || "stringData".equals(f.name()))) {
            return value;
        }
        boolean base64 = "data".equals(f.name());
        if (path.size() == 1) {
            if (!value.isObject()) {
                return TextNode.valueOf(redactValue(value.toString()));
            }
            JsonNode copy = value.deepCopy();
            redactMap(copy, base64);
            return copy;
        }
        String text = value.isTextual() ? value.textValue() : value.toString();
        return TextNode.valueOf(base64 ? redactDataValue(text) : redactValue(text));
    }

    private void redactMap(JsonNode map, boolean base64) {
        if (map instanceof ObjectNode object) {
            for (String name : Values.fieldNames(object)) {
                JsonNode v = object.get(name);
                String text = v.isTextual() ? v.textValue() : v.toString();
                object.put(name, base64 ? redactDataValue(text) : redactValue(text));
            }
        }
    }

    private String hash(byte[] bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(bytes)).substring(0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
