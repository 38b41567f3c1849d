package dev.tollgate.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.TestClock;
import dev.tollgate.testing.WithUpstream;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The analytics endpoints against a known set of calls made through the gateway: consumer A makes five calls to the
 * provider's API in minute M (three successes from DE, a 404 from FR, a 500 without a country), consumer B two
 * successes from US in minute M+2. A is on a pay-per-call plan at 0.01 (20% platform fee; the upstream's 500 is not
 * charged, so four charged calls), B on the free plan. The
 * application's clock is moved three days ahead so no other test's calls share these minutes.
 */
abstract class AnalyticsScenarios extends WithUpstream {

    /** Made once per application (database), by the first test that needs it. */
    static Fixture fixture;

    @Inject
    TestClock clock;

    record Fixture(Duration offset, Instant minute, PublishedApi api, PublishedApi otherApi, Caller a, Caller b,
            Caller otherCaller) {

        String from() {
            return minute.minusSeconds(3600).toString();
        }

        String to() {
            return minute.plusSeconds(3600).toString();
        }

        /** A window start before the real time, when the ledger wrote the charges. */
        String sinceRealNow() {
            return minute.minus(Duration.ofDays(4)).toString();
        }
    }

    @BeforeAll
    static void forgetTheFixture() {
        fixture = null;
    }

