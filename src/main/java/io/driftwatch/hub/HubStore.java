package io.driftwatch.hub;

import io.driftwatch.hub.Protocol.DriftState;
import io.driftwatch.hub.Protocol.Event;
import io.driftwatch.hub.StoreModel.ClusterRow;
import io.driftwatch.hub.StoreModel.DriftQuery;
import io.driftwatch.hub.StoreModel.DriftRow;
import io.driftwatch.hub.StoreModel.DriftSeries;
import io.driftwatch.hub.StoreModel.EventRow;
import io.driftwatch.hub.StoreModel.HistoryQuery;
import io.driftwatch.hub.StoreModel.IngestResult;
import io.driftwatch.hub.StoreModel.OpenCount;
import io.driftwatch.hub.StoreModel.Page;
import io.driftwatch.hub.StoreModel.SnapshotResult;
import io.driftwatch.hub.StoreModel.Stats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The hub's state and history in SQL that runs unchanged on SQLite and PostgreSQL. Every write locks its cluster's
 * row first (an {@code UPDATE}), so concurrent pushes for one cluster — even through two hub replicas — apply one
 * after the other; duplicates are recognised by (cluster, stream, seq) and change nothing. Blocking: callers run it on
 * the hub's database pool.
 */
final class HubStore {

    private static final String EVENT_COLUMNS = "id, cluster, stream, seq, type, drift_id, namespace, kind, name, app, "
            + "drift_type, summary, onset_ms, last_seen_ms, resolved_at_ms, received_ms, drift";
    private static final String DRIFT_COLUMNS =
            "cluster, drift_id, namespace, kind, name, app, type, summary, " + "onset_ms, last_seen_ms, drift, cause";
    private static final int PRUNE_CHUNK = 5000;

    private final Database db;
    private final DataSource ds;
    private final Clock clock;
    private final ReentrantLock sqliteWriter = new ReentrantLock(true);

    HubStore(Database db, Clock clock) {
        this.db = db;
        this.ds = db.dataSource();
        this.clock = clock;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    // ---- writes ---------------------------------------------------------------------------------------------------

    IngestResult ingest(String cluster, Protocol.EventBatch batch) throws SQLException {
        return write(c -> {
            StreamCursor cursor = lockCluster(c, cluster);
            Set<Long> existing = existingSeqs(
                    c, cluster, batch.stream(), batch.events().get(0).seq(), batch.lastSeq());
            List<Event> fresh = batch.events().stream()
                    .filter(e -> !existing.contains(e.seq()))
                    .toList();
            boolean wantSnapshot = cursor.stream() == null || !cursor.stream().equals(batch.stream());
            if (!fresh.isEmpty()) {
                insertEvents(c, cluster, batch.stream(), fresh, allocateIds(c, fresh.size()) - fresh.size() + 1);
                Map<String, Event> net = new LinkedHashMap<>();
                for (Event e : fresh) {
                    wantSnapshot |= cursor.wantsSnapshot(batch.stream(), e.seq());
                    if (cursor.forEvent(batch.stream(), e.seq()) == StreamCursor.EventDecision.APPLY) {
                        net.put(e.drift().driftId(), e);
                        cursor = cursor.stream() == null
                                ? new StreamCursor(batch.stream(), e.seq(), 0)
                                : cursor.advancedTo(e.seq());
                    }
                }
                applyToState(c, cluster, net.values());
                saveCursor(c, cluster, cursor);
            }
            return new IngestResult(batch.lastSeq(), fresh, batch.events().size() - fresh.size(), wantSnapshot);
        });
    }

    SnapshotResult snapshot(String cluster, Protocol.Snapshot s) throws SQLException {
        return write(c -> {
            StreamCursor cursor = lockCluster(c, cluster);
            long takenMs = s.takenAt().toEpochMilli();
            if (!cursor.snapshotReplaces(s.stream(), s.seq(), takenMs)) {
                return new SnapshotResult(s.seq(), false, s.drifts().size(), 0);
            }
            for (String table : List.of("open_drifts", "open_drift_actors")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE cluster = ?")) {
                    ps.setString(1, cluster);
                    ps.executeUpdate();
                }
            }
            upsertDrifts(c, cluster, s.drifts());
            StreamCursor next = new StreamCursor(s.stream(), s.seq(), takenMs);
            List<Event> later = eventsAfter(c, cluster, s.stream(), s.seq());
            Map<String, Event> net = new LinkedHashMap<>();
            for (Event e : later) {
                net.put(e.drift().driftId(), e);
                next = next.advancedTo(e.seq());
            }
            applyToState(c, cluster, net.values());
            saveCursor(c, cluster, next);
            return new SnapshotResult(s.seq(), true, s.drifts().size(), later.size());
        });
    }

