package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.accounts.UserView;
import dev.tollgate.billing.BillingConfig;
import dev.tollgate.billing.Payouts;
import dev.tollgate.billing.Revenue;
import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.catalog.OpenApiImport;
import dev.tollgate.catalog.PlanView;
import dev.tollgate.catalog.Plans;
import dev.tollgate.marketplace.ListingView;
import dev.tollgate.marketplace.Marketplace;
import dev.tollgate.metering.Analytics;
import dev.tollgate.metering.UsageQueries;
import dev.tollgate.platform.ProblemException;

/**
 * The provider dashboard: my APIs and a form for a new one; one API's settings, plans, OpenAPI import, marketplace
 * listing, pause/resume and delete; its analytics and request logs; my revenue and payouts. Every change goes through
 * the same services as the JSON API, which check that the API is the signed-in provider's (or that they are an admin).
 */
@Path("/provider")
@PortalPage
@Produces("text/html")
class ProviderPages {

    /** Request logs shown per page (and per "load more"). */
    static final int LOG_PAGE = 50;
    /** Payouts shown in the history. */
    static final int PAYOUTS_SHOWN = 50;

    /** A window of the analytics page: how far back and how wide a bucket. */
    record Range(String id, String label, Duration length, ChronoUnit unit) {
    }

    static final List<Range> RANGES = List.of(new Range("24h", "Last 24 hours", Duration.ofHours(24), ChronoUnit.HOURS),
            new Range("7d", "Last 7 days", Duration.ofDays(7), ChronoUnit.HOURS),
            new Range("30d", "Last 30 days", Duration.ofDays(30), ChronoUnit.DAYS));

    private final Pages pages;
    private final ApiCatalog catalog;
    private final Plans plans;
    private final OpenApiImport openApi;
    private final Marketplace marketplace;
    private final Analytics analytics;
    private final UsageQueries usage;
    private final UserDirectory users;
    private final Revenue revenue;
    private final Payouts payouts;
    private final BillingConfig billing;
    private final ObjectMapper json;
    private final Clock clock;

    ProviderPages(Pages pages, ApiCatalog catalog, Plans plans, OpenApiImport openApi, Marketplace marketplace,
            Analytics analytics, UsageQueries usage, UserDirectory users, Revenue revenue, Payouts payouts,
            BillingConfig billing, ObjectMapper json, Clock clock) {
        this.pages = pages;
        this.catalog = catalog;
        this.plans = plans;
        this.openApi = openApi;
        this.marketplace = marketplace;
        this.analytics = analytics;
        this.usage = usage;
        this.users = users;
        this.revenue = revenue;
        this.payouts = payouts;
        this.billing = billing;
        this.json = json;
        this.clock = clock;
    }

    // --- my APIs ----------------------------------------------------------------------------------------------------

    /** One of my APIs in the list. */
    record ApiRow(UUID id, String name, String slug, String kind, String status, String visibility, boolean listed,
            long calls30d, String earned30d) {
    }

    /** What was typed into the "New API" form. */
    record NewApiForm(String name, String baseUrl, String description, String category, String visibility) {
    }

    @GET
    public Response dashboard() {
        return dashboard(200, new NewApiForm("", "", "", "", "private"), null);
    }

    @POST
    @Path("apis")
    public Response create(@RestForm String name, @RestForm("base_url") String baseUrl,
            @RestForm String description, @RestForm String category, @RestForm String visibility) {
        UserView me = pages.user(Role.PROVIDER);
        NewApiForm typed = new NewApiForm(trim(name), trim(baseUrl), trim(description), trim(category),
                "public".equals(visibility) ? "public" : "private");
        try {
            ApiView api = catalog.create(me.id(), new ApiCatalog.ApiDraft(blankToNull(typed.name()), null,
                    blankToNull(typed.description()), blankToNull(typed.baseUrl()), null,
                    blankToNull(typed.category()), null, typed.visibility(), null, null));
            return pages.redirect("/provider/apis/" + api.id(), "Your API " + api.name() + " is live at "
                    + api.gatewayUrl() + ". Add plans and publish it to the marketplace.");
        } catch (ProblemException e) {
            return dashboard(e.status(), typed, e.detail());
        }
    }

