package dev.tollgate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Real Chromium for browser tests, driven by Playwright: the system's Debian {@code chromium} (never a downloaded
 * browser). {@code .ci/run} installs it; elsewhere the tests are skipped when it is missing, except under {@code CI}
 * where a missing browser fails them. Screenshots go to {@code target/screenshots}.
 */
public final class Browsers implements AutoCloseable {

    /** Desktop and phone viewports for screenshots. */
    public enum Viewport {
        DESKTOP(1280, 860), PHONE(375, 740);

        final int width;
        final int height;

        Viewport(int width, int height) {
            this.width = width;
            this.height = height;
        }

        public int width() {
            return width;
        }
    }

    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("TOLLGATE_CHROMIUM",
            "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    private Browsers(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Starts Chromium headless (skips the test when it is not installed, outside CI). */
    public static Browsers start() {
        if (!Files.isExecutable(CHROMIUM)) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("Chromium is not installed at " + CHROMIUM
                        + "; .ci/run installs the Debian package 'chromium'.");
            }
            Assumptions.abort("Chromium is not installed at " + CHROMIUM + " (apt-get install -y chromium)");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true));
        return new Browsers(playwright, browser);
    }

    /** A fresh browser profile (own cookies) at the given viewport, with {@code baseUrl} for relative paths. */
    public BrowserContext context(String baseUrl, Viewport viewport) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setBaseURL(baseUrl)
                .setViewportSize(viewport.width, viewport.height).setDeviceScaleFactor(1)
                .setIsMobile(viewport == Viewport.PHONE).setHasTouch(viewport == Viewport.PHONE));
        context.setDefaultTimeout(15_000);
        return context;
    }

    /** Saves a full-page screenshot as {@code target/screenshots/<name>-<viewport>.png}. */
    public static Path screenshot(Page page, String name, Viewport viewport) {
        Path file = SCREENSHOTS.resolve(name + "-" + viewport.name().toLowerCase() + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
