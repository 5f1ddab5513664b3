package io.driftwatch.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small versioned migrator, the same on SQLite and PostgreSQL: each migration is a resource
 * {@code migrations/V<n>__<name>.sql} listed in {@link #ALL}, applied once, in order, in one transaction with the row
 * that records it. Two replicas starting at once both try; the primary key on {@code schema_migrations.version} lets
 * one win and the other roll back and see it applied (both databases run DDL transactionally).
 *
 * <p>Why not Flyway: its PostgreSQL support is a separate module per major version, SQLite is community-supported, and
 * it brings a configuration surface larger than the twenty lines this needs.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    static final List<String> ALL = List.of(
            "V1__schema.sql",
            "V2__events_by_cluster.sql",
            "V3__open_drifts_manager.sql",
            "V4__open_drifts_cause.sql",
            "V5__open_drift_actors.sql");

    private Migrations() {}

    /** Applies what is missing; returns the versions applied by this call. */
    static List<Integer> apply(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, applied_ms BIGINT NOT NULL)");
        }
        List<Integer> applied = new ArrayList<>();
        for (String file : ALL) {
            int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
            if (isApplied(c, version)) {
                continue;
            }
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_migrations (version, description, applied_ms) VALUES (?, ?, ?)")) {
                    ps.setInt(1, version);
                    ps.setString(2, file);
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                try (Statement s = c.createStatement()) {
                    for (String statement : statements(read(file))) {
                        s.execute(statement);
                    }
                }
                c.commit();
                applied.add(version);
                LOG.info("applied database migration {}", file);
            } catch (SQLException e) {
                c.rollback();
                c.setAutoCommit(true);
                if (isApplied(c, version)) {
                    LOG.info("migration {} was applied concurrently by another hub replica", file);
                    continue;
                }
                throw new SQLException("migration " + file + " failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(true);
            }
        }
        return applied;
    }

    private static boolean isApplied(Connection c, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM schema_migrations WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String read(String file) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + file)) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + file, e);
        }
    }

    /** Splits on semicolons that end a line; comment lines are dropped. The migrations contain no other semicolons. */
    static List<String> statements(String sql) {
        StringBuilder clean = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                clean.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String part : clean.toString().split(";\\s*\n")) {
            if (!part.isBlank()) {
                out.add(part.strip().replaceAll(";$", ""));
            }
        }
        return out;
    }
}
