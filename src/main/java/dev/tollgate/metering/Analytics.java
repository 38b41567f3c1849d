package dev.tollgate.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.billing.Revenue;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.metering.internal.raw.RawEvents;
import dev.tollgate.metering.rollup.Endpoints;
import dev.tollgate.metering.rollup.Granularity;
import dev.tollgate.metering.rollup.UsageRollups;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;

/**
 * The analytics reports ({@code /api/v1/analytics}, the admin's platform view), computed from the usage rollups
 * (calls, errors, latency histograms; minute resolution) and, for money, from the ledger. Every report is over the
 * minutes that start in [from, to) and of the calls a {@link View} selects; the web layer decides the view from who
 * asks. Money in JSON is a decimal number of currency units.
 */
@ApplicationScoped
public class Analytics {

    /** How many APIs and consumers the overview lists. */
    static final int TOP = 10;
    /** For how many rows (endpoint and status class, most errors first) {@code /errors} looks up the request log. */
    static final int LAST_ERRORS = 20;
    /** How many of the logged errors of the API at the millisecond of the last error are searched. */
    private static final int LOGS_SEARCHED = 100;

    /** Whose eyes a report is for. */
    public enum Perspective {
        PROVIDER, CONSUMER, ADMIN;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The calls a report covers: those to {@code apiIds} (null: every API) by {@code consumerId} (null: anyone's). A
     * provider's view is limited to their APIs, a consumer's to their own calls.
     */
    public record View(Perspective as, Set<UUID> apiIds, UUID consumerId) {

        UsageFilter usage() {
            return new UsageFilter(apiIds, consumerId, null, null);
        }

        /** The narrow rollups of the view's calls with one row per API and bucket (a consumer's: per API called). */
        LatencyFilter perApi() {
            return consumerId != null ? LatencyFilter.consumer(consumerId, apiIds) : LatencyFilter.apis(apiIds);
        }

        /** The narrow rollups of the view's calls in the fewest rows: the platform's when it covers everything. */
        LatencyFilter all() {
            return consumerId == null && apiIds == null ? LatencyFilter.PLATFORM : perApi();
        }

        /** The narrow rollups of the view's calls with one row per consumer and bucket (per API too when filtered). */
        LatencyFilter perConsumer() {
            return consumerId == null && apiIds == null
                    ? LatencyFilter.CALLERS
                    : consumerId == null ? LatencyFilter.consumers(apiIds) : perApi();
        }
    }

    public record LatencySummary(double avg, long p50, long p95, long p99) {
    }

    /** What consumers paid: AI calls (from the usage rollups) and gateway calls and subscriptions (the ledger). */
    public record Spend(BigDecimal total, BigDecimal ai, BigDecimal gateway, String currency) {
    }

    /** What calls and subscriptions of the APIs brought: paid by consumers, the providers' and the platform's shares. */
    public record RevenueTotals(BigDecimal gross, BigDecimal providerEarnings, BigDecimal platform, String currency) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TopApi(UUID apiId, String name, String slug, String model, long calls, long errors) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TopConsumer(UUID consumerId, String username, long calls, long errors) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Overview(String as, Instant from, Instant to, long calls, long errors, double errorRate,
            LatencySummary latency, Spend spend, RevenueTotals revenue, List<TopApi> topApis,
            List<TopConsumer> topConsumers) {
    }

    /** One bucket of traffic; {@code p95} latency in ms. */
    public record TrafficPoint(Instant bucket, long calls, long errors, long p95) {
    }

    public record Traffic(String as, String bucket, Instant from, Instant to, List<TrafficPoint> points) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointPerformance(UUID apiId, String apiName, String endpoint, long calls, double avg, int min,
            int max, long p50, long p95, long p99) {
    }

    /**
     * Errors of one status class ("4xx", "5xx") on one endpoint, when the newest one happened, and that newest error
     * as the request logs have it (when they still do).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointErrors(UUID apiId, String apiName, String endpoint, String status, long count,
            Instant lastOccurred, LoggedError lastError) {
    }

    /** One logged call that failed: its exact status, method and path, request id and time. */
    public record LoggedError(int status, String method, String path, String requestId, Instant at) {
    }

    public record CountryCalls(String country, long calls, long errors) {
    }

    /** Seed 004's usage summary: every recorded call, those that reached the API, errors, mean latency in ms. */
    public record UsageSummary(long totalEvents, long apiCalls, long errors, double avgResponseTime,
            Instant periodStart, Instant periodEnd) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RevenueDay(LocalDate day, UUID apiId, String apiName, long calls, BigDecimal gross,
            BigDecimal providerEarnings, BigDecimal platform, String currency) {
    }

    /** One minute of the whole platform; latency in ms; revenue: the platform's (fees, AI calls, account tiers). */
    public record PlatformMinute(Instant minute, long calls, long errors, double errorRate, long p50, long p95,
            long p99, long activeConsumers, BigDecimal revenue, BigDecimal aiRevenue) {
    }

    private final UsageRollups rollups;
    private final RawEvents rawEvents;
    private final Revenue revenue;
    private final ApiCatalog catalog;
    private final UserDirectory users;

    Analytics(UsageRollups rollups, RawEvents rawEvents, Revenue revenue, ApiCatalog catalog, UserDirectory users) {
        this.rollups = rollups;
        this.rawEvents = rawEvents;
        this.revenue = revenue;
        this.catalog = catalog;
        this.users = users;
    }

    // --- reports ---------------------------------------------------------------------------------------------------

    public Overview overview(View view, Instant from, Instant to) {
        List<UsageGroup> byApi = rollups.sums(view.perApi(), from, to, null,
                EnumSet.of(UsageDimension.API, UsageDimension.MODEL));
        long calls = 0;
        long errors = 0;
        long aiCost = 0;
        Map<UUID, long[]> apis = new HashMap<>();
        Map<UUID, String> models = new HashMap<>();
        for (UsageGroup g : byApi) {
            calls += g.totals().calls();
            errors += g.totals().errors();
            aiCost += g.totals().costMicros();
            long[] sum = apis.computeIfAbsent(g.apiId(), a -> new long[2]);
            sum[0] += g.totals().calls();
            sum[1] += g.totals().errors();
            if (g.model() != null) {
                models.put(g.apiId(), g.model());
            }
        }
        LatencyStats latency = single(rollups.latency(view.all(), from, to, null, Set.of()));
        List<Map.Entry<UUID, long[]>> top = apis.entrySet().stream()
                .sorted(Comparator.<Map.Entry<UUID, long[]>>comparingLong(e -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .limit(TOP).toList();
        Map<UUID, ApiView> names = catalog.summaries(top.stream().map(Map.Entry::getKey).toList());
        List<TopApi> topApis = top.stream().map(e -> {
            ApiView api = names.get(e.getKey());
            return new TopApi(e.getKey(), api == null ? null : api.name(), api == null ? null : api.slug(),
                    models.get(e.getKey()), e.getValue()[0], e.getValue()[1]);
        }).toList();
        Spend spend = null;
        RevenueTotals money = null;
        List<TopConsumer> topConsumers = null;
        if (view.as() == Perspective.CONSUMER) {
            long gateway = revenue.gatewaySpend(view.consumerId(), view.apiIds(), from, to);
            spend = new Spend(Money.fromMicros(aiCost + gateway), Money.fromMicros(aiCost), Money.fromMicros(gateway),
                    revenue.currency());
        } else {
            long gross = 0;
            long earnings = 0;
            long platform = 0;
            for (Revenue.ApiDay d : revenue.byApiAndDay(view.apiIds(), from, to)) {
                gross += d.gross();
                earnings += d.providerEarnings();
                platform += d.platform();
            }
            money = new RevenueTotals(Money.fromMicros(gross), Money.fromMicros(earnings), Money.fromMicros(platform),
                    revenue.currency());
            topConsumers = topConsumers(view, from, to);
        }
        return new Overview(view.as().id(), from, to, calls, errors, rate(errors, calls),
                new LatencySummary(latency.avg(), latency.p50(), latency.p95(), latency.p99()), spend, money, topApis,
                topConsumers);
    }

    private List<TopConsumer> topConsumers(View view, Instant from, Instant to) {
        List<UsageGroup> top = rollups.sums(view.perConsumer(), from, to, null, EnumSet.of(UsageDimension.CONSUMER))
                .stream().sorted(Comparator.<UsageGroup>comparingLong(g -> -g.totals().calls())
                        .thenComparing(UsageGroup::consumerId))
                .limit(TOP).toList();
        List<TopConsumer> out = new ArrayList<>(top.size());
        for (UsageGroup g : top) {
            out.add(new TopConsumer(g.consumerId(), username(g.consumerId()), g.totals().calls(),
                    g.totals().errors()));
        }
        return out;
    }

    private String username(UUID userId) {
        try {
            return users.get(userId).username();
        } catch (ProblemException e) {
            return null; // the user was deleted; their calls still count
        }
    }

    /** Buckets from the one holding {@code from} up to {@code to}, every one listed (zeros when empty). */
    public Traffic traffic(View view, Instant from, Instant to, Granularity bucket) {
        Map<Instant, LatencyGroup> buckets = new HashMap<>();
        for (LatencyGroup g : rollups.latency(view.all(), from, to, bucket, EnumSet.of(UsageDimension.BUCKET))) {
            buckets.put(g.bucket(), g);
        }
        List<TrafficPoint> points = new ArrayList<>();
        for (long b = bucket.floor(from.toEpochMilli()); b < to.toEpochMilli(); b += bucket.millis) {
            Instant at = Instant.ofEpochMilli(b);
            LatencyGroup g = buckets.get(at);
            points.add(g == null
                    ? new TrafficPoint(at, 0, 0, 0)
                    : new TrafficPoint(at, g.totals().calls(), g.totals().errors(), g.stats().p95()));
        }
        return new Traffic(view.as().id(), bucket.name().toLowerCase(java.util.Locale.ROOT), from, to, points);
    }

    /**
     * {@link #traffic(View, Instant, Instant, Granularity)} by the minute, hour or day ({@code MINUTES}, {@code HOURS},
     * {@code DAYS}), for callers outside metering.
     */
    public Traffic traffic(View view, Instant from, Instant to, java.time.temporal.ChronoUnit bucket) {
        Granularity granularity = switch (bucket) {
            case MINUTES -> Granularity.MINUTE;
            case HOURS -> Granularity.HOUR;
            case DAYS -> Granularity.DAY;
            default -> throw new IllegalArgumentException("traffic by the minute, hour or day, not " + bucket);
        };
        return traffic(view, from, to, granularity);
    }

    /** How many points {@link #traffic} would list. */
    public static long points(Instant from, Instant to, Granularity bucket) {
        long start = bucket.floor(from.toEpochMilli());
        return Math.floorDiv(to.toEpochMilli() - start + bucket.millis - 1, bucket.millis);
    }

    /** Per endpoint of the view's APIs, busiest first (providers' and admins' views; latency of the endpoints). */
    public List<EndpointPerformance> performance(View view, Instant from, Instant to) {
        List<LatencyGroup> groups = rollups.latency(LatencyFilter.endpoints(view.apiIds()), from, to, null,
                EnumSet.of(UsageDimension.API, UsageDimension.ENDPOINT));
        Map<UUID, ApiView> names = names(groups.stream().map(LatencyGroup::apiId).toList());
        return groups.stream().filter(g -> g.stats().calls() > 0)
                .sorted(Comparator.<LatencyGroup>comparingLong(g -> -g.stats().calls())
                        .thenComparing(LatencyGroup::apiId).thenComparing(LatencyGroup::endpoint))
                .map(g -> {
                    LatencyStats s = g.stats();
                    return new EndpointPerformance(g.apiId(), name(names, g.apiId()), g.endpoint(), s.calls(),
                            s.avg(), s.min(), s.max(), s.p50(), s.p95(), s.p99());
                }).toList();
    }

    /** Per endpoint and status class (4xx, 5xx), most errors first. */
    public List<EndpointErrors> errors(View view, Instant from, Instant to) {
        List<ClassErrors> classes = new ArrayList<>();
        for (UsageGroup g : sums(view, LatencyFilter.endpoints(view.apiIds()), from, to,
                EnumSet.of(UsageDimension.API, UsageDimension.ENDPOINT))) {
            UsageTotals t = g.totals();
            if (t.clientErrors() > 0) {
                classes.add(new ClassErrors(g.apiId(), g.endpoint(), 4, t.clientErrors(), t.lastClientErrorAt()));
            }
            if (t.serverErrors() > 0) {
                classes.add(new ClassErrors(g.apiId(), g.endpoint(), 5, t.serverErrors(), t.lastServerErrorAt()));
            }
        }
        classes.sort(Comparator.comparingLong((ClassErrors c) -> -c.count()).thenComparing(ClassErrors::apiId)
                .thenComparing(ClassErrors::endpoint).thenComparingInt(ClassErrors::statusClass));
        Map<UUID, ApiView> names = names(classes.stream().map(ClassErrors::apiId).toList());
        List<EndpointErrors> out = new ArrayList<>(classes.size());
        for (ClassErrors c : classes) {
            LoggedError logged = c.last() == null || out.size() >= LAST_ERRORS ? null : logged(view, c);
            out.add(new EndpointErrors(c.apiId(), name(names, c.apiId()), c.endpoint(), c.statusClass() + "xx",
                    c.count(), c.last(), logged));
        }
        return out;
    }

    /** The errors of one status class (4 or 5) on one endpoint, and when the newest happened (null: unknown). */
    private record ClassErrors(UUID apiId, String endpoint, int statusClass, long count, Instant last) {
    }

    /**
     * The logged call of the view that failed on the endpoint with the status class at the millisecond the rollups
     * give as its newest error, or null when the logs no longer have it.
     */
    private LoggedError logged(View view, ClassErrors errors) {
        Instant at = errors.last();
        for (UsageQueries.CallLog call : rawEvents.logs(errors.apiId(),
                new UsageQueries.StatusFilter(null, errors.statusClass()), at, at.plusMillis(1), 0, LOGS_SEARCHED)
                .items()) {
            if ((view.consumerId() == null || view.consumerId().equals(call.consumerId()))
                    && (errors.endpoint().equals(Endpoints.OTHER)
                            || errors.endpoint().equals(Endpoints.template(call.method(), call.path())))) {
                return new LoggedError(call.status(), call.method(), call.path(), call.requestId(), call.at());
            }
        }
        return null;
    }

    /** Calls and errors per country (two-letter code, or {@code unknown}), busiest first. */
    public List<CountryCalls> geography(View view, Instant from, Instant to) {
        return sums(view, LatencyFilter.geography(view.apiIds()), from, to, EnumSet.of(UsageDimension.COUNTRY))
                .stream()
                .map(g -> new CountryCalls(g.country(), g.totals().calls(), g.totals().errors()))
                .sorted(Comparator.comparingLong((CountryCalls c) -> -c.calls()).thenComparing(CountryCalls::country))
                .toList();
    }

    public UsageSummary usage(View view, Instant from, Instant to) {
        List<UsageGroup> all = rollups.sums(view.all(), from, to, null, Set.of());
        UsageTotals t = all.isEmpty() ? UsageTotals.NONE : all.get(0).totals();
        return new UsageSummary(t.calls(), t.dispatched(), t.errors(), t.latencyAvgMs(), from, to);
    }

    /** Per day and API (providers' and admins' views). */
    public List<RevenueDay> revenue(View view, Instant from, Instant to) {
        List<Revenue.ApiDay> days = revenue.byApiAndDay(view.apiIds(), from, to);
        Map<UUID, ApiView> names = names(days.stream().map(Revenue.ApiDay::apiId).toList());
        String currency = revenue.currency();
        return days.stream().map(d -> new RevenueDay(d.day(), d.apiId(), name(names, d.apiId()), d.calls(),
                Money.fromMicros(d.gross()), Money.fromMicros(d.providerEarnings()), Money.fromMicros(d.platform()),
                currency)).toList();
    }

    /** Every minute in [from, to) (from and to whole minutes), oldest first, zeros when nothing happened. */
    public List<PlatformMinute> platform(Instant from, Instant to) {
        Map<Instant, LatencyGroup> calls = new HashMap<>();
        for (LatencyGroup g : rollups.latency(LatencyFilter.PLATFORM, from, to, Granularity.MINUTE,
                EnumSet.of(UsageDimension.BUCKET))) {
            calls.put(g.bucket(), g);
        }
        Map<Instant, Integer> consumers = rollups.activeConsumers(from, to);
        Map<Instant, Revenue.Minute> money = new HashMap<>();
        for (Revenue.Minute m : revenue.platformPerMinute(from, to)) {
            money.put(m.minute(), m);
        }
        List<PlatformMinute> minutes = new ArrayList<>();
        for (long m = Granularity.MINUTE.floor(from.toEpochMilli()); m < to.toEpochMilli(); m += 60_000L) {
            Instant at = Instant.ofEpochMilli(m);
            LatencyGroup g = calls.get(at);
            UsageTotals t = g == null ? UsageTotals.NONE : g.totals();
            LatencyStats l = g == null ? LatencyStats.NONE : g.stats();
            Revenue.Minute r = money.get(at);
            minutes.add(new PlatformMinute(at, t.calls(), t.errors(), rate(t.errors(), t.calls()), l.p50(), l.p95(),
                    l.p99(), consumers.getOrDefault(at, 0), Money.fromMicros(r == null ? 0 : r.micros()),
                    Money.fromMicros(r == null ? 0 : r.aiMicros())));
        }
        return minutes;
    }

    /** Whether the consumer has any calls to the API in [from, to) (an API id they may filter their view by). */
    public boolean called(UUID consumerId, UUID apiId, Instant from, Instant to) {
        return !rollups.sums(LatencyFilter.consumer(consumerId, Set.of(apiId)), from, to, null, Set.of()).isEmpty();
    }

    /**
     * One API's (or AI model's) calls over a window, for the marketplace: calls, the share not answered with a server
     * error (null without calls), and the median latency in ms (null without calls).
     */
    public record ApiFigures(long calls, Double uptime, Long p50LatencyMs) {
    }

    /** The figures of every API with calls in [from, to), from the narrow rollups of each API. */
    public Map<UUID, ApiFigures> apiFigures(Instant from, Instant to) {
        Map<UUID, ApiFigures> figures = new HashMap<>();
        for (LatencyGroup group : rollups.latency(LatencyFilter.apis(null), from, to, null,
                Set.of(UsageDimension.API))) {
            UsageTotals t = group.totals();
            if (t.calls() > 0) {
                figures.put(group.apiId(), new ApiFigures(t.calls(),
                        Math.round((t.calls() - t.serverErrors()) * 10_000.0 / t.calls()) / 10_000.0,
                        group.stats().p50()));
            }
        }
        return figures;
    }

    /** Whether the consumer has had at least one answer below 400 from the API (or AI model) in [from, to). */
    public boolean succeeded(UUID consumerId, UUID apiId, Instant from, Instant to) {
        return rollups.calls(new UsageFilter(Set.of(apiId), consumerId, null, null), from, to, null,
                Set.of(UsageDimension.STATUS_CLASS)).stream()
                .anyMatch(g -> g.statusClass() != null && g.statusClass() < 4 && g.totals().calls() > 0);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /**
     * The view's calls grouped {@code by}: from {@code narrow} (of the view's APIs), or, for a consumer's own calls,
     * which the narrow rollups of endpoints and countries do not keep per consumer, from the wide ones.
     */
    private List<UsageGroup> sums(View view, LatencyFilter narrow, Instant from, Instant to, Set<UsageDimension> by) {
        return view.consumerId() != null
                ? rollups.calls(view.usage(), from, to, null, by)
                : rollups.sums(narrow, from, to, null, by);
    }

    private Map<UUID, ApiView> names(Collection<UUID> ids) {
        Set<UUID> distinct = new HashSet<>(ids);
        distinct.remove(null);
        return distinct.isEmpty() ? Map.of() : catalog.summaries(distinct);
    }

    private static String name(Map<UUID, ApiView> names, UUID id) {
        ApiView api = names.get(id);
        return api == null ? null : api.name();
    }

    private static LatencyStats single(List<LatencyGroup> groups) {
        return groups.isEmpty() ? LatencyStats.NONE : groups.get(0).stats();
    }

    private static double rate(long errors, long calls) {
        return calls == 0 ? 0 : Math.round(errors * 10_000.0 / calls) / 10_000.0;
    }
}
