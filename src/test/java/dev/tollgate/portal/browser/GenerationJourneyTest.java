package dev.tollgate.portal.browser;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import dev.tollgate.assistant.AssistantProfile;
import dev.tollgate.portal.CreatePagesTest;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.Browsers;
import dev.tollgate.testing.Browsers.Viewport;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Creating an API from a description in a real browser, against a fake LLM vendor: describe it, watch the job until
 * its examples pass, deploy, publish it with a free plan and call it from the try-it console.
 */
@QuarkusTest
@TestProfile(AssistantProfile.class)
class GenerationJourneyTest extends BrowserTest {

    static FakeOpenAi vendor;

    @BeforeEach
    void vendor() throws IOException {
        if (vendor == null) {
            vendor = CreatePagesTest.serving(CreatePagesTest.MODEL);
        }
        vendor.replying(null);
        vendor.always(Reply.text(CreatePagesTest.answer(CreatePagesTest.FACTS)).tokens(1_000, 2_000));
    }

    @AfterAll
    static void stopVendor() {
        if (vendor != null) {
            vendor.close();
            vendor = null;
        }
    }

    @Test
    void describe_deploy_publish_and_call_from_the_console() {
        String provider = Api.uniqueName("maker");
        String name = "Cat facts " + provider.substring(6);
        try (BrowserContext browser = person(Viewport.DESKTOP)) {
            Page p = browser.newPage();
            signUp(p, "provider", provider);
            String id = Api.login(provider, Api.PASSWORD, Api.randomClientAddress()).then().statusCode(200)
                    .extract().jsonPath().getString("user.id");
            Api.admin().as().body(Map.of("user_id", id, "amount", 1, "reason", "generation journey"))
                    .post("/api/v1/admin/credits/grant").then().statusCode(201);

            p.navigate("/create");
            p.locator("#prompt").fill("An API of cat facts: GET /facts/{id} answers one fact; 404 for unknown ids.");
            p.locator("#api-name").fill(name);
            button(p, "Generate the API").click();
            assertThat(p.locator("#job-status")).containsText("ready",
                    new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
            assertThat(p.locator("body")).containsText("first fact");
            assertThat(p.locator("body")).containsText("passed");
            Browsers.screenshot(p, "journey-generated", Viewport.DESKTOP);
            p.locator("#deploy-button").click();
            assertThat(p.locator("#job-live")).isVisible();

            p.locator("a[href^='/provider/apis/']").first().click();
            assertThat(p.locator("h1")).containsText(name);
            p.locator("#s-visibility").selectOption("public");
            button(p, "Save settings").click();
            p.locator("#pl-name-new").fill("Free tier");
            p.locator("#pl-type-new").selectOption("free");
            button(p, "Add plan").click();
            assertThat(p.locator("body")).containsText("Free tier");
            p.locator("#p-category").fill("Animals");
            button(p, "Publish to the marketplace").click();
            p.locator("a[href^='/marketplace/']").first().click();

            p.getByLabel("Subscribe to the Free tier plan").click();
            assertThat(p.locator("#subscribed")).isVisible();
            String listing = p.url().replaceFirst("^https?://[^/]+", "");
            p.navigate("/dashboard/keys");
            p.locator("#key-name").fill("console");
            button(p, "Create key").click();
            p.locator("#use-in-console").click();
            p.navigate(listing);
            p.locator("#tryit-method").selectOption("GET");
            p.locator("#tryit-path").fill("/facts/1");
            p.locator("#tryit-send").click();
            assertThat(p.locator("#tryit-status")).containsText("200");
            assertThat(p.locator("#tryit-response")).containsText("Cats have 32 muscles in each ear.");
            Browsers.screenshot(p, "journey-generated-try-it", Viewport.DESKTOP);
        }
    }
}
