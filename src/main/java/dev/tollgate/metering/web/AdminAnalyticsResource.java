package dev.tollgate.metering.web;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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

import dev.tollgate.metering.Analytics;
import dev.tollgate.metering.rollup.Granularity;

@Path("/api/v1/admin/analytics")
@Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "admin")
public class AdminAnalyticsResource {

    /** The platform view's length: the last 24 hours, by the minute. */
    static final int MINUTES = 24 * 60;

    private final Analytics analytics;
    private final AnalyticsRequest request;

    AdminAnalyticsResource(Analytics analytics, AnalyticsRequest request) {
        this.analytics = analytics;
        this.request = request;
    }

    @GET
    @Path("/platform")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Analytics.PlatformMinute.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", ref = "BadQuery")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(operationId = "getPlatformAnalytics", summary = "The whole platform per minute, last 24 h", description = "1440 minutes, "
            + "oldest first, the current one last, empty ones as zeros: calls, errors, error_rate, p50/p95/p99 latency "
            + "(ms, within 1%), active_consumers (distinct consumers that called in the minute), revenue (the "
            + "platform's: fees, AI calls, account tiers; from the ledger, by the minute its entries were written) and "
            + "ai_revenue. format=csv for CSV.")
    public Response platform(@QueryParam("format") String format) {
        boolean csv = AnalyticsRequest.csv(format);
        Instant to = Instant.ofEpochMilli(Granularity.MINUTE.floor(request.now().toEpochMilli()) + 60_000L);
        Instant from = to.minusSeconds(60L * MINUTES);
        List<Analytics.PlatformMinute> minutes = analytics.platform(from, to);
        if (csv) {
            return Csv.response("platform", Csv.of(List.of("minute", "calls", "errors", "error_rate", "p50", "p95",
                    "p99", "active_consumers", "revenue", "ai_revenue"), minutes,
                    m -> List.of(m.minute(), m.calls(),
                            m.errors(), m.errorRate(), m.p50(), m.p95(), m.p99(), m.activeConsumers(), m.revenue(),
                            m.aiRevenue())));
        }
        return AnalyticsResource.json(minutes);
    }
}
