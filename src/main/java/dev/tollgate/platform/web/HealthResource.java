package dev.tollgate.platform.web;

import jakarta.inject.Singleton;
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

/** {@code GET /health}: public liveness and readiness, 503 when the database cannot be queried. */
@Path("/health")
@Singleton
@Tag(name = "ops", description = "Health of the running node")
public class HealthResource {

    private final NodeHealth health;

    HealthResource(NodeHealth health) {
        this.health = health;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "Healthy")
    @APIResponse(responseCode = "503", description = "The database cannot be queried; the body says so in checks")
    @Operation(operationId = "getHealth", summary = "Service health", description = "Public. 200 when healthy, 503 when the database is down.")
    public Response health() {
        NodeHealth.Report report = health.report();
        return Response.status(report.healthy() ? 200 : 503).entity(report.body()).build();
    }
}
