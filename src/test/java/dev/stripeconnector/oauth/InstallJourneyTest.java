package dev.stripeconnector.oauth;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account's install journey: the console leaves its values empty, the installation needs
 * credentials, and its install link asks the person for exactly those before going on to Stripe.
 */
@QuarkusTest
class InstallJourneyTest {

    static final String OWN_CLIENT = "ca_AccountsOwnPlatform7";
    static final String OWN_KEY = "sk_test_AccountsOwnPlatformKey7777";
    static final String ORIGIN = "https://" + TestKeys.SERVICE_DOMAIN;

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        stripe.resetAll();
    }

    static String setupPath(String accountId, String... missing) {
        String setupUrl = json("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then().statusCode(200)
                .body("authorizeUrl", org.hamcrest.Matchers.nullValue())
                .body("missing", org.hamcrest.Matchers.contains(missing))
                .extract().path("setupUrl");
        return URI.create(setupUrl).getPath();
    }

    static String setupPath(String accountId) {
        String setupUrl = json("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then().statusCode(200)
                .body("authorizeUrl", org.hamcrest.Matchers.nullValue())
                .body("missing", org.hamcrest.Matchers.hasItems("clientId", "clientSecret"))
                .extract().path("setupUrl");
        return URI.create(setupUrl).getPath();
    }

    static Response post(String path, Map<String, String> form, String origin) {
        var request = given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParams(form);
        if (origin != null) {
            request = request.header("Origin", origin);
        }
        return request.post(path);
    }

    @Test
    void theLinkAsksForWhatTheConsoleLeavesEmptyChecksItAndGoesOnToStripe() {
        json(Map.of("name", "Globex")).put("/api/v1/accounts/globex/connector").then().statusCode(201)
                .body("status", equalTo("needs_credentials"));
        String path = setupPath("globex");

        String page = given().redirects().follow(false).get(path).then().statusCode(200)
                .contentType(containsString("text/html")).header("Cache-Control", "no-store").extract().asString();
        assertThat(page).contains("Connect Globex with Stripe").contains("name=\"clientId\"").contains("name=\"clientSecret\"")
                .contains("https://" + TestKeys.SERVICE_DOMAIN + "/connector/callback")
                .contains("enter your own Stripe platform's values").doesNotContain("whose client ID is");

        // Bad values: post, then 303 back to the link's page (a GET), which shows the form again with each problem next to
        // its field and the client ID kept; nothing stored, the link not used, the key never echoed (not even sealed).
        Response invalid = post(path, Map.of("clientId", "not-a-client-id", "clientSecret", "sk_nope"), ORIGIN);
        assertThat(invalid.statusCode()).isEqualTo(303);
        assertThat(invalid.header("Location")).endsWith(path);
        assertThat(invalid.header("Set-Cookie")).contains("Path=" + path).contains("HttpOnly").contains("Secure");
        String flash = invalid.cookie(BrowserResource.FORM_FLASH);
        for (int reload = 0; reload < 2; reload++) {
            // The page after the redirect, then a reload of it (or Back to it from Stripe's page): the same page, nothing posted.
            assertThat(given().redirects().follow(false).cookie(BrowserResource.FORM_FLASH, flash).get(path).then().statusCode(200)
                    .header("Cache-Control", "no-store").extract().asString())
                    .contains("value=\"not-a-client-id\"").contains("aria-invalid=\"true\"")
                    .contains("The client ID must be a Stripe Connect client ID").doesNotContain("sk_nope");
        }
        assertThat(flash).doesNotContain("sk_nope");
        api().get("/api/v1/accounts/globex/connector").then().body("status", equalTo("needs_credentials"));
        assertThat(Api.queryString("select count(*) from authorization_request where setup_used_at is not null or state_used_at is not null"))
                .isEqualTo("0");

        // From another site: refused, nothing stored.
        Response forged = post(path, Map.of("clientId", OWN_CLIENT, "clientSecret", OWN_KEY), "https://evil.example");
        assertThat(forged.statusCode()).isEqualTo(403);
        api().get("/api/v1/accounts/globex/connector").then().body("status", equalTo("needs_credentials"));

        // A key Stripe rejects.
        stripe.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v1/account"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer sk_test_RolledKey0000"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(401)
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"Invalid API Key provided\"}}")));
        Response rejected = post(path, Map.of("clientId", OWN_CLIENT, "clientSecret", "sk_test_RolledKey0000"), ORIGIN);
        assertThat(rejected.statusCode()).isEqualTo(303);
        assertThat(given().cookie(BrowserResource.FORM_FLASH, rejected.cookie(BrowserResource.FORM_FLASH)).get(path).then().statusCode(200)
                .extract().asString()).contains("rejected by Stripe").contains("value=\"" + OWN_CLIENT + "\"");

        // Good values: stored encrypted as the account's own, then on to Stripe with its client ID.
        Response accepted = post(path, Map.of("clientId", OWN_CLIENT, "clientSecret", OWN_KEY), ORIGIN);
        assertThat(accepted.statusCode()).isEqualTo(303);
        String authorizeUrl = accepted.header("Location");
        assertThat(StripeStubs.param(authorizeUrl, "client_id")).isEqualTo(OWN_CLIENT);
        // The form's problems are cleared; Back from Stripe's page leads on to Stripe again, the link still not spent.
        assertThat(accepted.header("Set-Cookie")).startsWith(BrowserResource.FORM_FLASH + "=;").contains("Max-Age=0");
        given().redirects().follow(false).get(path).then().statusCode(302).header("Location", equalTo(authorizeUrl));
        assertThat(Api.queryString("select client_secret from account_connector where account_id = 'globex'")).startsWith("v1:")
                .doesNotContain(OWN_KEY);
        api().get("/api/v1/accounts/globex/connector").then().body("status", equalTo("pending"))
                .body("clientId.source", equalTo("account")).body("clientSecret.last4", equalTo("7777"));

        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        given().redirects().follow(false).queryParam("code", "ac_Journey1").queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200).body(containsString("connected"));
        // The code is exchanged with the account's own key, not the console's.
        stripe.verify(1, StripeStubs.tokenRequests().withHeader("Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + OWN_KEY)));
        api().get("/api/v1/accounts/globex/connector").then().body("status", equalTo("connected"))
                .body("connection.clientId", equalTo(OWN_CLIENT));

        // The link is used now.
        given().redirects().follow(false).get(path).then().statusCode(410);
    }

    @Test
    void twoSubmitsOfTheFormLeadToOneAuthorization() throws Exception {
        json(Map.of("name", "Hooli")).put("/api/v1/accounts/hooli/connector").then().statusCode(201);
        String path = setupPath("hooli");
        // A double click: both posts are accepted and lead to Stripe with the one state of this link.
        java.util.List<Response> answers = dev.stripeconnector.support.Concurrently.run(2,
                caller -> post(path, Map.of("clientId", OWN_CLIENT, "clientSecret", OWN_KEY), ORIGIN));
        assertThat(answers).extracting(Response::statusCode).containsExactly(303, 303);
        java.util.Set<String> states = new java.util.HashSet<>();
        answers.forEach(answer -> states.add(StripeStubs.param(answer.header("Location"), "state")));
        assertThat(states).hasSize(1);
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("1");

        // Stripe sends both tabs back with that state: one exchange, one connection; the other is told the link was used.
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        String state = states.iterator().next();
        java.util.List<Integer> callbacks = dev.stripeconnector.support.Concurrently.run(2, caller -> given().redirects().follow(false)
                .queryParam("code", "ac_Hooli" + caller).queryParam("state", state).get("/connector/callback").statusCode());
        assertThat(callbacks).containsExactlyInAnyOrder(200, 400);
        stripe.verify(1, StripeStubs.tokenRequests());
        api().get("/api/v1/accounts/hooli/connector").then().body("status", equalTo("connected"));
        given().redirects().follow(false).get(path).then().statusCode(410);
    }

    @Test
    void theLinkAsksOnlyForWhatIsMissing() {
        Map<String, Object> console = new HashMap<>();
        console.put("clientId", Flows.CLIENT_ID);
        json(console).put("/api/v1/connector").then().statusCode(200);
        json(Map.of("name", "Initech")).put("/api/v1/accounts/initech/connector").then().statusCode(201)
                .body("missing", org.hamcrest.Matchers.contains("clientSecret"));
        String setupUrl = json("{}").post("/api/v1/accounts/initech/connector/authorize").then().statusCode(200)
                .extract().path("setupUrl");
        String path = URI.create(setupUrl).getPath();
        String page = given().get(path).then().statusCode(200).extract().asString();
        assertThat(page).contains("name=\"clientSecret\"").doesNotContain("name=\"clientId\"");
        // The key asked for is the partner's platform's: the page names its client ID, not "your own platform".
        assertThat(page).contains("the secret key of the Stripe platform whose client ID is <code>" + Flows.CLIENT_ID + "</code>")
                .doesNotContain("your own Stripe platform");
        Response accepted = post(path, Map.of("clientSecret", "sk_test_InitechOwnKey5555"), ORIGIN);
        assertThat(accepted.statusCode()).isEqualTo(303);
        assertThat(StripeStubs.param(accepted.header("Location"), "client_id")).isEqualTo(Flows.CLIENT_ID);
    }

    /**
     * Issue 22 item 3: once a connection through the console's client ID told its platform, a key of another platform
     * for that client ID is refused on the person's page before anyone goes to Stripe: the form again with what to fix,
     * nothing stored, the link not spent. A link made before the platform was known goes nowhere until the key is fixed.
     */
    @Test
    void aKeyOfAnotherPlatformThanTheClientIdsIsRefusedBeforeThePersonGoesToStripe() {
        Map<String, Object> console = new HashMap<>();
        console.put("clientId", Flows.CLIENT_ID);
        json(console).put("/api/v1/connector").then().statusCode(200);
        String otherKey = "sk_test_OtherPlatformKey3333";
        // Before any connection through the client ID, its platform is unknown: a link for an account with the other key is made (warned only).
        StripeStubs.keyBelongsTo(stripe, otherKey, "acct_1OtherPlatform000");
        json(Map.of("clientSecret", otherKey)).put("/api/v1/accounts/early/connector").then().statusCode(201).body("warnings", org.hamcrest.Matchers.hasSize(1));
        String earlyLink = URI.create(json("{}").post("/api/v1/accounts/early/connector/authorize").then().statusCode(200)
                .extract().<String>path("setupUrl")).getPath();

        // An account connects through the client ID with a key of the platform every other key belongs to here: that is the client ID's platform.
        json(Map.of("clientSecret", "sk_test_FirstOwnKey1234")).put("/api/v1/accounts/first/connector").then().statusCode(201);
        Flows.reconnect(stripe, "first");
        String recorded = "select xmin::text || ' ' || platform_account from client_platform where client_id = ?";
        String firstRecord = Api.queryString(recorded, Flows.CLIENT_ID);
        assertThat(firstRecord).endsWith(" " + Flows.PLATFORM_ACCOUNT);
        // The next connection through the client ID, on the platform recorded already, leaves its row as it was: not rewritten, so not
        // locked (concurrent connections through one client ID would otherwise wait for each other's commit).
        json(Map.of("clientSecret", "sk_test_SecondOwnKey5678")).put("/api/v1/accounts/second/connector").then().statusCode(201);
        Flows.reconnect(stripe, "second");
        assertThat(Api.queryString(recorded, Flows.CLIENT_ID)).isEqualTo(firstRecord);
        StripeStubs.keyBelongsTo(stripe, otherKey, "acct_1OtherPlatform000");

        json(Map.of("name", "Hooli")).put("/api/v1/accounts/hooli/connector").then().statusCode(201);
        String path = setupPath("hooli", "clientSecret");
        Response refused = post(path, Map.of("clientSecret", otherKey), ORIGIN);
        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(refused.header("Location")).endsWith(path);
        String page = given().cookie(BrowserResource.FORM_FLASH, refused.cookie(BrowserResource.FORM_FLASH)).get(path).then().statusCode(200)
                .extract().asString();
        assertThat(page).contains("belongs to the Stripe platform acct_1OtherPlatform000")
                .contains("client ID " + Flows.CLIENT_ID + " (from the console) belongs to the platform " + Flows.PLATFORM_ACCOUNT)
                .contains("enter the secret key of the platform " + Flows.PLATFORM_ACCOUNT).contains("name=\"clientSecret\"")
                .doesNotContain(otherKey);
        assertThat(refused.cookie(BrowserResource.FORM_FLASH)).doesNotContain(otherKey);
        api().get("/api/v1/accounts/hooli/connector").then().body("status", equalTo("needs_credentials")).body("clientSecret.set", equalTo(false));
        assertThat(Api.queryString("select count(*) from authorization_request a join account_connector c on c.id = a.account_connector_id"
                + " where c.account_id = 'hooli' and (a.setup_used_at is not null or a.state_used_at is not null)")).isEqualTo("0");
        // The key of the client ID's platform goes on to Stripe through the same link.
        Response accepted = post(path, Map.of("clientSecret", "sk_test_HooliOwnKey5678"), ORIGIN);
        assertThat(accepted.statusCode()).isEqualTo(303);
        assertThat(StripeStubs.param(accepted.header("Location"), "client_id")).isEqualTo(Flows.CLIENT_ID);

        // The link made before the platform was known: a page saying whom to ask, not Stripe; not spent, so it works once the key is fixed.
        String notReady = given().redirects().follow(false).get(earlyLink).then().statusCode(409).header("Cache-Control", "no-store")
                .extract().asString();
        assertThat(notReady).contains("This connection cannot go on to Stripe yet").contains("Your link was not used")
                .doesNotContain(otherKey);
        json("{}").post("/api/v1/accounts/early/connector/authorize").then().statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("/settings-in-use"))
                .body("detail", containsString("enter the secret key of the platform " + Flows.PLATFORM_ACCOUNT));
        // The refused authorize stored no link: only the one made before the platform was known.
        assertThat(Api.queryString("select count(*) from authorization_request a join account_connector c on c.id = a.account_connector_id"
                + " where c.account_id = 'early'")).isEqualTo("1");
        json(Map.of("clientSecret", "sk_test_EarlyFixedKey9012")).put("/api/v1/accounts/early/connector").then().statusCode(200);
        given().redirects().follow(false).get(earlyLink).then().statusCode(302)
                .header("Location", containsString("client_id=" + Flows.CLIENT_ID));
        // Stripe was asked about each key once, when it was saved; never while links were made or opened.
        stripe.verify(3, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v1/account")));
    }

    @Test
    void aSpentOrExpiredLinkSaysWhomToAskThePartnersSupportContact() {
        // The contact is validated: an email address or a web address, nothing else (a script URL would be a link on the page).
        for (String bad : new String[] {"javascript:alert(1)", "not a contact", "ftp://files.example/help", "https://" + "a".repeat(200) + ".example"}) {
            json(Map.of("supportContact", bad)).put("/api/v1/connector").then().statusCode(400)
                    .body("errors[0].field", equalTo("supportContact"));
        }
        json(Map.of("name", "Umbrella")).put("/api/v1/accounts/umbrella/connector").then().statusCode(201);
        String path = setupPath("umbrella");

        // Not set: the page points to the team that sent the link, with no contact.
        Api.update("update authorization_request set setup_expires_at = now() - interval '1 minute'");
        assertThat(given().redirects().follow(false).get(path).then().statusCode(410).extract().asString())
                .contains("This link has expired").contains("Ask the team that sent you this link for a new connection link")
                .doesNotContain("support-contact");

        json(Map.of("supportContact", "https://help.example.com/ask?team=shops&lang=en")).put("/api/v1/connector").then().statusCode(200)
                .body("supportContact", equalTo("https://help.example.com/ask?team=shops&lang=en"));
        assertThat(given().redirects().follow(false).get(path).then().statusCode(410).extract().asString())
                .contains("href=\"https://help.example.com/ask?team=shops&amp;lang=en\"");

        // A spent link (its state came back from Stripe) names the contact too; an email address is a mailto link.
        json(Map.of("supportContact", "help@partner.example")).put("/api/v1/connector").then().statusCode(200);
        String second = setupPath("umbrella");
        String authorizeUrl = post(second, Map.of("clientId", OWN_CLIENT, "clientSecret", OWN_KEY), ORIGIN).then().statusCode(303)
                .extract().header("Location");
        given().redirects().follow(false).queryParam("error", "access_denied").queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
        assertThat(given().redirects().follow(false).get(second).then().statusCode(410).extract().asString())
                .contains("This link was already used").contains("href=\"mailto:help@partner.example\"");
        // Cleared with null.
        json("{\"supportContact\":null}").put("/api/v1/connector").then().statusCode(200).body("supportContact", org.hamcrest.Matchers.nullValue());
    }

    static Response callback(Map<String, String> query) {
        return given().redirects().follow(false).queryParams(query).get("/connector/callback");
    }

    @Test
    void aUsedOrExpiredStateAtTheCallbackSaysWhomToAsk() {
        Flows.consoleSetup();
        json(Map.of("name", "Wayne")).put("/api/v1/accounts/wayne/connector").then().statusCode(201);
        String authorize = "/api/v1/accounts/wayne/connector/authorize";
        String expired = StripeStubs.param(json("{}").post(authorize).then().statusCode(200).extract().path("authorizeUrl"), "state");
        Api.update("update authorization_request set expires_at = now() - interval '1 second'");

        // No contact set: the team that sent the link, nothing more.
        assertThat(callback(Map.of("code", "ac_Expired1", "state", expired)).then().statusCode(400).extract().asString())
                .contains("This connection request has expired").contains("Ask the team that sent you the connection link")
                .doesNotContain("support-contact");
        // The person comes back from Stripe with an expired state: the partner's contact, an email address as a mailto link.
        json(Map.of("supportContact", "help@partner.example")).put("/api/v1/connector").then().statusCode(200);
        assertThat(callback(Map.of("code", "ac_Expired2", "state", expired)).then().statusCode(400).extract().asString())
                .contains("This connection request has expired").contains("href=\"mailto:help@partner.example\"");

        // A used state (declined at Stripe, then back again): the contact too, escaped.
        String used = StripeStubs.param(json("{}").post(authorize).then().statusCode(200).extract().path("authorizeUrl"), "state");
        callback(Map.of("error", "access_denied", "state", used)).then().statusCode(200);
        json(Map.of("supportContact", "https://help.example.com/ask?team=shops&lang=en")).put("/api/v1/connector").then().statusCode(200);
        assertThat(callback(Map.of("code", "ac_Used1", "state", used)).then().statusCode(400).extract().asString())
                .contains("This connection request was already used")
                .contains("href=\"https://help.example.com/ask?team=shops&amp;lang=en\"");
        // A state that is no one's names no contact: it may have come from anywhere.
        assertThat(callback(Map.of("code", "ac_Unknown1", "state", "B".repeat(43))).then().statusCode(400).extract().asString())
                .contains("not valid").doesNotContain("support-contact");
        stripe.verify(0, StripeStubs.tokenRequests());
    }
}
