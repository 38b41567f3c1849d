package dev.tollgate.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Runs the application under test against a fresh embedded PostgreSQL instead of H2. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedPostgresServer server;

    @Override
    public Map<String, String> start() {
        server = EmbeddedPostgresServer.start();
        return Map.of("tollgate.db.url", server.jdbcUrl(), "tollgate.db.user", server.user(),
                "tollgate.db.password", "");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Stops the database while the application keeps running (to see how it copes). */
    public static void stopDatabase() {
        server.close();
        server = null;
    }
}
