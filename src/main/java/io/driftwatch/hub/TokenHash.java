package io.driftwatch.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a bearer token, as the hub configuration stores it; the token itself is never kept or logged. */
public final class TokenHash {

    private TokenHash() {}

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes, surrounding whitespace (a trailing newline) removed. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token.strip()));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