    void heartbeat(String cluster, Protocol.Heartbeat hb, String labelsJson, String sourcesJson) throws SQLException {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO clusters (name, agent_id, version, labels, "
                    + "sources, last_seen_ms, state_seq, snapshot_ms) VALUES (?, ?, ?, ?, ?, ?, 0, 0) "
                    + "ON CONFLICT (name) DO UPDATE SET agent_id = excluded.agent_id, version = excluded.version, "
                    + "labels = excluded.labels, sources = excluded.sources, last_seen_ms = excluded.last_seen_ms")) {
                ps.setString(1, cluster);
                ps.setString(2, hb.agentId());
                ps.setString(3, hb.version());
                ps.setString(4, labelsJson);
                ps.setString(5, sourcesJson);
                ps.setLong(6, clock.millis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Deletes history received before {@code cutoffMs}, in chunks so no transaction holds locks for long. */
    long prune(long cutoffMs) throws SQLException {
        long total = 0;
        while (true) {
            int deleted = write(c -> {
                int n;
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE id IN (SELECT id FROM events "
                        + "WHERE received_ms < ? ORDER BY id LIMIT " + PRUNE_CHUNK + ")")) {
                    ps.setLong(1, cutoffMs);
                    n = ps.executeUpdate();
                }
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE counters SET value = value + ? WHERE name = 'pruned'")) {
                    ps.setLong(1, n);
                    ps.executeUpdate();
                }
                return n;
            });
            total += deleted;
            if (deleted < PRUNE_CHUNK) {
                return total;
            }
        }
    }

