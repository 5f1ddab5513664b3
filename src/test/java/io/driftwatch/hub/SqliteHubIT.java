package io.driftwatch.hub;

import io.driftwatch.testing.TestHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The hub contract against a real SQLite file. */
class SqliteHubIT extends HubContract {

    private Path file;

    @Override
    String storage() {
        try {
            file = Files.createTempDirectory("hub-sqlite").resolve("hub.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TestHub.sqlite(file);
    }

    @Override
    String sameStorage() {
        return TestHub.sqlite(file);
    }

    @Override
    java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
    }
}
