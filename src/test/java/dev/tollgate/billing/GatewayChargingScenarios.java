package dev.tollgate.billing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.LedgerInvariants;
import dev.tollgate.testing.TestUpstream;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Pay-per-call plans charged on the gateway: reserved before, settled after, never below zero, never twice. */
abstract class GatewayChargingScenarios {

    static TestUpstream upstream;

    @TestHTTPResource("/")
    URI root;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        upstream.close();
    }

    @AfterEach
    void invariantsHold() throws SQLException {
        LedgerInvariants.check(database);
    }

    /** A pay-per-call API at 0.001 a call and an enterprise consumer subscribed to it with {@code credit}. */
    private Caller payingCaller(PublishedApi api, String credit) {
        String plan = Gateway.addPlan(api, Map.of("name", "Metered", "type", "pay_per_call", "price_per_call",
                "0.001"));
        Caller caller = Gateway.subscribe(api, plan);
        Api.User admin = Api.admin();
        admin.as().body(Map.of("plan", "enterprise")).put("/api/v1/admin/users/" + caller.consumer().id()).then()
                .statusCode(200);
        if (credit != null) {
            admin.as().body(Map.of("user_id", caller.consumer().id(), "amount", credit, "reason", "test"))
                    .post("/api/v1/admin/credits/grant").then().statusCode(201);
        }
        return caller;
    }

    @Test
    void of_200_parallel_calls_on_a_wallet_affording_50_exactly_50_reach_the_upstream_and_are_charged()
            throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = payingCaller(api, "0.05");
        int before = upstream.hits();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return http.send(HttpRequest.newBuilder(root.resolve("/gw/" + api.slug() + "/echo"))
                        .header("X-API-Key", caller.key()).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> call : calls) {
            statuses.add(call.get());
        }
        pool.shutdown();
        Map<Integer, Long> counts = statuses.stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
        assertThat(counts).containsOnly(Map.entry(200, 50L), Map.entry(402, 150L));
        assertThat(upstream.hits() - before).isEqualTo(50);

        ChargeLines.await(api.provider(), 50);
        caller.consumer().as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0))
                .body("reserved", equalTo(0));
        ChargeLines paid = ChargeLines.of(caller.consumer());
        assertThat(paid.calls()).isEqualTo(50);
        assertThat(paid.amount()).isEqualByComparingTo("-0.05");
        // 20% platform fee: the provider earns 0.0008 a call
        ChargeLines earned = ChargeLines.of(api.provider());
        assertThat(earned.calls()).isEqualTo(50);
        assertThat(earned.amount()).isEqualByComparingTo("0.04");
        api.provider().as().get("/api/v1/billing/transactions?type=charge").then()
                .body("[0].account", equalTo("provider_earnings")).body("[0].api_id", equalTo(api.id()));
    }

    @Test
    void without_credit_the_call_is_402_and_the_upstream_is_not_called() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = payingCaller(api, null);
        int before = upstream.hits();
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(402)
                .contentType("application/problem+json").body("detail", containsString("0.001"));
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void upstream_errors_are_not_charged_and_good_calls_once_each() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = payingCaller(api, "1");
        caller.call().get("/gw/" + api.slug() + "/status/503").then().statusCode(503);
        caller.call().get("/gw/" + api.slug() + "/status/500").then().statusCode(500);
        caller.call().get("/gw/" + api.slug() + "/status/404").then().statusCode(404);
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        ChargeLines.await(api.provider(), 2);
        Thread.sleep(500);
        assertThat(ChargeLines.of(caller.consumer()).calls()).isEqualTo(2);
        JsonPath credits = caller.consumer().as().get("/api/v1/users/me/credits").then().extract().jsonPath();
        assertThat(credits.getDouble("balance")).isEqualTo(0.998);
        // the node still holds part of the wallet for the next calls
        assertThat(new java.math.BigDecimal(credits.getString("available"))
                .add(new java.math.BigDecimal(credits.getString("reserved")))).isEqualByComparingTo("0.998");
    }

    @Test
    void free_plans_are_not_charged() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        caller.consumer().as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
    }
}
