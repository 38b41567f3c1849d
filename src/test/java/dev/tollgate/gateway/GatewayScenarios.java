package dev.tollgate.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.TestClock;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The gateway end to end over a local upstream, run on each database by the subclasses. */
abstract class GatewayScenarios extends WithUpstream {

    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URI root;

    @AfterEach
    void resetClock() {
        clock.reset();
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
    void an_expired_key_is_401() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Api.User consumer = Api.registerConsumer();
        consumer.as().body(Map.of("api_id", api.id(), "plan_id", api.defaultPlanId())).post("/api/v1/subscriptions")
                .then().statusCode(201);
        String expires = clock.instant().plus(Duration.ofMinutes(5)).toString();
        String key = consumer.as().body(Map.of("name", "short", "expires_at", expires)).post("/api/v1/api-keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
        given().header("X-API-Key", key).get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        clock.advance(Duration.ofMinutes(4));
        given().header("X-API-Key", key).get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        clock.advance(Duration.ofMinutes(1));
        problem(given().header("X-API-Key", key).get("/gw/" + api.slug() + "/echo"), 401, "expired");
    }

    @Test
    void another_users_private_api_is_404_like_an_unknown_slug_and_its_owner_and_subscribers_get_through() {
        Api.User provider = Api.register("provider");
        PublishedApi api = Gateway.publish(provider, upstream.baseUrl(), Map.of());
        Caller subscriber = Gateway.subscribe(api, api.defaultPlanId());
        Caller owner = Gateway.subscribe(provider, api, api.defaultPlanId());
        provider.as().body(Map.of("visibility", "private")).put("/api/v1/apis/" + api.id()).then().statusCode(200)
                .body("visibility", equalTo("private"));
        Api.User stranger = Api.registerConsumer();
        String strangerKey = stranger.as().body(Map.of("name", "mine")).post("/api/v1/api-keys").then()
                .statusCode(201).extract().jsonPath().getString("key");
        int before = upstream.hits();

        String unknownSlug = "no-such-api-" + api.slug();
        JsonPath unknown = given().header("X-API-Key", strangerKey).get("/gw/" + unknownSlug + "/echo").then()
                .statusCode(404).contentType("application/problem+json").extract().jsonPath();
        JsonPath hidden = given().header("X-API-Key", strangerKey).get("/gw/" + api.slug() + "/echo").then()
                .statusCode(404).contentType("application/problem+json").extract().jsonPath();
        assertThat(hidden.getMap("$").keySet()).isEqualTo(unknown.getMap("$").keySet());
        assertThat(hidden.getString("title")).isEqualTo(unknown.getString("title"));
        assertThat(hidden.getString("type")).isEqualTo(unknown.getString("type"));
        assertThat(hidden.getString("detail").replace(api.slug(), "{slug}"))
                .isEqualTo(unknown.getString("detail").replace(unknownSlug, "{slug}"));
        // without a key (or with a bad one) both answer alike too
        given().get("/gw/" + api.slug() + "/echo").then().statusCode(401);
        given().get("/gw/" + unknownSlug + "/echo").then().statusCode(401);

        api.provider().as().post("/api/v1/apis/" + api.id() + "/pause").then().statusCode(200);
        given().header("X-API-Key", strangerKey).get("/gw/" + api.slug() + "/echo").then().statusCode(404);
        api.provider().as().post("/api/v1/apis/" + api.id() + "/resume").then().statusCode(200);
        assertThat(upstream.hits()).isEqualTo(before);

        owner.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        subscriber.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
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

    @Test
    void a_body_over_the_apis_limit_is_413_by_content_length_before_the_upstream_is_called() {
        PublishedApi api = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                Map.of("max_request_body_bytes", 1000));
        api.provider().as().get("/api/v1/apis/" + api.id()).then().statusCode(200)
                .body("max_request_body_bytes", equalTo(1000));
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        int before = upstream.hits();
        problem(caller.call().body(new byte[1001]).post("/gw/" + api.slug() + "/echo"), 413, "1000 bytes");
        assertThat(upstream.hits()).isEqualTo(before);
        // exactly at the limit passes, whole
        caller.call().body(new byte[1000]).post("/gw/" + api.slug() + "/echo").then().statusCode(200)
                .body("body_size", equalTo(1000));
    }

    @Test
    void a_chunked_body_over_the_limit_is_413_and_not_charged() throws Exception {
        PublishedApi api = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                Map.of("max_request_body_bytes", 1000));
        Caller caller = Gateway.payingCaller(api, "0.001", "1");
        HttpResponse<String> over = chunkedPost(api, caller, 8 * 1024);
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(over.body()).contains("1000 bytes");
        HttpResponse<String> atLimit = chunkedPost(api, caller, 1000);
        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(JsonPath.from(atLimit.body()).getLong("body_size")).isEqualTo(1000);
        // only the call that went through is charged
        ChargeLines.awaitEarlierChargesWritten(caller.consumer(), upstream.baseUrl());
        assertThat(ChargeLines.of(caller.consumer(), api.id()).calls()).isEqualTo(1);
    }

