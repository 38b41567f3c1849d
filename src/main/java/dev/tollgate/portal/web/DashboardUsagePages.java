package dev.tollgate.portal.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.UserView;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.metering.Analytics;
import dev.tollgate.metering.UsageQueries;
import dev.tollgate.platform.Money;

/**
 * The user's usage: calls and errors over the last 24 hours, 7 or 30 days in hourly or daily buckets (the analytics
 * traffic report of their own calls), and per API and AI model (the same queries as {@code /api/v1/users/me/usage}).
 * Charts are drawn by Chart.js; the same numbers are in tables for readers without scripts.
 */
@Path("/dashboard/usage")
@PortalPage
@Produces("text/html")
class DashboardUsagePages {

    /** The windows offered, with their default bucket. */
    static final Map<String, Duration> WINDOWS = Map.of("24h", Duration.ofHours(24), "7d", Duration.ofDays(7), "30d",
            Duration.ofDays(30));
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final Pages pages;
    private final Analytics analytics;
    private final UsageQueries usage;
    private final ApiCatalog catalog;
    private final ObjectMapper json;
    private final Clock clock;

    DashboardUsagePages(Pages pages, Analytics analytics, UsageQueries usage, ApiCatalog catalog, ObjectMapper json,
            Clock clock) {
        this.pages = pages;
        this.analytics = analytics;
        this.usage = usage;
        this.catalog = catalog;
        this.json = json;
        this.clock = clock;
    }

    /** One bucket of the time series. */
    record Point(String label, long calls, long errors) {
    }

    /** Gateway calls to one API. */
    record ApiRow(String name, String slug, long calls, long errors) {
    }

    /** AI calls to one model; cost formatted. */
    record ModelRow(String model, long calls, long errors, long inputTokens, long outputTokens, String cost) {
    }

    @GET
    public Response usage(@RestQuery String window, @RestQuery String bucket) {
        UserView me = pages.user();
        String name = window != null && WINDOWS.containsKey(window) ? window : "24h";
        String by = "hour".equals(bucket) || "day".equals(bucket) ? bucket : name.equals("30d") ? "day" : "hour";
        Instant to = clock.instant();
        Instant from = to.minus(WINDOWS.get(name));
        Analytics.Traffic traffic = analytics.traffic(new Analytics.View(Analytics.Perspective.CONSUMER, null,
                me.id()), from, to, by.equals("day") ? ChronoUnit.DAYS : ChronoUnit.HOURS);
        DateTimeFormatter labels = by.equals("day") ? DAY : HOUR;
        List<Point> points = traffic.points().stream()
                .map(p -> new Point(labels.format(p.bucket()), p.calls(), p.errors())).toList();

        List<UsageQueries.ApiUse> uses = usage.consumerUsage(me.id(), from);
        Map<UUID, ApiView> apis = catalog.summaries(uses.stream().map(UsageQueries.ApiUse::apiId).toList());
        List<ApiRow> apiRows = uses.stream().map(u -> {
            ApiView api = apis.get(u.apiId());
            return new ApiRow(api == null ? "(deleted API)" : api.name(), api == null ? null : api.slug(), u.calls(),
                    u.errors());
        }).toList();
        List<ModelRow> models = usage.consumerModelUsage(me.id(), from).stream()
                .map(m -> new ModelRow(m.model(), m.calls(), m.errors(), m.inputTokens(), m.outputTokens(),
                        PortalFormat.money(Money.fromMicros(m.costMicros()), null)))
                .toList();
        long calls = apiRows.stream().mapToLong(ApiRow::calls).sum() + models.stream().mapToLong(ModelRow::calls).sum();
        long errors = apiRows.stream().mapToLong(ApiRow::errors).sum()
                + models.stream().mapToLong(ModelRow::errors).sum();

        return pages.html("dashboard-usage", "window", name, "bucket", by, "calls", calls, "errors", errors,
                "points", points, "apis", apiRows, "models", models, "trafficChart", trafficChart(points),
                "apiChart", apiChart(apiRows));
    }

    private String trafficChart(List<Point> points) {
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        series.put("Calls", points.stream().map(Point::calls).toList());
        series.put("Errors", points.stream().map(Point::errors).toList());
        return PortalCharts.line(json, points.stream().map(Point::label).toList(), series, "calls");
    }

    private String apiChart(List<ApiRow> rows) {
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        series.put("Calls", rows.stream().map(ApiRow::calls).toList());
        series.put("Errors", rows.stream().map(ApiRow::errors).toList());
        return PortalCharts.bar(json, rows.stream().map(ApiRow::name).toList(), series, false, false, "calls");
    }
}
