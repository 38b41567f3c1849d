package dev.tollgate.admin.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.platform.NodeHealth;

/** Seed 004's public {@code GET /api/v1/system/health}: the same report as {@code GET /health}. */
@Path("/api/v1/system/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "system")
public class SystemHealthResource {

    private final NodeHealth health;

    SystemHealthResource(NodeHealth health) {
        this.health = health;
    }

    @GET
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "Healthy")
    @APIResponse(responseCode = "503", description = "The database cannot be queried; the body says so in checks")
    @Operation(operationId = "getSystemHealth", summary = "Service health", description = "Public. status, version, "
            + "uptime_seconds, timestamp and checks.database; 200 when healthy, 503 when the database is down.")
    public Response health() {
        NodeHealth.Report report = health.report();
        return Response.status(report.healthy() ? 200 : 503).entity(report.body()).build();
    }
}
