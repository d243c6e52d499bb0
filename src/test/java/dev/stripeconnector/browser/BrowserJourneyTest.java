package dev.stripeconnector.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole product in a real browser (Debian's chromium, driven through its chromedriver): the
 * partner signs in to the console and sets the connector up, an account's person goes through the
 * install journey and connects at the simulated Stripe, the partner manages the installation; a
 * declined authorization and a reused link show their pages. Every page is screenshotted to
 * {@code target/browser/} and checked with axe-core: no serious or critical violation.
 */
@QuarkusTest
@TestProfile(BrowserJourneyTest.SimulatedStripe.class)
class BrowserJourneyTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "browser");
    /** A port free at run time, the same in both class loaders that read it (the profile's and the test's). */
    static final int PORT = Integer.parseInt((String) System.getProperties().computeIfAbsent("browser-journey.port",
            k -> Integer.toString(dev.stripeconnector.support.PackagedApp.freePortOrFail())));
    static final String BASE = "http://localhost:" + PORT;
    static final String CLIENT_ID = "ca_BrowserPlatform0001";
    static final String ACCOUNT_SECRET = "sk_test_AcmeOwnPlatformKey4242";

    /** The service as on a laptop: its public base URL is where the browser reaches it, Stripe is the simulated one. */
    public static class SimulatedStripe implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.test-port", Integer.toString(PORT),
                    "connector.public-base-url", BASE,
                    "quarkus.rest-client.stripe-connect.url", BASE + "/simulated-stripe",
                    "quarkus.rest-client.stripe-api.url", BASE + "/simulated-stripe");
        }
    }

    static WebDriver browser;
    static int step;
    static final List<String> pagesChecked = new ArrayList<>();

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "BROWSER TEST SKIPPED: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing."
                    + " Install them with: apt-get install chromium chromium-driver (.ci/run does this)";
            System.err.println("\n" + "!".repeat(message.length()) + "\n" + message + "\n" + "!".repeat(message.length()) + "\n");
            Assumptions.abort(message);
        }
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** The accessibility check is no formality: a page with an unlabelled field and an image without text fails it. */
    @Test
    void theAccessibilityCheckFindsWhatItShould() {
        browser.get("data:text/html,<!DOCTYPE html><html lang=en><title>t</title><main><input type=text><img src=x.png></main></html>");
        assertThat(seriousViolations()).anyMatch(v -> v.contains("label")).anyMatch(v -> v.contains("image-alt"));
    }

    @Test
    void thePartnerSetsUpTheAccountConnectsAndThePartnerManagesIt() {
        Api.resetDatabase();
        Api.update("delete from sign_in_attempt");

        // The console: nothing without signing in.
        open("/console/settings");
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        checkPage("sign-in");
        type("j_username", TestKeys.CONSOLE_ADMIN);
        type("j_password", TestKeys.CONSOLE_PASSWORD);
        click("sign-in");
        assertThat(browser.getCurrentUrl()).endsWith("/console/settings");
        assertThat(text()).contains("Signed in as " + TestKeys.CONSOLE_ADMIN).contains(BASE + "/connector/callback");
        checkPage("settings");

        // Invalid settings: errors next to their fields, the values kept.
        type("clientId", "not-a-client-id");
        type("clientSecret", "pk_test_NotASecretKey");
        click("save");
        assertThat(browser.findElement(By.id("clientId-error")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("clientSecret-error")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("clientId")).getAttribute("value")).isEqualTo("not-a-client-id");
        checkPage("settings-invalid");

        // Valid: the platform's client ID, the secret key left empty, so each account brings its own.
        type("clientId", CLIENT_ID);
        browser.findElement(By.id("clientSecret")).clear();
        click("save");
        assertThat(text()).contains("Saved.").contains("Not set.");
        checkPage("settings-saved");

        // An event subscription: the signing secret shown once; then rotated, and deleted after confirmation.
        browser.findElement(By.linkText("Event subscriptions")).click();
        assertThat(text()).contains("No receiver is subscribed yet");
        checkPage("event-subscriptions-empty");
        type("url", "http://events.example.com/hooks");
        click("subscribe");
        assertThat(browser.findElement(By.id("url-error")).getText()).contains("must use https");
        assertThat(browser.findElement(By.id("eventTypes-error")).getText()).isNotBlank();
        checkPage("event-subscriptions-invalid");
        type("url", "https://events.example.com/hooks");
        browser.findElement(By.id("type-installation-connected")).click();
        browser.findElement(By.id("type-installation-revoked")).click();
        type("description", "Billing service");
        click("subscribe");
        assertThat(browser.findElement(By.id("signing-secret")).getText()).startsWith("scsec_");
        checkPage("event-subscription-created");
        String subscription = browser.findElement(By.cssSelector("button[id^=rotate-]")).getAttribute("id").substring("rotate-".length());
        click("rotate-" + subscription);
        assertThat(text()).contains("The signing secret was rotated");
        click("delete-" + subscription);
        assertThat(text()).contains("Delete this event subscription?");
        checkPage("event-subscription-delete");
        click("confirm-delete");
        assertThat(text()).contains("The subscription was deleted");

        // An installation, and a connection link for its person.
        browser.findElement(By.linkText("Installations")).click();
        checkPage("installations-empty");
        type("accountId", "acme");
        type("name", "Acme Shop");
        click("install");
        assertThat(text()).contains("needs_credentials").contains("the Client Secret");
        checkPage("installation-new");
        click("create-link");
        String link = browser.findElement(By.id("connection-link")).getText().strip();
        assertThat(link).startsWith(BASE + "/connector/setup/");
        checkPage("installation-link");

        // The account's person: asked only for the secret key, then on to (simulated) Stripe.
        browser.manage().deleteAllCookies();
        browser.get(link);
        assertThat(browser.findElements(By.id("clientId"))).isEmpty();
        checkPage("install-form");
        click("continue");
        assertThat(browser.findElement(By.id("clientSecret-error")).getText()).contains("secret key");
        checkPage("install-form-missing");
        type("clientSecret", ACCOUNT_SECRET);
        click("continue");
        assertThat(browser.getCurrentUrl()).startsWith(BASE + "/simulated-stripe/oauth/authorize");
        assertThat(text()).contains(CLIENT_ID);
        checkPage("simulated-stripe");
        click("connect");
        assertThat(text()).contains("Your Stripe account is connected");
        String stripeAccount = Api.queryString("select stripe_user_id from account_connector where account_id = 'acme'");
        assertThat(stripeAccount).startsWith("acct_");
        checkPage("connected");

        // The partner sees it connected, verifies, refreshes, disconnects.
        signInAgain();
        open("/console/installations?status=connected");
        assertThat(text()).contains("acme").contains(stripeAccount).contains("connected");
        checkPage("installations-connected");
        browser.findElement(By.linkText("acme")).click();
        click("verify");
        assertThat(text()).contains("Verified with Stripe.");
        checkPage("installation-verified");
        click("refresh");
        assertThat(text()).contains("The tokens were refreshed.");
        click("disconnect");
        assertThat(text()).contains("Disconnect acme?").contains(stripeAccount);
        checkPage("disconnect-confirm");
        click("confirm-disconnect");
        assertThat(text()).contains("The installation of acme was removed; its Stripe account was disconnected at Stripe.");
        checkPage("disconnected");

        // A declined authorization.
        type("accountId", "globex");
        click("install");
        click("create-link");
        String secondLink = browser.findElement(By.id("connection-link")).getText().strip();
        browser.manage().deleteAllCookies();
        browser.get(secondLink);
        type("clientSecret", ACCOUNT_SECRET);
        click("continue");
        click("decline");
        assertThat(text()).contains("The connection was not made").contains("You declined the connection at Stripe");
        checkPage("declined");

        // The same link again: already used.
        browser.get(secondLink);
        assertThat(text()).contains("This link was already used");
        checkPage("link-reused");

        // Sign-out.
        signInAgain();
        click("sign-out");
        assertThat(text()).contains("You are signed out");
        open("/console/installations");
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        checkPage("signed-out");
        assertThat(pagesChecked).hasSize(step);
    }

    private void signInAgain() {
        open("/console/login");
        type("j_username", TestKeys.CONSOLE_ADMIN);
        type("j_password", TestKeys.CONSOLE_PASSWORD);
        click("sign-in");
        assertThat(browser.getCurrentUrl()).endsWith("/console/settings");
    }

    // ---- the browser ----

    private static void open(String path) {
        browser.get(BASE + path);
    }

    private static void type(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    /** Clicks and waits until the page it leads to has loaded (the old page's marker is gone). */
    private static void click(String id) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.__journeyPage = true;");
        browser.findElement(By.id(id)).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.WebDriverException.class)
                .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                        .executeScript("return window.__journeyPage === undefined && document.readyState === 'complete';")));
    }

    private static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** A screenshot to target/browser/, then axe-core on the page: no serious or critical violation. */
    private static void checkPage(String name) {
        step++;
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(String.format("%02d-%s.png", step, name)), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(seriousViolations()).as("serious or critical accessibility violations on the page '" + name + "' (" + browser.getCurrentUrl() + ")")
                .isEmpty();
        pagesChecked.add(name);
    }

    /** axe-core's serious and critical violations on the current page, one line each. */
    @SuppressWarnings("unchecked")
    private static List<String> seriousViolations() {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript(axeSource());
        Object result = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then(r => done(r.violations
                      .filter(v => v.impact === 'serious' || v.impact === 'critical')
                      .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe failed: ' + e]));
                """);
        return (List<String>) result;
    }

    private static String axe;

    private static String axeSource() {
        if (axe == null) {
            try (InputStream in = BrowserJourneyTest.class.getClassLoader()
                    .getResourceAsStream("META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
                axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return axe;
    }
}
