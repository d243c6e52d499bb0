package dev.stripeconnector.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.stripeconnector.common.AccountIds;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.TestPartners;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
 * (a site of its own), the partner manages the installation, an operator sees the partners; a declined
 * authorization, a reused link and a foreign host name show their pages. The journey is walked twice,
 * on a desktop's screen (1280 px) and on a phone's (390 px, Chrome's device emulation), one browser
 * session each, with an account id of the longest length and long names among the data. Every page is
 * https on the service's domain, screenshotted to {@code target/browser/} (and to {@code docs/images/}
 * with {@code -Dbrowser.docs-images=true}), fits its screen (nothing off-screen unless in a box that
 * scrolls) and passes axe-core, every rule on.
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

    /** The two screens the journey is walked on: one browser session each, opened when first needed. */
    enum Screen {
        DESKTOP(1280, 900, ""), PHONE(390, 844, "-phone");

        final int width;
        final int height;
        /** How the screen's screenshots are named in docs/images. */
        final String suffix;

        Screen(int width, int height, String suffix) {
            this.width = width;
            this.height = height;
            this.suffix = suffix;
        }
    }

    /** A 128-character account id (the longest allowed) and long names: none of them may widen a page. */
    static final String LONG_ACCOUNT = "northwindtradingcompanyofgreatermanchesterandthesurroundingcountieslimitedliabilitypartnershipeuropeanoperations2026wholesale001";
    static final String LONG_NAME = "Northwind Trading Company of Greater Manchester and the Surrounding Counties, Limited Liability"
            + " Partnership (European Operations, Wholesale and Retail Division, Registered Office in Salford Quays)";
    static final String LONG_BUSINESS = "Acme Worldwide Holdings Incorporated Subsidiary for Online Commerce and Subscription Billing Limited";
    static final String LONG_PARTNER = "northwind-integrations-for-greater-manchester-and-the-counties-x";

    /** Where the docs' screenshots are, and which pages of the journey they show. */
    static final Path DOCS_IMAGES = Path.of("docs", "images");
    static final Map<String, String> DOCS_SHOTS = Map.of("settings-saved", "console-settings", "event-subscription-created",
            "console-event-subscriptions", "install-form", "console-install-form", "simulated-stripe", "console-simulated-stripe",
            "connected", "console-connected", "installations-connected", "console-installations-connected",
            "installation-verified", "console-installation-verified", "partners", "console-partners");

    private static final Map<Screen, WebDriver> sessions = new EnumMap<>(Screen.class);
    static WebDriver browser;
    static Screen screen;
    static int step;
    static final List<String> pagesChecked = new ArrayList<>();
    static final List<String> visited = new ArrayList<>();

    @BeforeAll
    static void findTheBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "BROWSER TEST SKIPPED: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing."
                    + " Install them with: apt-get install chromium chromium-driver (.ci/run does this)";
            System.err.println("\n" + "!".repeat(message.length()) + "\n" + message + "\n" + "!".repeat(message.length()) + "\n");
            Assumptions.abort(message);
        }
        base = ConfigProvider.getConfig().getValue("connector.public-base-url", String.class);
        stripeSite = ConfigProvider.getConfig().getValue("quarkus.rest-client.stripe-connect.url", String.class);
    }

    /** Makes {@code on} the screen the next steps use, opening its browser session the first time. */
    static void use(Screen on) throws IOException {
        screen = on;
        Files.createDirectories(SCREENSHOTS.resolve(on.name().toLowerCase()));
        browser = sessions.computeIfAbsent(on, BrowserJourneyTest::openSession);
    }

    private static WebDriver openSession(Screen on) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The ingress's certificate is self-signed, made for this run; both names lead to it, on this machine.
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=en", "--hide-scrollbars",
                "--host-resolver-rules=MAP " + DOMAIN + " 127.0.0.1, MAP " + FOREIGN_HOST + " 127.0.0.1");
        if (on == Screen.PHONE) {
            // A phone as Chrome's device toolbar emulates one: its screen, a touch screen, a mobile browser's viewport.
            options.setExperimentalOption("mobileEmulation", Map.of(
                    "deviceMetrics", Map.of("width", on.width, "height", on.height, "pixelRatio", 1.0, "mobile", true, "touch", true),
                    "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"));
        } else {
            options.addArguments("--window-size=" + on.width + "," + on.height);
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** The application's port, known to the test (RestAssured's) once a test runs. */
    @BeforeEach
    void tellTheIngressWhereTheServiceListens() {
        System.setProperty(SERVICE_PORT, String.valueOf(RestAssured.port));
    }

    @AfterAll
    static void stopBrowser() {
        sessions.values().forEach(WebDriver::quit);
        sessions.clear();
        synchronized (BrowserJourneyTest.class) {
            if (ingress != null) {
                ingress.close();
                ingress = null;
            }
        }
    }

    /**
     * The page checks are no formality: axe finds an unlabelled field, an image without text and content
     * outside landmarks; the layout check finds a page wider than the screen, a control off-screen and
     * overflow hidden on the page (which would hide the rest from the first two), but accepts a wide table
     * in a box of its own that scrolls.
     */
    @Test
    void theChecksOfEveryPageFindWhatTheyShould() throws IOException {
        use(Screen.PHONE);
        browser.get("data:text/html,<!DOCTYPE html><html lang=en><title>t</title><p>outside</p><main><input type=text><img src=x.png></main></html>");
        assertThat(accessibilityViolations()).anyMatch(v -> v.contains("label")).anyMatch(v -> v.contains("image-alt"))
                .anyMatch(v -> v.contains("region"));

        String viewport = "<meta name=viewport content='width=device-width, initial-scale=1'>";
        browser.get("data:text/html,<!DOCTYPE html><html lang=en>" + viewport + "<title>t</title><main>"
                + "<div style='width:700px'>wide</div><button style='margin-left:500px'>off</button></main></html>");
        assertThat(layoutProblems()).anyMatch(p -> p.contains("wider than")).anyMatch(p -> p.contains("<button>"));
        browser.get("data:text/html,<!DOCTYPE html><html lang=en>" + viewport + "<title>t</title><body style='overflow-x:hidden'><main>"
                + "<div style='width:700px'>wide</div><a href='%23' style='margin-left:500px'>link</a></main></body></html>");
        assertThat(layoutProblems()).anyMatch(p -> p.contains("hides its overflow")).anyMatch(p -> p.contains("<a>"));
        browser.get("data:text/html,<!DOCTYPE html><html lang=en>" + viewport + "<title>t</title><main><div style='overflow-x:auto'>"
                + "<table style='min-width:700px'><tr><td>wide</td><td><button>far right</button></td></tr></table></div></main></html>");
        assertThat(layoutProblems()).isEmpty();

        browser.get("data:text/html,<!DOCTYPE html><html lang=en><title>t</title><main><input type=text id=f>"
                + "<table><tr><th>a</th><td></td></tr></table></main></html>");
        assertThat(contentProblems()).anyMatch(p -> p.contains("#f has no maxlength")).anyMatch(p -> p.contains("an empty cell"));
    }

    @Test
    void onADesktopTheWholeJourneyFitsAndPassesAxe() throws IOException {
        use(Screen.DESKTOP);
        thePartnerSetsUpTheAccountConnectsAndThePartnerManagesIt();
    }

    @Test
    void onAPhoneTheWholeJourneyFitsAndPassesAxe() throws IOException {
        use(Screen.PHONE);
        thePartnerSetsUpTheAccountConnectsAndThePartnerManagesIt();
    }

    private void thePartnerSetsUpTheAccountConnectsAndThePartnerManagesIt() {
        Api.resetDatabase();
        Api.deletePartnersButDefault();
        Api.update("delete from sign_in_attempt");
        assertThat(LONG_ACCOUNT).hasSize(AccountIds.MAX_LENGTH);
        step = 0;
        pagesChecked.clear();
        visited.clear();
        browser.manage().deleteAllCookies();
        // The longest values, through the API as a partner's service and an operator send them.
        Api.json(Map.of("name", LONG_NAME)).put("/api/v1/accounts/" + LONG_ACCOUNT + "/connector").then().statusCode(201);
        TestPartners.operator().contentType(ContentType.JSON)
                .body(Map.of("id", LONG_PARTNER, "name", LONG_NAME, "serviceDomain", "stripe.northwind-integrations.partners.example"))
                .post("/api/v1/partners").then().statusCode(201);

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
        assertThat(browser.findElement(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("Installations");
        type("accountId", "a".repeat(AccountIds.MAX_LENGTH + 50));
        assertThat(browser.findElement(By.id("accountId")).getAttribute("value")).as("the field stops at the service's limit")
                .hasSize(AccountIds.MAX_LENGTH);
        type("accountId", "acme");
        type("name", "Acme Shop");
        click("install");
        assertThat(text()).contains("needs_credentials").contains("the Client Secret");
        checkPage("installation-new");
        click("create-link");
        String link = browser.findElement(By.id("connection-link")).getText().strip();
        assertThat(link).startsWith(base + "/connector/setup/");
        // Posted, then redirected: a reload shows the same link (no resubmission, no other link).
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("connection-link")).getText().strip()).isEqualTo(link);
        checkPage("installation-link");
        open("/console/installations");
        assertThat(text()).contains(LONG_ACCOUNT).contains(LONG_NAME);
        checkPage("installations-long-values");
        browser.findElement(By.linkText(LONG_ACCOUNT)).click();
        assertThat(browser.findElement(By.cssSelector("nav a[aria-current=true]")).getText()).isEqualTo("Installations");
        assertThat(browser.findElement(By.xpath("//th[.='Business']/following-sibling::td")).getText()).as("nothing shows as a dash").isEqualTo("—");
        checkPage("installation-long-values");
        browser.findElement(By.id("remove")).click();
        checkPage("remove-long-values-confirm");

        // The account's person: asked only for the secret key, then on to (simulated) Stripe.
        browser.manage().deleteAllCookies();
        browser.get(link);
        assertThat(browser.findElements(By.id("clientId"))).isEmpty();
        checkPage("install-form");
        click("continue");
        assertThat(browser.findElement(By.id("clientSecret-error")).getText()).contains("secret key");
        // The form error is a page of its own (a GET): a reload shows it again instead of asking to resubmit.
        assertThat(browser.getCurrentUrl()).isEqualTo(link);
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("clientSecret-error")).getText()).contains("secret key");
        checkPage("install-form-missing");
        type("clientSecret", ACCOUNT_SECRET);
        click("continue");
        assertThat(browser.getCurrentUrl()).startsWith(stripeSite + "/oauth/authorize");
        // Back from Stripe's page: the link (not spent) leads on to Stripe again.
        browser.navigate().back();
        assertThat(browser.getCurrentUrl()).startsWith(stripeSite + "/oauth/authorize");
        assertThat(text()).contains(CLIENT_ID);
        type("business_name", LONG_BUSINESS);
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
        assertThat(text()).contains("Verified with Stripe.").contains(LONG_BUSINESS);
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

        // The audit trail of all the above: who did what, newest first, in the labelled box that scrolls.
        open("/console/audit");
        assertThat(text()).contains("Audit trail").contains("installation.remove").contains("installation.disconnect")
                .contains("connector.update");
        checkPage("audit");
        open("/console/installations");

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

        // The service's bare address leads to the console; an operator lands on the partners.
        open("/");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/console/login");
        type("j_username", TestKeys.CONSOLE_OPERATOR);
        type("j_password", TestKeys.CONSOLE_OPERATOR_PASSWORD);
        click("sign-in");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/console/partners");
        assertThat(text()).contains(LONG_PARTNER).contains(LONG_NAME);
        checkPage("partners");
        click("sign-out");

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

    /**
     * A screenshot to target/browser/ (and the docs' own to docs/images/ when asked), then the page's checks:
     * it fits the screen ({@link #layoutProblems()}) and axe-core, every rule on, finds nothing.
     */
    private static void checkPage(String name) {
        step++;
        visited.add(browser.getCurrentUrl());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(screen.name().toLowerCase()).resolve(String.format("%02d-%s.png", step, name)),
                    StandardCopyOption.REPLACE_EXISTING);
            if (Boolean.getBoolean("browser.docs-images") && DOCS_SHOTS.containsKey(name)) {
                Files.copy(shot.toPath(), DOCS_IMAGES.resolve(DOCS_SHOTS.get(name) + screen.suffix + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String where = " on the page '" + name + "' (" + browser.getCurrentUrl() + ") at " + screen.width + " px";
        assertThat(((Number) ((JavascriptExecutor) browser).executeScript("return window.innerWidth;")).intValue())
                .as("the viewport's width" + where).isEqualTo(screen.width);
        assertThat(layoutProblems()).as("what does not fit" + where).isEmpty();
        assertThat(contentProblems()).as("fields without a limit, empty cells" + where).isEmpty();
        assertThat(accessibilityViolations()).as("accessibility violations" + where).isEmpty();
        pagesChecked.add(name);
    }

    /**
     * What does not fit the screen: a document wider than the viewport, overflow hidden on the page (which
     * would hide the rest), and every control (link, button, field) whose box is not inside the viewport,
     * unless it is inside a box of its own that scrolls sideways and is itself inside the viewport.
     */
    @SuppressWarnings("unchecked")
    private static List<String> layoutProblems() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("""
                const problems = [];
                const html = document.documentElement, width = html.clientWidth;
                if (html.scrollWidth > width) {
                  problems.push('the document is ' + html.scrollWidth + ' px wide, wider than the viewport (' + width + ' px)');
                }
                for (const page of [html, document.body]) {
                  const style = getComputedStyle(page);
                  if (['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY)) {
                    problems.push('<' + page.localName + '> hides its overflow');
                  }
                }
                const inside = (box, left, right) => box.left >= left - 0.5 && box.right <= right + 0.5;
                for (const control of document.querySelectorAll('a, button, input, select, textarea')) {
                  const box = control.getBoundingClientRect();
                  if (box.width === 0 && box.height === 0) {
                    continue; // not shown (a hidden input, a script's button before the script runs)
                  }
                  let scroller = control.parentElement;
                  while (scroller && scroller !== document.body && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) {
                    scroller = scroller.parentElement;
                  }
                  const ok = scroller && scroller !== document.body
                      ? inside(scroller.getBoundingClientRect(), 0, width)
                      : inside(box, 0, width);
                  if (!ok) {
                    problems.push('<' + control.localName + '> "' + (control.textContent || control.id || control.name).trim().slice(0, 40)
                        + '" spans ' + Math.round(box.left) + '..' + Math.round(box.right) + ' px of ' + width);
                  }
                }
                return problems;
                """);
    }

    /**
     * A text field without {@code maxlength} (a person could type past the service's limit before being told), and
     * a table cell left empty (the console shows "—" for nothing).
     */
    @SuppressWarnings("unchecked")
    private static List<String> contentProblems() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("""
                const problems = [];
                for (const field of document.querySelectorAll('input:not([type]), input[type=text], input[type=password], input[type=search],'
                    + ' input[type=url], input[type=email], textarea')) {
                  if (!field.hasAttribute('maxlength')) {
                    problems.push('#' + (field.id || field.name) + ' has no maxlength');
                  }
                }
                for (const cell of document.querySelectorAll('td')) {
                  if (!cell.textContent.trim() && !cell.querySelector('input, button, select, a')) {
                    problems.push('an empty cell in the row ' + cell.parentElement.textContent.trim().slice(0, 40));
                  }
                }
                return problems;
                """);
    }

    /**
     * axe-core's violations on the current page, every rule on, one line each. Run in the page itself (the pages
     * have no frames): the library's default opens a blank tab per page to combine frames' results.
     */
    private static List<String> accessibilityViolations() {
        Results results = new AxeBuilder().setLegacyMode(true).analyze(browser);
        assertThat(results.isErrored()).as("axe-core ran: " + results.getErrorMessage()).isFalse();
        return results.getViolations().stream().map(v -> v.getImpact() + " " + v.getId() + ": " + v.getHelp() + " at "
                + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", "))).toList();
    }
}