    @Test
    void a_body_that_goes_over_the_limit_after_the_upstream_answered_is_charged_like_a_client_that_hangs_up()
            throws Exception {
        PublishedApi api = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                Map.of("max_request_body_bytes", 1000));
        Caller caller = Gateway.payingCaller(api, "0.001", "1");
        String drip = "early-" + System.nanoTime();
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /gw/" + api.slug() + "/drip?id=" + drip + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-API-Key: " + caller.key() + "\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n"
                    + "0123456789abcdef\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the upstream answers before it has the whole body
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            for (int read; answer.indexOf("first-chunk") < 0 && (read = socket.getInputStream().read(buffer)) > 0;) {
                answer.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 200");
            // then the body goes over the limit: the gateway cuts the call
            byte[] chunk = new byte[2000];
            out.write(("7d0\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                while (socket.getInputStream().read(buffer) > 0) {
                    // drain until the gateway closes the connection
                }
            } catch (IOException reset) {
                // the connection was cut: expected
            }
        } finally {
            upstream.releaseDrip(drip);
        }
        assertThat(ChargeLines.await(api.provider(), 1).calls()).isEqualTo(1);
    }

    @Test
    void an_upstreams_own_413_is_an_answer_that_uses_up_the_rate_limit() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Two", "type", "free", "rate_limit",
                Map.of("requests", 2, "period", "hour")));
        Caller caller = Gateway.subscribe(api, plan);
        caller.call().get("/gw/" + api.slug() + "/status/413").then().statusCode(413);
        caller.call().get("/gw/" + api.slug() + "/status/413").then().statusCode(413);
        problem(caller.call().get("/gw/" + api.slug() + "/status/413"), 429, "2 requests per hour");
    }

    @Test
    void the_platform_limit_applies_by_default_and_a_declared_length_over_it_is_refused_at_once() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        api.provider().as().get("/api/v1/apis/" + api.id()).then().statusCode(200)
                .body("max_request_body_bytes", equalTo(10 * 1024 * 1024));
        int before = upstream.hits();
        // the headers announce a body one byte over 10 MiB that never comes: the answer must not wait for it
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /gw/" + api.slug() + "/echo HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-API-Key: " + caller.key() + "\r\nContent-Length: " + (10 * 1024 * 1024 + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            for (int read; answer.indexOf("bytes for") < 0 && (read = socket.getInputStream().read(buffer)) > 0;) {
                answer.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
            }
            // the gateway's own problem, not the HTTP server's generic upload limit
            assertThat(answer.toString()).startsWith("HTTP/1.1 413").contains("application/problem+json")
                    .contains("over the limit of 10485760 bytes for '" + api.slug() + "'");
        }
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void an_apis_body_limit_is_validated_and_can_be_changed() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        api.provider().as().body(Map.of("max_request_body_bytes", -1)).put("/api/v1/apis/" + api.id()).then()
                .statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("max_request_body_bytes"));
        api.provider().as().body(Map.of("max_request_body_bytes", 10)).put("/api/v1/apis/" + api.id()).then()
                .statusCode(200).body("max_request_body_bytes", equalTo(10));
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        problem(caller.call().body(new byte[11]).post("/gw/" + api.slug() + "/echo"), 413, "10 bytes");
        api.provider().as().body(Map.of("max_request_body_bytes", 0)).put("/api/v1/apis/" + api.id()).then()
                .statusCode(200).body("max_request_body_bytes", equalTo(10 * 1024 * 1024));
        caller.call().body(new byte[11]).post("/gw/" + api.slug() + "/echo").then().statusCode(200);
    }

    private HttpResponse<String> chunkedPost(PublishedApi api, Caller caller, int size) throws Exception {
        byte[] body = new byte[size];
        // no Content-Length: the body goes chunked and the gateway learns its size only while piping it
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/gw/" + api.slug() + "/echo"))
                .header("X-API-Key", caller.key()).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request,
                HttpResponse.BodyHandlers.ofString());
    }

    static void problem(Response response, int status, String detailPart) {
        response.then().statusCode(status).contentType("application/problem+json").body("status", equalTo(status))
                .body("title", notNullValue()).body("detail", containsString(detailPart));
    }
}
