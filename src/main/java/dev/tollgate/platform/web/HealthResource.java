package dev.tollgate.platform.web;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/** {@code GET /health}: public liveness and readiness, 503 when the database cannot be queried. */
@Path("/health")
@Singleton
@Tag(name = "ops", description = "Health of the running node")
public class HealthResource {

    private static final Logger LOG = Logger.getLogger(HealthResource.class);

    private final AgroalDataSource dataSource;
    private final String version;
    private volatile Instant startedAt = Instant.now();

    HealthResource(AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.application.version") String version) {
        this.dataSource = dataSource;
        this.version = version;
    }

    void started(@Observes StartupEvent event) {
        startedAt = Instant.now();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "Healthy")
    @APIResponse(responseCode = "503", description = "The database cannot be queried; the body says so in checks")
    @Operation(operationId = "getHealth", summary = "Service health", description = "Public. 200 when healthy, 503 when the database is down.")
    public Response health() {
        Map<String, Object> database = checkDatabase();
        boolean up = "up".equals(database.get("status"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "ok" : "unavailable");
        body.put("version", version);
        body.put("uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds());
        body.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("checks", Map.of("database", database));
        return Response.status(up ? 200 : 503).entity(body).build();
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
