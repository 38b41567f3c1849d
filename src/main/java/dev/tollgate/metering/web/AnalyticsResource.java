package dev.tollgate.metering.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.metering.Analytics;
import dev.tollgate.metering.rollup.Granularity;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

/**
 * Analytics of calls, latency, errors and money (see docs/ANALYTICS.md): providers see the calls to their APIs,
 * consumers their own calls, admins everything. Figures come from the usage rollups (minute resolution, latency
 * percentiles within 1%) and, for money, from the ledger.
 */
@Path("/api/v1/analytics")
@Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "analytics", description = "Calls, latency, errors and money over time")
public class AnalyticsResource {

    static final Duration DAY = Duration.ofDays(1);
    /** Most points a time series may have; beyond it a coarser bucket is needed. */
    static final int MAX_POINTS = 1_500;

    private static final String WHO = "as: provider (calls to my APIs), consumer (my calls) or admin (all calls; "
            + "default for admins); default provider for providers, else consumer. api_id narrows to one API (404 if "
            + "it is not one whose analytics I may see); consumer_id (admins and providers) to one consumer. from, to: "
            + "ISO-8601 instants or dates (UTC), to exclusive, to after from, at most 400 days; minutes count when they "
            + "start in the window.";

    private final AnalyticsRequest request;
    private final Analytics analytics;

    AnalyticsResource(AnalyticsRequest request, Analytics analytics) {
        this.request = request;
        this.analytics = analytics;
    }

