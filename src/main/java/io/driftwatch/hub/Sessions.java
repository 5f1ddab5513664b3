package io.driftwatch.hub;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Console sessions in memory: a random 256-bit id (the cookie's value) → the principal that signed in, when the
 * session ends and, for an OpenID Connect sign-in, the provider's ID token (kept here for the {@code id_token_hint} of
 * the sign-out at the provider; never sent to the page or put in a cookie). The id is only ever compared as a map key of a value an attacker cannot guess; it is never logged. At
 * most {@link #MAX} sessions are kept; expired ones are dropped when a new one is made. A hub restart signs everyone
 * out (sessions are not in the database: no migration, nothing secret at rest).
 */
final class Sessions {

    static final int MAX = 10_000;

    private record Session(Principal principal, String idToken, long expiresMs) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long ttlMs;
    private final LongSupplier clock;

    Sessions(long ttlMs, LongSupplier clock) {
        this.ttlMs = ttlMs;
        this.clock = clock;
    }

    /** A new session for {@code principal}: its id, or empty when {@link #MAX} live sessions exist. */
    Optional<String> create(Principal principal) {
        return create(principal, null);
    }

    /** A new session holding the provider's {@code idToken} (null when not signed in through a provider). */
    Optional<String> create(Principal principal, String idToken) {
        long now = clock.getAsLong();
        if (sessions.size() >= MAX) {
            sessions.values().removeIf(s -> s.expiresMs() <= now);
            if (sessions.size() >= MAX) {
                return Optional.empty();
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(principal, idToken, now + ttlMs));
        return Optional.of(id);
    }

    Optional<Principal> get(String id) {
        if (id == null || id.length() != 43) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (s.expiresMs() <= clock.getAsLong()) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s.principal());
    }

    /**
     * Ends the session {@code id}: the provider's ID token it held, if it was signed in through a provider and had not
     * expired yet (for signing out at the provider too); empty otherwise.
     */
    Optional<String> remove(String id) {
        Session s = id == null ? null : sessions.remove(id);
        if (s == null || s.expiresMs() <= clock.getAsLong()) {
            return Optional.empty();
        }
        return Optional.ofNullable(s.idToken());
    }

    long ttlSeconds() {
        return ttlMs / 1000;
    }

    int size() {
        return sessions.size();
    }
}
