package dev.tollgate.portal.browser;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Browsers;
import dev.tollgate.testing.Browsers.Viewport;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every main page, as the person it is for, at desktop and phone widths: it answers 200, has one main heading, no
 * page-wide horizontal scrolling on a phone (wide tables scroll inside their own box), and a screenshot of each is
 * saved under {@code target/screenshots} to look at.
 */
@QuarkusTest
class PageScreenshotsTest extends BrowserTest {

    private static final List<String> ANONYMOUS = List.of("/", "/signin", "/signup", "/marketplace", "/models");
    private static final List<String> CONSUMER = List.of("/dashboard", "/dashboard/keys", "/dashboard/usage",
            "/billing", "/profile", "/notifications", "/notifications/settings", "/feedback", "/monitoring");
    private static final List<String> PROVIDER = List.of("/provider", "/provider/revenue", "/create",
            "/create/assistant");
    private static final List<String> ADMIN = List.of("/admin", "/admin/users", "/admin/credits", "/admin/models",
            "/admin/payouts", "/admin/feedback", "/admin/featured", "/monitoring");

    @Test
    void every_main_page_fits_a_desktop_and_a_phone() {
        String providerName = Api.uniqueName("shots");
        // data that stretches layouts: a long unbroken word in feedback and in a grant's reason
        String longWord = "x".repeat(120);
        Api.User writer = Api.registerConsumer();
        writer.as().body(Map.of("type", "bug", "message", "It breaks here: " + longWord)).post("/api/v1/feedback")
                .then().statusCode(201);
        Api.admin().as().body(Map.of("user_id", writer.id(), "amount", 1, "reason", "because " + longWord))
                .post("/api/v1/admin/credits/grant").then().statusCode(201);
        for (Viewport viewport : Viewport.values()) {
            try (BrowserContext anonymous = person(viewport);
                    BrowserContext consumer = person(viewport);
                    BrowserContext provider = person(viewport);
                    BrowserContext admin = person(viewport)) {
                visit(anonymous.newPage(), ANONYMOUS, viewport, "anonymous");

                Page c = consumer.newPage();
                signUp(c, "consumer", Api.uniqueName("shots"));
                visit(c, CONSUMER, viewport, "consumer");

                Page p = provider.newPage();
                signUp(p, "provider", providerName + viewport.ordinal());
                p.locator("#api-name").fill("Shots " + viewport.name().toLowerCase() + " " + providerName);
                p.locator("#api-base-url").fill(upstream.baseUrl() + "/echo");
                p.locator("#api-description").fill("Answers what it is sent.");
                p.getByLabel("Public — anyone may subscribe").check();
                button(p, "Create API").click();
                com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(p.locator("#flash")).not()
                        .isEmpty();
                String apiPage = p.url().replaceFirst("^https?://[^/]+", "");
                p.locator("#p-category").fill("Screenshots");
                button(p, "Publish to the marketplace").click();
                visit(p, List.of(apiPage, apiPage + "/analytics", apiPage + "/logs"), viewport, "provider-api");
                visit(p, PROVIDER, viewport, "provider");
                p.navigate(apiPage);
                String listing = p.locator("a[href^='/marketplace/']").first().getAttribute("href");
                visit(p, List.of(listing), viewport, "listing");

                Page a = admin.newPage();
                signIn(a, "admin", ADMIN_PASSWORD);
                visit(a, ADMIN, viewport, "admin");
            }
        }
    }

    private static void visit(Page page, List<String> paths, Viewport viewport, String who) {
        for (String path : paths) {
            Response response = page.navigate(path);
            assertThat(response.status()).as("%s %s", who, path).isEqualTo(200);
            assertThat(page.locator("h1").count()).as("one main heading on %s", path).isGreaterThanOrEqualTo(1);
            String name = who + (path.equals("/") ? "-home" : path.replaceAll("[^A-Za-z0-9]+", "-"))
                    .replaceAll("-[0-9a-f]{8}-[0-9a-f-]{27}", "-id");
            Browsers.screenshot(page, name, viewport);
            if (viewport == Viewport.PHONE) {
                // against the viewport, not window.innerWidth: phone emulation widens the window with the page
                int pageWidth = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
                assertThat(pageWidth).as("no sideways scrolling on %s at 375 px", path)
                        .isLessThanOrEqualTo(viewport.width());
            }
        }
    }
}