    private Response dashboard(int status, NewApiForm form, String error) {
        UserView me = pages.user(Role.PROVIDER);
        List<ApiView> mine = catalog.mine(me.id());
        Set<UUID> ids = mine.stream().map(ApiView::id).collect(Collectors.toSet());
        Instant now = clock.instant();
        Instant monthStart = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Instant since = now.minus(Duration.ofDays(30));
        Map<UUID, Long> calls30d = ids.isEmpty() ? Map.of() : analytics.callsByApi(providerView(ids), since, now);
        Map<UUID, Long> earned30d = new HashMap<>();
        for (Revenue.ApiDay day : revenue.byApiAndDay(ids, since, now)) {
            earned30d.merge(day.apiId(), day.providerEarnings(), Long::sum);
        }
        long callsThisMonth = ids.isEmpty()
                ? 0
                : analytics.callsByApi(providerView(ids), monthStart, now).values().stream().mapToLong(Long::longValue)
                        .sum();
        long earnedThisMonth = revenue.byApiAndDay(ids, monthStart, now).stream()
                .mapToLong(Revenue.ApiDay::providerEarnings).sum();
        String currency = revenue.currency();
        List<ApiRow> rows = mine.stream().map(a -> new ApiRow(a.id(), a.name(), a.slug(), a.kind(), a.status(),
                a.visibility(), marketplace.shown(a.id()).isPresent(), calls30d.getOrDefault(a.id(), 0L),
                ProviderFormat.micros(earned30d.getOrDefault(a.id(), 0L), currency))).toList();
        return pages.html(status, pages.template("provider").data("apis", rows).data("form", form)
                .data("error", error).data("callsThisMonth", callsThisMonth)
                .data("earnedThisMonth", ProviderFormat.micros(earnedThisMonth, currency))
                .data("month", LocalDate.ofInstant(now, ZoneOffset.UTC).getMonth().getDisplayName(
                        java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH))
                .render());
    }

    // --- one API ----------------------------------------------------------------------------------------------------

    /** The settings form, as stored or as typed. */
    record SettingsForm(String name, String description, String baseUrl, String version, String category,
            String tags, String visibility, String timeoutMs) {

        static SettingsForm of(ApiView api) {
            return new SettingsForm(api.name(), api.description(), api.baseUrl() == null ? "" : api.baseUrl(),
                    api.version(), api.category() == null ? "" : api.category(), String.join(", ", api.tags()),
                    api.visibility(), api.timeoutMs() == null ? "" : api.timeoutMs().toString());
        }
    }

    /** A plan's form (id empty for a new plan), as stored or as typed. */
    record PlanForm(String id, String name, String type, String pricePerCall, String monthlyPrice,
            String includedCalls, String rateRequests, String ratePeriod, String monthlyQuota) {

        static final PlanForm NEW = new PlanForm("", "", "pay_per_call", "", "", "", "", "minute", "");

        static PlanForm of(PlanView plan) {
            return new PlanForm(plan.id().toString(), plan.name(), plan.type(), plain(plan.pricePerCall()),
                    plain(plan.monthlyPrice()), plan.includedCalls() == 0 ? "" : Long.toString(plan.includedCalls()),
                    plan.rateLimit() == null ? "" : Long.toString(plan.rateLimit().requests()),
                    plan.rateLimit() == null ? "minute" : plan.rateLimit().period(),
                    plan.monthlyQuota() == null ? "" : plan.monthlyQuota().toString());
        }

        private static String plain(BigDecimal amount) {
            return amount == null || amount.signum() == 0 ? "" : amount.stripTrailingZeros().toPlainString();
        }
    }

    /** A plan in the list: its form (for editing), its price and its limits in words. */
    record PlanRow(PlanForm form, String price, String limits, boolean isDefault) {
    }

    record PublishForm(String title, String description, String category, String tags) {
    }

    record ImportForm(String document, String url) {
    }

    /** An imported endpoint in the list. */
    record EndpointRow(String method, String path, String summary, boolean deprecated) {
    }

    @GET
    @Path("apis/{id}")
    public Response api(@RestPath UUID id) {
        return apiPage(id, 200, null, null, null);
    }

