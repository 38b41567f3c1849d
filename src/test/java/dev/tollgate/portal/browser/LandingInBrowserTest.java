package dev.tollgate.portal.browser;

import java.net.URL;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import dev.tollgate.testing.Browsers;
import dev.tollgate.testing.Browsers.Viewport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

@QuarkusTest
class LandingInBrowserTest {

    @TestHTTPResource("/")
    URL base;

    static Browsers browsers;

    @BeforeAll
    static void startBrowser() {
        browsers = Browsers.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browsers != null) {
            browsers.close();
        }
    }

    @Test
    void a_visitor_signs_up_from_the_landing_page() {
        try (BrowserContext context = browsers.context(base.toString(), Viewport.DESKTOP)) {
            Page page = context.newPage();
            page.navigate("/");
            assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.HEADING,
                    new Page.GetByRoleOptions().setName("One key for every API and AI model"))).isVisible();
            Browsers.screenshot(page, "landing", Viewport.DESKTOP);
            page.getByText("Sign up").first().click();
            page.getByLabel("E-mail").fill("walker@example.com");
            page.getByLabel("Username").fill("walker");
            page.getByLabel("Password").fill("a long enough password");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Sign up")).click();
            assertThat(page.locator("#flash")).containsText("Welcome to Tollgate, walker.");
        }
    }
}
