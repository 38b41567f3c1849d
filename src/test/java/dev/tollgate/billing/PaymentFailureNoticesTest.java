package dev.tollgate.billing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeStripe;
import dev.tollgate.testing.StripeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Failed payments tell the payer, once per failed payment however often Stripe delivers its event: a declined
 * saved-card top-up ({@code payment_intent.payment_failed}), a Checkout top-up whose delayed payment failed
 * ({@code checkout.session.async_payment_failed}) and a tier invoice Stripe could not collect
 * ({@code invoice.payment_failed}).
 */
@QuarkusTest
@TestProfile(StripeProfile.class)
class PaymentFailureNoticesTest extends LedgerChecked {

    private static FakeStripe stripe() {
        return StripeProfile.stripe;
    }

    private static Response deliver(String payload) {
        return given().contentType("application/json").header("Stripe-Signature", FakeStripe.sign(payload))
                .body(payload).post("/api/v1/billing/webhook");
    }

    private static JsonPath notices(Api.User user, String type) {
        return user.as().queryParam("type", type).get("/api/v1/notify/history").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void a_declined_saved_card_payment_notifies_once_and_credits_nothing() {
        Api.User user = Api.registerConsumer();
        String customer = user.as().post("/api/v1/payments/setup").then().statusCode(200).extract().jsonPath()
                .getString("customer_id");
        user.as().body(Map.of("amount", 12, "payment_method_id", "pm_card_chargeDeclined"))
                .post("/api/v1/payments/process").then().statusCode(402);
        assertThat(stripe().declinedPaymentIntentsOf(customer)).hasSize(1);
        String intent = stripe().declinedPaymentIntentsOf(customer).get(0);

        String event = stripe().paymentFailedEvent(intent);
        deliver(event).then().statusCode(200).body("outcome", containsString("failed"));
        deliver(event).then().statusCode(200);
        deliver(stripe().paymentFailedEvent(intent)).then().statusCode(200);

        JsonPath failed = notices(user, "topup_failed");
        assertThat(failed.getList("id")).hasSize(1);
        assertThat(failed.getString("[0].title")).isEqualTo("Payment failed: 12 usd not added");
        assertThat(failed.getString("[0].message")).contains(intent).contains("generic decline");
        assertThat(failed.getString("[0].metadata.reference")).isEqualTo(intent);
        user.as().get("/api/v1/payments/history").then().body("size()", equalTo(1))
                .body("[0].status", equalTo("failed"));
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
        assertThat(notices(user, "topup_succeeded").getList("id")).isEmpty();
    }

    @Test
    void a_failed_delayed_checkout_payment_notifies_its_user_once_and_a_foreign_one_nobody() {
        Api.User user = Api.registerConsumer();
        String session = user.as().body(Map.of("amount", 30, "success_url", "https://app.example.com/paid",
                "cancel_url", "https://app.example.com/cancelled")).post("/api/v1/billing/checkout").then()
                .statusCode(200).extract().jsonPath().getString("session_id");
        String event = stripe().asyncPaymentFailedEvent(session);
        deliver(event).then().statusCode(200);
        deliver(event).then().statusCode(200);
        JsonPath failed = notices(user, "topup_failed");
        assertThat(failed.getList("id")).hasSize(1);
        assertThat(failed.getString("[0].metadata.reference")).isEqualTo(session);
        deliver(stripe().asyncPaymentFailedEvent("cs_test_not_tollgates")).then().statusCode(200)
                .body("outcome", containsString("unknown session"));
        // a forged delivery changes nothing
        given().contentType("application/json").header("Stripe-Signature", "t=1,v1=00").body(stripe()
                .asyncPaymentFailedEvent(session)).post("/api/v1/billing/webhook").then().statusCode(400);
        assertThat(notices(user, "topup_failed").getList("id")).hasSize(1);
        user.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
    }

    @Test
    void a_tier_invoice_that_fails_notifies_once_per_invoice() {
        Api.User user = Api.registerConsumer();
        String session = user.as().body(Map.of("tier", "pro", "success_url", "https://app.example.com/welcome",
                "cancel_url", "https://app.example.com/pricing")).post("/api/v1/billing/checkout").then()
                .statusCode(200).extract().jsonPath().getString("session_id");
        String subscription = stripe().completeSubscriptionCheckout(session);
        deliver(stripe().subscriptionCheckoutCompletedEvent(session)).then().statusCode(200);
        deliver(stripe().event("invoice.paid", stripe().latestInvoice(subscription))).then().statusCode(200);
        assertThat(notices(user, "payment_failed").getList("id")).isEmpty();

        stripe().clockOffsetSeconds += 5;
        String invoice = stripe().renew(subscription, false);
        deliver(stripe().event("invoice.payment_failed", stripe().latestInvoice(subscription))).then()
                .statusCode(200);
        // Stripe retries the same invoice and it fails again: nothing new to tell
        stripe().clockOffsetSeconds += 5;
        deliver(stripe().event("invoice.payment_failed", stripe().latestInvoice(subscription))).then()
                .statusCode(200);
        JsonPath failed = notices(user, "payment_failed");
        assertThat(failed.getList("id")).hasSize(1);
        assertThat(failed.getString("[0].title")).isEqualTo("Payment failed for the pro tier");
        assertThat(failed.getString("[0].message")).startsWith("29 usd for the pro tier (invoice " + invoice);
        assertThat(failed.getString("[0].metadata.invoice_id")).isEqualTo(invoice);

        // the next month's invoice fails too: that is a new failure
        stripe().clockOffsetSeconds += 5;
        stripe().renew(subscription, false);
        deliver(stripe().event("invoice.payment_failed", stripe().latestInvoice(subscription))).then()
                .statusCode(200);
        assertThat(notices(user, "payment_failed").getList("id")).hasSize(2);
    }
}
