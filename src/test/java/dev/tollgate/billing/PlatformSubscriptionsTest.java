package dev.tollgate.billing;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/** Account tiers bought as Stripe subscriptions: checkout, webhooks in any order, cancel, reactivate, invoices. */
@QuarkusTest
@TestProfile(StripeProfile.class)
class PlatformSubscriptionsTest extends LedgerChecked {
    @Inject
    Ledger ledger;

    /** In micros. */
    private long platformRevenue() {
        return ledger.balanceOf(AccountKind.PLATFORM_REVENUE, null)[0];
    }

    private static FakeStripe stripe() {
        return StripeProfile.stripe;
    }

    private static String checkout(Api.User user, String tier) {
        return user.as().body(Map.of("tier", tier, "success_url", "https://app.example.com/welcome", "cancel_url",
                "https://app.example.com/pricing")).post("/api/v1/billing/checkout").then().statusCode(200)
                .body("url", containsString("checkout.stripe.com")).extract().jsonPath().getString("session_id");
    }

    private static Response deliver(String payload) {
        return given().contentType("application/json").header("Stripe-Signature", FakeStripe.sign(payload))
                .body(payload).post("/api/v1/billing/webhook");
    }

    private static String tierOf(Api.User user) {
        return user.as().get("/api/v1/users/me").then().statusCode(200).extract().jsonPath().getString("plan");
    }

    /** A user who bought pro: checkout paid, all three events delivered. */
    private static String subscribed(Api.User user, String tier) {
        String session = checkout(user, tier);
        String subscription = stripe().completeSubscriptionCheckout(session);
        deliver(stripe().subscriptionCheckoutCompletedEvent(session)).then().statusCode(200);
        deliver(stripe().event("customer.subscription.created", stripe().subscriptions.get(subscription))).then()
                .statusCode(200);
        deliver(stripe().event("invoice.paid", stripe().latestInvoice(subscription))).then().statusCode(200);
        return subscription;
    }

    @Test
    void tiers_are_listed_and_checkout_creates_a_monthly_subscription_session() {
        given().get("/api/v1/billing/tiers").then().statusCode(200).body("tier", hasItem("pro"))
                .body("find { it.tier == 'pro' }.price", equalTo(29)).body("[0].interval", equalTo("month"));
        Api.User user = Api.registerConsumer();
        Map<String, String> sent = stripe().sessions.get(checkout(user, "pro"));
        assertThat(sent).containsEntry("mode", "subscription").containsEntry("client_reference_id", user.id())
                .containsEntry("line_items[0][price_data][unit_amount]", "2900")
                .containsEntry("line_items[0][price_data][recurring][interval]", "month")
                .containsEntry("subscription_data[metadata][tollgate_user_id]", user.id())
                .containsEntry("subscription_data[metadata][tollgate_tier]", "pro")
                .containsEntry("customer_email", user.email());
        assertThat(tierOf(user)).isEqualTo("free");
    }

    @Test
    void a_paid_subscription_sets_the_tier_and_shows_with_its_invoices() {
        Api.User user = Api.registerConsumer();
        long revenue = platformRevenue();
        String subscription = subscribed(user, "pro");
        assertThat(tierOf(user)).isEqualTo("pro");
        user.as().queryParam("type", "tier_changed").get("/api/v1/notify/history").then().statusCode(200)
                .body("title", equalTo(java.util.List.of("Your account is now on the pro tier")));
        assertThat(platformRevenue() - revenue).as("the paid invoice is platform revenue").isEqualTo(29_000_000L);
        user.as().get("/api/v1/billing/subscription").then().statusCode(200).body("id", equalTo(subscription))
                .body("tier", equalTo("pro")).body("status", equalTo("active")).body("price", equalTo(29))
                .body("currency", equalTo("usd")).body("cancel_at_period_end", equalTo(false))
                .body("current_period_end", startsWith(String.valueOf(java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                        .plusDays(30).getYear())));
        user.as().get("/api/v1/billing/invoices").then().statusCode(200).body("$", hasSize(1))
                .body("[0].amount_paid", equalTo(29)).body("[0].status", equalTo("paid"))
                .body("[0].hosted_invoice_url", containsString("invoice.stripe.com"));
        // a second tier while this one is live is refused, and no session is created
        int sessions = stripe().sessions.size();
        user.as().body(Map.of("tier", "enterprise", "success_url", "https://a.example/x", "cancel_url",
                "https://a.example/y")).post("/api/v1/billing/checkout").then().statusCode(409)
                .body("detail", containsString("already have a pro subscription"));
        assertThat(stripe().sessions).hasSize(sessions);
        // the next checkout names the Stripe customer Stripe created, so invoices stay together
        user.as().post("/api/v1/billing/subscription/cancel?cancel_immediately=true").then().statusCode(200);
        assertThat(stripe().sessions.get(checkout(user, "enterprise")))
                .containsEntry("customer", stripe().subscriptions.get(subscription).path("customer").asText());
    }

