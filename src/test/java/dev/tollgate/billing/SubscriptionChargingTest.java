package dev.tollgate.billing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.catalog.SubscriptionPeriods;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Subscription plans: the first month is charged on subscribing, then monthly; unpaid renewals go past due. */
@QuarkusTest
class SubscriptionChargingTest extends LedgerChecked {
    @Inject
    SubscriptionPeriods periods;

    @Test
    void subscribing_charges_the_month_renewals_charge_again_and_an_unpaid_one_blocks_after_the_grace_period()
            throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Monthly", "type", "subscription", "monthly_price", 10));
        Api.User consumer = Api.registerConsumer();
        Map<String, Object> subscribe = Map.of("api_id", api.id(), "plan_id", plan);

        consumer.as().body(subscribe).post("/api/v1/subscriptions").then().statusCode(402)
                .contentType("application/problem+json");
        consumer.as().get("/api/v1/subscriptions").then().body("size()", equalTo(0));

        Api.grantCredits(consumer, 15);
        JsonPath created = consumer.as().body(subscribe).post("/api/v1/subscriptions").then().statusCode(201)
                .body("status", equalTo("active")).body("current_period_end", notNullValue())
                .body("past_due_since", nullValue()).extract().jsonPath();
        String subscription = created.getString("id");
        consumer.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(5));
        api.provider().as().get("/api/v1/billing/transactions?type=subscription").then()
                .header("X-Total-Count", "1").body("[0].amount", equalTo(8));
        String key = consumer.as().body(Map.of("name", "k")).post("/api/v1/api-keys").then().statusCode(201)
                .extract().jsonPath().getString("key");
        call(api, key).then().statusCode(200);

        // the month is over; the wallet (5) does not cover the renewal (10)
        endPeriod(subscription);
        assertThat(periods.renewDue(Instant.now())).isZero();
        consumer.as().get("/api/v1/subscriptions").then().body("[0].status", equalTo("past_due"))
                .body("[0].past_due_since", notNullValue());
        call(api, key).then().statusCode(200);

        // three days later, calls are refused
        sql("update subscriptions set past_due_since = ? where id = ?", Instant.now().minus(4, ChronoUnit.DAYS),
                subscription);
        sql("update change_versions set version = version + 1 where topic = ?", "catalog", null);
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (call(api, key).statusCode() != 402 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        call(api, key).then().statusCode(402).body("detail", containsString("past due"));

        // a top-up and the next run renew it
        Api.grantCredits(consumer, 10);
        assertThat(periods.renewDue(Instant.now())).isEqualTo(1);
        assertThat(periods.renewDue(Instant.now())).isZero();
        consumer.as().get("/api/v1/subscriptions").then().body("[0].status", equalTo("active"));
        consumer.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(5));
        consumer.as().get("/api/v1/billing/transactions?type=subscription").then().header("X-Total-Count", "2");
        call(api, key).then().statusCode(200);

        // each step told the consumer once; the provider heard of the subscriber once
        assertThat(periods.renewDue(Instant.now())).isZero();
        consumer.as().delete("/api/v1/subscriptions/" + subscription).then().statusCode(204);
        assertThat(consumer.as().get("/api/v1/notify/history").then().extract().jsonPath()
                .getList("notification_type")).containsExactly("subscription_cancelled", "subscription_renewed",
                        "subscription_past_due");
        assertThat(api.provider().as().get("/api/v1/notify/history").then().extract().jsonPath()
                .getList("notification_type")).containsExactly("new_subscriber");
    }

    @Test
    void moving_to_a_subscription_plan_charges_it_and_an_uncovered_move_changes_nothing() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Monthly", "type", "subscription", "monthly_price", 3));
        Gateway.Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.consumer().as().body(Map.of("plan_id", plan)).put("/api/v1/subscriptions/" + caller.subscriptionId())
                .then().statusCode(402);
        caller.consumer().as().get("/api/v1/subscriptions").then().body("[0].plan_id", equalTo(
                api.defaultPlanId()));
        Api.grantCredits(caller.consumer(), 3);
        caller.consumer().as().body(Map.of("plan_id", plan)).put("/api/v1/subscriptions/" + caller.subscriptionId())
                .then().statusCode(200).body("plan_type", equalTo("subscription"))
                .body("current_period_end", notNullValue());
        caller.consumer().as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
    }

    @Test
    void included_calls_are_free_and_calls_beyond_them_are_charged_as_overage() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Starter", "type", "subscription", "monthly_price", 1,
                "included_calls", 2, "price_per_call", "0.5"));
        Api.User consumer = Api.registerConsumer();
        Api.grantCredits(consumer, 3);
        consumer.as().body(Map.of("api_id", api.id(), "plan_id", plan)).post("/api/v1/subscriptions").then()
                .statusCode(201);
        String key = consumer.as().body(Map.of("name", "k")).post("/api/v1/api-keys").then().statusCode(201)
                .extract().jsonPath().getString("key");
        call(api, key).then().statusCode(200).header("X-Included-Calls-Limit", "2")
                .header("X-Included-Calls-Remaining", "1");
        call(api, key).then().statusCode(200).header("X-Included-Calls-Remaining", "0");
        for (int i = 0; i < 4; i++) {
            call(api, key).then().statusCode(200);
        }
        call(api, key).then().statusCode(402);
        dev.tollgate.testing.ChargeLines charged = dev.tollgate.testing.ChargeLines.await(consumer, 4);
        org.assertj.core.api.Assertions.assertThat(charged.calls()).isEqualTo(4);
        org.assertj.core.api.Assertions.assertThat(charged.amount()).isEqualByComparingTo("-2");
        consumer.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
    }

    private static io.restassured.response.Response call(PublishedApi api, String key) {
        return io.restassured.RestAssured.given().header("X-API-Key", key).get("/gw/" + api.slug() + "/echo");
    }

    private void endPeriod(String subscription) throws SQLException {
        sql("update subscriptions set current_period_end = ? where id = ?", Instant.now().minusSeconds(1),
                subscription);
    }

    private void sql(String statement, Object first, String id) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            if (first instanceof Instant instant) {
                s.setObject(1, java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
            } else {
                s.setObject(1, first);
            }
            if (id != null) {
                s.setObject(2, UUID.fromString(id));
            }
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
