package io.driftwatch.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromium-driver by Selenium (no driver download: both binaries
 * come from apt, installed by scripts/test.sh). Paths can be overridden with {@code DRIFTWATCH_CHROMIUM} and
 * {@code DRIFTWATCH_CHROMEDRIVER}.
 */
public final class Browser implements AutoCloseable {

    public final ChromeDriver driver;
    private final ChromeDriverService service;

    private Browser(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    public static Browser start() {
        File chromium = binary("DRIFTWATCH_CHROMIUM", "/usr/bin/chromium");
        File chromedriver = binary("DRIFTWATCH_CHROMEDRIVER", "/usr/bin/chromedriver");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium)
                .addArguments(
                        "--headless=new",
                        "--no-sandbox", // root in CI containers
                        "--disable-dev-shm-usage",
                        "--disable-gpu",
                        "--window-size=1440,900",
                        "--lang=en-US");
        return new Browser(service, new ChromeDriver(service, options));
    }

    private static File binary(String env, String fallback) {
        File f = new File(System.getenv().getOrDefault(env, fallback));
        if (!f.canExecute()) {
            throw new AssertionError(f + " is not installed; install Debian's chromium and chromium-driver"
                    + " (apt-get install chromium chromium-driver; scripts/test.sh does) or set " + env);
        }
        return f;
    }

    public <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        // an element found just before the page navigated or redrew is stale: look again, as for one not yet there
        return new WebDriverWait(driver, timeout)
                .withMessage(() -> what + " (page: " + driver.getCurrentUrl() + ")")
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    public Object asyncJs(String script, Object... args) {
        return driver.executeAsyncScript(script, args);
    }

    public void screenshot(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
