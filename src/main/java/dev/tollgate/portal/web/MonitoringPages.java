package dev.tollgate.portal.web;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.UserView;
import dev.tollgate.admin.SystemStats;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.metering.Analytics;
import dev.tollgate.metering.Analytics.Perspective;
import dev.tollgate.platform.NodeHealth;

/**
 * The monitoring page. Admins see the platform: this node (uptime, CPU, heap, requests and error rate, database,
 * queues, from the same services as {@code /api/v1/system/stats} and {@code /health}) and every call's figures and
 * latency percentiles over the last hour and day (the admin analytics). Everyone else sees their own calls; a provider
 * may switch to the calls to their APIs. The figures are a fragment ({@code /monitoring/figures}) that the page
 * fetches again every 30 seconds with htmx; without JavaScript the page shows them as of loading.
 */
@Path("/monitoring")
@PortalPage
@Produces("text/html")
class MonitoringPages {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Pages pages;
    private final Analytics analytics;
    private final ApiCatalog catalog;
    private final SystemStats stats;
    private final NodeHealth health;
    private final ObjectMapper json;
    private final Clock clock;

    MonitoringPages(Pages pages, Analytics analytics, ApiCatalog catalog, SystemStats stats, NodeHealth health,
            ObjectMapper json, Clock clock) {
        this.pages = pages;
        this.analytics = analytics;
        this.catalog = catalog;
        this.stats = stats;
        this.health = health;
        this.json = json;
        this.clock = clock;
    }

    /** Calls, errors and latency ("120 ms", or a dash without calls) over one window. */
    record Window(long calls, long errors, String errorRate, String p50, String p95, String p99) {
    }

    /** One point of a chart, also a row of its data table; percentiles 0 where the source gives only p95. */
    record Point(String time, long calls, long errors, long p50, long p95, long p99) {
    }

    /** One API (or AI model) among the busiest of the window. */
    record ApiRow(String name, long calls, long errors) {
    }

    /** One work queue: how full it is. */
    record QueueRow(String name, long depth, String capacity, String fill) {
    }

    /** This node, for admins. */
    record Node(String status, String database, long databaseMs, String version, String uptime, String processCpu,
            String systemCpu, String load, int processors, String heapUsed, String heapMax, String heapFill,
            String memoryFill, String threads, long requestsMinute, String perSecond, String errorRateMinute,
            long requestsHour, long serverErrorsHour, String errorRateHour, List<QueueRow> queues) {
    }

    /**
     * Everything the fragment shows. {@code scope}: {@code platform}, {@code consumer} or {@code provider};
     * {@code url}: where the fragment reloads itself from; charts as Chart.js configurations.
     */
    record Figures(String scope, String heading, String url, String updated, boolean provider, Window hour, Window day,
            List<Point> hourPoints, List<Point> dayPoints, String hourChart, String latencyChart, String dayChart,
            List<ApiRow> topApis, Node node) {
    }

    @GET
    public Response page(@RestQuery("as") String as) {
        UserView me = pages.user();
        return pages.html("monitoring", "figures", figures(me, as));
    }

    @GET
    @Path("figures")
    public Response fragment(@RestQuery("as") String as) {
        UserView me = pages.user();
        return pages.html(pages.template("_monitoring_figures").data("figures", figures(me, as)));
    }

    private Figures figures(UserView me, String as) {
        boolean admin = me.hasRole(Role.ADMIN);
        boolean provider = me.hasRole(Role.PROVIDER);
        String usual = admin ? "platform" : "consumer";
        String scope = "consumer".equals(as) ? "consumer" : "provider".equals(as) && provider ? "provider" : usual;
        Analytics.View view = switch (scope) {
            case "platform" -> new Analytics.View(Perspective.ADMIN, null, null);
            case "provider" -> new Analytics.View(Perspective.PROVIDER,
                    catalog.mine(me.id()).stream().map(ApiView::id).collect(Collectors.toSet()), null);
            default -> new Analytics.View(Perspective.CONSUMER, null, me.id());
        };
        String heading = switch (scope) {
            case "platform" -> "The whole platform";
            case "provider" -> "Calls to your APIs";
            default -> "Your calls";
        };
        Instant now = clock.instant();
        Instant to = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant hourFrom = to.minus(1, ChronoUnit.HOURS);
        Instant dayFrom = to.minus(1, ChronoUnit.DAYS);
        Analytics.Overview lastHour = analytics.overview(view, hourFrom, to);
        Analytics.Overview lastDay = analytics.overview(view, dayFrom, to);
        List<Point> hourPoints;
        if (scope.equals("platform")) {
            hourPoints = analytics.platform(hourFrom, to).stream().map(m -> new Point(MINUTE.format(m.minute()),
                    m.calls(), m.errors(), m.p50(), m.p95(), m.p99())).toList();
        } else {
            hourPoints = points(analytics.traffic(view, hourFrom, to, ChronoUnit.MINUTES));
        }
        List<Point> dayPoints = points(analytics.traffic(view, dayFrom, to, ChronoUnit.HOURS));
        List<ApiRow> top = lastDay.topApis().stream()
                .map(t -> new ApiRow(t.name() != null ? t.name() : t.model() != null ? t.model() : "(deleted API)",
                        t.calls(), t.errors()))
                .toList();
        String url = "/monitoring/figures" + (scope.equals(usual) ? "" : "?as=" + scope);
        return new Figures(scope, heading, url, CLOCK.format(now), provider, window(lastHour), window(lastDay),
                hourPoints, dayPoints, chart(hourPoints, "Calls", "Errors", false),
                scope.equals("platform") ? chart(hourPoints, null, null, true) : null,
                chart(dayPoints, "Calls", "Errors", false), top, scope.equals("platform") ? node() : null);
    }