    @Test
    void events_apply_in_any_order_and_replays_change_nothing() {
        Api.User user = Api.registerConsumer();
        String session = checkout(user, "enterprise");
        String id = stripe().completeSubscriptionCheckout(session);
        ObjectNode sub = stripe().subscriptions.get(id);
        long t = stripe().now();
        String created = stripe().event("customer.subscription.created", sub, t);
        String paid = stripe().event("invoice.paid", stripe().latestInvoice(id), t);
        sub.put("cancel_at_period_end", true).put("canceled_at", t + 60);
        String cancelScheduled = stripe().event("customer.subscription.updated", sub, t + 60);

        long revenue = platformRevenue();
        // the invoice first: booked as revenue (its metadata names the user), the status waits for its own event
        deliver(paid).then().statusCode(200).body("outcome", containsString("revenue booked"));
        assertThat(tierOf(user)).isEqualTo("free");
        // the subscription's own event before the checkout's: its metadata names the user
        deliver(created).then().statusCode(200).body("outcome", containsString("is active"));
        assertThat(tierOf(user)).isEqualTo("enterprise");
        deliver(cancelScheduled).then().statusCode(200);
        deliver(stripe().subscriptionCheckoutCompletedEvent(session)).then().statusCode(200);
        deliver(created).then().statusCode(200).body("outcome", containsString("newer state"));
        deliver(paid).then().statusCode(200).body("outcome", containsString("newer state"))
                .body("outcome", containsString("revenue already booked"));
        assertThat(platformRevenue() - revenue).isEqualTo(299_000_000L);
        user.as().get("/api/v1/billing/subscription").then().body("status", equalTo("active"))
                .body("cancel_at_period_end", equalTo(true));

        sub.put("status", "canceled").put("ended_at", t + 120);
        String deleted = stripe().event("customer.subscription.deleted", sub, t + 120);
        deliver(deleted).then().statusCode(200);
        deliver(cancelScheduled).then().statusCode(200);
        deliver(deleted).then().statusCode(200);
        assertThat(tierOf(user)).isEqualTo("free");
        user.as().get("/api/v1/billing/subscription").then().body("status", equalTo("canceled"));
    }

    @Test
    void a_failed_renewal_is_past_due_keeping_the_tier_until_stripe_gives_up() {
        Api.User user = Api.registerConsumer();
        String id = subscribed(user, "pro");
        stripe().clockOffsetSeconds += 5;
        stripe().renew(id, false);
        deliver(stripe().event("invoice.payment_failed", stripe().latestInvoice(id))).then().statusCode(200)
                .body("outcome", containsString("past_due"));
        user.as().get("/api/v1/billing/subscription").then().body("status", equalTo("past_due"));
        assertThat(tierOf(user)).isEqualTo("pro");
        // Stripe retried and the card paid
        stripe().clockOffsetSeconds += 5;
        stripe().subscriptions.get(id).put("status", "active");
        deliver(stripe().event("invoice.paid", stripe().latestInvoice(id))).then().statusCode(200);
        user.as().get("/api/v1/billing/subscription").then().body("status", equalTo("active"));
        // next month nothing works: Stripe marks it unpaid and the account is back on free
        stripe().clockOffsetSeconds += 5;
        stripe().renew(id, false);
        deliver(stripe().event("invoice.payment_failed", stripe().latestInvoice(id))).then().statusCode(200);
        stripe().clockOffsetSeconds += 5;
        stripe().subscriptions.get(id).put("status", "unpaid");
        deliver(stripe().event("customer.subscription.updated", stripe().subscriptions.get(id))).then()
                .statusCode(200);
        assertThat(tierOf(user)).isEqualTo("free");
        user.as().get("/api/v1/billing/invoices?limit=2").then().body("$", hasSize(2))
                .body("[0].status", equalTo("open"));
    }

