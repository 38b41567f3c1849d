package dev.tollgate.portal.browser;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import dev.tollgate.billing.AccountKind;
import dev.tollgate.billing.Ledger;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.Browsers;
import dev.tollgate.testing.Browsers.Viewport;
import io.quarkus.test.junit.QuarkusTest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** An admin's journey in a real browser: sign in, grant credits, approve a payout, watch the monitoring page update. */
@QuarkusTest
class AdminJourneyTest extends BrowserTest {

    @Inject
    Ledger ledger;

    @Test
    void grants_credits_approves_a_payout_and_sees_monitoring_refresh() {
        Api.User consumer = Api.registerConsumer();
        Api.User provider = Api.register("provider");
        ledger.post("adjustment", null, "earnings for the admin journey", null, List.of(
                new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, UUID.fromString(provider.id()), 20_000_000),
                new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -20_000_000)));
        String payout = provider.as().body(Map.of("amount", 12)).post("/api/v1/billing/payout-request").then()
                .statusCode(201).extract().jsonPath().getString("id");

        try (BrowserContext admin = person(Viewport.DESKTOP)) {
            Page a = admin.newPage();
            a.clock().install();
            signIn(a, "admin", ADMIN_PASSWORD);

            a.navigate("/admin/credits");
            a.locator("#grant-user").fill(consumer.email());
            a.locator("#grant-amount").fill("7.50");
            a.locator("#grant-reason").fill("support ticket 42");
            button(a, "Grant credits").click();
            assertThat(a.locator("#grants")).containsText(consumer.username());
            assertThat(consumer.as().get("/api/v1/users/me/credits").then().statusCode(200).extract().jsonPath()
                    .getDouble("balance")).isEqualTo(7.5);

            a.navigate("/admin/payouts");
            assertThat(a.locator("#payout-" + payout)).containsText(provider.username());
            a.locator("#reference-" + payout).fill("SEPA-2026-12");
            a.locator("#payout-" + payout).getByText("Approve", new com.microsoft.playwright.Locator.GetByTextOptions()
                    .setExact(true)).click();
            assertThat(a.locator("#payout-history")).containsText("SEPA-2026-12");
            assertThat(provider.as().get("/api/v1/billing/payouts").then().statusCode(200).extract().jsonPath()
                    .getString("find { it.id == '" + payout + "' }.status")).isEqualTo("paid");
            Browsers.screenshot(a, "journey-admin-payouts", Viewport.DESKTOP);

            a.navigate("/monitoring");
            assertThat(a.locator("#node-uptime")).isVisible();
            assertThat(a.locator("#node-heap")).containsText("of");
            a.locator("#last-updated").evaluate("e => e.setAttribute('data-old', 'yes')");
            for (int i = 0; i < 5; i++) {
                given().get("/health").then().statusCode(200);
            }
            a.waitForResponse(r -> r.url().endsWith("/monitoring/figures"), () -> a.clock().runFor(31_000));
            assertThat(a.locator("#last-updated")).not().hasAttribute("data-old", "yes");
            assertThat(a.locator("#node-requests .stat")).not().isEmpty();
            Browsers.screenshot(a, "journey-admin-monitoring", Viewport.DESKTOP);
        }
    }
}
