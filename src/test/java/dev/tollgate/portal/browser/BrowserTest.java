package dev.tollgate.portal.browser;

import java.net.URL;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Browsers;
import dev.tollgate.testing.Browsers.Viewport;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.common.http.TestHTTPResource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** A browser test: Chromium for the class, one browser profile per person, steps as a person takes them. */
abstract class BrowserTest extends WithUpstream {

    static final String ADMIN_PASSWORD = "admin-password-for-tests";

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
            browsers = null;
        }
    }

    BrowserContext person(Viewport viewport) {
        return browsers.context(base.toString(), viewport);
    }

    static void signUp(Page page, String role, String username) {
        page.navigate("/signup?role=" + role);
        page.getByLabel("E-mail").fill(username + "@example.com");
        page.getByLabel("Username").fill(username);
        page.getByLabel("Password").fill(Api.PASSWORD);
        button(page, "Sign up").click();
        assertThat(page.locator("#flash")).containsText("Welcome to Tollgate, " + username);
    }

    static void signIn(Page page, String login, String password) {
        page.navigate("/signin");
        page.getByLabel("Username or e-mail").fill(login);
        page.getByLabel("Password").fill(password);
        button(page, "Sign in").click();
        assertThat(page.locator("#flash")).containsText("Welcome back");
    }

    static com.microsoft.playwright.Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    static com.microsoft.playwright.Locator link(Page page, String name) {
        return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name));
    }

    /** Reloads the page until the condition holds (usage is written a moment after the call), at most 20 s. */
    static void reloadUntil(Page page, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            page.waitForTimeout(300);
            page.reload();
        }
    }

    static Pattern path(String regex) {
        return Pattern.compile("^https?://[^/]+" + regex + "$");
    }
}
