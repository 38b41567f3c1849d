package dev.tollgate.portal.browser;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Browsers;
import dev.tollgate.testing.Browsers.Viewport;
import io.quarkus.test.junit.QuarkusTest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * A newcomer's journey in a real browser: a provider signs up, creates an API in front of a local upstream, adds a
 * pay-per-call plan and publishes it; a consumer signs up, gets credits from an admin, finds the API by search,
 * subscribes, creates a key, calls the API from the try-it console, and sees the call in the usage chart and the
 * charge in the transactions; the provider sees the call and the earning.
 */
@QuarkusTest
class NewcomerJourneyTest extends BrowserTest {

    @Test
    void from_sign_up_to_a_paid_call_seen_by_both_sides() {
        String provider = Api.uniqueName("prov");
        String consumer = Api.uniqueName("cons");
        String title = "Weather " + provider.substring(5);
        try (BrowserContext providerBrowser = person(Viewport.DESKTOP);
                BrowserContext consumerBrowser = person(Viewport.DESKTOP);
                BrowserContext adminBrowser = person(Viewport.DESKTOP)) {
            // the provider: sign up, create the API, a plan, publish
            Page p = providerBrowser.newPage();
            signUp(p, "provider", provider);
            assertThat(p).hasURL(path("/provider"));
            p.locator("#api-name").fill(title);
            p.locator("#api-base-url").fill(upstream.baseUrl() + "/echo");
            p.locator("#api-description").fill("Forecasts for any city.");
            p.getByLabel("Public — anyone may subscribe").check();
            button(p, "Create API").click();
            assertThat(p.locator("h1")).containsText(title);
            String apiPage = p.url().replaceFirst("^https?://[^/]+", "").replaceFirst("[?#].*$", "");
            p.locator("#pl-name-new").fill("Pay as you go");
            p.locator("#pl-type-new").selectOption("pay_per_call");
            p.locator("#pl-ppc-new").fill("0.01");
            button(p, "Add plan").click();
            assertThat(p.locator("#flash")).not().isEmpty();
            assertThat(p.locator("body")).containsText("Pay as you go");
            p.locator("#p-category").fill("Weather");
            button(p, "Publish to the marketplace").click();
            assertThat(p.locator("body")).containsText("/marketplace/");
            Browsers.screenshot(p, "journey-provider-api", Viewport.DESKTOP);

            // the consumer signs up; an admin grants credits
            Page c = consumerBrowser.newPage();
            signUp(c, "consumer", consumer);
            Page a = adminBrowser.newPage();
            signIn(a, "admin", ADMIN_PASSWORD);
            a.navigate("/admin/credits");
            a.locator("#grant-user").fill(consumer);
            a.locator("#grant-amount").fill("5");
            a.locator("#grant-reason").fill("welcome credit");
            button(a, "Grant credits").click();
            assertThat(a.locator("#grant-error")).hasCount(0);
            assertThat(a.locator("#grants")).containsText(consumer);

            // the consumer finds the API by search, subscribes, creates a key
            c.navigate("/marketplace");
            c.locator("#market-q").fill(title);
            assertThat(link(c, title).first()).isVisible();
            link(c, title).first().click();
            assertThat(c.locator("h1")).containsText(title);
            c.getByLabel("Subscribe to the Pay as you go plan").click();
            assertThat(c.locator("#subscribed")).containsText("Pay as you go");
            String listing = c.url().replaceFirst("^https?://[^/]+", "");
            c.navigate("/dashboard/keys");
            c.locator("#key-name").fill("laptop");
            button(c, "Create key").click();
            assertThat(c.locator("#new-key-secret")).containsText("tg");
            Browsers.screenshot(c, "journey-key-created", Viewport.DESKTOP);
            c.locator("#use-in-console").click();

            // the try-it console, with the key the dashboard handed over
            c.navigate(listing);
            assertThat(c.locator("#tryit-key")).not().hasValue("");
            c.locator("#tryit-method").selectOption("GET");
            c.locator("#tryit-path").fill("/forecast");
            c.locator("#tryit-query").fill("city=Oslo");
            c.locator("#tryit-send").click();
            assertThat(c.locator("#tryit-status")).containsText("200");
            assertThat(c.locator("#tryit-latency")).containsText("ms");
            assertThat(c.locator("#tryit-headers")).containsText("RateLimit");
            assertThat(c.locator("#tryit-response")).containsText("/echo/forecast");
            Browsers.screenshot(c, "journey-try-it", Viewport.DESKTOP);

            // the call in the usage chart and the charge in the transactions
            c.navigate("/dashboard/usage");
            reloadUntil(c, () -> c.locator("#usage-calls").count() == 1
                    && c.locator("#usage-calls").textContent().trim().equals("1"), "the call in the usage");
            assertThat(c.locator("canvas").first()).isVisible();
            assertThat(c.locator("#api-usage")).containsText(title);
            Browsers.screenshot(c, "journey-usage", Viewport.DESKTOP);
            c.navigate("/billing");
            assertThat(c.locator("#transactions-table")).containsText("0.01");

            // the provider sees the call and the earning
            p.navigate(apiPage + "/logs");
            reloadUntil(p, () -> p.locator("body").textContent().contains("/forecast"), "the call in the logs");
            p.navigate("/provider/revenue");
            reloadUntil(p, () -> p.locator("#gross").textContent().contains("0.01"), "the earning");
            Browsers.screenshot(p, "journey-revenue", Viewport.DESKTOP);
        }
    }
}
