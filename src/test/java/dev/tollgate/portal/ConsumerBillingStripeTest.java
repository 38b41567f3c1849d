package dev.tollgate.portal;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.FakeStripe;
import dev.tollgate.testing.Portal;
import dev.tollgate.testing.StripeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The billing page against a local Stripe: top-ups and the account tier go through Stripe Checkout and come back. */
@QuarkusTest
@TestProfile(StripeProfile.class)
class ConsumerBillingStripeTest {

    private static final String CHECKOUT = "https://checkout.stripe.com/c/pay/";

    private static FakeStripe stripe() {
        return StripeProfile.stripe;
    }

    private static String html(Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        return response.asString();
    }

    /** The session id of a redirect to the fake Stripe's Checkout page. */
    private static String checkoutSession(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(303);
        assertThat(response.header("Location")).startsWith(CHECKOUT);
        return response.header("Location").substring(CHECKOUT.length());
    }

    private static void deliver(String payload) {
        given().contentType("application/json").header("Stripe-Signature", FakeStripe.sign(payload)).body(payload)
                .post("/api/v1/billing/webhook").then().statusCode(200);
    }

    @Test
    void a_top_up_redirects_to_checkout_and_stripe_sends_the_user_back_to_billing() {
        Portal portal = Portal.signUp("consumer");
        assertThat(html(portal.get("/billing"), 200)).contains("id=\"no-invoices\"")
                .doesNotContain("Payments are not configured");
        String session = checkoutSession(portal.post("/billing/topup", Map.of("amount", "25.50")));
        Map<String, String> sent = stripe().sessions.get(session);
        assertThat(sent).containsEntry("mode", "payment").containsEntry("client_reference_id", portal.user().id())
                .containsEntry("line_items[0][price_data][unit_amount]", "2550");
        assertThat(sent.get("success_url")).startsWith("http").endsWith("/billing?checkout=paid");
        assertThat(sent.get("cancel_url")).startsWith("http").endsWith("/billing?checkout=cancelled");

        assertThat(html(portal.get("/billing?checkout=cancelled"), 200)).contains("Checkout cancelled");
        assertThat(html(portal.get("/billing?checkout=paid"), 200)).contains("your payment went through");
        deliver(stripe().completedEvent(session, 2550, "paid"));
        assertThat(html(portal.get("/billing"), 200)).contains("id=\"balance\">$25.50<").contains(session)
                .containsPattern("<td class=\"num\">\\$25.50</td>\\s*<td class=\"num\">\\$25.50</td>");
    }

    @Test
    void a_bad_amount_is_said_on_the_form_and_starts_no_checkout() {
        Portal portal = Portal.signUp("consumer");
        int before = stripe().sessions.size();
        assertThat(html(portal.post("/billing/topup", Map.of("amount", "0.5")), 422)).contains("id=\"top-up-error\"")
                .contains("amount: must be 1 to 10000").contains("value=\"0.5\"");
        assertThat(html(portal.post("/billing/topup", Map.of("amount", "twenty")), 422))
                .contains("amount: must be an amount");
        assertThat(html(portal.post("/billing/topup", Map.of("_csrf", "forged", "amount", "20")), 403))
                .contains("did not come from this site");
        assertThat(stripe().sessions).hasSize(before);
    }

    @Test
    void the_tier_is_bought_cancelled_and_reactivated_from_the_billing_page() {
        Portal portal = Portal.signUp("consumer");
        assertThat(html(portal.get("/billing"), 200)).contains("id=\"current-tier\">free<")
                .contains("Subscribe to pro");
        String session = checkoutSession(portal.post("/billing/tier", Map.of("tier", "pro")));
        assertThat(stripe().sessions.get(session)).containsEntry("mode", "subscription")
                .containsEntry("subscription_data[metadata][tollgate_tier]", "pro");
        assertThat(stripe().sessions.get(session).get("success_url")).endsWith("/billing?checkout=subscribed");
        String subscription = stripe().completeSubscriptionCheckout(session);
        deliver(stripe().subscriptionCheckoutCompletedEvent(session));
        deliver(stripe().event("customer.subscription.created", stripe().subscriptions.get(subscription)));
        deliver(stripe().event("invoice.paid", stripe().latestInvoice(subscription)));

        String page = html(portal.get("/billing"), 200);
        assertThat(page).contains("id=\"current-tier\">pro<").contains("href=\"/billing/tier/cancel\"")
                .doesNotContain("Subscribe to pro").doesNotContain("id=\"no-invoices\"")
                .contains("id=\"invoices-table\"");
        assertThat(html(portal.get("/billing/tier/cancel"), 200)).contains("Cancel your pro subscription?");
        Response cancelled = portal.post("/billing/tier/cancel", Map.of());
        assertThat(cancelled.statusCode()).as(cancelled.asString()).isEqualTo(303);
        assertThat(html(portal.get("/billing"), 200)).contains("subscription ends").contains("Reactivate");
        Response kept = portal.post("/billing/tier/reactivate", Map.of());
        assertThat(kept.statusCode()).as(kept.asString()).isEqualTo(303);
        assertThat(html(portal.get("/billing"), 200)).contains("subscription continues")
                .contains("href=\"/billing/tier/cancel\"");
        assertThat(html(portal.post("/billing/tier/reactivate", Map.of()), 409)).contains("id=\"tier-error\"")
                .contains("is not canceled");
    }
}
