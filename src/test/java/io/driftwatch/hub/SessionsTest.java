package io.driftwatch.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private static final Principal READER = new Principal(Principal.Role.READER, "alice", Map.of("team", "a"));

    @Test
    void aSessionResolvesToItsPrincipalUntilItExpiresOrIsRemoved() {
        AtomicLong now = new AtomicLong(1_000);
        Sessions sessions = new Sessions(60_000, now::get);
        String id = sessions.create(READER).orElseThrow();
        assertThat(id).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(sessions.get(id)).contains(READER);
        assertThat(sessions.get(id.substring(1) + "x")).isEmpty();
        assertThat(sessions.get(null)).isEmpty();
        now.addAndGet(60_000);
        assertThat(sessions.get(id)).isEmpty();
        String other = sessions.create(READER).orElseThrow();
        sessions.remove(other);
        assertThat(sessions.get(other)).isEmpty();
    }

    @Test
    void idsAreUniqueAndTheNumberOfLiveSessionsIsBounded() {
        AtomicLong now = new AtomicLong(0);
        Sessions sessions = new Sessions(1_000, now::get);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < Sessions.MAX; i++) {
            ids.add(sessions.create(READER).orElseThrow());
        }
        assertThat(ids).hasSize(Sessions.MAX);
        assertThat(sessions.create(READER)).isEmpty();
        now.set(1_000); // all expired: room again
        assertThat(sessions.create(READER)).isPresent();
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void endingASessionAnswersTheProvidersIdTokenOnceAndOnlyWhileTheSessionLasted() {
        AtomicLong now = new AtomicLong(0);
        Sessions sessions = new Sessions(60_000, now::get);
        String oidc = sessions.create(READER, "eyJ.header.sig").orElseThrow();
        String token = sessions.create(READER).orElseThrow();
        String expired = sessions.create(READER, "eyJ.old.sig").orElseThrow();

        assertThat(sessions.get(oidc)).contains(READER); // the principal, never the token
        assertThat(sessions.remove(oidc)).contains("eyJ.header.sig");
        assertThat(sessions.remove(oidc)).isEmpty(); // once
        assertThat(sessions.remove(token)).isEmpty(); // a read-token session has none
        assertThat(sessions.remove(null)).isEmpty();
        now.set(60_000);
        assertThat(sessions.remove(expired)).isEmpty(); // an expired session signs out of nothing
        assertThat(sessions.size()).isZero();
    }
}