    @GET
    @Path("/overview")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Analytics.Overview.class)))
    @APIResponse(responseCode = "400", ref = "BadQuery")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getAnalyticsOverview", summary = "Calls, errors, latency and money at a glance", description = "Default window: "
            + "the last 24 h. Consumers get spend (AI calls from the usage rollups + gateway calls and "
            + "subscriptions from the ledger); providers and admins revenue (from the ledger) and top consumers. "
            + WHO)
    public Response overview(@QueryParam("as") String as, @QueryParam("api_id") String apiId,
            @QueryParam("consumer_id") String consumerId, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        AnalyticsRequest.Window window = request.window(from, to, DAY);
        Analytics.View view = request.view(as, apiId, consumerId, window);
        return json(analytics.overview(view, window.from(), window.to()));
    }

    @GET
    @Path("/traffic")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Analytics.Traffic.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", ref = "BadQuery")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getAnalyticsTraffic", summary = "Calls, errors and p95 latency per minute, hour or day", description = "Every "
            + "bucket from the one holding from up to to, empty ones as zeros; at most 1500 points. p95 latency of "
            + "the APIs' endpoints (providers, admins) or of my calls (consumers). Default window: the last 24 h. "
            + "format=csv for CSV. " + WHO)
    public Response traffic(
            @QueryParam("bucket") @Parameter(description = "minute, hour (default) or day") String bucket,
            @QueryParam("as") String as, @QueryParam("api_id") String apiId,
            @QueryParam("consumer_id") String consumerId, @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("format") @Parameter(description = "json (default) or csv") String format) {
        boolean csv = AnalyticsRequest.csv(format);
        Granularity granularity = granularity(bucket);
        AnalyticsRequest.Window window = request.window(from, to, DAY);
        long points = Analytics.points(window.from(), window.to(), granularity);
        if (points > MAX_POINTS) {
            throw ProblemException.badRequest("bucket: " + points + " " + granularity.name().toLowerCase(Locale.ROOT)
                    + "s are more than " + MAX_POINTS + " points; choose a coarser bucket or a shorter window");
        }
        Analytics.View view = request.view(as, apiId, consumerId, window);
        Analytics.Traffic traffic = analytics.traffic(view, window.from(), window.to(), granularity);
        if (csv) {
            return Csv.response("traffic", Csv.of(List.of("bucket", "calls", "errors", "p95"), traffic.points(),
                    p -> List.of(p.bucket(), p.calls(), p.errors(), p.p95())));
        }
        return json(traffic);
    }

    @GET
    @Path("/performance")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Analytics.EndpointPerformance.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", ref = "BadQuery")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getAnalyticsPerformance", summary = "Latency per endpoint of my APIs", description = "Providers and admins: per "
            + "endpoint (method and path with id-like segments as {id}), busiest first: calls, avg, min, max, p50, "
            + "p95, p99 latency in ms (percentiles within 1%). Not by consumer. Default window: the last 24 h. "
            + "format=csv for CSV. " + WHO)
    public Response performance(@QueryParam("as") String as, @QueryParam("api_id") String apiId,
            @QueryParam("consumer_id") String consumerId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) {
        boolean csv = AnalyticsRequest.csv(format);
        AnalyticsRequest.Window window = request.window(from, to, DAY);
        Analytics.View view = request.view(as, apiId, consumerId, window);
        AnalyticsRequest.requireNotConsumer(view, "Endpoint latencies");
        if (view.consumerId() != null) {
            throw ProblemException.badRequest("consumer_id: endpoint latencies are not kept per consumer; "
                    + "leave it out");
        }
        List<Analytics.EndpointPerformance> rows = analytics.performance(view, window.from(), window.to());
        if (csv) {
            return Csv.response("performance", Csv.of(List.of("api_id", "api_name", "endpoint", "calls", "avg", "min",
                    "max", "p50", "p95", "p99"), rows,
                    r -> List.of(r.apiId(), nullable(r.apiName()), r.endpoint(),
                            r.calls(), r.avg(), r.min(), r.max(), r.p50(), r.p95(), r.p99())));
        }
        return json(rows);
    }

    @GET
    @Path("/errors")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Analytics.EndpointErrors.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", ref = "BadQuery")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getAnalyticsErrors", summary = "Errors per endpoint and status class", description = "Per endpoint and "
            + "status class (4xx, 5xx: the rollups keep classes, not exact codes; exact ones are in the request "
            + "logs), most first: count; last_occurred, when the newest such error happened (to the millisecond); and "
            + "last_error, that newest error as the request logs have it (exact status, method, path, request id, "
            + "time), for the first 20 rows while the logs keep it. "
            + "Default window: the last 24 h. format=csv for CSV. " + WHO)
    public Response errors(@QueryParam("as") String as, @QueryParam("api_id") String apiId,
            @QueryParam("consumer_id") String consumerId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) {
        boolean csv = AnalyticsRequest.csv(format);
        AnalyticsRequest.Window window = request.window(from, to, DAY);
        Analytics.View view = request.view(as, apiId, consumerId, window);
        List<Analytics.EndpointErrors> rows = analytics.errors(view, window.from(), window.to());
        if (csv) {
            return Csv.response("errors", Csv.of(List.of("api_id", "api_name", "endpoint", "status", "count",
                    "last_occurred", "last_status", "last_method", "last_path", "last_request_id", "last_at"), rows,
                    r -> {
                        Analytics.LoggedError last = r.lastError();
                        return java.util.Arrays.asList(r.apiId(), r.apiName(), r.endpoint(), r.status(), r.count(),
                                r.lastOccurred(), last == null ? null : last.status(),
                                last == null ? null : last.method(), last == null ? null : last.path(),
                                last == null ? null : last.requestId(), last == null ? null : last.at());
                    }));
        }
        return json(rows);
    }

    @GET
    @Path("/usage")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Analytics.UsageSummary.class)))
    @APIResponse(responseCode = "400", ref = "BadQuery")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getAnalyticsUsage", summary = "Usage summary of the last days", description = "days 1 to 90 (default 7), up "
            + "to now: total_events (every recorded call, refused ones too), api_calls (calls that reached the API or "
            + "model), errors (status 400 and above), avg_response_time (ms). as, api_id and consumer_id as for the "
            + "other reports.")
    public Response usage(@QueryParam("days") String days, @QueryParam("as") String as,
            @QueryParam("api_id") String apiId, @QueryParam("consumer_id") String consumerId) {
        int n = days(days);
        java.time.Instant to = request.now();
        AnalyticsRequest.Window window = new AnalyticsRequest.Window(to.minus(Duration.ofDays(n)), to);
        Analytics.View view = request.view(as, apiId, consumerId, window);
        return json(analytics.usage(view, window.from(), window.to()));
    }

    @GET
    @Path("/revenue")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Analytics.RevenueDay.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", ref = "BadQuery")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getAnalyticsRevenue", summary = "Revenue per API per day", description = "Providers and admins, from the "
            + "ledger: per day (UTC) and API, the charged calls, gross (what consumers paid for calls and "
            + "subscriptions), provider_earnings and platform (fees; all of it for AI models), in currency units. "
            + "Default window: the last 30 days. format=csv for CSV. " + WHO)
    public Response revenue(@QueryParam("as") String as, @QueryParam("api_id") String apiId,
            @QueryParam("consumer_id") String consumerId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) {
        boolean csv = AnalyticsRequest.csv(format);
        AnalyticsRequest.Window window = request.window(from, to, Duration.ofDays(30));
        Analytics.View view = request.view(as, apiId, consumerId, window);
        AnalyticsRequest.requireNotConsumer(view, "Revenue figures");
        if (view.consumerId() != null) {
            throw ProblemException.badRequest("consumer_id: revenue is per API and day; leave it out");
        }
        List<Analytics.RevenueDay> rows = analytics.revenue(view, window.from(), window.to());
        if (csv) {
            return Csv.response("revenue", Csv.of(List.of("day", "api_id", "api_name", "calls", "gross",
                    "provider_earnings", "platform", "currency"), rows,
                    r -> List.of(r.day(), r.apiId(),
                            nullable(r.apiName()), r.calls(), r.gross(), r.providerEarnings(), r.platform(),
                            r.currency())));
        }
        return json(rows);
    }

    @GET
    @Path("/geography")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Analytics.CountryCalls.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", ref = "BadQuery")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getAnalyticsGeography", summary = "Calls and errors per country", description = "Country from the trusted "
            + "header configured as tollgate.metering.country-header (e.g. CF-IPCountry), else from the offline GeoIP "
            + "database (tollgate.metering.geoip-database) by the client's address, else unknown; busiest "
            + "first. Default window: the last 24 h. format=csv for CSV. " + WHO)
    public Response geography(@QueryParam("as") String as, @QueryParam("api_id") String apiId,
            @QueryParam("consumer_id") String consumerId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) {
        boolean csv = AnalyticsRequest.csv(format);
        AnalyticsRequest.Window window = request.window(from, to, DAY);
        Analytics.View view = request.view(as, apiId, consumerId, window);
        List<Analytics.CountryCalls> rows = analytics.geography(view, window.from(), window.to());
        if (csv) {
            return Csv.response("geography", Csv.of(List.of("country", "calls", "errors"), rows,
                    r -> List.of(r.country(), r.calls(), r.errors())));
        }
        return json(rows);
    }

    static Response json(Object body) {
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    /** List.of refuses nulls; CSV writes them as empty fields. */
    static Object nullable(Object value) {
        return value == null ? "" : value;
    }

    private static Granularity granularity(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            return Granularity.HOUR;
        }
        return switch (bucket) {
            case "minute" -> Granularity.MINUTE;
            case "hour" -> Granularity.HOUR;
            case "day" -> Granularity.DAY;
            default -> throw ProblemException.badRequest("bucket: must be minute, hour or day");
        };
    }

    private static int days(String days) {
        if (days == null || days.isBlank()) {
            return 7;
        }
        try {
            int n = Integer.parseInt(days.trim());
            if (n >= 1 && n <= 90) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("days: must be a whole number from 1 to 90");
    }
}
