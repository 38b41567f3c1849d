package dev.tollgate.billing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeStripe;
import dev.tollgate.testing.StripeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Top-ups through Stripe Checkout against a local Stripe, with webhooks signed as Stripe signs them. */
@QuarkusTest
@TestProfile(StripeProfile.class)
class StripeTopUpTest extends LedgerChecked {
    private static String checkout(Api.User user, Object amount) {
        return user.as().body(Map.of("amount", amount, "success_url", "https://app.example.com/paid",
                "cancel_url", "https://app.example.com/cancelled")).post("/api/v1/billing/checkout").then()
                .statusCode(200).body("url", containsString("checkout.stripe.com")).extract().jsonPath()
                .getString("session_id");
    }

    private static Response deliver(String payload, String signature) {
        return given().contentType("application/json; charset=utf-8").header("Stripe-Signature", signature)
                .body(payload).post("/api/v1/billing/webhook");
    }

    @Test
    void checkout_creates_a_payment_session_for_the_user() {
        Api.User user = Api.registerConsumer();
        String session = checkout(user, "25.50");
        Map<String, String> sent = StripeProfile.stripe.sessions.get(session);
        assertThat(sent).containsEntry("mode", "payment").containsEntry("client_reference_id", user.id())
                .containsEntry("metadata[tollgate_user_id]", user.id())
                .containsEntry("line_items[0][price_data][unit_amount]", "2550")
                .containsEntry("line_items[0][price_data][currency]", "usd")
                .containsEntry("success_url", "https://app.example.com/paid");
    }

