package io.driftwatch.hub;

import io.driftwatch.config.HubConfig;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a presented bearer token to its principal by hashing it and comparing the hash with every configured hash
 * in constant time (no early exit, no map lookup whose timing depends on the token).
 */
public final class Tokens {

    private record Entry(byte[] hash, Principal principal) {}

    private final List<Entry> entries = new ArrayList<>();

    public Tokens(HubConfig config) {
        config.clusters().forEach(c -> add(c.tokenSha256(), new Principal(Principal.Role.CLUSTER, c.name())));
        config.readTokens()
                .forEach(r -> add(r.tokenSha256(), new Principal(Principal.Role.READER, r.name(), r.clusterLabels())));
    }

    private void add(String hex, Principal principal) {
        entries.add(new Entry(HexFormat.of().parseHex(hex), principal));
    }

    /** The principal for an {@code Authorization} header value, or empty when missing, malformed or unknown. */
    public Optional<Principal> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorizationHeader.substring(7).strip();
        if (token.isEmpty() || token.length() > 4096) {
            return Optional.empty();
        }
        byte[] presented = TokenHash.sha256(token);
        Principal found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(presented, e.hash()) && found == null) {
                found = e.principal();
            }
        }
        return Optional.ofNullable(found);
    }
}
