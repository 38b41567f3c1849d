package dev.tollgate.metering.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.metering.UsageQueries;
import dev.tollgate.metering.UsageQueries.CallLog;
import dev.tollgate.metering.internal.raw.RawEvents;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/apis/{apiId}/logs")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "apis")
public class ApiLogsResource {

    private static final Pattern STATUS = Pattern.compile("([1-5])(?:xx|XX)|([1-5][0-9][0-9])");

    private final ApiCatalog catalog;
    private final RawEvents rawEvents;
    private final CurrentUser currentUser;

    ApiLogsResource(ApiCatalog catalog, RawEvents rawEvents, CurrentUser currentUser) {
        this.catalog = catalog;
        this.rawEvents = rawEvents;
        this.currentUser = currentUser;
    }

    @GET
    @APIResponse(responseCode = "200", description = "The calls; the total is in X-Total-Count", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = CallLog.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listApiCallLogs", summary = "Recent calls of my API", description = "Newest first; status filters by code (404) or "
            + "class (5xx); from (inclusive) and to (exclusive) are ISO-8601 instants such as 2025-06-01T00:00:00Z, "
            + "by default the whole retention (tollgate.metering.raw-retention). The total is in X-Total-Count.")
    public Response logs(@PathParam("apiId") UUID apiId, @QueryParam("status") String status,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("skip") @DefaultValue("0") @Min(value = 0, message = "must be 0 or more") int skip,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be 1 to 1000") @Max(value = 1000, message = "must be 1 to 1000") int limit) {
        UsageQueries.StatusFilter filter = new UsageQueries.StatusFilter(null, null);
        if (status != null && !status.isBlank()) {
            Matcher m = STATUS.matcher(status.trim());
            if (!m.matches()) {
                throw ProblemException.invalid("status", "must be a status code such as 404 or a class such as 5xx");
            }
            filter = m.group(1) != null
                    ? new UsageQueries.StatusFilter(null, Integer.parseInt(m.group(1)))
                    : new UsageQueries.StatusFilter(Integer.parseInt(m.group(2)), null);
        }
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw ProblemException.badRequest("to must be after from");
        }
        catalog.requireManaged(apiId, actor(currentUser), "read its request logs");
        UsageQueries.Page<CallLog> page = rawEvents.logs(apiId, filter, fromInstant, toInstant, skip, limit);
        List<CallLog> items = page.items();
        return Response.ok(items).header("X-Total-Count", page.total()).build();
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an ISO-8601 instant such as 2025-06-01T00:00:00Z");
        }
    }

    static Actor actor(CurrentUser user) {
        return new Actor(user.id(), user.has(Role.ADMIN));
    }
}
