package dev.stripeconnector.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
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
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
 * The whole product in a real browser (Debian's chromium, driven through its chromedriver), as a
 * cluster serves it: behind an ingress that ends TLS ({@link TlsIngress}, on 127.0.0.1) and forwards
 * plain HTTP with {@code X-Forwarded-Proto: https}; the service runs as deployed, trusting no
 * forwarded header. The browser knows the service by its domain only ({@code https://connector.test.example:{port}}).
 * The partner signs in to the console (sent back to the page they asked for) and sets the connector
 * up, an account's person goes through the install journey and connects at the simulated Stripe
 * (a site of its own), the partner manages the installation; a declined authorization, a reused
 * link and a foreign host name show their pages. Every page is https on the service's domain,
 * screenshotted to {@code target/browser/} and checked with axe-core: no serious or critical violation.
 */
@QuarkusTest
@TestProfile(BrowserJourneyTest.BehindTlsIngress.class)
class BrowserJourneyTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "browser");
    static final String DOMAIN = TestKeys.SERVICE_DOMAIN;
    /** Another name of this machine's address, which the service does not serve. */
    static final String FOREIGN_HOST = "evil.example";
    static final String CLIENT_ID = "ca_BrowserPlatform0001";
    static final String ACCOUNT_SECRET = "sk_test_AcmeOwnPlatformKey4242";

    /** Where the browser reaches the service (through the ingress), and the simulated Stripe. */
    static String base;
    static String stripeSite;

    private static TlsIngress ingress;

    /** Where the ingress finds the service: set once the application listens (a system property, seen from every class loader). */
    static final String SERVICE_PORT = "browser-journey.service-port";

    /**
     * The ingress is started before the application, whose public base URL names the ingress's port;
     * the application takes a free port of its own, which the ingress asks for at each request.
     */
    static synchronized TlsIngress ingress() {
        if (ingress == null) {
            ingress = TlsIngress.start(DOMAIN, () -> Integer.getInteger(SERVICE_PORT, -1));
        }
        return ingress;
    }

    /** The service as a cluster runs it, behind the TLS-ending ingress; Stripe is the simulated one, at its own address. */
    public static class BehindTlsIngress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String stripe = "http://127.0.0.1:" + ingress().plainPort() + "/simulated-stripe";
            return Map.of(
                    "quarkus.http.test-port", "0",
                    "connector.public-base-url", "https://" + DOMAIN + ":" + ingress().tlsPort(),
                    "quarkus.rest-client.stripe-connect.url", stripe,
                    "quarkus.rest-client.stripe-api.url", stripe);
        }
    }

    static WebDriver browser;
    static int step;
    static final List<String> pagesChecked = new ArrayList<>();
    static final List<String> visited = new ArrayList<>();

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "BROWSER TEST SKIPPED: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing."
                    + " Install them with: apt-get install chromium chromium-driver (.ci/run does this)";
            System.err.println("\n" + "!".repeat(message.length()) + "\n" + message + "\n" + "!".repeat(message.length()) + "\n");
            Assumptions.abort(message);
        }
        Files.createDirectories(SCREENSHOTS);
        base = ConfigProvider.getConfig().getValue("connector.public-base-url", String.class);
        stripeSite = ConfigProvider.getConfig().getValue("quarkus.rest-client.stripe-connect.url", String.class);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The ingress's certificate is self-signed, made for this run; both names lead to it, on this machine.
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en",
                "--host-resolver-rules=MAP " + DOMAIN + " 127.0.0.1, MAP " + FOREIGN_HOST + " 127.0.0.1");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
    }

    /** The application's port, known to the test (RestAssured's) once a test runs. */
    @BeforeEach
    void tellTheIngressWhereTheServiceListens() {
        System.setProperty(SERVICE_PORT, String.valueOf(RestAssured.port));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        synchronized (BrowserJourneyTest.class) {
            if (ingress != null) {
                ingress.close();
                ingress = null;
            }
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

        // The console: nothing without signing in; signed in, back on the page asked for, over https.
        open("/console/installations");
        assertThat(browser.getCurrentUrl()).as(BrowserJourneyTest::text).isEqualTo(base + "/console/login");
        checkPage("sign-in");
        type("j_username", TestKeys.CONSOLE_ADMIN);
        type("j_password", TestKeys.CONSOLE_PASSWORD);
        click("sign-in");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/console/installations");
        assertThat(browser.manage().getCookieNamed("connector-console").isSecure()).as("the session cookie is Secure").isTrue();
        open("/console/settings");
        assertThat(text()).contains("Signed in as " + TestKeys.CONSOLE_ADMIN).contains(base + "/connector/callback");
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
        assertThat(link).startsWith(base + "/connector/setup/");
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
        assertThat(browser.getCurrentUrl()).startsWith(stripeSite + "/oauth/authorize");
        assertThat(text()).contains(CLIENT_ID);
        checkPage("simulated-stripe");
        click("connect");
        assertThat(browser.getCurrentUrl()).startsWith(base + "/connector/callback?");
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
        assertThat(text()).contains("Disconnected at Stripe; the tokens were wiped.").doesNotContain(stripeAccount);
        checkPage("disconnected");
        click("remove");
        assertThat(text()).contains("Remove acme?");
        checkPage("remove-confirm");
        click("confirm-remove");
        assertThat(text()).contains("The installation of acme was removed.");
        checkPage("removed");

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
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/console/login");
        checkPage("signed-out");

        // The same address under a name the service does not serve: refused, with a page that says where to go.
        String foreign = base.replace("://" + DOMAIN + ":", "://" + FOREIGN_HOST + ":");
        browser.get(foreign + "/console/login");
        assertThat(browser.getCurrentUrl()).startsWith(foreign);
        assertThat(text()).contains("This address is not served here").contains(base + "/console");
        assertThat(browser.findElements(By.id("j_username"))).isEmpty();
        checkPage("foreign-host");
        assertThat(pagesChecked).hasSize(step);
        assertThat(visited).as("every page of the service was https on its domain").allMatch(url -> url.startsWith(base + "/")
                || url.startsWith(stripeSite + "/") || url.startsWith(foreign + "/"));
    }

    private void signInAgain() {
        open("/console/login");
        type("j_username", TestKeys.CONSOLE_ADMIN);
        type("j_password", TestKeys.CONSOLE_PASSWORD);
        click("sign-in");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/console/settings");
    }

    // ---- the browser ----

    private static void open(String path) {
        browser.get(base + path);
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
        visited.add(browser.getCurrentUrl());
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