    @Test
    void cancel_at_the_period_end_then_reactivate_then_cancel_now() {
        Api.User user = Api.registerConsumer();
        subscribed(user, "pro");
        user.as().post("/api/v1/billing/subscription/reactivate").then().statusCode(409)
                .body("detail", containsString("not canceled"));
        user.as().post("/api/v1/billing/subscription/cancel").then().statusCode(200)
                .body("cancel_at_period_end", equalTo(true)).body("status", equalTo("active"));
        assertThat(tierOf(user)).isEqualTo("pro");
        user.as().post("/api/v1/billing/subscription/reactivate").then().statusCode(200)
                .body("cancel_at_period_end", equalTo(false));
        user.as().post("/api/v1/billing/subscription/cancel?cancel_immediately=true").then().statusCode(200)
                .body("status", equalTo("canceled"));
        assertThat(tierOf(user)).isEqualTo("free");
        user.as().post("/api/v1/billing/subscription/reactivate").then().statusCode(409)
                .body("detail", containsString("cannot come back"));
        user.as().post("/api/v1/billing/subscription/cancel").then().statusCode(404);
        user.as().get("/api/v1/billing/subscription").then().statusCode(200).body("status", equalTo("canceled"));
    }

    @Test
    void bad_input_and_foreign_events_change_nothing() {
        Api.User user = Api.registerConsumer();
        int sessions = stripe().sessions.size();
        for (Object tier : new Object[]{"free", "gold", ""}) {
            user.as().body(Map.of("tier", tier, "success_url", "https://a.example/x", "cancel_url",
                    "https://a.example/y")).post("/api/v1/billing/checkout").then().statusCode(422)
                    .contentType("application/problem+json").body("errors.field", hasItem("tier"));
        }
        user.as().body(Map.of("tier", "pro", "amount", 10, "success_url", "https://a.example/x", "cancel_url",
                "https://a.example/y")).post("/api/v1/billing/checkout").then().statusCode(422);
        user.as().body(Map.of("tier", "pro", "success_url", "ftp://a.example/x", "cancel_url", "nowhere"))
                .post("/api/v1/billing/checkout").then().statusCode(422).body("errors.field", hasItem("cancel_url"));
        assertThat(stripe().sessions).hasSize(sessions);
        user.as().get("/api/v1/billing/subscription").then().statusCode(404)
                .contentType("application/problem+json");
        user.as().get("/api/v1/billing/invoices").then().statusCode(200).body("$", hasSize(0));
        user.as().get("/api/v1/billing/invoices?limit=0").then().statusCode(422);

        // a subscription Tollgate did not sell, and one naming a user with a forged signature
        ObjectNode foreign = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                .put("id", "sub_not_ours").put("object", "subscription").put("status", "active");
        deliver(stripe().event("customer.subscription.created", foreign)).then().statusCode(200)
                .body("outcome", containsString("not a Tollgate tier"));
        foreign.putObject("metadata").put("tollgate_user_id", user.id()).put("tollgate_tier", "enterprise");
        String forged = stripe().event("customer.subscription.created", foreign);
        given().contentType("application/json").header("Stripe-Signature", FakeStripe.sign(forged, "whsec_other",
                stripe().now())).body(forged).post("/api/v1/billing/webhook").then().statusCode(400);
        assertThat(tierOf(user)).isEqualTo("free");
        user.as().get("/api/v1/billing/subscription").then().statusCode(404);
    }
}