    @Test
    void a_paid_session_credits_once_whatever_the_number_of_deliveries() {
        Api.User user = Api.registerConsumer();
        String session = checkout(user, 20);
        String payload = StripeProfile.stripe.completedEvent(session, 2000, "paid");
        deliver(payload, FakeStripe.sign(payload)).then().statusCode(200).body("outcome", equalTo("credited"));
        deliver(payload, FakeStripe.sign(payload)).then().statusCode(200).body("outcome", equalTo("already credited"));
        String again = StripeProfile.stripe.completedEvent(session, 2000, "paid");
        deliver(again, FakeStripe.sign(again)).then().statusCode(200);
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(20));
        user.as().get("/api/v1/billing/transactions?type=topup").then().header("X-Total-Count", "1")
                .body("[0].amount", equalTo(20)).body("[0].description", containsString(session));
        // told once, however often Stripe delivers the event
        user.as().get("/api/v1/notify/history").then().body("notification_type", equalTo(java.util.List.of(
                "topup_succeeded"))).body("[0].title", equalTo("Credits added: 20 usd"))
                .body("[0].metadata.reference", equalTo(session));
    }

    @Test
    void an_unpaid_completion_then_the_paid_one_credits_once() {
        Api.User user = Api.registerConsumer();
        String session = checkout(user, 5);
        String unpaid = StripeProfile.stripe.completedEvent(session, 500, "unpaid");
        deliver(unpaid, FakeStripe.sign(unpaid)).then().statusCode(200);
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
        String paid = StripeProfile.stripe.completedEvent(session, 500, "paid");
        deliver(paid, FakeStripe.sign(paid)).then().statusCode(200);
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(5));
    }

    @Test
    void forged_missing_or_stale_signatures_are_400_and_change_nothing() {
        Api.User user = Api.registerConsumer();
        String session = checkout(user, 10);
        String payload = StripeProfile.stripe.completedEvent(session, 1000, "paid");
        deliver(payload, FakeStripe.sign(payload, "whsec_someone_else", System.currentTimeMillis() / 1000)).then()
                .statusCode(400).contentType("application/problem+json");
        String tampered = payload.replace("1000", "999999");
        deliver(tampered, FakeStripe.sign(payload)).then().statusCode(400);
        deliver(payload, FakeStripe.sign(payload, FakeStripe.WEBHOOK_SECRET, System.currentTimeMillis() / 1000
                - 3600)).then().statusCode(400);
        given().contentType("application/json").body(payload).post("/api/v1/billing/webhook").then()
                .statusCode(400).body("detail", containsString("Stripe-Signature"));
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
    }

    @Test
    void sessions_tollgate_did_not_create_and_other_events_are_acknowledged_and_ignored() {
        String foreign = StripeProfile.stripe.completedEvent("cs_test_not_ours", 100000, "paid");
        deliver(foreign, FakeStripe.sign(foreign)).then().statusCode(200)
                .body("outcome", containsString("unknown session"));
        String other = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"customer.created\",\"data\":{\"object\":{}}}";
        deliver(other, FakeStripe.sign(other)).then().statusCode(200).body("received", equalTo(true))
                .body("outcome", containsString("ignored customer.created"));
    }

    @Test
    void bad_checkouts_are_422_and_create_no_session() {
        Api.User user = Api.registerConsumer();
        int before = StripeProfile.stripe.sessions.size();
        user.as().body(Map.of("amount", "0.5", "success_url", "https://a.example/x", "cancel_url",
                "https://a.example/y")).post("/api/v1/billing/checkout").then().statusCode(422)
                .body("errors.field", hasItem("amount"));
        user.as().body(Map.of("amount", "10.001", "success_url", "https://a.example/x", "cancel_url",
                "https://a.example/y")).post("/api/v1/billing/checkout").then().statusCode(422)
                .body("errors.field", hasItem("amount"));
        user.as().body(Map.of("amount", 10, "success_url", "javascript:alert(1)")).post("/api/v1/billing/checkout")
                .then().statusCode(422).body("errors.field", hasItem("success_url"))
                .body("errors.field", hasItem("cancel_url"));
        given().contentType("application/json").body(Map.of("amount", 10)).post("/api/v1/billing/checkout").then()
                .statusCode(401);
        assertThat(StripeProfile.stripe.sessions).hasSize(before);
    }

    @Test
    void a_saved_method_pays_and_the_succeeded_webhook_credits_once() {
        Api.User user = Api.registerConsumer();
        user.as().body(Map.of("amount", 10, "payment_method_id", "pm_card_visa")).post("/api/v1/payments/process")
                .then().statusCode(422).body("detail", containsString("payments/setup"));
        String customer = user.as().post("/api/v1/payments/setup").then().statusCode(200)
                .body("client_secret", containsString("_secret_")).extract().jsonPath().getString("customer_id");
        assertThat(StripeProfile.stripe.objects.get(customer)).containsEntry("email", user.email())
                .containsEntry("metadata[tollgate_user_id]", user.id());
        assertThat(user.as().post("/api/v1/payments/setup").then().statusCode(200).extract().jsonPath()
                .getString("customer_id")).isEqualTo(customer);

        String intent = user.as().body(Map.of("amount", "12.34", "payment_method_id", "pm_card_visa"))
                .post("/api/v1/payments/process").then().statusCode(200).body("status", equalTo("succeeded"))
                .extract().jsonPath().getString("payment_intent_id");
        assertThat(StripeProfile.stripe.objects.get(intent)).containsEntry("amount", "1234")
                .containsEntry("customer", customer).containsEntry("off_session", "true")
                .containsEntry("confirm", "true");
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
        String event = StripeProfile.stripe.paymentSucceededEvent(intent);
        deliver(event, FakeStripe.sign(event)).then().statusCode(200).body("outcome", equalTo("credited"));
        deliver(event, FakeStripe.sign(event)).then().statusCode(200).body("outcome", equalTo("already credited"));
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(12.34f));
        user.as().get("/api/v1/payments/history").then().statusCode(200).body("[0].payment_intent_id",
                equalTo(intent)).body("[0].status", equalTo("succeeded")).body("[0].amount", equalTo(12.34f));
    }

    @Test
    void a_declined_card_is_402_and_credits_nothing() {
        Api.User user = Api.registerConsumer();
        user.as().post("/api/v1/payments/setup").then().statusCode(200);
        user.as().body(Map.of("amount", 10, "payment_method_id", "pm_card_chargeDeclined"))
                .post("/api/v1/payments/process").then().statusCode(402).body("detail", containsString("declined"))
                // our words, not Stripe's
                .body("detail", not(containsString("Your card was declined")));
        user.as().body(Map.of("amount", 10, "payment_method_id", "not-a-method")).post("/api/v1/payments/process")
                .then().statusCode(422);
        user.as().get("/api/v1/payments/history").then().body("size()", equalTo(0));
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
    }

    @Test
    void concurrent_first_setups_get_one_stripe_customer() throws Exception {
        Api.User user = Api.registerConsumer();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<String>> setups = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                setups.add(pool.submit(() -> user.as().post("/api/v1/payments/setup").then().statusCode(200)
                        .extract().jsonPath().getString("customer_id")));
            }
            java.util.Set<String> customers = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> setup : setups) {
                customers.add(setup.get());
            }
            assertThat(customers).hasSize(1);
            assertThat(StripeProfile.stripe.objects.entrySet()).filteredOn(e -> e.getKey().startsWith("cus_")
                    && user.id().equals(e.getValue().get("metadata[tollgate_user_id]"))).hasSize(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void a_succeeded_webhook_that_arrives_before_the_payment_is_recorded_credits_once() {
        Api.User user = Api.registerConsumer();
        user.as().post("/api/v1/payments/setup").then().statusCode(200);
        java.util.List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Stripe confirms the PaymentIntent and delivers its webhook before Tollgate has its answer
        StripeProfile.stripe.beforePaymentIntentAnswer = id -> {
            String event = StripeProfile.stripe.paymentSucceededEvent(id);
            outcomes.add(deliver(event, FakeStripe.sign(event)).then().statusCode(200).extract().jsonPath()
                    .getString("outcome"));
        };
        String intent;
        try {
            intent = user.as().body(Map.of("amount", "7.5", "payment_method_id", "pm_card_visa"))
                    .post("/api/v1/payments/process").then().statusCode(200).extract().jsonPath()
                    .getString("payment_intent_id");
        } finally {
            StripeProfile.stripe.beforePaymentIntentAnswer = id -> {
            };
        }
        assertThat(outcomes).containsExactly("credited");
        String again = StripeProfile.stripe.paymentSucceededEvent(intent);
        deliver(again, FakeStripe.sign(again)).then().statusCode(200).body("outcome", equalTo("already credited"));
        assertThat(Credits.of(user).balance()).isEqualByComparingTo("7.5");
        user.as().get("/api/v1/payments/history").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].payment_intent_id", equalTo(intent)).body("[0].status", equalTo("succeeded"));
    }

    @Test
    void a_payment_intent_for_a_customer_tollgate_did_not_create_credits_nobody() {
        Api.User user = Api.registerConsumer();
        String event = "{\"id\":\"evt_x\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"data\":"
                + "{\"object\":{\"id\":\"pi_foreign\",\"object\":\"payment_intent\",\"status\":\"succeeded\","
                + "\"amount_received\":5000,\"currency\":\"usd\",\"customer\":\"cus_someone_else\",\"metadata\":"
                + "{\"tollgate_user_id\":\"" + user.id() + "\"}}}}";
        deliver(event, FakeStripe.sign(event)).then().statusCode(200).body("outcome", containsString("unknown"));
        assertThat(Credits.of(user).balance()).isEqualByComparingTo("0");
    }

    @Test
    void a_payment_intent_not_made_as_a_saved_card_payment_credits_nobody_even_for_the_users_own_customer() {
        Api.User user = Api.registerConsumer();
        String customer = user.as().post("/api/v1/payments/setup").then().statusCode(200).extract().jsonPath()
                .getString("customer_id");
        // e.g. the PaymentIntent behind a Checkout session, which is credited by its session's own event
        String event = "{\"id\":\"evt_y\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"data\":"
                + "{\"object\":{\"id\":\"pi_checkout\",\"object\":\"payment_intent\",\"status\":\"succeeded\","
                + "\"amount_received\":5000,\"currency\":\"usd\",\"customer\":\"" + customer + "\",\"metadata\":"
                + "{\"tollgate_user_id\":\"" + user.id() + "\"}}}}";
        deliver(event, FakeStripe.sign(event)).then().statusCode(200).body("outcome", containsString("unknown"));
        assertThat(Credits.of(user).balance()).isEqualByComparingTo("0");
    }

    @Test
    void a_retried_payment_with_the_same_idempotency_key_charges_the_card_once() {
        Api.User user = Api.registerConsumer();
        String customer = user.as().post("/api/v1/payments/setup").then().statusCode(200).extract().jsonPath()
                .getString("customer_id");
        Map<String, Object> body = Map.of("amount", 20, "payment_method_id", "pm_card_visa");
        String first = user.as().header("Idempotency-Key", "order-1").body(body).post("/api/v1/payments/process")
                .then().statusCode(200).extract().jsonPath().getString("payment_intent_id");
        String retry = user.as().header("Idempotency-Key", "order-1").body(body).post("/api/v1/payments/process")
                .then().statusCode(200).extract().jsonPath().getString("payment_intent_id");
        assertThat(retry).isEqualTo(first);
        assertThat(StripeProfile.stripe.paymentIntentsOf(customer)).isEqualTo(1);
        user.as().get("/api/v1/payments/history").then().body("size()", equalTo(1));
        // another key is another payment; the same key of another user is theirs alone
        user.as().header("Idempotency-Key", "order-2").body(body).post("/api/v1/payments/process").then()
                .statusCode(200).body("payment_intent_id", not(equalTo(first)));
        assertThat(StripeProfile.stripe.paymentIntentsOf(customer)).isEqualTo(2);
        Api.User other = Api.registerConsumer();
        other.as().post("/api/v1/payments/setup").then().statusCode(200);
        other.as().header("Idempotency-Key", "order-1").body(body).post("/api/v1/payments/process").then()
                .statusCode(200).body("payment_intent_id", not(equalTo(first)));
        user.as().header("Idempotency-Key", "x".repeat(151)).body(body).post("/api/v1/payments/process").then()
                .statusCode(422).body("errors.field", hasItem("Idempotency-Key"));
        assertThat(StripeProfile.stripe.paymentIntentsOf(customer)).isEqualTo(2);
    }
}
