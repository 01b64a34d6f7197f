package io.e2e3d.console;

import io.e2e3d.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (both found on PATH, so Selenium Manager
 * downloads nothing), in a fresh profile, WebGL through SwiftShader. Screenshots go to target/screenshots/.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test class (fails it with CI=true) without chromium and chromedriver. */
    static Browser start() throws IOException {
        Path chromium = Tools.require("chromium", "chromium");
        Path chromedriver = Tools.require("chromedriver", "chromium-driver");
        Path profile = Files.createTempDirectory("e2e3d-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,1000",
                // WebGL without a GPU: ANGLE on SwiftShader, the software renderer Chromium ships
                "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        Files.createDirectories(SCREENSHOTS);
        return new Browser(new ChromeDriver(service, options), profile);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits (polling) until the condition gives a non-null, non-false value; fails with what was awaited. */
    <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(250));
        wait.withMessage(() -> what + "\nbrowser console:\n" + consoleLog());
        try {
            return wait.until(condition);
        } catch (TimeoutException e) {
            screenshot("failed-waiting-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw e;
        }
    }

    /** Text of the first element matching, or "" while there is none. */
    String text(String css) {
        List<WebElement> found = findAll(css);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** Saves a screenshot of the whole window as target/screenshots/NAME.png. */
    Path screenshot(String name) {
        return save(name, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Saves a screenshot of one element as target/screenshots/NAME.png. */
    Path screenshot(String name, WebElement element) {
        return save(name, element.getScreenshotAs(OutputType.BYTES));
    }

    /** The browser console so far, for a failure message. */
    String consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(Object::toString)
                .collect(Collectors.joining("\n"));
    }

    private static Path save(String name, byte[] png) {
        try {
            return Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }
}
