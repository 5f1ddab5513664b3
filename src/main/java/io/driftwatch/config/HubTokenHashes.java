package io.driftwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The token hashes of the hub's {@code clusters[]} and {@code readTokens[]}: read from {@code tokenSha256File} (a
 * mounted Secret) when given, and refused while they are a placeholder or the SHA-256 of a well-known word, so a hub
 * installed from examples never accepts a guessable token.
 */
final class HubTokenHashes {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** What documentation and examples put where a hash belongs (REPLACE-ME, CHANGE_ME, {@code <...>}, TODO). */
    private static final Pattern PLACEHOLDER =
            Pattern.compile("(?i).*(replace|change[-_ ]?me|todo|fixme|placeholder|<[^>]*>|x{6,}).*");

    private static final List<String> WELL_KNOWN = List.of(
            "",
            "secret",
            "test",
            "password",
            "changeme",
            "admin",
            "token",
            "driftwatch",
            "example",
            "hub",
            "agent",
            "reader",
            "grafana",
            "123456",
            "letmein",
            "default");
    private static final Map<String, String> WELL_KNOWN_HASHES = wellKnownHashes();
    private static final Set<String> ENTRY_LISTS = Set.of("clusters", "readTokens");

    private HubTokenHashes() {}

    /**
     * Replaces every {@code tokenSha256File: PATH} in {@code clusters[]} and {@code readTokens[]} by
     * {@code tokenSha256: <the file's content>}; a missing or unreadable file, or both keys set, is a problem.
     */
    static void readFiles(ObjectNode tree, List<String> problems) {
        for (String list : ENTRY_LISTS) {
            JsonNode entries = tree.path(list);
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i) instanceof ObjectNode entry && entry.has("tokenSha256File")) {
                    readFile(list + "[" + i + "]", entry, problems);
                }
            }
        }
    }

    private static void readFile(String at, ObjectNode entry, List<String> problems) {
        JsonNode file = entry.remove("tokenSha256File");
        if (entry.has("tokenSha256")) {
            problems.add(at + ": set tokenSha256 or tokenSha256File, not both");
            return;
        }
        Path path = Path.of(file.asText());
        if (!file.isTextual() || !Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(at + ".tokenSha256File: " + file.asText() + " is not a readable file (a key of the Secret "
                    + "holding the token hashes?)");
            return;
        }
        try {
            entry.put(
                    "tokenSha256",
                    Files.readString(path, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            problems.add(at + ".tokenSha256File: cannot read " + path + ": " + e.getMessage());
        }
    }

    /** Adds a problem naming {@code at} when the hash is malformed, a placeholder, guessable or used twice. */
    static void check(String at, String hash, Set<String> seen, List<String> problems) {
        String how = "make a random token (openssl rand -hex 32 > FILE) and put the output of "
                + "'driftwatch hub hash-token --token-file FILE' here";
        if (hash != null && PLACEHOLDER.matcher(hash).matches()) {
            problems.add(at + ".tokenSha256: '" + hash + "' is a placeholder, not a token hash; " + how);
        } else if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
            problems.add(at + ".tokenSha256: must be 64 lower-case hex digits (" + how + ")");
        } else if (WELL_KNOWN_HASHES.containsKey(hash)) {
            problems.add(at + ".tokenSha256: is the SHA-256 of the well-known word '" + WELL_KNOWN_HASHES.get(hash)
                    + "', a token anyone can guess; " + how);
        } else if (!seen.add(hash)) {
            problems.add(at + ".tokenSha256: the same token is used by another entry; every token must be unique");
        }
    }

    private static Map<String, String> wellKnownHashes() {
        Map<String, String> hashes = new LinkedHashMap<>();
        try {
            for (String word : WELL_KNOWN) {
                for (String variant : new LinkedHashSet<>(List.of(word, word.toUpperCase(Locale.ROOT)))) {
                    byte[] digest =
                            MessageDigest.getInstance("SHA-256").digest(variant.getBytes(StandardCharsets.UTF_8));
                    hashes.put(HexFormat.of().formatHex(digest), variant);
                }
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        return Map.copyOf(hashes);
    }
}
