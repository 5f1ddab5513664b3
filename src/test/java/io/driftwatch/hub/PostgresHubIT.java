package io.driftwatch.hub;

import io.driftwatch.testing.PostgresServer;
import io.driftwatch.testing.TestHub;

/** The hub contract against a real PostgreSQL server (a fresh database per test). */
class PostgresHubIT extends HubContract {

    private String url;

    @Override
    String storage() {
        PostgresServer pg = PostgresServer.shared();
        url = pg.newDatabase("hub");
        return TestHub.postgres(url, pg.user());
    }

    @Override
    String sameStorage() {
        return TestHub.postgres(url, PostgresServer.shared().user());
    }

    @Override
    java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(url, PostgresServer.shared().user(), null);
    }
}