    @BeforeEach
    void knownCalls() throws InterruptedException {
        clock.reset();
        if (fixture == null) {
            fixture = makeCalls();
        }
        clock.reset();
        clock.advance(fixture.offset());
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private Fixture makeCalls() throws InterruptedException {
        Api.User provider = Api.register("provider");
        PublishedApi api = Gateway.publish(provider, upstream.baseUrl(),
                Map.of("name", Api.uniqueName("Shop, \"Main\"")));
        Caller a = Gateway.payingCaller(api, 0.01, 10);
        Caller b = Gateway.subscribe(api, api.defaultPlanId());
        PublishedApi otherApi = Gateway.publish(upstream.baseUrl());
        Caller otherCaller = Gateway.subscribe(otherApi, otherApi.defaultPlanId());

        Instant now = clock.instant();
        Instant minute = Instant.ofEpochSecond((now.getEpochSecond() / 60 + 1) * 60).plus(Duration.ofDays(3));
        clock.advance(Duration.between(now, minute.plusSeconds(1)));
        String gw = "/gw/" + api.slug();
        for (int i = 1; i <= 3; i++) {
            a.call().header("CF-IPCountry", "DE").get(gw + "/echo/items/" + i).then().statusCode(200);
        }
        a.call().header("CF-IPCountry", "fr").get(gw + "/status/404").then().statusCode(404);
        a.call().get(gw + "/status/500").then().statusCode(500);
        assertThat(clock.instant()).as("the calls took under a minute").isBefore(minute.plusSeconds(60));
        clock.advance(Duration.ofMinutes(2));
        b.call().header("CF-IPCountry", "US").get(gw + "/echo/x").then().statusCode(200);
        b.call().header("CF-IPCountry", "US").get(gw + "/echo/x").then().statusCode(200);
        // the other provider's API: a call that must never show in the first provider's or the consumers' figures
        otherCaller.call().header("CF-IPCountry", "DE").get("/gw/" + otherApi.slug() + "/echo/y").then()
                .statusCode(200);
        Duration offset = Duration.between(Instant.now(), clock.instant());
        Fixture made = new Fixture(offset, minute, api, otherApi, a, b, otherCaller);
        // the usage writer folds the calls within its flush interval; charges are written in batches
        await(() -> get(provider, "/overview", "api_id", api.id()).getLong("calls") == 7);
        await(() -> money(get(provider, "/revenue").getList("gross")).compareTo(new BigDecimal("0.04")) == 0);
        fixture = made;
        await(() -> latencies(null).size() == 7);
        return made;
    }

    // --- figures -------------------------------------------------------------------------------------------------

    @Test
    void providers_overview_counts_the_calls_to_their_api_and_what_they_earned() {
        // from 4 days back: the ledger writes charges at the real time, the calls are 3 days ahead of it
        JsonPath o = get(fixture.api().provider(), "/overview", "from", fixture.sinceRealNow());
        assertThat(o.getString("as")).isEqualTo("provider");
        assertThat(o.getLong("calls")).isEqualTo(7);
        assertThat(o.getLong("errors")).isEqualTo(2);
        assertThat(o.getDouble("error_rate")).isEqualTo(0.2857);
        assertThat(new BigDecimal(o.getString("revenue.gross"))).isEqualByComparingTo("0.04");
        assertThat(new BigDecimal(o.getString("revenue.provider_earnings"))).isEqualByComparingTo("0.032");
        assertThat(new BigDecimal(o.getString("revenue.platform"))).isEqualByComparingTo("0.008");
        assertThat(o.getString("revenue.currency")).isEqualTo("usd");
        assertThat(o.getList("top_apis.api_id")).containsExactly(fixture.api().id());
        assertThat(o.getList("top_apis.calls", Integer.class)).containsExactly(7);
        assertThat(o.getList("top_consumers.consumer_id")).containsExactly(fixture.a().consumer().id(),
                fixture.b().consumer().id());
        assertThat(o.getList("top_consumers.username")).containsExactly(fixture.a().consumer().username(),
                fixture.b().consumer().username());
        assertThat(o.getList("top_consumers.errors", Integer.class)).containsExactly(2, 0);
        assertThat(o.getMap("$")).doesNotContainKey("spend");
        List<Integer> latencies = latencies(null);
        assertThat(o.getDouble("latency.avg"))
                .isEqualTo(Math.round(latencies.stream().mapToInt(i -> i).sum() * 100.0 / 7) / 100.0);
        assertWithinHistogramError(o.getLong("latency.p99"), latencies.get(latencies.size() - 1));
    }

    @Test
    void consumers_overview_counts_only_their_own_calls_and_their_spend() {
        JsonPath o = get(fixture.a().consumer(), "/overview", "from", fixture.sinceRealNow());
        assertThat(o.getString("as")).isEqualTo("consumer");
        assertThat(o.getLong("calls")).isEqualTo(5);
        assertThat(o.getLong("errors")).isEqualTo(2);
        assertThat(new BigDecimal(o.getString("spend.gateway"))).isEqualByComparingTo("0.04");
        assertThat(new BigDecimal(o.getString("spend.ai"))).isEqualByComparingTo("0");
        assertThat(new BigDecimal(o.getString("spend.total"))).isEqualByComparingTo("0.04");
        assertThat(o.getMap("$")).doesNotContainKeys("revenue", "top_consumers");
        assertThat(o.getList("top_apis.api_id")).containsExactly(fixture.api().id());

        JsonPath b = get(fixture.b().consumer(), "/overview");
        assertThat(b.getLong("calls")).isEqualTo(2);
        assertThat(b.getLong("errors")).isZero();
        assertThat(new BigDecimal(b.getString("spend.total"))).isEqualByComparingTo("0");
    }

    @Test
    void traffic_lists_every_bucket_with_zeros_for_empty_ones() {
        String from = fixture.minute().toString();
        String to = fixture.minute().plusSeconds(180).toString();
        JsonPath provider = get(fixture.api().provider(), "/traffic", "bucket", "minute", "from", from, "to", to);
        assertThat(provider.getList("points.bucket")).containsExactly(from,
                fixture.minute().plusSeconds(60).toString(), fixture.minute().plusSeconds(120).toString());
        assertThat(provider.getList("points.calls", Integer.class)).containsExactly(5, 0, 2);
        assertThat(provider.getList("points.errors", Integer.class)).containsExactly(2, 0, 0);
        assertThat(provider.getLong("points[1].p95")).isZero();
        List<Integer> bLatencies = latencies("/echo/x");
        assertWithinHistogramError(provider.getLong("points[2].p95"), bLatencies.get(bLatencies.size() - 1));

        JsonPath consumer = get(fixture.a().consumer(), "/traffic", "bucket", "minute", "from", from, "to", to);
        assertThat(consumer.getList("points.calls", Integer.class)).containsExactly(5, 0, 0);

        JsonPath hourly = get(fixture.api().provider(), "/traffic", "bucket", "hour", "from", fixture.from(), "to",
                fixture.to());
        List<Integer> hours = hourly.getList("points.calls", Integer.class);
        assertThat(hours).hasSize(fixture.minute().getEpochSecond() % 3600 == 0 ? 2 : 3);
        assertThat(hours.stream().mapToInt(i -> i).sum()).isEqualTo(7);
    }

    @Test
    void performance_gives_each_endpoints_latency_within_the_histograms_error() {
        JsonPath p = get(fixture.api().provider(), "/performance");
        assertThat(p.getList("endpoint")).containsExactly("GET /echo/items/{id}", "GET /echo/x",
                "GET /status/{id}");
        assertThat(p.getList("calls", Integer.class)).containsExactly(3, 2, 2);
        List<Integer> items = latencies("/echo/items/");
        assertThat(p.getInt("[0].min")).isEqualTo(items.get(0));
        assertThat(p.getInt("[0].max")).isEqualTo(items.get(2));
        assertThat(p.getDouble("[0].avg"))
                .isEqualTo(Math.round(items.stream().mapToInt(i -> i).sum() * 100.0 / 3) / 100.0);
        assertWithinHistogramError(p.getLong("[0].p50"), items.get(1));
        assertWithinHistogramError(p.getLong("[0].p95"), items.get(2));
        assertWithinHistogramError(p.getLong("[0].p99"), items.get(2));
        assertThat(p.getString("[0].api_name")).startsWith("Shop, \"Main\"");
    }

    @Test
    void errors_are_counted_per_endpoint_and_status_class_with_the_time_of_the_last_one() {
        for (Api.User who : List.of(fixture.api().provider(), fixture.a().consumer())) {
            JsonPath e = get(who, "/errors");
            assertThat(e.getList("endpoint")).containsExactly("GET /status/{id}", "GET /status/{id}");
            assertThat(e.getList("status")).containsExactly("4xx", "5xx");
            assertThat(e.getList("count", Integer.class)).containsExactly(1, 1);
            // the newest error of each, to the millisecond, from the rollups; and as the request logs have it
            assertThat(e.getList("last_occurred", String.class)).allSatisfy(at -> assertThat(Instant.parse(at))
                    .isBetween(fixture.minute(), fixture.minute().plusSeconds(59)));
            assertThat(e.getList("last_error.at", String.class).stream().map(Instant::parse).toList())
                    .isEqualTo(e.getList("last_occurred", String.class).stream().map(Instant::parse).toList());
            assertThat(e.getList("last_error.status", Integer.class)).containsExactly(404, 500);
            assertThat(e.getList("last_error.path", String.class)).allSatisfy(
                    path -> assertThat(path).matches("/gw/.+/status/(404|500)"));
            assertThat(e.getList("last_error.request_id", String.class)).doesNotContainNull().doesNotHaveDuplicates();
        }
        assertThat(get(fixture.b().consumer(), "/errors").getList("$")).isEmpty();
    }

    @Test
    void geography_counts_calls_per_country_with_unknown_when_no_header() {
        JsonPath g = get(fixture.api().provider(), "/geography");
        assertThat(g.getList("country")).containsExactly("DE", "US", "FR", "unknown");
        assertThat(g.getList("calls", Integer.class)).containsExactly(3, 2, 1, 1);
        assertThat(g.getList("errors", Integer.class)).containsExactly(0, 0, 1, 1);
    }

    @Test
    void usage_has_seed_004s_shape() {
        JsonPath u = get(fixture.api().provider(), "/usage", "days", "1");
        assertThat(u.getLong("total_events")).isEqualTo(7);
        assertThat(u.getLong("api_calls")).isEqualTo(7);
        assertThat(u.getLong("errors")).isEqualTo(2);
        assertThat(u.getMap("$")).containsKeys("avg_response_time", "period_start", "period_end");
        assertThat(Duration.between(Instant.parse(u.getString("period_start")),
                Instant.parse(u.getString("period_end")))).isEqualTo(Duration.ofDays(1));
        assertThat(get(fixture.a().consumer(), "/usage", "days", "90").getLong("total_events")).isEqualTo(5);
    }

    @Test
    void revenue_is_per_api_per_day_from_the_ledger() {
        JsonPath r = get(fixture.api().provider(), "/revenue");
        assertThat(r.getList("api_id")).containsOnly(fixture.api().id());
        assertThat(r.getList("calls", Integer.class).stream().mapToInt(i -> i).sum()).isEqualTo(4);
        assertThat(money(r.getList("gross"))).isEqualByComparingTo("0.04");
        assertThat(money(r.getList("provider_earnings"))).isEqualByComparingTo("0.032");
        assertThat(money(r.getList("platform"))).isEqualByComparingTo("0.008");
        assertThat(get(fixture.otherApi().provider(), "/revenue").getList("$")).isEmpty();
    }

    @Test
    void admins_see_everything_and_filter_by_api_or_consumer() {
        Api.User admin = Api.admin();
        assertThat(get(admin, "/overview").getString("as")).isEqualTo("admin");
        assertThat(get(admin, "/overview").getLong("calls")).isGreaterThanOrEqualTo(8);
        assertThat(get(admin, "/overview", "api_id", fixture.api().id()).getLong("calls")).isEqualTo(7);
        assertThat(get(admin, "/overview", "consumer_id", fixture.a().consumer().id()).getLong("calls"))
                .isEqualTo(5);
        assertThat(get(admin, "/overview", "api_id", fixture.otherApi().id()).getLong("calls")).isEqualTo(1);
        assertThat(get(admin, "/performance", "api_id", fixture.api().id()).getList("calls", Integer.class))
                .containsExactly(3, 2, 2);
    }

    @Test
    void the_platform_view_has_every_minute_of_the_last_day() {
        JsonPath p = admin("/api/v1/admin/analytics/platform").then().statusCode(200).extract().jsonPath();
        List<String> minutes = p.getList("minute");
        assertThat(minutes).hasSize(1440);
        int m = minutes.indexOf(fixture.minute().toString());
        assertThat(m).isNotNegative();
        assertThat(p.getLong("[" + m + "].calls")).isEqualTo(5);
        assertThat(p.getLong("[" + m + "].errors")).isEqualTo(2);
        assertThat(p.getDouble("[" + m + "].error_rate")).isEqualTo(0.4);
        assertThat(p.getLong("[" + m + "].active_consumers")).isEqualTo(1);
        assertThat(p.getLong("[" + (m + 1) + "].calls")).isZero();
        assertThat(p.getLong("[" + (m + 2) + "].calls")).isEqualTo(3);
        assertThat(p.getLong("[" + (m + 2) + "].active_consumers")).isEqualTo(2);
        List<Integer> first = latencies("/echo/items/");
        assertThat(p.getLong("[" + m + "].p50")).isPositive();
        assertThat(p.getLong("[" + m + "].p99")).isGreaterThanOrEqualTo(first.get(0));

        // the platform's fees are written (real time) by the minute of their ledger entries
        clock.reset();
        JsonPath now = admin("/api/v1/admin/analytics/platform").then().statusCode(200).extract().jsonPath();
        assertThat(money(now.getList("revenue"))).isGreaterThanOrEqualTo(new BigDecimal("0.008"));
    }

    // --- CSV -----------------------------------------------------------------------------------------------------

    @Test
    void list_endpoints_answer_csv_with_a_header_row_and_rfc_4180_quoting() {
        Response traffic = fixture.api().provider().as().queryParam("format", "csv").queryParam("bucket", "minute")
                .queryParam("from", fixture.minute().toString())
                .queryParam("to", fixture.minute().plusSeconds(180).toString()).get("/api/v1/analytics/traffic");
        traffic.then().statusCode(200).contentType(containsString("text/csv"));
        assertThat(traffic.asString()).startsWith("bucket,calls,errors,p95\r\n" + fixture.minute() + ",5,2,")
                .contains("\r\n" + fixture.minute().plusSeconds(60) + ",0,0,0\r\n");
        assertThat(traffic.asString().split("\r\n")).hasSize(4);

        String performance = csv(fixture.api().provider(), "/performance");
        String[] lines = performance.split("\r\n");
        assertThat(lines[0]).isEqualTo("api_id,api_name,endpoint,calls,avg,min,max,p50,p95,p99");
        assertThat(lines[1]).startsWith(fixture.api().id() + ",\"Shop, \"\"Main\"\"")
                .contains(",GET /echo/items/{id},3,");
        assertThat(lines).hasSize(4);

        assertThat(csv(fixture.api().provider(), "/errors")).startsWith(
                "api_id,api_name,endpoint,status,count,last_occurred,last_status,last_method,last_path,last_request_id,last_at\r\n")
                .containsPattern(",GET /status/\\{id},4xx,1," + fixture.minute().toString().substring(0, 16)
                        + "[^,]*,404,GET,/gw/")
                .containsPattern(",GET /status/\\{id},5xx,1," + fixture.minute().toString().substring(0, 16)
                        + "[^,]*,500,GET,/gw/");
        assertThat(csv(fixture.api().provider(), "/geography"))
                .isEqualTo("country,calls,errors\r\nDE,3,0\r\nUS,2,0\r\nFR,1,1\r\nunknown,1,1\r\n");
        assertThat(csv(fixture.api().provider(), "/revenue")).startsWith(
                "day,api_id,api_name,calls,gross,provider_earnings,platform,currency\r\n").contains(",usd\r\n");
        Response platform = admin("/api/v1/admin/analytics/platform?format=csv");
        platform.then().statusCode(200).contentType(containsString("text/csv"));
        assertThat(platform.asString().split("\r\n")).hasSize(1441);
        assertThat(platform.asString()).startsWith("minute,calls,errors,error_rate,p50,p95,p99,active_consumers,"
                + "revenue,ai_revenue\r\n");
    }

    // --- who sees what -------------------------------------------------------------------------------------------

    @Test
    void nobody_sees_anothers_calls() {
        Caller a = fixture.a();
        // a consumer's view of another consumer, or of a private API they cannot see
        a.consumer().as().queryParam("consumer_id", fixture.b().consumer().id()).get("/api/v1/analytics/overview")
                .then().statusCode(403).contentType(containsString("application/problem+json"));
        PublishedApi hidden = Gateway.publish(fixture.otherApi().provider(), upstream.baseUrl(),
                Map.of("visibility", "private"));
        a.consumer().as().queryParam("api_id", hidden.id()).get("/api/v1/analytics/overview").then()
                .statusCode(404).contentType(containsString("application/problem+json"));
        // a provider's view of another provider's API
        fixture.otherApi().provider().as().queryParam("api_id", fixture.api().id()).get("/api/v1/analytics/errors")
                .then().statusCode(404);
        JsonPath other = get(fixture.otherApi().provider(), "/overview");
        assertThat(other.getLong("calls")).isEqualTo(1);
        assertThat(other.getList("top_consumers.consumer_id")).containsExactly(fixture.otherCaller().consumer().id());
        // consumers do not get providers' reports; a consumer is not a provider
        a.consumer().as().get("/api/v1/analytics/performance").then().statusCode(403);
        a.consumer().as().get("/api/v1/analytics/revenue").then().statusCode(403);
        a.consumer().as().queryParam("as", "provider").get("/api/v1/analytics/overview").then().statusCode(403);
        a.consumer().as().queryParam("as", "admin").get("/api/v1/analytics/overview").then().statusCode(403);
        a.consumer().as().get("/api/v1/admin/analytics/platform").then().statusCode(403);
        // a provider who also calls APIs chooses their consumer view
        Api.User provider = fixture.otherApi().provider();
        assertThat(get(provider, "/overview", "as", "consumer").getLong("calls")).isZero();
        // a public API filters a consumer's own calls (there are none to it)
        PublishedApi open = Gateway.publish(upstream.baseUrl());
        assertThat(get(a.consumer(), "/overview", "api_id", open.id()).getLong("calls")).isZero();
    }

    @Test
    void bad_parameters_are_400_problems_and_change_nothing() {
        Api.User provider = fixture.api().provider();
        Map<String, Map<String, String>> bad = Map.of("/overview", Map.of("from", "yesterday"), "/errors",
                Map.of("from", fixture.to(), "to", fixture.from()), "/geography",
                Map.of("from", "2020-01-01", "to", "2021-02-05"), "/traffic",
                Map.of("bucket", "minute", "from", fixture.from(), "to",
                        fixture.minute().plus(Duration.ofDays(2)).toString()),
                "/performance", Map.of("api_id", "not-a-uuid"), "/revenue", Map.of("format", "xml"), "/usage",
                Map.of("days", "91"));
        List<String> details = new ArrayList<>();
        bad.forEach((path, params) -> details.add(provider.as().queryParams(params).get("/api/v1/analytics" + path)
                .then().statusCode(400).contentType(containsString("application/problem+json")).extract()
                .jsonPath().getString("detail")));
        assertThat(details).allSatisfy(d -> assertThat(d).isNotBlank());
        provider.as().queryParam("bucket", "week").get("/api/v1/analytics/traffic").then().statusCode(400)
                .body("detail", containsString("bucket"));
        provider.as().queryParam("days", "0").get("/api/v1/analytics/usage").then().statusCode(400);
        provider.as().queryParam("days", "abc").get("/api/v1/analytics/usage").then().statusCode(400);
        provider.as().queryParam("as", "god").get("/api/v1/analytics/overview").then().statusCode(400);
        provider.as().queryParam("bucket", "minute").queryParam("from", fixture.from())
                .queryParam("to", fixture.minute().plus(Duration.ofDays(2)).toString())
                .get("/api/v1/analytics/traffic").then().statusCode(400).body("detail", containsString("coarser"));
        assertThat(get(provider, "/overview").getLong("calls")).isEqualTo(7);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    static JsonPath get(Api.User user, String path, String... params) {
        var request = user.as();
        for (int i = 0; i < params.length; i += 2) {
            request = request.queryParam(params[i], params[i + 1]);
        }
        return request.get("/api/v1/analytics" + path).then().statusCode(200).extract().jsonPath();
    }

    static String csv(Api.User user, String path) {
        Response response = user.as().queryParam("format", "csv").get("/api/v1/analytics" + path);
        response.then().statusCode(200).contentType(containsString("text/csv"));
        return response.asString();
    }

    static Response admin(String path) {
        return Api.admin().as().get(path);
    }

    static BigDecimal money(List<Object> amounts) {
        return amounts.stream().map(a -> new BigDecimal(a.toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The latencies of the provider's API's calls (from its request logs) whose path contains {@code part}, sorted. */
    static List<Integer> latencies(String part) {
        JsonPath logs = fixture.api().provider().as().get("/api/v1/apis/" + fixture.api().id() + "/logs").then()
                .statusCode(200).extract().jsonPath();
        List<Integer> latencies = new ArrayList<>();
        List<String> paths = logs.getList("path");
        List<Integer> values = logs.getList("latency_ms", Integer.class);
        for (int i = 0; i < paths.size(); i++) {
            if (part == null || paths.get(i).contains(part)) {
                latencies.add(values.get(i));
            }
        }
        latencies.sort(null);
        return latencies;
    }

    /** HdrHistogram at two significant digits: within 1% (and values under 100 ms exact). */
    static void assertWithinHistogramError(long actual, long exact) {
        assertThat((double) actual).isCloseTo(exact, org.assertj.core.data.Offset.offset(Math.max(1, exact * 0.01)));
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited 10 s for the calls to be counted").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