    private StreamCursor lockCluster(Connection c, String cluster) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clusters (name, labels, sources, state_seq, "
                + "snapshot_ms) VALUES (?, '{}', '{}', 0, 0) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, cluster);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE clusters SET last_seen_ms = ? WHERE name = ?")) {
            ps.setLong(1, clock.millis());
            ps.setString(2, cluster);
            ps.executeUpdate(); // holds the cluster's row lock until commit
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT stream, state_seq, snapshot_ms FROM clusters WHERE name = ?")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString("stream") == null
                        ? StreamCursor.NONE
                        : new StreamCursor(rs.getString("stream"), rs.getLong("state_seq"), rs.getLong("snapshot_ms"));
            }
        }
    }

    private static void saveCursor(Connection c, String cluster, StreamCursor cursor) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE clusters SET stream = ?, state_seq = ?, snapshot_ms = ? WHERE name = ?")) {
            ps.setString(1, cursor.stream());
            ps.setLong(2, cursor.seq());
            ps.setLong(3, cursor.snapshotTakenMs());
            ps.setString(4, cluster);
            ps.executeUpdate();
        }
    }

    private static Set<Long> existingSeqs(Connection c, String cluster, String stream, long from, long to)
            throws SQLException {
        Set<Long> seqs = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT seq FROM events WHERE cluster = ? AND stream = ? AND seq BETWEEN ? AND ?")) {
            ps.setString(1, cluster);
            ps.setString(2, stream);
            ps.setLong(3, from);
            ps.setLong(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong("seq"));
                }
            }
        }
        return seqs;
    }

    /** Reserves {@code n} fleet-wide event ids; the counter row stays locked until commit, so ids commit in order. */
    private static long allocateIds(Connection c, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE counters SET value = value + ? WHERE name = 'events'")) {
            ps.setLong(1, n);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM counters WHERE name = 'events'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong("value");
        }
    }

    private void insertEvents(Connection c, String cluster, String stream, List<Event> events, long firstId)
            throws SQLException {
        long now = clock.millis();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (" + EVENT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            long id = firstId;
            for (Event e : events) {
                DriftState d = e.drift();
                ps.setLong(1, id++);
                ps.setString(2, cluster);
                ps.setString(3, stream);
                ps.setLong(4, e.seq());
                ps.setString(5, e.type());
                ps.setString(6, d.driftId());
                ps.setString(7, d.namespace());
                ps.setString(8, d.kind());
                ps.setString(9, d.name());
                ps.setString(10, d.app());
                ps.setString(11, d.type());
                ps.setString(12, d.summary());
                ps.setLong(13, d.onset().toEpochMilli());
                ps.setLong(14, d.lastSeen().toEpochMilli());
                if (e.resolvedAt() == null) {
                    ps.setNull(15, Types.BIGINT);
                } else {
                    ps.setLong(15, e.resolvedAt().toEpochMilli());
                }
                ps.setLong(16, now);
                ps.setString(17, d.driftJson());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The net effect of events on the open drifts: the last event per drift decides whether it is open. */
    private static void applyToState(Connection c, String cluster, Collection<Event> net) throws SQLException {
        List<DriftState> open = new ArrayList<>();
        List<String> resolved = new ArrayList<>();
        for (Event e : net) {
            if (e.type().equals("resolved")) {
                resolved.add(e.drift().driftId());
            } else {
                open.add(e.drift());
            }
        }
        upsertDrifts(c, cluster, open);
        if (!resolved.isEmpty()) {
            delete(c, "open_drift_actors", cluster, resolved);
            delete(c, "open_drifts", cluster, resolved);
        }
    }

    /** Deletes the rows of these drifts from {@code table} (open_drifts, or open_drift_actors). */
    private static void delete(Connection c, String table, String cluster, List<String> driftIds) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + table + " WHERE cluster = ? AND drift_id = ?")) {
            for (String id : driftIds) {
                ps.setString(1, cluster);
                ps.setString(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The actors of these drifts as they are now (each drift's rows replaced). */
    private static void replaceActors(Connection c, String cluster, List<DriftState> drifts) throws SQLException {
        delete(
                c,
                "open_drift_actors",
                cluster,
                drifts.stream().map(DriftState::driftId).toList());
        if (drifts.stream().allMatch(d -> d.actors().isEmpty())) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO open_drift_actors (cluster, drift_id, username) VALUES (?, ?, ?)")) {
            for (DriftState d : drifts) {
                for (String actor : d.actors()) {
                    ps.setString(1, cluster);
                    ps.setString(2, d.driftId());
                    ps.setString(3, actor);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void upsertDrifts(Connection c, String cluster, List<DriftState> drifts) throws SQLException {
        if (drifts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO open_drifts (" + DRIFT_COLUMNS
                + ", manager) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster, drift_id) DO UPDATE SET "
                + "namespace = excluded.namespace, kind = excluded.kind, name = excluded.name, app = excluded.app, "
                + "type = excluded.type, summary = excluded.summary, onset_ms = excluded.onset_ms, "
                + "last_seen_ms = excluded.last_seen_ms, drift = excluded.drift, cause = excluded.cause, "
                + "manager = excluded.manager")) {
            for (DriftState d : drifts) {
                ps.setString(1, cluster);
                ps.setString(2, d.driftId());
                ps.setString(3, d.namespace());
                ps.setString(4, d.kind());
                ps.setString(5, d.name());
                ps.setString(6, d.app());
                ps.setString(7, d.type());
                ps.setString(8, d.summary());
                ps.setLong(9, d.onset().toEpochMilli());
                ps.setLong(10, d.lastSeen().toEpochMilli());
                ps.setString(11, d.driftJson());
                ps.setString(12, d.cause());
                ps.setString(13, d.manager());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        replaceActors(c, cluster, drifts);
    }

    private static List<Event> eventsAfter(Connection c, String cluster, String stream, long seq) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + EVENT_COLUMNS + " FROM events WHERE cluster = ? AND stream = ? AND seq > ? ORDER BY seq")) {
            ps.setString(1, cluster);
            ps.setString(2, stream);
            ps.setLong(3, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EventRow r = eventRow(rs);
                    out.add(new Event(
                            r.seq(),
                            r.type(),
                            r.resolvedAtMs() == null ? null : Instant.ofEpochMilli(r.resolvedAtMs()),
                            new DriftState(
                                    r.driftId(),
                                    r.namespace(),
                                    r.kind(),
                                    r.name(),
                                    r.app(),
                                    r.driftType(),
                                    r.summary(),
                                    Instant.ofEpochMilli(r.onsetMs()),
                                    Instant.ofEpochMilli(r.lastSeenMs()),
                                    r.driftJson(),
                                    Protocol.manager(r.driftJson()),
                                    Protocol.cause(r.driftJson()),
                                    Protocol.actors(r.driftJson()))));
                }
            }
        }
        return out;
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    List<ClusterRow> clusters() throws SQLException {
        return read(c -> {
            List<ClusterRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.name, c.agent_id, c.version, c.labels, c.sources, "
                            + "c.last_seen_ms, c.stream, c.state_seq, c.snapshot_ms, "
                            + "(SELECT COUNT(*) FROM open_drifts o WHERE o.cluster = c.name) AS open_drifts FROM clusters c "
                            + "ORDER BY c.name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ClusterRow(
                            rs.getString("name"),
                            rs.getString("agent_id"),
                            rs.getString("version"),
                            rs.getString("labels"),
                            rs.getString("sources"),
                            nullableLong(rs, "last_seen_ms"),
                            rs.getString("stream"),
                            rs.getLong("state_seq"),
                            rs.getLong("snapshot_ms"),
                            rs.getLong("open_drifts")));
                }
            }
            return out;
        });
    }

    Page<DriftRow> drifts(DriftQuery q) throws SQLException {
        if (q.clusters() != null && q.clusters().isEmpty()) {
            return new Page<>(List.of(), false);
        }
        return read(c -> {
            StringBuilder sql = new StringBuilder("SELECT " + DRIFT_COLUMNS + " FROM open_drifts WHERE 1 = 1");
            List<Object> args = new ArrayList<>();
            in(sql, args, "cluster", q.clusters());
            eq(sql, args, "namespace", q.namespace());
            eq(sql, args, "app", q.app());
            eq(sql, args, "kind", q.kind());
            eq(sql, args, "type", q.type());
            eq(sql, args, "cause", q.cause());
            if (q.actor() != null) {
                sql.append(" AND EXISTS (SELECT 1 FROM open_drift_actors a WHERE a.cluster = open_drifts.cluster"
                        + " AND a.drift_id = open_drifts.drift_id AND a.username = ?)");
                args.add(q.actor());
            }
            if (q.afterCluster() != null) {
                sql.append(" AND (cluster > ? OR (cluster = ? AND drift_id > ?))");
                args.add(q.afterCluster());
                args.add(q.afterCluster());
                args.add(q.afterDriftId());
            }
            sql.append(" ORDER BY cluster, drift_id LIMIT ?");
            args.add(q.limit() + 1);
            List<DriftRow> rows = query(c, sql.toString(), args, HubStore::driftRow);
            boolean more = rows.size() > q.limit();
            return new Page<>(more ? rows.subList(0, q.limit()) : rows, more);
        });
    }

    Optional<DriftRow> drift(String cluster, String driftId) throws SQLException {
        return read(c -> query(
                        c,
                        "SELECT " + DRIFT_COLUMNS + " FROM open_drifts WHERE cluster = ? AND drift_id = ?",
                        List.of(cluster, driftId),
                        HubStore::driftRow)
                .stream()
                .findFirst());
    }

    Page<EventRow> history(HistoryQuery q) throws SQLException {
        if (q.clusters() != null && q.clusters().isEmpty()) {
            return new Page<>(List.of(), false);
        }
        return read(c -> {
            StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM events WHERE 1 = 1");
            List<Object> args = new ArrayList<>();
            in(sql, args, "cluster", q.clusters());
            eq(sql, args, "drift_id", q.driftId());
            eq(sql, args, "type", q.type());
            if (q.sinceMs() != null) {
                sql.append(" AND received_ms >= ?");
                args.add(q.sinceMs());
            }
            if (q.beforeId() != null) {
                sql.append(" AND id < ?");
                args.add(q.beforeId());
            }
            sql.append(" ORDER BY id DESC LIMIT ?");
            args.add(q.limit() + 1);
            List<EventRow> rows = query(c, sql.toString(), args, HubStore::eventRow);
            boolean more = rows.size() > q.limit();
            return new Page<>(more ? rows.subList(0, q.limit()) : rows, more);
        });
    }

    /** Events stored after {@code id}, oldest first (the SSE feed). */
    List<EventRow> eventsAfter(long id, int limit) throws SQLException {
        return read(c -> query(
                c,
                "SELECT " + EVENT_COLUMNS + " FROM events WHERE id > ? ORDER BY id LIMIT ?",
                List.of(id, limit),
                HubStore::eventRow));
    }

    long lastEventId() throws SQLException {
        return read(
                c -> query(c, "SELECT value FROM counters WHERE name = 'events'", List.of(), rs -> rs.getLong("value"))
                        .get(0));
    }

    Stats stats() throws SQLException {
        return read(c -> {
            List<OpenCount> open = query(
                    c,
                    "SELECT cluster, namespace, kind, app, type, cause, COUNT(*) AS drifts "
                            + "FROM open_drifts GROUP BY cluster, namespace, kind, app, type, cause",
                    List.of(),
                    rs -> new OpenCount(
                            rs.getString("cluster"),
                            rs.getString("namespace"),
                            rs.getString("kind"),
                            rs.getString("app"),
                            rs.getString("type"),
                            rs.getString("cause"),
                            rs.getLong("drifts")));
            Map<String, Long> oldest = new HashMap<>();
            query(
                    c,
                    "SELECT cluster, MIN(onset_ms) AS oldest_onset_ms FROM open_drifts GROUP BY cluster",
                    List.of(),
                    rs -> oldest.put(rs.getString("cluster"), rs.getLong("oldest_onset_ms")));
            long events = query(
                            c,
                            "SELECT SUM(CASE WHEN name = 'events' THEN value ELSE -value END) AS kept "
                                    + "FROM counters WHERE name IN ('events', 'pruned')",
                            List.of(),
                            rs -> rs.getLong("kept"))
                    .get(0);
            long size = query(c, db.sizeQuery(), List.of(), rs -> rs.getLong("size_bytes"))
                    .get(0);
            return new Stats(open, oldest, events, size);
        });
    }

    /**
     * The oldest {@code limit} open drifts of the fleet, for the per-drift series (an index scan on onset_ms; no drift
     * JSON is read).
     */
    List<DriftSeries> driftSeries(int limit) throws SQLException {
        if (limit <= 0) {
            return List.of();
        }
        return read(c -> query(
                c,
                "SELECT cluster, namespace, kind, name, app, type, cause, manager, onset_ms FROM "
                        + "open_drifts ORDER BY onset_ms, cluster, drift_id LIMIT ?",
                List.of(limit),
                rs -> new DriftSeries(
                        rs.getString("cluster"),
                        rs.getString("namespace"),
                        rs.getString("kind"),
                        rs.getString("name"),
                        rs.getString("app"),
                        rs.getString("type"),
                        rs.getString("cause"),
                        rs.getString("manager"),
                        rs.getLong("onset_ms"))));
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(Connection c, String sql, List<?> args, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        }
    }

    private static void eq(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static void in(StringBuilder sql, List<Object> args, String column, Set<String> values) {
        if (values != null) {
            sql.append(" AND ")
                    .append(column)
                    .append(" IN (")
                    .append(String.join(", ", Collections.nCopies(values.size(), "?")))
                    .append(")");
            args.addAll(values);
        }
    }

    private static DriftRow driftRow(ResultSet rs) throws SQLException {
        return new DriftRow(
                rs.getString("cluster"),
                rs.getString("drift_id"),
                rs.getString("namespace"),
                rs.getString("kind"),
                rs.getString("name"),
                rs.getString("app"),
                rs.getString("type"),
                rs.getString("summary"),
                rs.getLong("onset_ms"),
                rs.getLong("last_seen_ms"),
                rs.getString("drift"),
                rs.getString("cause"));
    }

    private static EventRow eventRow(ResultSet rs) throws SQLException {
        return new EventRow(
                rs.getLong("id"),
                rs.getString("cluster"),
                rs.getString("stream"),
                rs.getLong("seq"),
                rs.getString("type"),
                rs.getString("drift_id"),
                rs.getString("namespace"),
                rs.getString("kind"),
                rs.getString("name"),
                rs.getString("app"),
                rs.getString("drift_type"),
                rs.getString("summary"),
                rs.getLong("onset_ms"),
                rs.getLong("last_seen_ms"),
                nullableLong(rs, "resolved_at_ms"),
                rs.getLong("received_ms"),
                rs.getString("drift"));
    }

    /** A nullable integer column (JDBC's getLong answers 0 for NULL). */
    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private <T> T read(Work<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        }
    }

    /** One transaction; PostgreSQL deadlocks and serialisation failures are retried, SQLite writers are serialised. */
    private <T> T write(Work<T> work) throws SQLException {
        boolean sqlite = db.dialect() == Database.Dialect.SQLITE;
        if (sqlite) {
            sqliteWriter.lock();
        }
        try {
            for (int attempt = 1; ; attempt++) {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                } catch (SQLException e) {
                    String state = e.getSQLState();
                    boolean retry = "40001".equals(state) || "40P01".equals(state);
                    if (!retry || attempt >= 3) {
                        throw e;
                    }
                }
            }
        } finally {
            if (sqlite) {
                sqliteWriter.unlock();
            }
        }
    }
}
