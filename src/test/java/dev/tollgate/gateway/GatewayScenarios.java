package dev.tollgate.gateway;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.TestUpstream;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The gateway end to end over a local upstream, run on each database by the subclasses. */
abstract class GatewayScenarios {

    static TestUpstream upstream;

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        upstream.close();
    }

    @Test
    void proxies_method_path_query_body_and_headers_and_strips_the_key() {
        PublishedApi api = Gateway.publish(upstream.baseUrl() + "/api");
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());

        Response response = caller.call().urlEncodingEnabled(false).header("X-Request-ID", "flow-test-1")
                .header("X-Custom", "kept")
                .header("Connection", "X-Drop-Me").header("X-Drop-Me", "hop").contentType("application/json")
                .body("{\"hello\":\"world\"}")
                .post("/gw/" + api.slug() + "/echo/items/42?q=a%20b&n=1");
        response.then().statusCode(200).header("X-Request-ID", "flow-test-1").header("X-Upstream", "test")
                .header("X-Process-Time", notNullValue());
        assertThat(response.header("X-Hop-Secret")).as("hop-by-hop response header named by Connection").isNull();
        JsonPath echo = response.jsonPath();
        assertThat(echo.getString("method")).isEqualTo("POST");
        assertThat(echo.getString("path")).isEqualTo("/api/echo/items/42");
        assertThat(echo.getString("query")).isEqualTo("q=a%20b&n=1");
        assertThat(echo.getLong("body_size")).isEqualTo(17);
        Map<String, List<String>> headers = echo.getMap("headers");
        assertThat(headers).doesNotContainKeys("authorization", "x-api-key", "x-drop-me");
        assertThat(headers.get("x-custom")).containsExactly("kept");
        assertThat(headers.get("x-request-id")).containsExactly("flow-test-1");
        assertThat(headers.get("x-forwarded-proto")).containsExactly("http");
        assertThat(headers.get("x-forwarded-for")).isNotEmpty();
        assertThat(headers.get("x-forwarded-host").get(0)).startsWith("localhost");
        assertThat(headers.get("host").get(0)).startsWith("127.0.0.1:");
    }

    @Test
    void accepts_the_key_in_x_api_key_and_keeps_an_unrelated_authorization_header() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        JsonPath echo = given().header("X-API-Key", caller.key()).header("Authorization", "Basic dXNlcjpwdw==")
                .get("/gw/" + api.slug() + "/echo").then().statusCode(200).extract().jsonPath();
        Map<String, List<String>> headers = echo.getMap("headers");
        assertThat(headers).doesNotContainKey("x-api-key");
        assertThat(headers.get("authorization")).containsExactly("Basic dXNlcjpwdw==");
    }

    @Test
    void passes_upstream_statuses_through() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/status/418").then().statusCode(418);
        caller.call().get("/gw/" + api.slug() + "/status/503").then().statusCode(503);
        caller.call().delete("/gw/" + api.slug() + "/status/204").then().statusCode(204);
        caller.call().head("/gw/" + api.slug() + "/echo").then().statusCode(200);
    }

    @Test
    void missing_unknown_and_revoked_keys_are_401() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        int before = upstream.hits();
        problem(given().get("/gw/" + api.slug() + "/echo"), 401, "API key is required");
        problem(given().header("Authorization", "Bearer tg_not-a-real-key").get("/gw/" + api.slug() + "/echo"), 401,
                "not valid");
        problem(given().header("X-API-Key", "").get("/gw/" + api.slug() + "/echo"), 401, "API key is required");
        caller.consumer().as().delete("/api/v1/api-keys/" + caller.keyId()).then().statusCode(204);
        problem(caller.call().get("/gw/" + api.slug() + "/echo"), 401, "not valid");
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void an_expired_key_is_401() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Api.User consumer = Api.registerConsumer();
        consumer.as().body(Map.of("api_id", api.id(), "plan_id", api.defaultPlanId())).post("/api/v1/subscriptions")
                .then().statusCode(201);
        String expires = java.time.Instant.now().plusSeconds(2).toString();
        String key = consumer.as().body(Map.of("name", "short", "expires_at", expires)).post("/api/v1/api-keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
        given().header("X-API-Key", key).get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        Thread.sleep(2_200);
        problem(given().header("X-API-Key", key).get("/gw/" + api.slug() + "/echo"), 401, "expired");
    }

    @Test
    void unknown_slug_is_404_and_unsubscribed_or_unscoped_keys_are_403() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        PublishedApi other = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        problem(caller.call().get("/gw/no-such-api-here/echo"), 404, "No API");
        problem(caller.call().get("/gw/" + other.slug() + "/echo"), 403, "not subscribed");

        // a key scoped to the other API only
        Api.User consumer = caller.consumer();
        consumer.as().body(Map.of("api_id", other.id(), "plan_id", other.defaultPlanId()))
                .post("/api/v1/subscriptions").then().statusCode(201);
        String scoped = consumer.as().body(Map.of("name", "scoped", "api_ids", List.of(other.id())))
                .post("/api/v1/api-keys").then().statusCode(201).extract().jsonPath().getString("key");
        given().header("X-API-Key", scoped).get("/gw/" + other.slug() + "/echo").then().statusCode(200);
        problem(given().header("X-API-Key", scoped).get("/gw/" + api.slug() + "/echo"), 403, "not scoped");
    }

    @Test
    void paused_api_is_503_until_resumed() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        api.provider().as().post("/api/v1/apis/" + api.id() + "/pause").then().statusCode(200)
                .body("status", equalTo("paused"));
        int before = upstream.hits();
        problem(caller.call().get("/gw/" + api.slug() + "/echo"), 503, "paused");
        assertThat(upstream.hits()).isEqualTo(before);
        api.provider().as().post("/api/v1/apis/" + api.id() + "/resume").then().statusCode(200)
                .body("status", equalTo("active"));
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
    }

    @Test
    void refused_and_reset_upstreams_are_502_and_slow_ones_504() {
        PublishedApi refused = Gateway.publish(upstream.refusedUrl());
        problem(Gateway.subscribe(refused, refused.defaultPlanId()).call().get("/gw/" + refused.slug() + "/x"), 502,
                "could not be reached");
        PublishedApi reset = Gateway.publish(upstream.resettingUrl());
        problem(Gateway.subscribe(reset, reset.defaultPlanId()).call().get("/gw/" + reset.slug() + "/x"), 502,
                "upstream");
        PublishedApi slow = Gateway.publish(Api.register("provider"), upstream.baseUrl(), Map.of("timeout_ms", 300));
        long started = System.nanoTime();
        problem(Gateway.subscribe(slow, slow.defaultPlanId()).call().get("/gw/" + slow.slug() + "/slow?ms=3000"), 504,
                "300 ms");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_500);
    }

    @Test
    void dot_segments_are_refused() {
        PublishedApi api = Gateway.publish(upstream.baseUrl() + "/api");
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        problem(caller.call().urlEncodingEnabled(false).get("/gw/" + api.slug() + "/echo/%2e%2e/secret"), 400,
                "segments");
    }

    @Test
    void subscription_cancelled_or_plan_changed_is_in_force_at_once() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        String limited = Gateway.addPlan(api, Map.of("name", "Tiny", "type", "free", "rate_limit",
                Map.of("requests", 1, "period", "day")));
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        caller.consumer().as().body(Map.of("plan_id", limited)).put("/api/v1/subscriptions/"
                + caller.subscriptionId()).then().statusCode(200).body("plan_id", equalTo(limited));
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200).header("X-RateLimit-Limit", "1")
                .header("X-RateLimit-Remaining", "0");
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(429);
        caller.consumer().as().delete("/api/v1/subscriptions/" + caller.subscriptionId()).then().statusCode(204);
        problem(caller.call().get("/gw/" + api.slug() + "/echo"), 403, "not subscribed");
    }

    @Test
    void deleted_api_is_404_on_the_gateway() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        api.provider().as().delete("/api/v1/apis/" + api.id()).then().statusCode(204);
        problem(caller.call().get("/gw/" + api.slug() + "/echo"), 404, "No API");
    }

    static void problem(Response response, int status, String detailPart) {
        response.then().statusCode(status).contentType("application/problem+json").body("status", equalTo(status))
                .body("title", notNullValue()).body("detail", containsString(detailPart));
    }
}
