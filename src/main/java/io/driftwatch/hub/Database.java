package io.driftwatch.hub;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.driftwatch.config.HubConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The hub's JDBC data source (HikariCP) and the one thing that differs between the two databases: SQLite has a single
 * writer, so {@link HubStore} serialises its write transactions itself; PostgreSQL takes row locks.
 */
final class Database implements AutoCloseable {

    enum Dialect {
        SQLITE,
        POSTGRESQL
    }

    private final HikariDataSource dataSource;
    private final Dialect dialect;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Opens the pool and applies missing migrations; blocking, so it runs on the database pool. */
    static Database open(HubConfig.Storage storage) throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("driftwatch-hub-jdbc");
        hc.setMaximumPoolSize(storage.poolSize());
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(10_000);
        Dialect dialect;
        if (storage.postgres()) {
            dialect = Dialect.POSTGRESQL;
            hc.setJdbcUrl(storage.postgresUrl());
            hc.setDriverClassName("org.postgresql.Driver");
            if (storage.postgresUser() != null) {
                hc.setUsername(storage.postgresUser());
            }
            if (storage.postgresPasswordFile() != null) {
                try {
                    hc.setPassword(
                            Files.readString(storage.postgresPasswordFile()).strip());
                } catch (IOException e) {
                    throw new SQLException(
                            "storage.postgresPasswordFile " + storage.postgresPasswordFile() + " cannot be read: "
                                    + e.getMessage(),
                            e);
                }
            }
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
            hc.addDataSourceProperty("ApplicationName", "driftwatch-hub");
        } else {
            dialect = Dialect.SQLITE;
            hc.setJdbcUrl("jdbc:sqlite:" + storage.sqlitePath().toAbsolutePath()
                    + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true");
            hc.setDriverClassName("org.sqlite.JDBC");
        }
        HikariDataSource ds = new HikariDataSource(hc);
        try (Connection c = ds.getConnection()) {
            Migrations.apply(c);
        } catch (SQLException | RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, dialect);
    }

    DataSource dataSource() {
        return dataSource;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Bytes the database occupies on disk, as column size_bytes: the only query that differs between the dialects. */
    String sizeQuery() {
        return dialect == Dialect.SQLITE
                ? "SELECT page_count * page_size AS size_bytes FROM pragma_page_count(), pragma_page_size()"
                : "SELECT pg_database_size(current_database()) AS size_bytes";
    }

    static List<String> describe(HubConfig.Storage storage) {
        return storage.postgres()
                ? List.of("postgresql", storage.postgresUrl())
                : List.of("sqlite", storage.sqlitePath().toAbsolutePath().toString());
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
