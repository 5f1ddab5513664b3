package io.driftwatch.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One audit post as the API server's webhook backend sends it: {@code Authorization: Bearer <token>} (compared in
 * constant time; never logged) and an {@code EventList} body. Kept writes go into the index.
 */
public final class AuditIngest {

    private final byte[] token;
    private final AuditEvents events;
    private final AuditIndex index;

    public AuditIngest(byte[] token, AuditEvents events, AuditIndex index) {
        this.token = token.clone();
        this.events = events;
        this.index = index;
    }

    /** The token of a file, without surrounding white space; an empty file is an error naming the file. */
    public static byte[] readToken(Path file) throws IOException {
        String t = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (t.isEmpty()) {
            throw new IOException("audit.tokenFile " + file + " is empty");
        }
        return t.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param result {@code accepted}, {@code unauthenticated} or {@code malformed} (the metric label)
     * @param added the writes new to the index
     */
    public record Outcome(int status, String result, String message, List<AuditWrite> added, int ignored) {}

    public Outcome post(String authorization, byte[] body) {
        if (!authenticated(authorization)) {
            return new Outcome(401, "unauthenticated", "missing or wrong bearer token", List.of(), 0);
        }
        AuditEvents.Batch batch;
        try {
            batch = events.parseList(body);
        } catch (AuditEvents.MalformedAuditException e) {
            return new Outcome(400, "malformed", "not an audit.k8s.io/v1 EventList: " + e.getMessage(), List.of(), 0);
        }
        List<AuditWrite> added = new ArrayList<>();
        for (AuditWrite w : batch.writes()) {
            if (index.add(w)) {
                added.add(w);
            }
        }
        return new Outcome(
                200,
                "accepted",
                batch.writes().size() + " writes kept, " + batch.ignored() + " events ignored",
                added,
                batch.ignored());
    }

    private boolean authenticated(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token);
    }
}
