package dev.tollgate.platform;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * The health of this node as the public health endpoints ({@code GET /health}, {@code GET /api/v1/system/health})
 * report it: healthy while the active database answers a query on a table of ours. Blocking (a query of at most two
 * seconds): call it from a worker thread.
 */
@Singleton
public class NodeHealth {

    private static final Logger LOG = Logger.getLogger(NodeHealth.class);

    /** {@code healthy}: the database answered; {@code body}: what the endpoints answer. */
    public record Report(boolean healthy, Map<String, Object> body) {
    }

    private final AgroalDataSource dataSource;
    private final String version;
    private final Clock clock;
    private volatile Instant startedAt;

    NodeHealth(AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.application.version") String version,
            Clock clock) {
        this.dataSource = dataSource;
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    void started(@Observes StartupEvent event) {
        startedAt = clock.instant();
    }

    /** Tollgate's version ({@code quarkus.application.version}). */
    public String version() {
        return version;
    }

    /** When the application finished starting. */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * {@code status} ({@code ok}/{@code unavailable}), {@code version}, {@code uptime_seconds}, {@code timestamp}
     * and {@code checks.database} ({@code status} up/down, {@code latency_ms}, and when down the error's class name,
     * not its message: it may name hosts or users).
     */
    public Report report() {
        Map<String, Object> database = checkDatabase();
        boolean up = "up".equals(database.get("status"));
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "ok" : "unavailable");
        body.put("version", version);
        body.put("uptime_seconds", Duration.between(startedAt, now).toSeconds());
        body.put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("checks", Map.of("database", database));
        return new Report(up, body);
    }

    private Map<String, Object> checkDatabase() {
        long started = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        // query a table of ours, not just "select 1": a reachable database without our schema is not healthy
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            try (ResultSet rows = statement.executeQuery("select count(*) from users where 1 = 0")) {
                rows.next();
            }
            result.put("status", "up");
        } catch (Exception e) {
            LOG.warnf("Health check: database unavailable: %s", e.getMessage());
            result.put("status", "down");
            result.put("error", e.getClass().getSimpleName());
        }
        result.put("latency_ms", (System.nanoTime() - started) / 1_000_000);
        return result;
    }
}