    @POST
    @Path("apis/{id}/settings")
    public Response updateSettings(@RestPath UUID id, @RestForm String name, @RestForm String description,
            @RestForm("base_url") String baseUrl, @RestForm String version, @RestForm String category,
            @RestForm String tags, @RestForm String visibility, @RestForm("timeout_ms") String timeoutMs) {
        Actor actor = actor();
        SettingsForm typed = new SettingsForm(trim(name), trim(description), trim(baseUrl), trim(version),
                trim(category), trim(tags), "public".equals(visibility) ? "public" : "private", trim(timeoutMs));
        try {
            ApiView api = catalog.requireManaged(id, actor, "change it");
            Long timeout = whole("timeout_ms", typed.timeoutMs());
            // blank description or base URL: unchanged (an API keeps both); blank category or tags: none
            ApiView changed = catalog.update(id, actor, new ApiCatalog.ApiDraft(typed.name(), null,
                    blankToNull(typed.description()), "hosted".equals(api.kind()) ? null : blankToNull(typed.baseUrl()),
                    typed.version(), typed.category(), tags(typed.tags()), typed.visibility(),
                    timeout == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, timeout)),
                    null));
            return pages.redirect("/provider/apis/" + id, "Settings of " + changed.name() + " saved.");
        } catch (ProblemException e) {
            return formError(id, e, "settings", typed);
        }
    }

    @POST
    @Path("apis/{id}/pause")
    public Response pause(@RestPath UUID id) {
        return setPaused(id, true);
    }

    @POST
    @Path("apis/{id}/resume")
    public Response resume(@RestPath UUID id) {
        return setPaused(id, false);
    }

    private Response setPaused(UUID id, boolean paused) {
        ApiView api = catalog.setPaused(id, actor(), paused);
        return pages.redirect("/provider/apis/" + id, paused
                ? api.name() + " is paused: gateway calls get 503 until you resume it."
                : api.name() + " is running again.");
    }

    @POST
    @Path("apis/{id}/delete")
    public Response delete(@RestPath UUID id, @RestForm String confirm) {
        Actor actor = actor();
        ApiView api = catalog.requireManaged(id, actor, "delete it");
        if (!api.slug().equals(trim(confirm))) {
            return formError(id, ProblemException.invalid("confirm", "type the API's slug (" + api.slug()
                    + ") to confirm that it is to be deleted"), "delete", null);
        }
        catalog.delete(id, actor);
        return pages.redirect("/provider", api.name() + " was deleted with its plans and subscriptions.");
    }

    @POST
    @Path("apis/{id}/plans")
    public Response addPlan(@RestPath UUID id, @RestForm String name, @RestForm String type,
            @RestForm("price_per_call") String pricePerCall, @RestForm("monthly_price") String monthlyPrice,
            @RestForm("included_calls") String includedCalls, @RestForm("rate_requests") String rateRequests,
            @RestForm("rate_period") String ratePeriod, @RestForm("monthly_quota") String monthlyQuota) {
        PlanForm typed = new PlanForm("", trim(name), trim(type), trim(pricePerCall), trim(monthlyPrice),
                trim(includedCalls), trim(rateRequests), trim(ratePeriod), trim(monthlyQuota));
        try {
            PlanView plan = plans.create(id, actor(), draft(typed));
            return pages.redirect("/provider/apis/" + id + "#plans", "Plan " + plan.name() + " added.");
        } catch (ProblemException e) {
            return formError(id, e, "plan-new", typed);
        }
    }

    @POST
    @Path("apis/{id}/plans/{planId}")
    public Response updatePlan(@RestPath UUID id, @RestPath UUID planId, @RestForm String name,
            @RestForm String type, @RestForm("price_per_call") String pricePerCall,
            @RestForm("monthly_price") String monthlyPrice, @RestForm("included_calls") String includedCalls,
            @RestForm("rate_requests") String rateRequests, @RestForm("rate_period") String ratePeriod,
            @RestForm("monthly_quota") String monthlyQuota) {
        PlanForm typed = new PlanForm(planId.toString(), trim(name), trim(type), trim(pricePerCall),
                trim(monthlyPrice), trim(includedCalls), trim(rateRequests), trim(ratePeriod), trim(monthlyQuota));
        try {
            PlanView plan = plans.update(id, planId, actor(), draft(typed));
            return pages.redirect("/provider/apis/" + id + "#plans", "Plan " + plan.name() + " saved.");
        } catch (ProblemException e) {
            return formError(id, e, planId.toString(), typed);
        }
    }

    @POST
    @Path("apis/{id}/plans/{planId}/delete")
    public Response deletePlan(@RestPath UUID id, @RestPath UUID planId) {
        try {
            plans.delete(id, planId, actor());
            return pages.redirect("/provider/apis/" + id + "#plans", "Plan deleted.");
        } catch (ProblemException e) {
            return formError(id, e, planId.toString(), null);
        }
    }

    @POST
    @Path("apis/{id}/openapi")
    public Response importOpenApi(@RestPath UUID id, @RestForm String document, @RestForm String url) {
        ImportForm typed = new ImportForm(document == null ? "" : document, trim(url));
        try {
            String body;
            if (!typed.url().isEmpty()) {
                body = json.writeValueAsString(Map.of("url", typed.url()));
            } else if (!typed.document().isBlank()) {
                body = typed.document();
            } else {
                throw ProblemException.invalid("document", "paste an OpenAPI document or give the URL of one");
            }
            OpenApiImport.Imported imported = openApi.importDocument(id, actor(), body);
            return pages.redirect("/provider/apis/" + id + "#endpoints", imported.endpointCount()
                    + " endpoint(s) imported" + (imported.title() == null ? "" : " from " + imported.title()) + ".");
        } catch (ProblemException e) {
            return formError(id, e, "openapi", typed);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @POST
    @Path("apis/{id}/publish")
    public Response publish(@RestPath UUID id, @RestForm String title, @RestForm String description,
            @RestForm String category, @RestForm String tags, @Context UriInfo uri) {
        PublishForm typed = new PublishForm(trim(title), trim(description), trim(category), trim(tags));
        try {
            String origin = uri.getBaseUri().toString().replaceAll("/+$", "");
            Marketplace.Published published = marketplace.publish(actor(), new Marketplace.Publish(id,
                    blankToNull(typed.title()), blankToNull(typed.description()), blankToNull(typed.category()),
                    typed.tags().isEmpty() ? null : tags(typed.tags()), null, null), origin);
            return pages.redirect("/provider/apis/" + id + "#listing", published.created()
                    ? "Listed on the marketplace."
                    : "Listing updated.");
        } catch (ProblemException e) {
            return formError(id, e, "publish", typed);
        }
    }

    @POST
    @Path("apis/{id}/unpublish")
    public Response unpublish(@RestPath UUID id) {
        try {
            marketplace.unpublish(actor(), id);
            return pages.redirect("/provider/apis/" + id + "#listing", "Taken off the marketplace.");
        } catch (ProblemException e) {
            return formError(id, e, "publish", null);
        }
    }

    /**
     * The API's page again with the form's error beside the form (and its status); when the API is not the signed-in
     * provider's, showing it fails as the change did and the problem is the error page.
     */
    private Response formError(UUID id, ProblemException e, String section, Record typed) {
        return apiPage(id, e.status(), section, e.detail(), typed);
    }

    private Response apiPage(UUID id, int status, String section, String error, Record typed) {
        Actor actor = actor();
        ApiView api = catalog.requireManaged(id, actor, "manage it");
        String currency = revenue.currency();
        List<PlanRow> planRows = plans.list(id, actor).stream().map(p -> new PlanRow(
                typed instanceof PlanForm f && f.id().equals(p.id().toString()) ? f : PlanForm.of(p),
                price(p, currency), limits(p), p.isDefault())).toList();
        List<EndpointRow> endpoints = openApi.endpoints(id, actor).stream()
                .map(e -> new EndpointRow(e.method(), e.path(), e.summary(), e.deprecated())).toList();
        ListingView listing = marketplace.shown(id).orElse(null);
        PublishForm publish = typed instanceof PublishForm p
                ? p
                : listing == null
                        ? new PublishForm("", "", api.category() == null ? "" : api.category(), "")
                        : new PublishForm(orEmpty(listing.title()), orEmpty(listing.description()),
                                orEmpty(listing.category()),
                                listing.tags() == null ? "" : String.join(", ", listing.tags()));
        Map<String, String> errors = new HashMap<>();
        if (section != null) {
            errors.put(section, error);
        }
        return pages.html(status, pages.template("provider-api").data("api", api)
                .data("settings", typed instanceof SettingsForm s ? s : SettingsForm.of(api))
                .data("plans", planRows)
                .data("newPlan", typed instanceof PlanForm f && f.id().isEmpty() ? f : PlanForm.NEW)
                .data("endpoints", endpoints)
                .data("openapi", typed instanceof ImportForm f ? f : new ImportForm("", ""))
                .data("listed", listing != null)
                .data("listingSlug", listing == null ? api.slug() : listing.slug())
                .data("publish", publish)
                .data("errors", errors)
                .render());
    }

    private static Plans.PlanDraft draft(PlanForm f) {
        String type = blankToNull(f.type());
        BigDecimal perCall = "free".equals(type) ? null : decimal("price_per_call", f.pricePerCall());
        BigDecimal monthly = "subscription".equals(type) ? decimal("monthly_price", f.monthlyPrice()) : null;
        Long requests = whole("rate_limit.requests", f.rateRequests());
        return new Plans.PlanDraft(blankToNull(f.name()), type, perCall, monthly,
                "subscription".equals(type) ? whole("included_calls", f.includedCalls()) : null,
                requests == null ? null : new PlanView.RateLimit(requests, f.ratePeriod()),
                whole("monthly_quota", f.monthlyQuota()));
    }

    private static String price(PlanView p, String currency) {
        return switch (p.type()) {
            case "free" -> "Free";
            case "pay_per_call" -> PortalFormat.money(p.pricePerCall(), currency) + " per call";
            case "subscription" -> PortalFormat.money(p.monthlyPrice(), currency) + " per month"
                    + (p.includedCalls() > 0 ? ", " + p.includedCalls() + " calls included" : "")
                    + (p.pricePerCall() != null && p.pricePerCall().signum() > 0
                            ? ", then " + PortalFormat.money(p.pricePerCall(), currency) + " per call"
                            : "");
            default -> p.type();
        };
    }

    private static String limits(PlanView p) {
        List<String> limits = new ArrayList<>();
        if (p.rateLimit() != null) {
            limits.add(p.rateLimit().requests() + " per " + p.rateLimit().period());
        }
        if (p.monthlyQuota() != null) {
            limits.add(p.monthlyQuota() + " calls per month");
        }
        return limits.isEmpty() ? "No limits" : String.join(", ", limits);
    }

    // --- analytics --------------------------------------------------------------------------------------------------

    record SeriesRow(String label, long calls, long clientErrors, long serverErrors, long p50, long p95, long p99) {
    }

    record ConsumerRow(String name, long calls, long errors) {
    }

    record EndpointStats(String endpoint, long calls, long p50, long p95, long p99) {
    }

    @GET
    @Path("apis/{id}/analytics")
    public Response analytics(@RestPath UUID id, @RestQuery String range) {
        ApiView api = catalog.requireManaged(id, actor(), "see its analytics");
        Range chosen = RANGES.stream().filter(r -> r.id().equals(range)).findFirst().orElse(RANGES.get(0));
        Instant to = clock.instant();
        Instant from = to.minus(chosen.length());
        Analytics.View view = providerView(Set.of(id));
        java.time.format.DateTimeFormatter labels = chosen.unit() == ChronoUnit.DAYS
                ? ProviderFormat.DAY
                : ProviderFormat.HOUR;
        List<SeriesRow> series = analytics.series(view, from, to, chosen.unit()).stream()
                .map(p -> new SeriesRow(labels.format(p.bucket()), p.calls(), p.clientErrors(), p.serverErrors(),
                        p.p50(), p.p95(), p.p99()))
                .toList();
        Analytics.Overview overview = analytics.overview(view, from, to);
        List<ConsumerRow> consumers = overview.topConsumers() == null
                ? List.of()
                : overview.topConsumers().stream().map(c -> new ConsumerRow(
                        c.username() == null ? "(deleted user)" : c.username(), c.calls(), c.errors())).toList();
        List<EndpointStats> endpoints = analytics.performance(view, from, to).stream()
                .map(e -> new EndpointStats(e.endpoint(), e.calls(), e.p50(), e.p95(), e.p99())).toList();
        List<String> x = series.stream().map(SeriesRow::label).toList();
        Map<String, List<? extends Number>> traffic = new LinkedHashMap<>();
        traffic.put("Calls", series.stream().map(SeriesRow::calls).toList());
        Map<String, List<? extends Number>> latency = new LinkedHashMap<>();
        latency.put("p50", series.stream().map(SeriesRow::p50).toList());
        latency.put("p95", series.stream().map(SeriesRow::p95).toList());
        latency.put("p99", series.stream().map(SeriesRow::p99).toList());
        Map<String, List<? extends Number>> errors = new LinkedHashMap<>();
        errors.put("4xx", series.stream().map(SeriesRow::clientErrors).toList());
        errors.put("5xx", series.stream().map(SeriesRow::serverErrors).toList());
        Map<String, List<? extends Number>> top = new LinkedHashMap<>();
        top.put("Calls", consumers.stream().map(ConsumerRow::calls).toList());
        return pages.html(pages.template("provider-analytics").data("api", api).data("range", chosen)
                .data("ranges", RANGES).data("series", series).data("consumers", consumers)
                .data("endpoints", endpoints)
                .data("calls", overview.calls()).data("errorCount", overview.errors())
                .data("errorRate", String.format(java.util.Locale.ROOT, "%.2f%%", overview.errorRate() * 100))
                .data("latency", overview.latency())
                .data("trafficChart", PortalCharts.line(json, x, traffic, "calls"))
                .data("latencyChart", PortalCharts.line(json, x, latency, "ms"))
                .data("errorsChart", PortalCharts.bar(json, x, errors, true, false, "errors"))
                .data("consumersChart", PortalCharts.bar(json,
                        consumers.stream().map(ConsumerRow::name).toList(), top, false, true, "calls")));
    }

    // --- logs -------------------------------------------------------------------------------------------------------

    record LogRow(String time, String method, String path, int status, String badge, int latencyMs, String consumer,
            String requestId) {
    }

    static final List<String> STATUS_CLASSES = List.of("2xx", "3xx", "4xx", "5xx");

    @GET
    @Path("apis/{id}/logs")
    public Response logs(@RestPath UUID id, @RestQuery String status, @RestQuery String skip) {
        ApiView api = catalog.requireManaged(id, actor(), "read its request logs");
        String statusClass = status != null && STATUS_CLASSES.contains(status) ? status : "";
        int from = skip(skip);
        String rows = logRows(id, statusClass, from);
        if (pages.htmx() && from > 0) {
            return pages.html(200, rows);
        }
        return pages.html(pages.template("provider-logs").data("api", api).data("status", statusClass)
                .data("classes", STATUS_CLASSES).data("skip", from).data("rows", rows));
    }

    /** Rows of the logs table from {@code skip} on, ending with a "load more" row when there are more. */
    private String logRows(UUID id, String statusClass, int skip) {
        UsageQueries.StatusFilter filter = new UsageQueries.StatusFilter(null,
                statusClass.isEmpty() ? null : Integer.parseInt(statusClass.substring(0, 1)));
        UsageQueries.Page<UsageQueries.CallLog> page = usage.logs(id, filter, null, null, skip, LOG_PAGE);
        Map<UUID, String> names = users.usernames(page.items().stream().map(UsageQueries.CallLog::consumerId)
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet()));
        List<LogRow> rows = page.items().stream().map(c -> new LogRow(ProviderFormat.SECOND.format(c.at()),
                c.method(), c.path(), c.status(), c.status() >= 500 ? "error" : c.status() >= 400 ? "warn" : "ok",
                c.latencyMs(), c.consumerId() == null ? "—" : names.getOrDefault(c.consumerId(), "(deleted user)"),
                c.requestId())).toList();
        int next = skip + rows.size();
        String more = next < page.total()
                ? "/provider/apis/" + id + "/logs?" + (statusClass.isEmpty() ? "" : "status=" + statusClass + "&")
                        + "skip=" + next
                : null;
        return pages.template("provider-log-rows").data("rows", rows).data("more", more).data("total", page.total())
                .data("first", skip == 0).render();
    }

    private static int skip(String skip) {
        try {
            return skip == null || skip.isBlank() ? 0 : Math.max(0, Integer.parseInt(skip.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // --- revenue ----------------------------------------------------------------------------------------------------

    record MoneyRow(String label, long calls, String gross, String fee, String net) {
    }

    record PayoutRow(String requested, String amount, String status, String badge, String reference, String note,
            String decided) {
    }

    @GET
    @Path("revenue")
    public Response revenuePage() {
        return revenuePage(200, "", null);
    }

    @POST
    @Path("revenue/payouts")
    public Response requestPayout(@RestForm String amount) {
        UserView me = pages.user(Role.PROVIDER);
        try {
            Payouts.PayoutView payout = payouts.request(me.id(), decimal("amount", trim(amount)));
            return pages.redirect("/provider/revenue", "Payout of "
                    + PortalFormat.money(payout.amount(), payout.currency())
                    + " requested; an admin approves it.");
        } catch (ProblemException e) {
            return revenuePage(e.status(), trim(amount), e.detail());
        }
    }

    private Response revenuePage(int status, String amount, String error) {
        UserView me = pages.user(Role.PROVIDER);
        Payouts.Overview overview = payouts.overview(me.id());
        String currency = overview.currency();
        List<ApiView> mine = catalog.mine(me.id());
        Set<UUID> ids = mine.stream().map(ApiView::id).collect(Collectors.toSet());
        Map<UUID, String> names = mine.stream().collect(Collectors.toMap(ApiView::id, ApiView::name));
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(29);
        List<Revenue.ApiDay> days = revenue.byApiAndDay(ids, first.atStartOfDay(ZoneOffset.UTC).toInstant(), now);
        Map<LocalDate, long[]> byDay = new LinkedHashMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            byDay.put(d, new long[4]);
        }
        Map<UUID, long[]> byApi = new LinkedHashMap<>();
        long[] total = new long[4];
        for (Revenue.ApiDay d : days) {
            for (long[] sum : Arrays.asList(byDay.computeIfAbsent(d.day(), k -> new long[4]),
                    byApi.computeIfAbsent(d.apiId(), k -> new long[4]), total)) {
                sum[0] += d.calls();
                sum[1] += d.gross();
                sum[2] += d.platform();
                sum[3] += d.providerEarnings();
            }
        }
        List<MoneyRow> dayRows = byDay.entrySet().stream().map(e -> money(e.getKey().toString(), e.getValue(),
                currency)).toList();
        List<MoneyRow> apiRows = byApi.entrySet().stream()
                .map(e -> money(names.getOrDefault(e.getKey(), "(deleted API)"), e.getValue(), currency)).toList();
        Map<String, List<? extends Number>> chart = new LinkedHashMap<>();
        chart.put("Gross", byDay.values().stream().map(s -> ProviderFormat.units(s[1])).toList());
        chart.put("Platform fee", byDay.values().stream().map(s -> ProviderFormat.units(s[2])).toList());
        chart.put("Net (yours)", byDay.values().stream().map(s -> ProviderFormat.units(s[3])).toList());
        List<PayoutRow> history = payouts.of(me.id(), null, 0, PAYOUTS_SHOWN).stream()
                .map(p -> new PayoutRow(ProviderFormat.time(p.createdAt()), PortalFormat.money(p.amount(),
                        p.currency()), p.status(), switch (p.status()) {
                            case "paid" -> "ok";
                            case "rejected" -> "error";
                            default -> "warn";
                        }, p.reference(), p.note(), ProviderFormat.time(p.decidedAt())))
                .toList();
        List<MoneyRow> months = overview.byMonth().stream()
                .map(m -> new MoneyRow(m.month(), 0, "", "", PortalFormat.money(m.earned(), currency))).toList();
        return pages.html(status, pages.template("provider-revenue")
                .data("available", PortalFormat.money(overview.available(), currency))
                .data("pending", PortalFormat.money(overview.pending(), currency))
                .data("paidOut", PortalFormat.money(overview.paidOut(), currency))
                .data("feePercent", overview.platformFeePercent().stripTrailingZeros().toPlainString())
                .data("minPayout", PortalFormat.money(billing.minPayout(), currency))
                .data("total", money("Last 30 days", total, currency))
                .data("days", dayRows).data("byApi", apiRows).data("months", months).data("payouts", history)
                .data("chart", PortalCharts.bar(json, byDay.keySet().stream().map(LocalDate::toString).toList(),
                        chart, false, false, currency.toUpperCase(java.util.Locale.ROOT)))
                .data("amount", amount).data("error", error)
                .render());
    }

    private static MoneyRow money(String label, long[] sums, String currency) {
        return new MoneyRow(label, sums[0], ProviderFormat.micros(sums[1], currency),
                ProviderFormat.micros(sums[2], currency), ProviderFormat.micros(sums[3], currency));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** The signed-in provider (or admin) acting on the catalog. */
    private Actor actor() {
        UserView me = pages.user(Role.PROVIDER);
        return new Actor(me.id(), me.hasRole(Role.ADMIN));
    }

    private static Analytics.View providerView(Set<UUID> apiIds) {
        return new Analytics.View(Analytics.Perspective.PROVIDER, apiIds, null);
    }

    private static List<String> tags(String text) {
        return text == null || text.isBlank()
                ? List.of()
                : Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static BigDecimal decimal(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, "must be a number such as 0.01");
        }
    }

    private static Long whole(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, "must be a whole number");
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
