package dev.stripeconnector.console;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.ConsoleSession;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The partner's console over HTTP: who gets in, what every form refuses, and what each page changes. */
@QuarkusTest
class ConsoleTest {

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from sign_in_attempt");
        Api.update("delete from console_user where username <> ?", TestKeys.CONSOLE_ADMIN);
        stripe.resetAll();
    }

    /** A request with the admin role's API key, with a JSON body. */
    static io.restassured.specification.RequestSpecification ops(Object body) {
        return given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).contentType("application/json").body(body);
    }

    // ---- who gets in ----

    @Test
    void nothingUnderTheConsoleWithoutSigningIn() {
        for (String path : List.of("/console", "/console/settings", "/console/installations", "/console/installations/shop-1",
                "/console/installations/shop-1/disconnect", "/console/nope")) {
            Response answer = given().redirects().follow(false).get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(302);
            assertThat(answer.header("Location")).as(path).endsWith("/console/login");
            assertThat(answer.asString()).as(path).doesNotContain("Settings");
        }
        Response post = given().redirects().follow(false).header("Origin", ConsoleSession.ORIGIN)
                .contentType("application/x-www-form-urlencoded").formParam("clientId", "ca_Forged1")
                .post("/console/settings");
        assertThat(post.statusCode()).isEqualTo(302);
        api().get("/api/v1/connector").then().statusCode(200).body("clientId", org.hamcrest.Matchers.nullValue());
        // An API key is not a console session, and a console session is not an API key.
        assertThat(api().redirects().follow(false).get("/console/settings").statusCode()).isEqualTo(302);
        ConsoleSession admin = ConsoleSession.admin();
        admin.get("/api/v1/connector").then().statusCode(401);
        // The sign-in page and the console's script are public.
        given().get("/console/login").then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("text/html"));
        given().get("/console/assets/console.js").then().statusCode(200);
    }

    @Test
    void signingInGivesAnEncryptedHttpOnlyStrictCookieScopedToTheConsole() {
        Response answer = ConsoleSession.signInAttempt(TestKeys.CONSOLE_ADMIN, TestKeys.CONSOLE_PASSWORD);
        assertThat(answer.statusCode()).isEqualTo(302);
        String setCookie = answer.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("connector-console=")).findFirst()
                .orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/console")
                // The tests' public base URL is https: the cookie is Secure even over this plain-HTTP test connection.
                .contains("Secure")
                .doesNotContain(TestKeys.CONSOLE_ADMIN);
        ConsoleSession admin = ConsoleSession.admin();
        String page = admin.get("/console/settings").then().statusCode(200).extract().asString();
        assertThat(page).contains("Signed in as " + TestKeys.CONSOLE_ADMIN).contains("https://" + TestKeys.SERVICE_DOMAIN + "/connector/callback");
        assertThat(admin.get("/console/settings").header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(admin.get("/console/settings").header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aWrongPasswordIsRefusedAndRepeatedFailuresLockTheNameAcrossReplicas() {
        ops(Map.of("password", "another-password-123")).put("/api/v1/console-users/locked-out").then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            Response answer = ConsoleSession.signInAttempt("locked-out", "wrong-password-" + i);
            assertThat(answer.statusCode()).isEqualTo(302);
            assertThat(answer.header("Location")).endsWith("/console/login?error=true");
            assertThat(answer.cookie(ConsoleSession.COOKIE)).isNull();
        }
        // Now even the right password is refused, because the count lives in PostgreSQL, shared by every replica.
        assertThat(Api.queryString("select failures from sign_in_attempt where subject = 'locked-out'")).isEqualTo("5");
        assertThat(Api.queryString("select locked_until > now() from sign_in_attempt where subject = 'locked-out'")).isEqualTo("t");
        Response locked = ConsoleSession.signInAttempt("locked-out", "another-password-123");
        assertThat(locked.header("Location")).endsWith("/console/login?error=true");
        // An unknown name is refused the same way; the page says what to do.
        assertThat(ConsoleSession.signInAttempt("nobody", "whatever-password").header("Location")).endsWith("?error=true");
        given().get("/console/login?error=true").then().statusCode(401)
                .body(org.hamcrest.Matchers.containsString("wait a few minutes"));
        // Once the lock has passed, the right password works again and clears the count.
        Api.update("update sign_in_attempt set locked_until = now() - interval '1 second' where subject = 'locked-out'");
        ConsoleSession.signIn("locked-out", "another-password-123");
        assertThat(Api.queryString("select count(*) from sign_in_attempt where subject = 'locked-out'")).isEqualTo("0");
    }

    @Test
    void aSignInFormPostedFromAnotherSiteIsRefused() {
        Response forged = given().redirects().follow(false).header("Origin", "https://evil.example")
                .formParam("j_username", TestKeys.CONSOLE_ADMIN).formParam("j_password", TestKeys.CONSOLE_PASSWORD)
                .post("/console/j_security_check");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.cookie(ConsoleSession.COOKIE)).isNull();
        assertThat(forged.asString()).contains("This form came from another site");
        Response noOrigin = given().redirects().follow(false)
                .formParam("j_username", TestKeys.CONSOLE_ADMIN).formParam("j_password", TestKeys.CONSOLE_PASSWORD)
                .post("/console/j_security_check");
        assertThat(noOrigin.statusCode()).isEqualTo(403);
    }

    @Test
    void aDisabledUserLosesAccessAtTheNextRequest() {
        ops(Map.of("password", "colleague-password-1")).put("/api/v1/console-users/colleague").then().statusCode(200)
                .body("enabled", org.hamcrest.Matchers.equalTo(true))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password")));
        ConsoleSession colleague = ConsoleSession.signIn("colleague", "colleague-password-1");
        colleague.get("/console/installations").then().statusCode(200);
        ops(Map.of("enabled", false)).put("/api/v1/console-users/colleague").then().statusCode(200)
                .body("enabled", org.hamcrest.Matchers.equalTo(false));
        Response after = colleague.get("/console/installations");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.header("Location")).endsWith("/console/login");
        assertThat(ConsoleSession.signInAttempt("colleague", "colleague-password-1").header("Location")).endsWith("?error=true");
        // The list never shows a password or its hash.
        String users = given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).get("/api/v1/console-users").then().statusCode(200).extract().asString();
        assertThat(users).contains("colleague").doesNotContain("colleague-password-1").doesNotContain("$2a$");
        assertThat(Api.queryString("select password from console_user where username = 'colleague'")).startsWith("$2");
    }

    @Test
    void consoleUsersAreManagedOnlyWithTheAdminRoleAndValidated() {
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/console-users").then().statusCode(403);
        ops(Map.of("password", "short")).put("/api/v1/console-users/newcomer").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("password"));
        ops(Map.of("enabled", true)).put("/api/v1/console-users/newcomer").then().statusCode(400);
        ops(Map.of("password", "long-enough-password")).put("/api/v1/console-users/bad%20name").then().statusCode(400);
    }

    @Test
    void signingOutEndsTheSessionInTheBrowser() {
        ConsoleSession admin = ConsoleSession.admin();
        Response out = admin.post("/console/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).endsWith("/console/login?signedOut=true");
        String cleared = out.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("connector-console=")).findFirst()
                .orElseThrow();
        assertThat(cleared).containsIgnoringCase("Max-Age=0");
        given().get("/console/login?signedOut=true").then().statusCode(200).body(org.hamcrest.Matchers.containsString("You are signed out"));
    }

    // ---- forms ----

    @Test
    void everyFormNeedsTheUsersTokenAndTheServicesOrigin() {
        ConsoleSession admin = ConsoleSession.admin();
        Response noToken = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("clientId", "ca_NoToken1").post("/console/settings");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.asString()).contains("nothing was changed");
        Response wrongToken = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("clientId", "ca_WrongToken1").formParam("_csrf", "forged").post("/console/settings");
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        Response crossSite = admin.request().header("Origin", "https://evil.example").contentType("application/x-www-form-urlencoded")
                .formParam("clientId", "ca_CrossSite1").formParam("_csrf", admin.token()).post("/console/settings");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        api().get("/api/v1/connector").then().statusCode(200).body("clientId", org.hamcrest.Matchers.nullValue());
        // Another user's token does not fit this user.
        ops(Map.of("password", "colleague-password-1")).put("/api/v1/console-users/colleague").then().statusCode(200);
        String colleagueToken = ConsoleSession.signIn("colleague", "colleague-password-1").token();
        assertThat(colleagueToken).isNotEqualTo(admin.token());
    }

    @Test
    void settingsShowErrorsNextToTheirFieldsKeepTheValuesAndSaveNothingUntilValid() {
        ConsoleSession admin = ConsoleSession.admin();
        Response invalid = admin.post("/console/settings", Map.of("clientId", "not-a-client-id", "clientSecret", "pk_test_NotASecret",
                "defaultScope", "read_write", "accountType", "standard"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        String page = invalid.asString();
        assertThat(page).contains("id=\"clientId-error\"").contains("id=\"clientSecret-error\"")
                .contains("value=\"not-a-client-id\"").doesNotContain("pk_test_NotASecret");
        api().get("/api/v1/connector").then().body("clientId", org.hamcrest.Matchers.nullValue())
                .body("clientSecret.set", org.hamcrest.Matchers.equalTo(false));

        Response saved = admin.post("/console/settings", Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET,
                "defaultScope", "read_only", "accountType", "express"));
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.header("Location")).endsWith("/console/settings?saved=true");
        api().get("/api/v1/connector").then().body("clientId", org.hamcrest.Matchers.equalTo(Flows.CLIENT_ID))
                .body("clientSecret.last4", org.hamcrest.Matchers.equalTo("9999"))
                .body("defaultScope", org.hamcrest.Matchers.equalTo("read_only"))
                .body("accountType", org.hamcrest.Matchers.equalTo("express"));
        String after = admin.get("/console/settings?saved=true").asString();
        assertThat(after).contains("Saved.").contains("ending in <code>9999</code>").contains("test mode").doesNotContain(Flows.SECRET);

        // An empty secret keeps the stored one; the checkbox clears it.
        admin.post("/console/settings", Map.of("clientId", Flows.CLIENT_ID, "clientSecret", "", "defaultScope", "read_write",
                "accountType", "standard")).then().statusCode(303);
        api().get("/api/v1/connector").then().body("clientSecret.set", org.hamcrest.Matchers.equalTo(true));
        admin.post("/console/settings", Map.of("clientId", "", "clearClientSecret", "true", "defaultScope", "read_write",
                "accountType", "standard")).then().statusCode(303);
        api().get("/api/v1/connector").then().body("clientId", org.hamcrest.Matchers.nullValue())
                .body("clientSecret.set", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void aSettingsChangeThatWouldStrandConnectionsIsRefusedOnThePage() {
        Flows.consoleSetup();
        Flows.connect(stripe, "shop-1");
        ConsoleSession admin = ConsoleSession.admin();
        Response refused = admin.post("/console/settings", Map.of("clientId", "", "defaultScope", "read_write", "accountType", "standard"));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.asString()).contains("Nothing was saved").contains("value=\"\"");
        api().get("/api/v1/connector").then().body("clientId", org.hamcrest.Matchers.equalTo(Flows.CLIENT_ID));
    }

    // ---- installations ----

    @Test
    void installationsAreListedFilteredSearchedAndPaged() {
        Flows.consoleSetup();
        Flows.connect(stripe, "shop-connected");
        for (int i = 0; i < 55; i++) {
            json("{}").put("/api/v1/accounts/bulk-" + String.format("%03d", i) + "/connector").then().statusCode(201);
        }
        ConsoleSession admin = ConsoleSession.admin();
        String all = admin.get("/console/installations").then().statusCode(200).extract().asString();
        assertThat(all).contains("bulk-000").contains("50 shown").contains("Next page");
        String connected = admin.get("/console/installations?status=connected").asString();
        assertThat(connected).contains("shop-connected").contains(Flows.STRIPE_USER_ID).doesNotContain("bulk-000").contains("1 shown");
        String searched = admin.get("/console/installations?q=bulk-05").asString();
        assertThat(searched).contains("bulk-050").contains("bulk-054").doesNotContain("bulk-049").doesNotContain("shop-connected");
        // The next page link carries on where the first ended.
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("href=\"(/console/installations\\?[^\"]+cursor=[^\"]+)\"").matcher(all);
        assertThat(next.find()).isTrue();
        String second = admin.get(next.group(1).replace("&amp;", "&")).then().statusCode(200).extract().asString();
        assertThat(second).contains("bulk-050").contains("shop-connected").doesNotContain("bulk-049");
        // A search that no account id could match is answered on the page, not as an error page.
        admin.get("/console/installations?q=%3Cscript%3E").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("Nothing to show"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("<script>")));
        admin.get("/console/installations?status=bogus").then().statusCode(400);
    }

    @Test
    void anAccountIsInstalledFromTheConsoleAndGetsAConnectionLinkShownOnce() {
        ConsoleSession admin = ConsoleSession.admin();
        Response bad = admin.post("/console/installations", Map.of("accountId", "no spaces allowed", "name", "Shop"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.asString()).contains("id=\"accountId-error\"").contains("value=\"no spaces allowed\"");
        Response installed = admin.post("/console/installations", Map.of("accountId", "shop-7", "name", "Shop Seven"));
        assertThat(installed.statusCode()).isEqualTo(303);
        assertThat(installed.header("Location")).endsWith("/console/installations/shop-7?done=installed");
        String page = admin.get("/console/installations/shop-7?done=installed").then().statusCode(200).extract().asString();
        assertThat(page).contains("Shop Seven").contains("needs_credentials").contains("the Client ID and the Client Secret");

        Response link = admin.post("/console/installations/shop-7/link", Map.of());
        assertThat(link.statusCode()).isEqualTo(200);
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("id=\"connection-link\">(https://[^<]+)<").matcher(link.asString());
        assertThat(url.find()).isTrue();
        assertThat(url.group(1)).startsWith("https://" + TestKeys.SERVICE_DOMAIN + "/connector/setup/");
        // The link is not on the page afterwards: it is shown only once.
        assertThat(admin.get("/console/installations/shop-7").asString()).doesNotContain(url.group(1));
        // The link works: it asks for the values the console leaves empty.
        given().get(java.net.URI.create(url.group(1)).getPath()).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("clientSecret"));
        admin.get("/console/installations/nobody-here").then().statusCode(404);
    }

    @Test
    void overridesAreSavedWithErrorsNextToTheirFieldsAndShownWithTheirSource() {
        Flows.consoleSetup();
        json("{}").put("/api/v1/accounts/shop-8/connector").then().statusCode(201);
        ConsoleSession admin = ConsoleSession.admin();
        String before = admin.get("/console/installations/shop-8").asString();
        assertThat(before).contains(Flows.CLIENT_ID).contains("from the console");
        Response invalid = admin.post("/console/installations/shop-8", Map.of("name", "Shop Eight", "clientId", "bogus", "clientSecret", ""));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.asString()).contains("id=\"clientId-error\"").contains("value=\"bogus\"");
        Response saved = admin.post("/console/installations/shop-8", Map.of("name", "Shop Eight", "clientId", "ca_OwnPlatform88",
                "clientSecret", "sk_test_OwnPlatformKey8888"));
        assertThat(saved.statusCode()).isEqualTo(303);
        String after = admin.get("/console/installations/shop-8?done=saved").asString();
        assertThat(after).contains("Saved.").contains("ca_OwnPlatform88").contains("from the account").contains("8888")
                .doesNotContain("sk_test_OwnPlatformKey8888")
                .contains("/webhooks/stripe/ca_OwnPlatform88");
    }

    @Test
    void aConnectedInstallationIsVerifiedRefreshedAndDisconnectedAfterConfirmation() {
        Flows.consoleSetup();
        Flows.connect(stripe, "shop-9");
        dev.stripeconnector.support.StripeStubs.accountAnswers(stripe, 200, "account.json");
        ConsoleSession admin = ConsoleSession.admin();
        assertThat(admin.post("/console/installations/shop-9/verify", Map.of()).header("Location")).endsWith("?done=verified");
        assertThat(admin.get("/console/installations/shop-9?done=verified").asString()).contains("Verified with Stripe.");

        dev.stripeconnector.support.StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
        assertThat(admin.post("/console/installations/shop-9/refresh", Map.of()).header("Location")).endsWith("?done=refreshed");

        // Credential reads show up on the page, with the API key's name.
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/shop-9/connector/credentials")
                .then().statusCode(200);
        assertThat(admin.get("/console/installations/shop-9").asString()).contains("<td>reader</td>");

        String confirm = admin.get("/console/installations/shop-9/disconnect").then().statusCode(200).extract().asString();
        assertThat(confirm).contains("Disconnect shop-9?").contains(Flows.STRIPE_USER_ID);
        // Stripe fails: nothing is removed, and the page offers to remove it anyway.
        stripe.resetAll();
        dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 503, null);
        Response failed = admin.post("/console/installations/shop-9/disconnect", Map.of());
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.asString()).contains("id=\"force\"");
        api().get("/api/v1/accounts/shop-9/connector").then().statusCode(200);
        stripe.resetAll();
        dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
        Response removed = admin.post("/console/installations/shop-9/disconnect", Map.of());
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(admin.get(removed.header("Location").replace("https://" + TestKeys.SERVICE_DOMAIN, "")).asString())
                .contains("The installation of shop-9 was removed; its Stripe account was disconnected at Stripe.");
        api().get("/api/v1/accounts/shop-9/connector").then().statusCode(404);
    }

    // ---- event subscriptions ----

    /** The subscribe form as the browser posts it: the event types ticked, each a value of eventTypes. */
    static Response subscribe(ConsoleSession admin, String url, String description, String... types) {
        var form = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", admin.token()).formParam("url", url).formParam("description", description);
        if (types.length > 0) {
            form.formParam("eventTypes", (Object[]) types);
        }
        return form.post("/console/events");
    }

    static String shownSecret(String page) {
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("id=\"signing-secret\">(scsec_[A-Za-z0-9_-]+)<").matcher(page);
        assertThat(secret.find()).as("the signing secret on the page").isTrue();
        return secret.group(1);
    }

    @Test
    void eventSubscriptionsAreCreatedWithTheSecretShownOnceRotatedAndDeletedAfterConfirmation() {
        Response anonymous = given().redirects().follow(false).get("/console/events");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.header("Location")).endsWith("/console/login");
        ConsoleSession admin = ConsoleSession.admin();
        assertThat(admin.get("/console/settings").asString()).contains("<a href=\"/console/events\">Event subscriptions</a>");
        assertThat(admin.get("/console/events").then().statusCode(200).extract().asString()).contains("No receiver is subscribed yet")
                .contains("value=\"installation.revoked\"").contains("value=\"connector.settings_changed\"");

        // Refused field by field, the values kept, nothing saved.
        Response noTypes = subscribe(admin, "https://events.example.com/hooks", "billing");
        assertThat(noTypes.statusCode()).isEqualTo(400);
        assertThat(noTypes.asString()).contains("id=\"eventTypes-error\"").contains("value=\"https://events.example.com/hooks\"");
        Response http = subscribe(admin, "http://events.example.com/hooks", "", "*");
        assertThat(http.statusCode()).isEqualTo(400);
        assertThat(http.asString()).contains("id=\"url-error\"").contains("The URL must use https").contains("id=\"type-all\" name=\"eventTypes\" value=\"*\" checked");
        Response metadata = subscribe(admin, "https://169.254.169.254/latest/meta-data/", "", "installation.created");
        assertThat(metadata.statusCode()).isEqualTo(400);
        assertThat(metadata.asString()).contains("link-local");
        // A form without the user's token, or from another site, changes nothing.
        Response forged = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("url", "https://events.example.com/hooks").formParam("eventTypes", "*").post("/console/events");
        assertThat(forged.statusCode()).isEqualTo(403);
        Response crossSite = admin.request().header("Origin", "https://evil.example").contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", admin.token()).formParam("url", "https://events.example.com/hooks").formParam("eventTypes", "*")
                .post("/console/events");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(Api.queryString("select count(*) from event_subscription")).isEqualTo("0");

        // Subscribed: the secret is on the answer, once, and the receiver gets signed events.
        try (dev.stripeconnector.support.EventReceiver receiver = dev.stripeconnector.support.EventReceiver.start()) {
            Response created = subscribe(admin, receiver.url("/hooks"), "Billing <script>", "connector.settings_changed",
                    "installation.revoked");
            assertThat(created.statusCode()).isEqualTo(200);
            String secret = shownSecret(created.asString());
            assertThat(created.asString()).contains("The receiver is subscribed.").contains("Billing &lt;script&gt;")
                    .doesNotContain("Billing <script>");
            var listed = dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions").then().statusCode(200)
                    .extract().jsonPath();
            String id = listed.getString("[0].id");
            assertThat(listed.getList("[0].eventTypes", String.class)).containsExactly("connector.settings_changed", "installation.revoked");
            assertThat(listed.getString("[0].secretLast4")).isEqualTo(secret.substring(secret.length() - 4));

            Flows.consoleSetup();
            dev.stripeconnector.support.EventReceiver.Delivery delivery = receiver.awaitAccepted(1).get(0);
            assertThat(dev.stripeconnector.support.EventReceiver.verify(delivery.signatureHeader(), delivery.body(), secret,
                    java.time.Duration.ofMinutes(5))).isTrue();
            // The recent delivery status, once the attempt is recorded; never the secret again.
            String page = "";
            for (int i = 0; i < 100 && !page.contains("HTTP 204"); i++) {
                dev.stripeconnector.support.EventReceiver.pause(50);
                page = admin.get("/console/events").then().statusCode(200).extract().asString();
            }
            assertThat(page).contains("1 delivered").contains("<span class=\"badge delivered\">delivered</span>")
                    .contains("connector.settings_changed · HTTP 204").contains(receiver.url("/hooks")).doesNotContain(secret);

            // Rotated: a new secret shown once, the old one signing along for the overlap chosen.
            Response rotated = admin.post("/console/events/" + id + "/rotate", Map.of("overlap", "PT1H"));
            assertThat(rotated.statusCode()).isEqualTo(200);
            String newSecret = shownSecret(rotated.asString());
            assertThat(newSecret).isNotEqualTo(secret);
            assertThat(rotated.asString()).contains("deliveries are signed with the old one too until").contains("the previous one signs too until");
            dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions/" + id).then()
                    .body("secretLast4", org.hamcrest.Matchers.equalTo(newSecret.substring(newSecret.length() - 4)))
                    .body("previousSecretExpiresAt", org.hamcrest.Matchers.notNullValue());
            assertThat(admin.get("/console/events").asString()).doesNotContain(newSecret);
            assertThat(admin.post("/console/events/" + id + "/rotate", Map.of("overlap", "P1Y")).statusCode()).isEqualTo(400);
            assertThat(admin.post("/console/events/" + java.util.UUID.randomUUID() + "/rotate", Map.of()).statusCode()).isEqualTo(404);
            assertThat(admin.post("/console/events/not-an-id/rotate", Map.of()).statusCode()).isEqualTo(404);

            // Deleted after confirmation.
            String confirm = admin.get("/console/events/" + id + "/delete").then().statusCode(200).extract().asString();
            assertThat(confirm).contains("Delete this event subscription?").contains(receiver.url("/hooks"));
            admin.get("/console/events/" + java.util.UUID.randomUUID() + "/delete").then().statusCode(404);
            Response deleted = admin.post("/console/events/" + id + "/delete", Map.of());
            assertThat(deleted.statusCode()).isEqualTo(303);
            assertThat(deleted.header("Location")).endsWith("/console/events?deleted=" + id);
            assertThat(admin.get("/console/events?deleted=" + id).asString()).contains("The subscription was deleted")
                    .contains("No receiver is subscribed yet");
            dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions/" + id).then().statusCode(404);
            assertThat(admin.post("/console/events/" + id + "/delete", Map.of()).statusCode()).isEqualTo(404);
        }
    }
}
