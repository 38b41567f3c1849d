package dev.tollgate.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code low_balance}: a charge that leaves the wallet below the owner's threshold (theirs, else 10% of the last
 * top-up or grant) tells them once, until the next top-up re-arms it; {@code GET/PUT /api/v1/billing/alerts}.
 */
@QuarkusTest
class LowBalanceAlertsTest extends LedgerChecked {

    private static final String ALERTS = "/api/v1/billing/alerts";

    private static List<String> lowBalanceTitles(Api.User user) {
        return user.as().queryParam("type", "low_balance").get("/api/v1/notify/history").then().statusCode(200)
                .extract().jsonPath().getList("title");
    }

    private static void call(Caller caller, PublishedApi api, int times) {
        for (int i = 0; i < times; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        }
    }

    /** Waits until the charges are in the ledger (the balance shows them). */
    private static void awaitBalance(Api.User user, String balance) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Credits.of(user).balance().compareTo(new BigDecimal(balance)) != 0) {
            assertThat(Instant.now()).as("balance of %s reaches %s", user.id(), balance).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static JsonPath alerts(Api.User user) {
        return Credits.exact(user.as().get(ALERTS).then().statusCode(200).extract().jsonPath());
    }

    @Test
    void settled_calls_below_the_threshold_tell_once_per_top_up() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, 1, 20);
        Api.User user = caller.consumer();
        JsonPath initial = alerts(user);
        assertThat(initial.getString("low_balance_threshold")).isEqualTo("2");
        assertThat(initial.getBoolean("custom")).isFalse();
        assertThat(initial.getString("last_top_up")).isEqualTo("20");

        // bad thresholds are 422 and change nothing
        user.as().body(Map.of("low_balance_threshold", -1)).put(ALERTS).then().statusCode(422)
                .body("errors.field", hasItem("low_balance_threshold"));
        user.as().body(Map.of("low_balance_threshold", new BigDecimal("0.0000001"))).put(ALERTS).then()
                .statusCode(422).body("errors.field", hasItem("low_balance_threshold"));
        user.as().body(Map.of("low_balance_threshold", 2_000_000)).put(ALERTS).then().statusCode(422);
        assertThat(alerts(user).getBoolean("custom")).isFalse();

        user.as().body(Map.of("low_balance_threshold", 5)).put(ALERTS).then().statusCode(200)
                .body("low_balance_threshold", equalTo(5)).body("custom", equalTo(true));
        call(caller, api, 15);
        awaitBalance(user, "5");
        assertThat(lowBalanceTitles(user)).isEmpty(); // at the threshold is not below it

        call(caller, api, 1);
        awaitBalance(user, "4");
        call(caller, api, 2);
        awaitBalance(user, "2");
        assertThat(lowBalanceTitles(user)).containsExactly("Low balance: 4 usd left");

        // a grant re-arms it
        Api.grantCredits(user, 10);
        call(caller, api, 7);
        awaitBalance(user, "5");
        assertThat(lowBalanceTitles(user)).hasSize(1);
        call(caller, api, 1);
        awaitBalance(user, "4");
        call(caller, api, 2);
        awaitBalance(user, "2");
        assertThat(lowBalanceTitles(user)).containsExactly("Low balance: 4 usd left", "Low balance: 4 usd left");

        // back to the default: 10% of the last grant
        Map<String, Object> reset = new HashMap<>();
        reset.put("low_balance_threshold", null);
        user.as().body(reset).put(ALERTS).then().statusCode(200).body("low_balance_threshold", equalTo(1))
                .body("custom", equalTo(false)).body("last_top_up", equalTo(10));
    }

    @Test
    void a_subscription_charge_below_the_threshold_tells_once_and_a_refused_one_nothing() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String dear = Gateway.addPlan(api, Map.of("name", "Dear", "type", "subscription", "monthly_price", 20));
        String fair = Gateway.addPlan(api, Map.of("name", "Fair", "type", "subscription", "monthly_price", "9.5"));
        Api.User user = Api.registerConsumer();
        user.as().get(ALERTS).then().statusCode(200).body("low_balance_threshold", nullValue())
                .body("last_top_up", nullValue());
        Api.grantCredits(user, 10);

        user.as().body(Map.of("api_id", api.id(), "plan_id", dear)).post("/api/v1/subscriptions").then()
                .statusCode(402);
        assertThat(lowBalanceTitles(user)).isEmpty();
        user.as().body(Map.of("api_id", api.id(), "plan_id", fair)).post("/api/v1/subscriptions").then()
                .statusCode(201);
        assertThat(lowBalanceTitles(user)).containsExactly("Low balance: 0.5 usd left");
        JsonPath notice = user.as().queryParam("type", "low_balance").get("/api/v1/notify/history").then().extract()
                .jsonPath();
        assertThat(notice.getString("[0].message")).contains("below your alert threshold of 1 usd");
    }
}
