package dev.tollgate.billing;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Pay-per-call plans charged on the gateway: reserved before, settled after, never below zero, never twice. */
abstract class GatewayChargingScenarios extends LedgerCheckedWithUpstream {
    @TestHTTPResource("/")
    URI root;

    @Test
    void of_200_parallel_calls_on_a_wallet_affording_50_exactly_50_reach_the_upstream_and_are_charged()
            throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", "0.05");
        int before = upstream.hits();

        Map<Integer, Long> counts = Gateway.callInParallel(root, api.slug(), caller.key(), 200, 50);
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
        Caller caller = Gateway.payingCaller(api, "0.001", null);
        int before = upstream.hits();
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(402)
                .contentType("application/problem+json").body("detail", containsString("0.001"));
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void upstream_errors_are_not_charged_and_good_calls_once_each() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", "1");
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
