package dev.tollgate.gateway;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Rate limits, the tier's hourly cap and monthly quotas, enforced exactly and reported in headers. */
@QuarkusTest
class GatewayLimitsTest extends WithUpstream {

    @TestHTTPResource("/")
    URI root;

    @Test
    void with_a_limit_of_n_exactly_n_parallel_calls_pass() throws Exception {
        int limit = 20;
        int parallel = 32;
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Twenty", "type", "free", "rate_limit",
                Map.of("requests", limit, "period", "day")));
        Caller caller = Gateway.subscribe(api, plan);
        int before = upstream.hits();

        Map<Integer, Long> counts = Gateway.callInParallel(root, api.slug(), caller.key(), parallel, parallel);
        assertThat(counts).containsOnly(Map.entry(200, (long) limit), Map.entry(429, (long) (parallel - limit)));
        assertThat(upstream.hits() - before).isEqualTo(limit);
    }

    @Test
    void every_response_carries_rate_limit_headers_and_429_says_when_to_retry() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Three", "type", "free", "rate_limit",
                Map.of("requests", 3, "period", "hour")));
        Caller caller = Gateway.subscribe(api, plan);
        for (int remaining = 2; remaining >= 0; remaining--) {
            Response ok = caller.call().get("/gw/" + api.slug() + "/echo");
            ok.then().statusCode(200).header("X-RateLimit-Limit", "3")
                    .header("X-RateLimit-Remaining", String.valueOf(remaining))
                    .header("RateLimit-Policy", "\"plan\";q=3;w=3600, \"tier\";q=100;w=3600")
                    .header("RateLimit", containsString("\"plan\";r=" + remaining + ";t="));
            long reset = Long.parseLong(ok.header("X-RateLimit-Reset"));
            assertThat(reset).isBetween(1L, 3600L);
        }
        Response limited = caller.call().get("/gw/" + api.slug() + "/echo");
        limited.then().statusCode(429).contentType("application/problem+json").header("X-RateLimit-Remaining", "0")
                .body("detail", containsString("3 requests per hour"));
        assertThat(Long.parseLong(limited.header("Retry-After"))).isEqualTo(
                Long.parseLong(limited.header("X-RateLimit-Reset")));
    }

    @Test
    void the_free_tier_caps_all_calls_at_100_an_hour_until_the_user_moves_up() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        PublishedApi other = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.consumer().as().body(Map.of("api_id", other.id(), "plan_id", other.defaultPlanId()))
                .post("/api/v1/subscriptions").then().statusCode(201);
        for (int i = 0; i < 100; i++) {
            // spread over two APIs: the tier cap counts every call of the consumer
            PublishedApi target = i % 2 == 0 ? api : other;
            caller.call().get("/gw/" + target.slug() + "/echo").then().statusCode(200)
                    .header("X-RateLimit-Limit", "100").header("X-RateLimit-Remaining", String.valueOf(99 - i));
        }
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(429)
                .body("detail", containsString("free tier")).header("RateLimit", containsString("\"tier\";r=0"));

        Api.admin().as().body(Map.of("plan", "pro")).put("/api/v1/admin/users/" + caller.consumer().id()).then()
                .statusCode(200);
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200).header("X-RateLimit-Limit", "1000")
                .header("X-RateLimit-Remaining", "899");
    }

    @Test
    void a_monthly_quota_is_counted_and_then_refused() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Quota", "type", "free", "monthly_quota", 3));
        Caller caller = Gateway.subscribe(api, plan);
        for (int remaining = 2; remaining >= 0; remaining--) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200).header("X-Quota-Limit", "3")
                    .header("X-Quota-Remaining", String.valueOf(remaining));
        }
        int before = upstream.hits();
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(429).contentType("application/problem+json")
                .header("X-Quota-Limit", "3").header("X-Quota-Remaining", "0")
                .body("title", equalTo("Quota Exceeded")).body("detail", containsString("monthly quota of 3"));
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void rate_limit_usage_reports_the_current_windows_of_my_keys() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Ten", "type", "free", "rate_limit",
                Map.of("requests", 10, "period", "minute"), "monthly_quota", 50));
        Caller caller = Gateway.subscribe(api, plan);
        for (int i = 0; i < 4; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        }
        var usage = caller.consumer().as().get("/api/v1/rate-limit/usage").then().statusCode(200).extract()
                .jsonPath();
        assertThat(usage.getString("tier.tier")).isEqualTo("free");
        assertThat(usage.getLong("tier.hourly.used")).isEqualTo(4);
        assertThat(usage.getList("windows")).hasSize(1);
        assertThat(usage.getString("windows[0].key_id")).isEqualTo(caller.keyId());
        assertThat(usage.getString("windows[0].period")).isEqualTo("minute");
        assertThat(usage.getLong("windows[0].rate_limit.used")).isEqualTo(4);
        assertThat(usage.getLong("windows[0].rate_limit.remaining")).isEqualTo(6);
        assertThat(usage.getLong("windows[0].monthly_quota.used")).isEqualTo(4);
        assertThat(usage.getLong("windows[0].monthly_quota.limit")).isEqualTo(50);
    }

    @Test
    void calls_refused_for_want_of_credit_use_up_neither_rate_limit_nor_quota() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Metered", "type", "pay_per_call", "price_per_call", "0.001",
                "rate_limit", Map.of("requests", 3, "period", "hour"), "monthly_quota", 4));
        Caller caller = Gateway.subscribe(api, plan);
        for (int i = 0; i < 5; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(402);
        }
        Api.grantCredits(caller.consumer(), "1");
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200).header("X-RateLimit-Remaining", "2")
                .header("X-Quota-Remaining", "3");
        for (int i = 1; i < 3; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200)
                    .header("X-RateLimit-Remaining", String.valueOf(2 - i))
                    .header("X-Quota-Remaining", String.valueOf(3 - i));
        }
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(429)
                .body("detail", containsString("3 requests per hour"));
    }

    @Test
    void calls_refused_for_want_of_credit_do_not_use_up_the_monthly_quota() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Metered", "type", "pay_per_call", "price_per_call", "0.001",
                "monthly_quota", 3));
        Caller caller = Gateway.subscribe(api, plan);
        for (int i = 0; i < 5; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(402);
        }
        Api.grantCredits(caller.consumer(), "1");
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200).header("X-Quota-Remaining", "2");
        for (int i = 1; i < 3; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200)
                    .header("X-Quota-Remaining", String.valueOf(2 - i));
        }
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(429)
                .body("title", equalTo("Quota Exceeded"));
    }

    @Test
    void calls_refused_as_forbidden_use_up_neither_the_tier_cap_nor_the_quota() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Two a month", "type", "free", "monthly_quota", 2));
        Caller caller = Gateway.subscribe(api, plan);
        PublishedApi elsewhere = Gateway.publish(upstream.baseUrl());
        String scopedElsewhere = caller.consumer().as().body(Map.of("name", "other", "api_ids",
                java.util.List.of(elsewhere.id()))).post("/api/v1/api-keys").then().statusCode(201).extract()
                .path("key");
        for (int i = 0; i < 5; i++) {
            given().header("X-API-Key", scopedElsewhere).get("/gw/" + api.slug() + "/echo").then().statusCode(403);
        }
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200).header("X-Quota-Remaining", "1")
                .header("X-RateLimit-Remaining", "99");
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200).header("X-Quota-Remaining", "0");
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(429)
                .body("title", equalTo("Quota Exceeded"));
    }

    @Test
    void calls_refused_by_the_quota_give_their_rate_limit_token_back() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Small", "type", "free", "rate_limit",
                Map.of("requests", 5, "period", "hour"), "monthly_quota", 2));
        Caller caller = Gateway.subscribe(api, plan);
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        for (int i = 0; i < 4; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(429)
                    .body("title", equalTo("Quota Exceeded"));
        }
        var usage = caller.consumer().as().get("/api/v1/rate-limit/usage").then().statusCode(200).extract()
                .jsonPath();
        assertThat(usage.getLong("windows[0].rate_limit.used")).isEqualTo(2);
        assertThat(usage.getLong("windows[0].monthly_quota.used")).isEqualTo(2);
        assertThat(usage.getLong("tier.hourly.used")).isEqualTo(2);
    }

    @Test
    void an_apis_owner_testing_it_is_not_capped_by_the_free_tier_but_by_the_plans_own_limit() {
        Api.User provider = Api.register("provider");
        PublishedApi api = Gateway.publish(provider, upstream.baseUrl(), Map.of());
        Caller owner = Gateway.subscribe(provider, api, api.defaultPlanId());
        for (int i = 0; i < 105; i++) {
            owner.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        }
        String limited = Gateway.addPlan(api, Map.of("name", "Two", "type", "free", "rate_limit",
                Map.of("requests", 2, "period", "hour")));
        owner.consumer().as().body(Map.of("plan_id", limited)).put("/api/v1/subscriptions/"
                + owner.subscriptionId()).then().statusCode(200);
        owner.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200)
                .header("RateLimit-Policy", "\"plan\";q=2;w=3600");
        owner.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        owner.call().get("/gw/" + api.slug() + "/echo").then().statusCode(429)
                .body("detail", containsString("2 requests per hour"));

        // on someone else's API the same provider is a free-tier consumer like any other
        PublishedApi other = Gateway.publish(upstream.baseUrl());
        Gateway.subscribe(provider, other, other.defaultPlanId()).call().get("/gw/" + other.slug() + "/echo").then()
                .statusCode(200).header("RateLimit-Policy", "\"tier\";q=100;w=3600")
                .header("X-RateLimit-Remaining", "99");
    }

    @Test
    void admins_are_not_capped_by_their_tier() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller admin = Gateway.subscribe(Api.admin(), api, api.defaultPlanId());
        for (int i = 0; i < 105; i++) {
            admin.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        }
    }
}
