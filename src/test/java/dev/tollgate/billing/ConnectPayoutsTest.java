package dev.tollgate.billing;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeStripe;
import dev.tollgate.testing.StripeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Payouts transferred to providers' Stripe Connect accounts, safely against failures and retries. */
@QuarkusTest
@TestProfile(StripeProfile.class)
class ConnectPayoutsTest extends LedgerChecked {
    @Inject
    Ledger ledger;

    @Inject
    StripeConnect connect;

    private static FakeStripe stripe() {
        return StripeProfile.stripe;
    }

    private Api.User providerEarning(long units) {
        Api.User provider = Api.register("provider");
        ledger.post("adjustment", null, "earnings for the test", null, List.of(
                new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, UUID.fromString(provider.id()), units * 1_000_000),
                new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -units * 1_000_000)));
        return provider;
    }

    private static String onboard(Api.User provider) {
        return provider.as().body(Map.of("return_url", "https://app.example.com/payouts", "refresh_url",
                "https://app.example.com/payouts/retry")).post("/api/v1/billing/connect").then().statusCode(200)
                .body("url", startsWith("https://connect.stripe.com/")).extract().jsonPath().getString("account_id");
    }

    private static String requestPayout(Api.User provider, Object amount) {
        return provider.as().body(Map.of("amount", amount)).post("/api/v1/billing/payout-request").then()
                .statusCode(201).extract().jsonPath().getString("id");
    }

    @Test
    void onboarding_creates_one_account_and_the_approval_transfers_to_it() {
        Api.User provider = providerEarning(30);
        String account = onboard(provider);
        assertThat(onboard(provider)).isEqualTo(account);
        assertThat(stripe().accounts.get(account).path("email").asText()).isEqualTo(provider.email());
        provider.as().get("/api/v1/billing/connect").then().statusCode(200).body("account_id", equalTo(account))
                .body("payouts_enabled", equalTo(false));

        String payout = requestPayout(provider, "12.34");
        Api.User admin = Api.admin();
        int transfers = stripe().transfers.size();
        // Stripe refuses while onboarding is unfinished: 502, the payout stays pending, no money moved
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then().statusCode(502)
                .contentType("application/problem+json").body("detail", containsString("still pending"))
                // our words, not Stripe's
                .body("detail", not(containsString("capabilities")));
        provider.as().get("/api/v1/billing/payouts").then().body("[0].status", equalTo("pending"));
        provider.as().get("/api/v1/billing/overview").then().body("pending", equalTo(12.34f));

        stripe().enablePayouts(account);
        provider.as().get("/api/v1/billing/connect").then().body("payouts_enabled", equalTo(true));
        String transfer = admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then()
                .statusCode(200).body("status", equalTo("paid")).body("reference", startsWith("tr_")).extract()
                .jsonPath().getString("reference");
        assertThat(stripe().transfers).hasSize(transfers + 1);
        var sent = stripe().transfers.get(transfers);
        assertThat(sent.path("id").asText()).isEqualTo(transfer);
        assertThat(sent.path("amount").asLong()).isEqualTo(1234);
        assertThat(sent.path("destination").asText()).isEqualTo(account);
        assertThat(sent.path("metadata").path("tollgate_payout_id").asText()).isEqualTo(payout);
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then().statusCode(409);
        assertThat(stripe().transfers).hasSize(transfers + 1);
        provider.as().get("/api/v1/billing/overview").then().body("pending", equalTo(0)).body("paid_out",
                equalTo(12.34f));
    }

    @Test
    void an_approval_interrupted_after_the_transfer_is_finished_without_paying_twice() throws Exception {
        Api.User provider = providerEarning(40);
        String account = onboard(provider);
        stripe().enablePayouts(account);
        String payout = requestPayout(provider, 15);
        // the node claimed the payout and Stripe made the transfer, then the node died before the ledger entry
        try (var c = database.getConnection();
                var update = c.prepareStatement(
                        "update payouts set status = 'processing' where id = ?")) {
            update.setObject(1, UUID.fromString(payout));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        String first = connect.transfer(UUID.fromString(payout), account, 15_000_000, false);
        int transfers = stripe().transfers.size();
        Api.User admin = Api.admin();
        admin.as().get("/api/v1/admin/payouts?status=processing").then().body("id", hasItem(payout));
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/reject").then().statusCode(409);
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then().statusCode(200)
                .body("status", equalTo("paid")).body("reference", equalTo(first));
        assertThat(stripe().transfers).hasSize(transfers);
        provider.as().get("/api/v1/billing/overview").then().body("available", equalTo(25)).body("paid_out",
                equalTo(15));
    }

    @Test
    void a_provider_without_an_account_is_paid_by_hand_and_bad_input_is_refused() {
        Api.User provider = providerEarning(20);
        provider.as().get("/api/v1/billing/connect").then().statusCode(404);
        provider.as().body(Map.of("amount", "10.001")).post("/api/v1/billing/payout-request").then()
                .statusCode(422).body("detail", containsString("at most 2 decimals"));
        String payout = requestPayout(provider, 10);
        Api.User admin = Api.admin();
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then().statusCode(422)
                .body("detail", containsString("no Stripe payout account"));
        admin.as().body(Map.of("reference", "SEPA-1")).post("/api/v1/admin/payouts/" + payout + "/approve").then()
                .statusCode(200).body("reference", equalTo("SEPA-1"));

        provider.as().body(Map.of("return_url", "not a url", "refresh_url", "https://a.example/"))
                .post("/api/v1/billing/connect").then().statusCode(422).body("errors.field", hasItem("return_url"));
        Api.registerConsumer().as().body(Map.of("return_url", "https://a.example/", "refresh_url",
                "https://a.example/")).post("/api/v1/billing/connect").then().statusCode(403);
        assertThat(stripe().accounts.values()).noneMatch(a -> a.path("metadata").path("tollgate_user_id").asText()
                .equals(provider.id()));
    }

    @Test
    void a_transfer_whose_answer_times_out_stays_processing_until_an_approval_retry_pays_it_once() {
        Api.User provider = providerEarning(40);
        String account = onboard(provider);
        stripe().enablePayouts(account);
        String payout = requestPayout(provider, 15);
        Api.User admin = Api.admin();
        int transfers = stripe().transfers.size();
        stripe().timeOutTransfers();
        try {
            // Stripe made the transfer, but its answer did not come within the read timeout
            admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then().statusCode(504)
                    .contentType("application/problem+json").body("detail", containsString("unknown"))
                    .body("detail", containsString("approve it again"));
        } finally {
            stripe().answerTransfers();
        }
        assertThat(stripe().transfers).hasSize(transfers + 1);
        String made = stripe().transfers.get(transfers).path("id").asText();
        admin.as().get("/api/v1/admin/payouts?status=processing").then().body("id", hasItem(payout));
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/reject").then().statusCode(409);
        var overview = provider.as().get("/api/v1/billing/overview").then().extract().jsonPath();
        assertThat(Credits.decimal(overview, "available")).isEqualByComparingTo("25");
        assertThat(Credits.decimal(overview, "pending")).isEqualByComparingTo("15");

        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then().statusCode(200)
                .body("status", equalTo("paid")).body("reference", equalTo(made));
        assertThat(stripe().transfers).hasSize(transfers + 1);
        overview = provider.as().get("/api/v1/billing/overview").then().extract().jsonPath();
        assertThat(Credits.decimal(overview, "available")).isEqualByComparingTo("25");
        assertThat(Credits.decimal(overview, "pending")).isEqualByComparingTo("0");
        assertThat(Credits.decimal(overview, "paid_out")).isEqualByComparingTo("15");
    }

    @Test
    void an_interrupted_transfer_approved_again_after_stripe_forgot_its_idempotency_key_is_not_paid_twice() {
        Api.User provider = providerEarning(40);
        String account = onboard(provider);
        stripe().enablePayouts(account);
        String payout = requestPayout(provider, 15);
        Api.User admin = Api.admin();
        int transfers = stripe().transfers.size();
        stripe().timeOutTransfers();
        try {
            admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then().statusCode(504);
        } finally {
            stripe().answerTransfers();
        }
        String made = stripe().transfers.get(transfers).path("id").asText();
        // more than a day later, Stripe no longer knows the key
        stripe().forgetIdempotencyKeys();
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + payout + "/approve").then().statusCode(200)
                .body("status", equalTo("paid")).body("reference", equalTo(made));
        assertThat(stripe().transfers).hasSize(transfers + 1);
    }
}
