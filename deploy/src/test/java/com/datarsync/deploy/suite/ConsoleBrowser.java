package com.datarsync.deploy.suite;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (installed by the local
 * script), on the console the gateway serves. Flags: no sandbox (root), and no background
 * networking, which this machine's closed network would refuse at every start.
 */
final class ConsoleBrowser implements AutoCloseable {

    /** Linked from docs/console.md: each run of ConsoleIT takes them again. */
    static final Path SCREENSHOTS = com.datarsync.common.testsupport.LocalInfra.get().repo().resolve("docs/screenshots");

    private final ChromeDriver driver;
    private final WebDriverWait wait;

    ConsoleBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,900");
        // The suite's gateway has a self-signed certificate.
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(SuiteProcesses.gateway(path).toString());
    }

    /** The element with {@code data-test=name}, once it is shown. */
    WebElement byTest(String name) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test='" + name + "']")));
    }

    /** Clicks the element with {@code data-test=name} once it can be clicked. */
    void click(String name) {
        clickWhenFree(By.cssSelector("[data-test='" + name + "']"));
    }

    /**
     * Clicks once nothing lies over the element: a drawer or dialog still sliding in can take a
     * click that lands during its animation, and a select's option may be shown before it takes
     * clicks (seen once in CI on the language switch), so such a click is tried again.
     * (ElementClickInterceptedException is an ElementNotInteractableException.)
     */
    private void clickWhenFree(By locator) {
        wait.ignoring(org.openqa.selenium.ElementNotInteractableException.class).until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(locator).apply(d);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    /** Accepts the confirmation box (Element Plus' message box) that is open now. */
    void confirm() {
        clickWhenFree(By.cssSelector(".el-message-box__btns .el-button--primary"));
    }

    /** Ticks the selection checkbox of the table row that holds the element marked {@code name}. */
    void selectRow(String name) {
        clickWhenFree(By.xpath("//tr[.//*[@data-test='" + name + "']]//label[contains(@class, 'el-checkbox')]"));
    }

    /** Logs in through the login page and waits for the overview. */
    void login(String username, String password) {
        open("/#/login");
        type("username", username);
        type("password", password);
        click("login");
        byTest("welcome");
    }

    /** Goes to a console page by its route ({@code /tasks}), as a click on a link would. */
    void page(String route) {
        driver.get(SuiteProcesses.gateway("/#" + route).toString());
    }

    /** Picks the option marked {@code option} in the Element Plus select marked {@code select}. */
    void pick(String select, String option) {
        click(select);
        click(option);
    }

    /** Waits until the element with {@code data-test=name} has the attribute at the value. */
    void waitForAttribute(String name, String attribute, String value) {
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-test='" + name + "']"), attribute, value));
    }

    /** Waits (up to {@code timeout}) until the condition holds, for the slower steps of the data path. */
    void waitUntil(Duration timeout, java.util.function.Function<ChromeDriver, Boolean> condition) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(500)).until(d -> condition.apply(driver));
    }

    String text(String name) {
        return byTest(name).getText();
    }

    boolean shown(String name) {
        return !driver.findElements(By.cssSelector("[data-test='" + name + "']")).isEmpty();
    }

    void waitForText(String name, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-test='" + name + "']"), text));
    }

    void type(String name, String text) {
        // Element Plus puts the attributes of <el-input> on its inner <input>.
        WebElement marked = byTest(name);
        WebElement input = List.of("input", "textarea").contains(marked.getTagName()) ? marked
                : marked.findElement(By.cssSelector("input, textarea"));
        // Deleted as a user would, not by clear(): clear() fires no input event, so Vue's model
        // would keep the old value of a field left empty.
        input.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"),
                org.openqa.selenium.Keys.BACK_SPACE);
        input.sendKeys(text);
    }

    /** Picks a language in the switch (an Element Plus select: its options live in a popper). */
    void language(String code) {
        click("language");
        clickWhenFree(By.cssSelector("[data-test='language-" + code + "']"));
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