    private static List<Point> points(Analytics.Traffic traffic) {
        return traffic.points().stream().map(p -> new Point(MINUTE.format(p.bucket()), p.calls(), p.errors(), 0,
                p.p95(), 0)).toList();
    }

    private static Window window(Analytics.Overview o) {
        boolean none = o.calls() == 0;
        return new Window(o.calls(), o.errors(), AdminFormats.percent(none ? null : o.errorRate()),
                none ? "—" : o.latency().p50() + " ms", none ? "—" : o.latency().p95() + " ms",
                none ? "—" : o.latency().p99() + " ms");
    }

    /** A line chart: calls and errors, or the latency percentiles. */
    private String chart(List<Point> points, String calls, String errors, boolean latency) {
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        if (latency) {
            series.put("p50 (ms)", points.stream().map(Point::p50).toList());
            series.put("p95 (ms)", points.stream().map(Point::p95).toList());
            series.put("p99 (ms)", points.stream().map(Point::p99).toList());
        } else {
            series.put(calls, points.stream().map(Point::calls).toList());
            series.put(errors, points.stream().map(Point::errors).toList());
        }
        return PortalCharts.line(json, points.stream().map(Point::time).toList(), series, latency ? "ms" : "calls");
    }

    @SuppressWarnings("unchecked")
    private Node node() {
        Map<String, Object> s = stats.read();
        NodeHealth.Report report = health.report();
        Map<String, Object> database = (Map<String, Object>) ((Map<String, Object>) report.body().get("checks"))
                .get("database");
        Map<String, Object> cpu = (Map<String, Object>) s.get("cpu");
        Map<String, Object> heap = (Map<String, Object>) s.get("heap");
        Map<String, Object> memory = (Map<String, Object>) s.get("memory");
        Map<String, Object> threads = (Map<String, Object>) s.get("threads");
        Map<String, Object> requests = (Map<String, Object>) s.get("requests");
        Map<String, Object> minute = (Map<String, Object>) requests.get("last_minute");
        Map<String, Object> hour = (Map<String, Object>) requests.get("last_hour");
        List<QueueRow> queues = ((List<Map<String, Object>>) s.get("queues")).stream().map(q -> {
            long depth = number(q.get("depth"));
            Object capacity = q.get("capacity");
            return new QueueRow((String) q.get("name"), depth, capacity == null ? "unbounded" : capacity.toString(),
                    capacity == null || number(capacity) == 0
                            ? "—"
                            : AdminFormats.percent((double) depth / number(capacity)));
        }).toList();
        Object load = cpu.get("system_load_average");
        return new Node(report.healthy() ? "ok" : "unavailable", String.valueOf(database.get("status")),
                number(database.get("latency_ms")), String.valueOf(s.get("version")),
                AdminFormats.duration(number(s.get("uptime_seconds"))), AdminFormats.percent(fraction(cpu
                        .get("process_cpu_load"))),
                AdminFormats.percent(fraction(cpu.get("system_cpu_load"))),
                load == null ? "—" : String.format(Locale.ROOT, "%.2f", ((Number) load).doubleValue()),
                (int) number(cpu.get("available_processors")),
                AdminFormats.megabytes(number(heap.get("used_bytes"))),
                heap.get("max_bytes") == null ? "—" : AdminFormats.megabytes(number(heap.get("max_bytes"))),
                AdminFormats.percent(fraction(heap.get("used_fraction"))),
                AdminFormats.percent(fraction(memory.get("used_fraction"))),
                threads.get("live") + " live, " + threads.get("peak") + " peak", number(minute.get("requests")),
                String.valueOf(minute.get("per_second")), AdminFormats.percent(fraction(minute.get("error_rate"))),
                number(hour.get("requests")), number(hour.get("server_errors")),
                AdminFormats.percent(fraction(hour.get("error_rate"))), queues);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static Double fraction(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}
