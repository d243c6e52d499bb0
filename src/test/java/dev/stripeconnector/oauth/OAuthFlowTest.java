package dev.stripeconnector.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static dev.stripeconnector.support.StripeStubs.param;
import static dev.stripeconnector.support.StripeStubs.query;
import static dev.stripeconnector.support.StripeStubs.tokenRequests;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Concurrently;
import dev.stripeconnector.support.PartnerDomains;
import dev.stripeconnector.support.TestPartners;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OAuthFlowTest {

    static final String CLIENT_ID = "ca_PlatformClient42";
    static final String SECRET = "sk_test_PlatformSecret9999";
    static final String REDIRECT_URI = "https://" + TestKeys.SERVICE_DOMAIN + "/connector/callback";
    static final String ACCESS_TOKEN = "sk_test_AccessTokenFromStripe1234567890";

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        stripe.resetAll();
        Map<String, Object> console = new HashMap<>();
        console.put("clientId", CLIENT_ID);
        console.put("clientSecret", SECRET);
        json(console).put("/api/v1/connector").then().statusCode(200);
    }

    /** Partners created here leave with their data: the other tests know partner default only. */
    @AfterEach
    void onlyPartnerDefault() {
        Api.deletePartnersButDefault();
    }

    static void install(String accountId) {
        json(Map.of("name", "Shop " + accountId)).put("/api/v1/accounts/" + accountId + "/connector").then().statusCode(201);
    }

    static Map<String, Object> authorize(String accountId, Object body) {
        return json(body).post("/api/v1/accounts/" + accountId + "/connector/authorize").then()
                .statusCode(200).extract().jsonPath().getMap("");
    }

    static Response callback(Map<String, String> params) {
        var request = given().redirects().follow(false);
        params.forEach(request::queryParam);
        return request.get("/connector/callback");
    }

    static Response callbackWithCode(String state) {
        return callback(Map.of("code", "ac_AuthCode123", "scope", "read_write", "state", state));
    }

    static String state(Map<String, Object> links) {
        return param((String) links.get("authorizeUrl"), "state");
    }

    @Test
    void authorizeBuildsStripesUrlWithTheEffectiveClientAndTheRegisteredRedirectUri() {
        install("shop-1");
        Map<String, Object> links = authorize("shop-1", "{}");
        String url = (String) links.get("authorizeUrl");

        assertThat(URI.create(url).getPath()).isEqualTo("/oauth/authorize");
        assertThat(url).startsWith(stripe.baseUrl() + "/oauth/authorize?");
        assertThat(param(url, "response_type")).isEqualTo("code");
        assertThat(param(url, "client_id")).isEqualTo(CLIENT_ID);
        assertThat(param(url, "scope")).isEqualTo("read_write");
        String consoleRedirect = api().get("/api/v1/connector").then().extract().path("redirectUri");
        assertThat(param(url, "redirect_uri")).isEqualTo(consoleRedirect).isEqualTo(REDIRECT_URI);
        assertThat(param(url, "state")).hasSize(43);
        assertThat(query(url)).doesNotContainKeys("stripe_landing", "always_prompt");

        String setupUrl = (String) links.get("setupUrl");
        assertThat(setupUrl).startsWith("https://" + TestKeys.SERVICE_DOMAIN + "/connector/setup/");
        assertThat(setupUrl.substring(setupUrl.lastIndexOf('/') + 1)).hasSize(43).isNotEqualTo(param(url, "state"));
        // The authorize URL works for minutes; the install link sent to a person for days.
        Instant authorizeUrlExpiresAt = Instant.parse((String) links.get("authorizeUrlExpiresAt"));
        assertThat(Duration.between(Instant.now(), authorizeUrlExpiresAt)).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10).plusSeconds(5));
        Instant expiresAt = Instant.parse((String) links.get("expiresAt"));
        assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7).plusMinutes(1));
    }

    @Test
    void eachAuthorizeMakesFreshTokensOfHighEntropy() {
        install("shop-1");
        Map<String, Object> a = authorize("shop-1", "{}");
        Map<String, Object> b = authorize("shop-1", "{}");
        assertThat(state(a)).isNotEqualTo(state(b));
        assertThat(a.get("setupUrl")).isNotEqualTo(b.get("setupUrl"));
    }

    @Test
    void accountOverridesAreTheClientIdUsed() {
        json(Map.of("clientId", "ca_AccountOwn77", "clientSecret", "sk_test_AccountOwnKey77"))
                .put("/api/v1/accounts/own-1/connector").then().statusCode(201);
        assertThat(param((String) authorize("own-1", "{}").get("authorizeUrl"), "client_id")).isEqualTo("ca_AccountOwn77");
    }

    @Test
    void authorizeCarriesTheRequestedOptions() {
        install("shop-2");
        Map<String, Object> body = Map.of(
                "scope", "read_only",
                "stripeLanding", "register",
                "alwaysPrompt", true,
                "stripeUser", Map.of("email", "owner@shop.example", "business_name", "Shop & Co", "country", "DE"));
        String url = (String) authorize("shop-2", body).get("authorizeUrl");
        assertThat(param(url, "scope")).isEqualTo("read_only");
        assertThat(param(url, "stripe_landing")).isEqualTo("register");
        assertThat(param(url, "always_prompt")).isEqualTo("true");
        assertThat(param(url, "stripe_user[email]")).isEqualTo("owner@shop.example");
        assertThat(param(url, "stripe_user[business_name]")).isEqualTo("Shop & Co");
        assertThat(param(url, "stripe_user[country]")).isEqualTo("DE");
    }

    @Test
    void expressInstallsUseTheExpressAuthorizeUrlWithSuggestedCapabilities() {
        install("shop-3");
        String url = (String) authorize("shop-3", Map.of("accountType", "express",
                "suggestedCapabilities", List.of("card_payments", "transfers"))).get("authorizeUrl");
        assertThat(URI.create(url).getPath()).isEqualTo("/express/oauth/authorize");
        assertThat(query(url).get("suggested_capabilities[]")).containsExactly("card_payments", "transfers");

        json(Map.of("accountType", "express")).put("/api/v1/connector").then().statusCode(200);
        assertThat(URI.create((String) authorize("shop-3", "{}").get("authorizeUrl")).getPath()).isEqualTo("/express/oauth/authorize");
    }

    @Test
    void theConsoleDefaultScopeApplies() {
        install("shop-4");
        json(Map.of("defaultScope", "read_only")).put("/api/v1/connector").then().statusCode(200);
        assertThat(param((String) authorize("shop-4", "{}").get("authorizeUrl"), "scope")).isEqualTo("read_only");
    }

    @Test
    void authorizeForAnUnknownInstallationIs404() {
        json("{}").post("/api/v1/accounts/nobody/connector/authorize").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badAuthorizeBodiesAre400AndStoreNothing() {
        install("shop-5");
        String path = "/api/v1/accounts/shop-5/connector/authorize";
        json(Map.of("scope", "admin")).post(path).then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("scope"));
        json(Map.of("stripeLanding", "signup")).post(path).then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("stripeLanding"));
        json(Map.of("unknown", 1)).post(path).then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("unknown"));
        json(Map.of("stripeUser", Map.of("password", "x"))).post(path).then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("stripeUser.password"));
        json(Map.of("suggestedCapabilities", List.of("transfers"))).post(path).then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("suggestedCapabilities"));
        json(Map.of("accountType", "express", "suggestedCapabilities", List.of("Bad Cap"))).post(path).then().statusCode(400);
        json("{\"scope\":").post(path).then().statusCode(400).contentType("application/problem+json");
        api().contentType("text/plain").body("x").post(path).then().statusCode(415);
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("0");
    }

    @Test
    void returnUrlsMustStartWithAnAllowedPrefix() {
        install("shop-6");
        String path = "/api/v1/accounts/shop-6/connector/authorize";
        for (String bad : new String[] {
                "https://evil.example/stripe",
                "https://app.partner.example/stripe.evil.example",
                "https://app.partner.example/stripeX",
                "https://app.partner.example.evil.io/stripe",
                "javascript:alert(1)",
                "/relative/path",
                "https://user@app.partner.example/stripe"}) {
            json(Map.of("returnUrl", bad)).post(path).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("returnUrl"));
        }
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("0");
        authorize("shop-6", Map.of("returnUrl", TestKeys.RETURN_URL_PREFIX + "/done?tab=stripe"));
        authorize("shop-6", Map.of("returnUrl", TestKeys.RETURN_URL_PREFIX));
        authorize("shop-6", Map.of("returnUrl", "https://other.partner.example/anything"));
    }

    @Test
    void anInstallationThatNeedsCredentialsGetsOnlyAnInstallLink() {
        install("shop-7");
        Map<String, Object> clear = new HashMap<>();
        clear.put("clientSecret", null);
        json(clear).put("/api/v1/connector").then().statusCode(200);
        json("{}").post("/api/v1/accounts/shop-7/connector/authorize").then()
                .statusCode(200)
                .body("authorizeUrl", org.hamcrest.Matchers.nullValue())
                .body("setupUrl", containsString("/connector/setup/"))
                .body("missing", org.hamcrest.Matchers.hasItems("clientSecret"));
    }

    @Test
    void statesAndSetupTokensAreStoredOnlyAsHashes() {
        install("shop-8");
        Map<String, Object> links = authorize("shop-8", "{}");
        String setupUrl = (String) links.get("setupUrl");
        String token = setupUrl.substring(setupUrl.lastIndexOf('/') + 1);
        String dump = Api.dumpTable("authorization_request");
        assertThat(dump).doesNotContain(state(links)).doesNotContain(token);
        assertThat(Api.queryString("select state_hash from authorization_request")).hasSize(64);
    }

    @Test
    void aSetupLinkLeadsToStripeUntilItsStateComesBackThenIsGone() {
        install("shop-9");
        Map<String, Object> links = authorize("shop-9", Map.of("scope", "read_only"));
        String path = URI.create((String) links.get("setupUrl")).getPath();

        // A link checker's HEAD does not use the link.
        given().redirects().follow(false).head(path).then().statusCode(200);
        given().redirects().follow(false).head("/connector/callback?code=ac_X&state=" + state(links)).then().statusCode(200);
        given().redirects().follow(false).get(path).then()
                .statusCode(302)
                .header("Location", org.hamcrest.Matchers.equalTo(links.get("authorizeUrl")))
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer");
        // Back from Stripe's page (or a reload) before Stripe sent the person back: on to Stripe again, the same state.
        given().redirects().follow(false).get(path).then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.equalTo(links.get("authorizeUrl")));
        assertThat(Api.queryString("select count(*) from authorization_request where setup_used_at is not null")).isEqualTo("0");

        // Stripe sends the person back with the state (here: declined): the link is spent with it.
        given().redirects().follow(false).queryParam("error", "access_denied").queryParam("state", state(links))
                .get("/connector/callback").then().statusCode(200);
        String again = given().redirects().follow(false).get(path).then()
                .statusCode(410).contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .extract().asString();
        assertThat(again).contains("already used");
    }

    static final String ALPHA_DOMAIN = "stripe.alpha.example";
    static final String BETA_DOMAIN = "stripe.beta.example";

    /**
     * Partners alpha and beta on their own domains, each with partner default's console platform and
     * an installation "shop" of its own (the same account id in all three); an authorization request
     * of beta's shop. Answers its setup link's path and its state.
     */
    private Map<String, String> betasRequest() {
        Api.deletePartnersButDefault();
        TestPartners.create("alpha", ALPHA_DOMAIN);
        TestPartners.create("beta", BETA_DOMAIN);
        install("shop");
        for (String partner : List.of("alpha", "beta")) {
            PartnerDomains.copyConsoleSetup(partner);
            PartnerDomains.copyInstallation(partner, "shop");
        }
        Map<String, Object> links = authorize("shop", Map.of());
        PartnerDomains.moveLatestRequest("shop", "beta");
        return Map.of("path", URI.create((String) links.get("setupUrl")).getPath(), "state", state(links));
    }

    private static String used(String column) {
        return Api.queryString("select count(*) from authorization_request where partner_id = 'beta' and " + column + " is not null");
    }

    private static String shopStatus(String partner) {
        return Api.queryString("select status from account_connector where partner_id = ? and account_id = 'shop'", partner);
    }

    @Test
    void aLinkAndAStateWorkOnlyOnTheDomainOfTheirPartner() {
        Map<String, String> beta = betasRequest();
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");

        // On another partner's domain, and on the service's own: the page of an unknown link, nothing used.
        for (String host : List.of(ALPHA_DOMAIN, TestKeys.SERVICE_DOMAIN)) {
            assertThat(given().header("Host", host).redirects().follow(false).get(beta.get("path")).then().statusCode(404)
                    .contentType(containsString("text/html")).extract().asString()).as(host).contains("This link is not valid", "ask for a new one");
            assertThat(given().header("Host", host).redirects().follow(false).queryParam("code", "ac_Elsewhere1").queryParam("state", beta.get("state"))
                    .get("/connector/callback").then().statusCode(400).extract().asString()).as(host).contains("This link is not valid");
        }
        assertThat(used("setup_used_at")).isEqualTo("0");
        assertThat(used("state_used_at")).isEqualTo("0");
        stripe.verify(0, tokenRequests());

        // On beta's own domain: on to Stripe, which sends the person back to beta's domain, and beta's shop is connected.
        String location = given().header("Host", BETA_DOMAIN).redirects().follow(false).get(beta.get("path")).then().statusCode(302)
                .extract().header("Location");
        assertThat(param(location, "redirect_uri")).isEqualTo("https://" + BETA_DOMAIN + "/connector/callback");
        assertThat(given().header("Host", BETA_DOMAIN).redirects().follow(false).queryParam("code", "ac_Beta1")
                .queryParam("state", param(location, "state")).get("/connector/callback").then().statusCode(200).extract().asString())
                .contains("connected");
        stripe.verify(1, tokenRequests());
        assertThat(shopStatus("beta")).isEqualTo("CONNECTED");
        assertThat(shopStatus("alpha")).isEqualTo("PENDING");
        assertThat(shopStatus("default")).isEqualTo("PENDING");
    }

    @Test
    void aDisabledPartnersLinksAndCallbacksGetAPageAndChangeNothing() {
        Map<String, String> beta = betasRequest();
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        PartnerDomains.disable("beta");

        assertThat(given().header("Host", BETA_DOMAIN).redirects().follow(false).get(beta.get("path")).then().statusCode(403)
                .contentType(containsString("text/html")).header("Cache-Control", "no-store").extract().asString())
                .contains("switched off", "nothing was changed");
        assertThat(given().header("Host", BETA_DOMAIN).header("Origin", "https://" + BETA_DOMAIN).redirects().follow(false)
                .formParam("clientId", CLIENT_ID).post(beta.get("path")).then().statusCode(403).extract().asString()).contains("switched off");
        assertThat(given().header("Host", BETA_DOMAIN).redirects().follow(false).queryParam("code", "ac_Beta2").queryParam("state", beta.get("state"))
                .get("/connector/callback").then().statusCode(403).extract().asString()).contains("switched off");
        assertThat(used("setup_used_at")).isEqualTo("0");
        assertThat(used("state_used_at")).isEqualTo("0");
        stripe.verify(0, tokenRequests());
        assertThat(shopStatus("beta")).isEqualTo("PENDING");
    }

    @Test
    void anExpiredSetupLinkIs410AndAnUnknownOneIs404() {
        install("shop-10");
        String path = URI.create((String) authorize("shop-10", "{}").get("setupUrl")).getPath();
        Api.update("update authorization_request set setup_expires_at = now() - interval '1 minute'");
        assertThat(given().redirects().follow(false).get(path).then().statusCode(410).extract().asString()).contains("expired");

        given().redirects().follow(false).get("/connector/setup/" + "A".repeat(43)).then()
                .statusCode(404).contentType(containsString("text/html"));
        given().redirects().follow(false).get("/connector/setup/short").then().statusCode(404);
    }

    @Test
    void aSuccessfulCallbackExchangesTheCodeOnceAndStoresTheConnection() {
        install("shop-11");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        String state = state(authorize("shop-11", "{}"));

        String page = callbackWithCode(state).then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .extract().asString();
        assertThat(page).contains("connected").contains("acct_1ConnectedAcct0001").contains("Shop shop-11");
        assertThat(page).doesNotContain(ACCESS_TOKEN).doesNotContain("RefreshToken").doesNotContain(SECRET).doesNotContain("ac_AuthCode123");

        stripe.verify(1, tokenRequests()
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withRequestBody(containing("grant_type=authorization_code"))
                .withRequestBody(containing("code=ac_AuthCode123")));

        api().get("/api/v1/accounts/shop-11/connector").then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("connected"))
                .body("connection.stripeUserId", org.hamcrest.Matchers.equalTo("acct_1ConnectedAcct0001"))
                .body("connection.livemode", org.hamcrest.Matchers.equalTo(false))
                .body("connection.scope", org.hamcrest.Matchers.equalTo("read_write"))
                .body("connection.connectedAt", notNullValue())
                .body("lastError", nullValue())
                .body("warnings", hasSize(0))
                .body(not(containsString("AccessToken")));

        assertThat(Api.queryString("select access_token from account_connector where account_id = 'shop-11'"))
                .startsWith("v1:").doesNotContain("AccessToken");
        assertThat(Api.dumpTable("account_connector")).doesNotContain(ACCESS_TOKEN).doesNotContain("rt_RefreshToken");
        assertThat(Api.queryString("select publishable_key from account_connector where account_id = 'shop-11'"))
                .isEqualTo("pk_test_PublishableKeyOfConnected789");
    }

    /**
     * A new connection replaces the installation's whole connection (oauth callback's store in plain statements): the
     * new tokens (encrypted), account and mode; what refreshes and verifies recorded of the old connection and its error
     * go; the row's version moves on; the event says reauthorized, from the status shown before.
     */
    @Test
    void reauthorizingAConnectedInstallationUpdatesTheSameRecord() {
        install("shop-12");
        String id = api().get("/api/v1/accounts/shop-12/connector").then().extract().path("id");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        callbackWithCode(state(authorize("shop-12", "{}"))).then().statusCode(200);
        assertThat(connectedEvent("shop-12", "cause")).isEqualTo("authorized");
        assertThat(connectedEvent("shop-12", "previousStatus")).isEqualTo("pending");
        // What the old connection's upkeep left behind, and an error.
        Api.update("update account_connector set status = 'ERROR', tokens_refreshed_at = now(), refresh_failed_at = now(),"
                + " refresh_failure = 'invalid_grant', last_verified_at = now(), last_error = 'invalid_grant',"
                + " last_error_description = 'old', last_error_at = now() where account_id = 'shop-12'");
        String version = Api.queryString("select version from account_connector where account_id = 'shop-12'");

        StripeStubs.tokenAnswers(stripe, 200, "token-success-livemode.json");
        callbackWithCode(state(authorize("shop-12", "{}"))).then().statusCode(200);

        api().get("/api/v1/accounts/shop-12/connector").then()
                .body("id", org.hamcrest.Matchers.equalTo(id))
                .body("status", org.hamcrest.Matchers.equalTo("connected"))
                .body("lastError", nullValue())
                .body("connection.stripeUserId", org.hamcrest.Matchers.equalTo("acct_1LiveConnected0002"))
                .body("connection.livemode", org.hamcrest.Matchers.equalTo(true));
        assertThat(Api.queryString("select count(*) || ' ' || min(publishable_key) from account_connector where account_id = 'shop-12'"))
                .isEqualTo("1 pk_live_PublishableKeyLive789");
        assertThat(Api.queryString("select concat_ws(',', tokens_refreshed_at, refresh_failed_at, refresh_failure, last_verified_at,"
                + " last_error, last_error_description, last_error_at, refresh_lease_owner) from account_connector where account_id = 'shop-12'"))
                .isEmpty();
        assertThat(Long.parseLong(Api.queryString("select version from account_connector where account_id = 'shop-12'")))
                .isEqualTo(Long.parseLong(version) + 1);
        String stored = Api.queryString("select access_token || refresh_token from account_connector where account_id = 'shop-12'");
        assertThat(stored).doesNotContain("sk_live_AccessTokenLiveFromStripe123").doesNotContain("rt_RefreshTokenLive456");
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/shop-12/connector/credentials").then()
                .statusCode(200)
                .body("accessToken", org.hamcrest.Matchers.equalTo("sk_live_AccessTokenLiveFromStripe123"));
        assertThat(connectedEvent("shop-12", "cause")).isEqualTo("reauthorized");
        assertThat(connectedEvent("shop-12", "previousStatus")).isEqualTo("error");
        assertThat(connectedEvent("shop-12", "status")).isEqualTo("connected");
    }

    /** A field of the data of {@code accountId}'s last installation.connected event, as stored (and delivered). */
    private static String connectedEvent(String accountId, String field) {
        return Api.queryString("select payload::jsonb -> 'data' ->> ? from connector_event where account_id = ? and type = 'installation.connected'"
                + " order by created_at desc, sequence_number desc limit 1", field, accountId);
    }

    @Test
    void aLiveConnectionUnderATestKeyIsFlagged() {
        install("shop-13");
        StripeStubs.tokenAnswers(stripe, 200, "token-success-livemode.json");
        callbackWithCode(state(authorize("shop-13", "{}"))).then().statusCode(200);
        api().get("/api/v1/accounts/shop-13/connector").then()
                .body("connection.livemode", org.hamcrest.Matchers.equalTo(true))
                .body("warnings", hasSize(1))
                .body("warnings[0]", containsString("live mode"));
    }

    @Test
    void withAReturnUrlTheBrowserIsSentBackWithTheOutcome() {
        install("shop-14");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        String state = state(authorize("shop-14", Map.of("returnUrl", TestKeys.RETURN_URL_PREFIX + "/done?tab=1#top")));
        callbackWithCode(state).then()
                .statusCode(303)
                .header("Location", org.hamcrest.Matchers.equalTo(TestKeys.RETURN_URL_PREFIX + "/done?tab=1&status=connected&accountId=shop-14#top"))
                .header("Cache-Control", "no-store");

        String declined = state(authorize("shop-14", Map.of("returnUrl", TestKeys.RETURN_URL_PREFIX)));
        callback(Map.of("error", "access_denied", "error_description", "The user denied your request", "state", declined)).then()
                .statusCode(303)
                .header("Location", org.hamcrest.Matchers.equalTo(TestKeys.RETURN_URL_PREFIX + "?status=error&accountId=shop-14&error=access_denied"));
    }

    @Test
    void stripesOwnErrorMakesNoTokenRequestAndChangesNothing() {
        install("shop-15");
        String state = state(authorize("shop-15", "{}"));
        String page = callback(Map.of("error", "access_denied",
                "error_description", "The user denied <script>alert(1)</script> your request", "state", state)).then()
                .statusCode(200).contentType(containsString("text/html")).header("Cache-Control", "no-store")
                .extract().asString();
        assertThat(page).contains("declined").contains("Shop shop-15").contains("&lt;script&gt;").doesNotContain("<script>");
        stripe.verify(0, tokenRequests());
        api().get("/api/v1/accounts/shop-15/connector").then()
                .body("status", org.hamcrest.Matchers.equalTo("pending"))
                .body("lastError", nullValue())
                .body("connection", nullValue());
    }

    @Test
    void invalidGrantIsRecordedOnTheInstallationAndShownToThePerson() {
        install("shop-16");
        StripeStubs.tokenAnswers(stripe, 400, "token-invalid-grant.json");
        String page = callbackWithCode(state(authorize("shop-16", "{}"))).then()
                .statusCode(400).contentType(containsString("text/html")).extract().asString();
        assertThat(page).contains("Stripe refused").contains("Authorization code does not exist");
        stripe.verify(1, tokenRequests());
        api().get("/api/v1/accounts/shop-16/connector").then()
                .body("status", org.hamcrest.Matchers.equalTo("error"))
                .body("lastError.code", org.hamcrest.Matchers.equalTo("invalid_grant"))
                .body("lastError.description", containsString("does not exist"))
                .body("lastError.at", notNullValue());
    }

    @Test
    void aRejectedPlatformKeyIsThePartnersToFixAndLeavesTheStatusAlone() {
        install("shop-17");
        StripeStubs.tokenAnswers(stripe, 401, "token-invalid-client.json");
        String page = callbackWithCode(state(authorize("shop-17", "{}"))).then().statusCode(409).extract().asString();
        assertThat(page).contains("did not accept the Stripe setup").contains("tell the team that sent you this link");
        api().get("/api/v1/accounts/shop-17/connector").then()
                .body("status", org.hamcrest.Matchers.equalTo("pending"))
                .body("lastError.code", org.hamcrest.Matchers.equalTo("platform_key_rejected"));
    }

    @Test
    void aFailedReauthorizationKeepsAWorkingConnection() {
        install("shop-18");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        callbackWithCode(state(authorize("shop-18", "{}"))).then().statusCode(200);
        StripeStubs.tokenAnswers(stripe, 400, "token-invalid-grant.json");
        callbackWithCode(state(authorize("shop-18", "{}"))).then().statusCode(400);
        api().get("/api/v1/accounts/shop-18/connector").then()
                .body("status", org.hamcrest.Matchers.equalTo("connected"))
                .body("connection.stripeUserId", org.hamcrest.Matchers.equalTo("acct_1ConnectedAcct0001"))
                .body("lastError.code", org.hamcrest.Matchers.equalTo("invalid_grant"));
    }

    @Test
    void stripeServerErrorsShowATryAgainPageWithoutRetryingTheCode() {
        install("shop-19");
        StripeStubs.tokenAnswers(stripe, 500, "api-error-500.json");
        assertTryAgain("shop-19");
    }

    @Test
    void rateLimitingShowsATryAgainPageWithoutRetryingTheCode() {
        install("shop-20");
        StripeStubs.tokenAnswers(stripe, 429, "rate-limited.json");
        assertTryAgain("shop-20");
    }

    @Test
    void aTimeoutShowsATryAgainPageWithoutRetryingTheCode() {
        install("shop-21");
        StripeStubs.tokenAnswersAfter(stripe, 4000, "token-success.json");
        assertTryAgain("shop-21");
    }

    @Test
    void aBrowserThatLeavesDuringTheExchangeStillGetsTheConnectionStored() throws Exception {
        install("shop-26");
        StripeStubs.tokenAnswersAfter(stripe, 1500, "token-success.json");
        String state = state(authorize("shop-26", "{}"));

        // The browser sends the callback and goes away while Stripe is still answering.
        try (Socket browser = new Socket("localhost", io.restassured.RestAssured.port)) {
            browser.getOutputStream().write(("GET /connector/callback?code=ac_AuthCode123&scope=read_write&state=" + state
                    + " HTTP/1.1\r\nHost: " + TestKeys.SERVICE_DOMAIN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            browser.getOutputStream().flush();
            Thread.sleep(300);
        }

        Instant deadline = Instant.now().plusSeconds(15);
        String status = "";
        while (Instant.now().isBefore(deadline) && !status.equals("connected")) {
            Thread.sleep(100);
            status = api().get("/api/v1/accounts/shop-26/connector").then().statusCode(200).extract().path("status");
        }
        assertThat(status).isEqualTo("connected");
        stripe.verify(1, tokenRequests().withRequestBody(containing("code=ac_AuthCode123")));
    }

    @Test
    void aDroppedConnectionShowsATryAgainPage() {
        install("shop-22");
        StripeStubs.tokenFails(stripe, Fault.CONNECTION_RESET_BY_PEER);
        assertTryAgain("shop-22");
    }

    @Test
    void aMalformedTokenAnswerShowsATryAgainPage() {
        install("shop-23");
        StripeStubs.tokenAnswersRaw(stripe, 200, "{\"access_token\": 12, \"unexpected\": ");
        assertTryAgain("shop-23");

        install("shop-23b");
        StripeStubs.tokenAnswersRaw(stripe, 200, "{\"token_type\": \"bearer\"}");
        stripe.resetRequests();
        assertTryAgain("shop-23b");
    }

    private void assertTryAgain(String accountId) {
        String state = state(authorize(accountId, "{}"));
        String page = callbackWithCode(state).then()
                .statusCode(502).contentType(containsString("text/html")).header("Cache-Control", "no-store")
                .extract().asString();
        assertThat(page).contains("try again");
        stripe.verify(1, tokenRequests());
        api().get("/api/v1/accounts/" + accountId + "/connector").then()
                .body("status", org.hamcrest.Matchers.equalTo("pending"))
                .body("connection", nullValue());
        // The same state cannot send the code again; a fresh link can be made and works.
        callbackWithCode(state).then().statusCode(400);
        stripe.verify(1, tokenRequests());
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        callbackWithCode(state(authorize(accountId, "{}"))).then().statusCode(200);
        api().get("/api/v1/accounts/" + accountId + "/connector").then().body("status", org.hamcrest.Matchers.equalTo("connected"));
    }

    @Test
    void missingForgedExpiredOrUsedStatesAre400WithoutATokenRequest() {
        install("shop-24");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");

        assertThat(callback(Map.of("code", "ac_1")).then().statusCode(400).contentType(containsString("text/html"))
                .header("Cache-Control", "no-store").extract().asString()).contains("not valid");
        assertThat(callbackWithCode("forged").then().statusCode(400).extract().asString()).contains("not valid");
        assertThat(callbackWithCode("B".repeat(43)).then().statusCode(400).extract().asString()).contains("not valid");

        String expired = state(authorize("shop-24", "{}"));
        Api.update("update authorization_request set expires_at = now() - interval '1 second'");
        assertThat(callbackWithCode(expired).then().statusCode(400).extract().asString()).contains("expired");
        stripe.verify(0, tokenRequests());

        String used = state(authorize("shop-24", "{}"));
        callbackWithCode(used).then().statusCode(200);
        assertThat(callbackWithCode(used).then().statusCode(400).extract().asString()).contains("already used");
        stripe.verify(1, tokenRequests());
    }

    @Test
    void aSetupThatLostItsKeyWhileThePersonWasAtStripeSpendsTheStateAndMakesNoTokenRequest() {
        install("shop-26");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        String state = state(authorize("shop-26", "{}"));
        Map<String, Object> clear = new HashMap<>();
        clear.put("clientSecret", null);
        json(clear).put("/api/v1/connector").then().statusCode(200);

        assertThat(callbackWithCode(state).then().statusCode(409).extract().asString()).contains("changed while you were at Stripe");
        assertThat(callbackWithCode(state).then().statusCode(400).extract().asString()).contains("already used");
        stripe.verify(0, tokenRequests());
        api().get("/api/v1/accounts/shop-26/connector").then().body("status", org.hamcrest.Matchers.equalTo("needs_credentials"));
    }

    @Test
    void aCallbackWithNeitherCodeNorErrorConnectsNothing() {
        install("shop-25");
        callback(Map.of("state", state(authorize("shop-25", "{}")))).then().statusCode(400);
        stripe.verify(0, tokenRequests());
    }

    @Test
    void twentySimultaneousCallbacksWithOneStateMakeExactlyOneTokenRequest() throws Exception {
        install("shop-26");
        StripeStubs.tokenAnswersAfter(stripe, 300, "token-success.json");
        String state = state(authorize("shop-26", "{}"));
        List<Response> responses = Concurrently.run(20, caller -> callbackWithCode(state));
        long connected = responses.stream().filter(r -> r.statusCode() == 200).count();
        long alreadyUsed = responses.stream()
                .filter(r -> r.statusCode() == 400 && r.asString().contains("already used")).count();
        assertThat(connected).isEqualTo(1);
        assertThat(alreadyUsed).isEqualTo(19);
        stripe.verify(1, tokenRequests());
        api().get("/api/v1/accounts/shop-26/connector").then().body("status", org.hamcrest.Matchers.equalTo("connected"));
    }

    /**
     * The whole flow as a person and Stripe would walk it: install, authorize, open the setup
     * link, approve at (the stub of) Stripe, come back to the callback, connected.
     */
    @Test
    void theWholeFlowFromInstallToConnected() {
        json(Map.of("name", "Walkthrough Ltd")).put("/api/v1/accounts/walk-1/connector").then().statusCode(201);
        Map<String, Object> links = authorize("walk-1", Map.of("stripeLanding", "login"));

        // Stripe's authorize page: the stub approves at once and redirects to redirect_uri.
        stripe.stubFor(get(urlPathEqualTo("/oauth/authorize")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "{{{urlEncode request.query.redirect_uri decode=true}}}?code=ac_Walkthrough1&scope={{request.query.scope}}&state={{request.query.state}}")));
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");

        String toStripe = given().redirects().follow(false).get(URI.create((String) links.get("setupUrl")).getPath())
                .then().statusCode(302).extract().header("Location");
        assertThat(toStripe).isEqualTo(links.get("authorizeUrl"));

        String backToService = given().redirects().follow(false).get(toStripe).then().statusCode(302).extract().header("Location");
        URI callback = URI.create(backToService);
        assertThat(callback.getScheme() + "://" + callback.getAuthority() + callback.getPath()).isEqualTo(REDIRECT_URI);

        given().redirects().follow(false).get(callback.getPath() + "?" + callback.getRawQuery()).then()
                .statusCode(200).body(containsString("Walkthrough Ltd"));

        stripe.verify(1, tokenRequests().withRequestBody(containing("code=ac_Walkthrough1")));
        api().get("/api/v1/accounts/walk-1/connector").then()
                .body("status", org.hamcrest.Matchers.equalTo("connected"))
                .body("connection.stripeUserId", org.hamcrest.Matchers.equalTo("acct_1ConnectedAcct0001"));
        api().queryParam("status", "connected").get("/api/v1/accounts").then()
                .body("items.accountId", hasItem("walk-1"));
    }
}
