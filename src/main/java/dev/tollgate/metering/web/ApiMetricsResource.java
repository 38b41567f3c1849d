package dev.tollgate.metering.web;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.metering.UsageQueries;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/apis/{apiId}/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "apis")
public class ApiMetricsResource {

    static final Map<String, Duration> WINDOWS = Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24), "7d",
            Duration.ofDays(7), "30d", Duration.ofDays(30));

    private final ApiCatalog catalog;
    private final UsageQueries usage;
    private final CurrentUser currentUser;
    private final java.time.Clock clock;

    ApiMetricsResource(ApiCatalog catalog, UsageQueries usage, CurrentUser currentUser, java.time.Clock clock) {
        this.catalog = catalog;
        this.usage = usage;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @GET
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "getApiMetrics", summary = "Calls, errors and latency of my API", description = "window 1h, 24h, 7d or 30d; errors "
            + "are responses of 400 and above, server_errors 500 and above; latency percentiles in ms.")
    public UsageQueries.ApiMetrics metrics(@PathParam("apiId") UUID apiId,
            @QueryParam("window") @DefaultValue("24h") String window) {
        Duration length = WINDOWS.get(window);
        if (length == null) {
            throw ProblemException.invalid("window", "must be 1h, 24h, 7d or 30d");
        }
        catalog.requireManaged(apiId, ApiLogsResource.actor(currentUser), "read its metrics");
        return usage.metrics(apiId, window, clock.instant().minus(length));
    }
}
