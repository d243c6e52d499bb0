package dev.stripeconnector.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Flows.ACCESS_TOKEN;
import static dev.stripeconnector.support.Flows.CLIENT_ID;
import static dev.stripeconnector.support.Flows.REFRESH_TOKEN;
import static dev.stripeconnector.support.Flows.SECRET;
import static dev.stripeconnector.support.Flows.STRIPE_USER_ID;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static dev.stripeconnector.support.StripeStubs.tokenRequests;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Concurrently;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConnectionTest {

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from credential_read");
        Api.update("delete from webhook_event");
        stripe.resetAll();
        Flows.consoleSetup();
    }

    static org.hamcrest.Matcher<Object> is(Object value) {
        return org.hamcrest.Matchers.equalTo(value);
    }

    /** Stripe's answer to GET /v1/account for the connected account (the platform's own account keeps its default answer). */
    void accountAnswers(int status, String fixture) {
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", com.github.tomakehurst.wiremock.client.WireMock.matching(".+")).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "application/json").withBody(fixture(fixture))));
    }

    // ---- verify ----

    @Test
    void verifyRecordsWhatStripeSaysOfTheAccount() {
        Flows.connect(stripe, "v-1");
        accountAnswers(200, "account.json");
        api().post("/api/v1/accounts/v-1/connector/verify").then()
                .statusCode(200)
                .body("status", is("connected"))
                .body("connection.account.id", is(STRIPE_USER_ID))
                .body("connection.account.businessName", is("Walkthrough Coffee Roasters"))
                .body("connection.account.email", is("owner@coffee.example"))
                .body("connection.account.country", is("DE"))
                .body("connection.account.chargesEnabled", is(true))
                .body("connection.account.payoutsEnabled", is(false))
                .body("connection.account.verifiedAt", notNullValue());
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/account"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withHeader("Stripe-Account", equalTo(STRIPE_USER_ID)));
        api().get("/api/v1/accounts/v-1/connector").then().body("connection.account.businessName", is("Walkthrough Coffee Roasters"));
    }

    @Test
    void theViewReadInOneStatementEqualsTheVerifyAnswerBuiltFromTheEntities() {
        Flows.connect(stripe, "v-same");
        accountAnswers(200, "account.json");
        java.util.Map<String, Object> verified = api().post("/api/v1/accounts/v-same/connector/verify").then().statusCode(200)
                .extract().jsonPath().getMap("");
        java.util.Map<String, Object> read = api().get("/api/v1/accounts/v-same/connector").then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertThat(read).containsKey("connection").isEqualTo(verified);
    }

    @Test
    void verifyMarksTheInstallationRevokedWhenStripeRefusesAccess() {
        Flows.connect(stripe, "v-2");
        accountAnswers(403, "account-revoked.json");
        api().post("/api/v1/accounts/v-2/connector/verify").then()
                .statusCode(200)
                .body("status", is("revoked"))
                .body("lastError.code", is("access_revoked"))
                .body("lastError.description", containsString("Application access may have been revoked"));
        // The tokens stay encrypted: only a verified deauthorization or a disconnect wipes them.
        assertThat(Api.queryString("select access_token from account_connector where account_id = 'v-2'")).startsWith("v1:");
        accountAnswers(401, "account-revoked.json");
        api().post("/api/v1/accounts/v-2/connector/verify").then().statusCode(409);
    }

    @Test
    void verifyLeavesTheStatusAloneWhenStripeIsDownOrUnreachable() {
        Flows.connect(stripe, "v-3");
        accountAnswers(500, "api-error-500.json");
        api().post("/api/v1/accounts/v-3/connector/verify").then()
                .statusCode(502).contentType("application/problem+json");
        accountAnswers(429, "rate-limited.json");
        api().post("/api/v1/accounts/v-3/connector/verify").then().statusCode(503).contentType("application/problem+json");
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        api().post("/api/v1/accounts/v-3/connector/verify").then().statusCode(502);
        api().get("/api/v1/accounts/v-3/connector").then().body("status", is("connected")).body("lastError", nullValue());
    }

    @Test
    void verifyNeedsAConnectedInstallation() {
        Flows.consoleSetup();
        stripe.resetRequests();
        Api.json("{}").put("/api/v1/accounts/v-4/connector").then().statusCode(201);
        api().post("/api/v1/accounts/v-4/connector/verify").then().statusCode(409).contentType("application/problem+json");
        api().post("/api/v1/accounts/nobody/connector/verify").then().statusCode(404);
        api().post("/api/v1/accounts/bad%20id/connector/verify").then().statusCode(400);
        stripe.verify(0, getRequestedFor(urlPathEqualTo("/v1/account")));
    }

    // ---- refresh ----

    @Test
    void refreshStoresTheNewAccessTokenAndKeepsTheRefreshTokenWhenNoneComes() {
        Flows.connect(stripe, "r-1");
        StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
        api().post("/api/v1/accounts/r-1/connector/refresh").then()
                .statusCode(200)
                .body("status", is("connected"))
                .body("connection.tokensRefreshedAt", notNullValue())
                .body(org.hamcrest.Matchers.not(containsString("RolledAccessToken")));
        stripe.verify(1, tokenRequests()
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=" + REFRESH_TOKEN)));
        // The answer had no refresh_token: the next refresh still sends the original one.
        Api.update("update account_connector set tokens_refreshed_at = now() - interval '1 minute' where account_id = 'r-1'");
        stripe.resetRequests();
        api().post("/api/v1/accounts/r-1/connector/refresh").then().statusCode(200);
        stripe.verify(1, tokenRequests().withRequestBody(containing("refresh_token=" + REFRESH_TOKEN)));
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/r-1/connector/credentials").then()
                .body("accessToken", is("sk_test_RolledAccessToken0000000002"));
    }

    @Test
    void refreshStoresANewRefreshTokenWhenStripeSendsOne() {
        Flows.connect(stripe, "r-2");
        StripeStubs.tokenAnswers(stripe, 200, "token-refreshed-with-new-refresh-token.json");
        api().post("/api/v1/accounts/r-2/connector/refresh").then().statusCode(200);
        Api.update("update account_connector set tokens_refreshed_at = now() - interval '1 minute' where account_id = 'r-2'");
        stripe.resetRequests();
        api().post("/api/v1/accounts/r-2/connector/refresh").then().statusCode(200);
        stripe.verify(1, tokenRequests().withRequestBody(containing("refresh_token=rt_RolledRefreshToken0003")));
    }

    @Test
    void twentyConcurrentRefreshesMakeOneTokenRequestAndAllSeeTheNewState() throws Exception {
        Flows.connect(stripe, "r-3");
        StripeStubs.tokenAnswersAfter(stripe, 300, "token-refreshed.json");
        List<Response> responses = Concurrently.run(20, caller -> api().post("/api/v1/accounts/r-3/connector/refresh"));
        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
        List<String> refreshedAt = responses.stream().map(r -> r.jsonPath().getString("connection.tokensRefreshedAt")).toList();
        assertThat(refreshedAt).doesNotContainNull().containsOnly(refreshedAt.get(0));
        stripe.verify(1, tokenRequests());
    }

    @Test
    void invalidGrantOnRefreshMeansReconnectAndTheSameRecordCanBeReauthorized() {
        Flows.connect(stripe, "r-4");
        String id = api().get("/api/v1/accounts/r-4/connector").then().extract().path("id");
        StripeStubs.tokenAnswers(stripe, 400, "token-invalid-grant.json");
        api().post("/api/v1/accounts/r-4/connector/refresh").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("connected again"));
        api().get("/api/v1/accounts/r-4/connector").then()
                .body("status", is("error"))
                .body("lastError.code", is("invalid_grant"))
                .body("lastError.description", containsString("connect the account again"));

        Flows.connect(stripe, "r-4-other");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        String state = StripeStubs.param(Api.json("{}").post("/api/v1/accounts/r-4/connector/authorize").then().extract().path("authorizeUrl"), "state");
        given().redirects().follow(false).queryParam("code", "ac_Again").queryParam("state", state).get("/connector/callback").then().statusCode(200);
        api().get("/api/v1/accounts/r-4/connector").then().body("id", is(id)).body("status", is("connected")).body("lastError", nullValue());
    }

    @Test
    void refreshWhenStripeIsDownChangesNothing() {
        Flows.connect(stripe, "r-5");
        StripeStubs.tokenAnswers(stripe, 503, "api-error-500.json");
        api().post("/api/v1/accounts/r-5/connector/refresh").then().statusCode(502).contentType("application/problem+json");
        StripeStubs.tokenAnswers(stripe, 429, "rate-limited.json");
        api().post("/api/v1/accounts/r-5/connector/refresh").then().statusCode(503);
        api().get("/api/v1/accounts/r-5/connector").then().body("status", is("connected")).body("connection.tokensRefreshedAt", nullValue());
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/r-5/connector/credentials").then()
                .body("accessToken", is(ACCESS_TOKEN));
    }

    @Test
    void refreshNeedsAConnectedInstallation() {
        Api.json("{}").put("/api/v1/accounts/r-6/connector").then().statusCode(201);
        api().post("/api/v1/accounts/r-6/connector/refresh").then().statusCode(409);
        api().post("/api/v1/accounts/nobody/connector/refresh").then().statusCode(404);
        stripe.verify(0, tokenRequests());
    }

    // ---- disconnect ----

    @Test
    void disconnectDeauthorizesAtStripeThenRemovesEverything() {
        Flows.connect(stripe, "d-1");
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("deauthorize-success.json"))));
        api().delete("/api/v1/accounts/d-1/connector").then()
                .statusCode(200)
                .body("removed", is(true))
                .body("stripeNotified", is(true));
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/oauth/deauthorize"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withRequestBody(containing("client_id=" + CLIENT_ID))
                .withRequestBody(containing("stripe_user_id=" + STRIPE_USER_ID)));
        api().get("/api/v1/accounts/d-1/connector").then().statusCode(404);
        assertThat(Api.queryString("select count(*) from account_connector where account_id = 'd-1'")).isEqualTo("0");
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("0");
        // The event carries the status after the change, and the connection it had.
        assertThat(eventData("d-1", "installation.removed", "status")).isEqualTo("removed");
        assertThat(eventData("d-1", "installation.removed", "previousStatus")).isEqualTo("connected");
        assertThat(eventData("d-1", "installation.removed", "stripeUserId")).isEqualTo(STRIPE_USER_ID);
    }

    /** A field of the data of {@code accountId}'s last event of {@code type}, as stored (and delivered). */
    static String eventData(String accountId, String type, String field) {
        return Api.queryString("select payload::jsonb -> 'data' ->> ? from connector_event where account_id = ? and type = ?"
                + " order by created_at desc, sequence_number desc limit 1", field, accountId, type);
    }

    // ---- disconnect, keeping the installation ----

    @Test
    void disconnectKeepsTheInstallationAndTheAccountsOwnValuesSoANewLinkWorksAtOnce() {
        String ownKey = "sk_test_OwnPlatformKey7777";
        StripeStubs.keyBelongsTo(stripe, ownKey, "acct_1OwnPlatform0007");
        Api.json(java.util.Map.of("name", "Shop k-1", "clientId", "ca_OwnPlatform77", "clientSecret", ownKey))
                .put("/api/v1/accounts/k-1/connector").then().statusCode(201);
        Flows.reconnect(stripe, "k-1");
        String id = api().get("/api/v1/accounts/k-1/connector").then().body("status", is("connected")).extract().path("id");
        StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");

        api().post("/api/v1/accounts/k-1/connector/disconnect").then()
                .statusCode(200)
                .body("id", is(id))
                .body("status", is("disconnected"))
                .body("connection", nullValue())
                .body("lastError", nullValue())
                .body("clientId.value", is("ca_OwnPlatform77"))
                .body("clientId.source", is("account"))
                .body("clientSecret.source", is("account"))
                .body("clientSecret.last4", is("7777"));
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/oauth/deauthorize"))
                .withHeader("Authorization", equalTo("Bearer " + ownKey))
                .withRequestBody(containing("client_id=ca_OwnPlatform77"))
                .withRequestBody(containing("stripe_user_id=" + STRIPE_USER_ID)));
        // Stored: the tokens and the connection are gone, the account's own values stay.
        assertThat(Api.queryString("select status || ' ' || (access_token is null) || (refresh_token is null) || (stripe_user_id is null)"
                + " || ' ' || client_id || ' ' || (client_secret like 'v1:%') from account_connector where account_id = 'k-1'"))
                .isEqualTo("DISCONNECTED truetruetrue ca_OwnPlatform77 true");
        assertThat(Api.dumpTable("account_connector")).doesNotContain(ACCESS_TOKEN, REFRESH_TOKEN);
        assertThat(eventData("k-1", "installation.disconnected", "status")).isEqualTo("disconnected");
        assertThat(eventData("k-1", "installation.disconnected", "previousStatus")).isEqualTo("connected");
        assertThat(eventData("k-1", "installation.disconnected", "cause")).isEqualTo("disconnected");
        assertThat(eventData("k-1", "installation.disconnected", "stripeUserId")).isEqualTo(STRIPE_USER_ID);
        assertThat(eventData("k-1", "installation.disconnected", "stripeNotified")).isEqualTo("true");
        api().queryParam("status", "disconnected").get("/api/v1/accounts").then().statusCode(200).body("items.accountId", is(List.of("k-1")));
        // The connection's tokens are gone: no credentials, no proxy, no refresh.
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/k-1/connector/credentials").then()
                .statusCode(409).body("detail", containsString("disconnected"));
        api().post("/api/v1/accounts/k-1/connector/refresh").then().statusCode(409);

        // Again: nothing left to disconnect, answered as it is, Stripe not asked.
        stripe.resetRequests();
        api().post("/api/v1/accounts/k-1/connector/disconnect").then().statusCode(200).body("status", is("disconnected"));
        stripe.verify(0, postRequestedFor(urlPathEqualTo("/oauth/deauthorize")));

        // A new link at once, with the account's own values: nobody types the secret key again.
        String authorizeUrl = Api.json("{}").post("/api/v1/accounts/k-1/connector/authorize").then().statusCode(200)
                .body("setupUrl", notNullValue()).extract().path("authorizeUrl");
        assertThat(StripeStubs.param(authorizeUrl, "client_id")).isEqualTo("ca_OwnPlatform77");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        given().redirects().follow(false).queryParam("code", "ac_Again").queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
        stripe.verify(1, tokenRequests().withHeader("Authorization", equalTo("Bearer " + ownKey)));
        api().get("/api/v1/accounts/k-1/connector").then().body("id", is(id)).body("status", is("connected"))
                .body("connection.stripeUserId", is(STRIPE_USER_ID));
        assertThat(eventData("k-1", "installation.connected", "previousStatus")).isEqualTo("disconnected");
    }

    @Test
    void disconnectLeavesTheConnectionAsItWasWhenStripeDoesNotConfirmUnlessForced() {
        Flows.connect(stripe, "k-2");
        String before = Api.queryString("select access_token || status || version from account_connector where account_id = 'k-2'");
        StripeStubs.deauthorizeAnswers(stripe, 500, "api-error-500.json");
        api().post("/api/v1/accounts/k-2/connector/disconnect").then()
                .statusCode(502).contentType("application/problem+json")
                .body("detail", containsString("the connection was left as it was")).body("detail", containsString("force=true"));
        StripeStubs.deauthorizeAnswers(stripe, 429, "rate-limited.json");
        api().post("/api/v1/accounts/k-2/connector/disconnect").then().statusCode(503).contentType("application/problem+json");
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        api().post("/api/v1/accounts/k-2/connector/disconnect").then().statusCode(502);
        // Nothing changed: the same tokens, status and row version, and no event.
        assertThat(Api.queryString("select access_token || status || version from account_connector where account_id = 'k-2'")).isEqualTo(before);
        assertThat(Api.queryString("select count(*) from connector_event where account_id = 'k-2' and type = 'installation.disconnected'")).isEqualTo("0");
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/k-2/connector/credentials").then()
                .statusCode(200).body("accessToken", is(ACCESS_TOKEN));

        // Forced: wiped here, and the installation says Stripe was not told.
        api().queryParam("force", "true").post("/api/v1/accounts/k-2/connector/disconnect").then()
                .statusCode(200)
                .body("status", is("disconnected"))
                .body("lastError.code", is("disconnect_unconfirmed"))
                .body("lastError.description", containsString("Stripe was not told"));
        assertThat(Api.queryString("select access_token is null from account_connector where account_id = 'k-2'")).isEqualTo("t");
        assertThat(eventData("k-2", "installation.disconnected", "cause")).isEqualTo("disconnected_here");
        assertThat(eventData("k-2", "installation.disconnected", "stripeNotified")).isEqualTo("false");
    }

    @Test
    void disconnectOfARevokedConnectionWipesItWithoutAskingStripeAndOfAPendingOneChangesNothing() {
        Flows.connect(stripe, "k-3");
        accountAnswers(403, "account-revoked.json");
        api().post("/api/v1/accounts/k-3/connector/verify").then().statusCode(200).body("status", is("revoked"));
        stripe.resetRequests();
        api().post("/api/v1/accounts/k-3/connector/disconnect").then().statusCode(200).body("status", is("disconnected"))
                .body("lastError", nullValue());
        stripe.verify(0, postRequestedFor(urlPathEqualTo("/oauth/deauthorize")));
        assertThat(Api.queryString("select access_token is null from account_connector where account_id = 'k-3'")).isEqualTo("t");
        assertThat(eventData("k-3", "installation.disconnected", "previousStatus")).isEqualTo("revoked");
        assertThat(eventData("k-3", "installation.disconnected", "stripeNotified")).isEqualTo("false");

        Api.json("{}").put("/api/v1/accounts/k-4/connector").then().statusCode(201);
        api().post("/api/v1/accounts/k-4/connector/disconnect").then().statusCode(200).body("status", is("pending"));
        assertThat(Api.queryString("select count(*) from connector_event where account_id = 'k-4' and type = 'installation.disconnected'")).isEqualTo("0");
        api().post("/api/v1/accounts/nobody/connector/disconnect").then().statusCode(404).contentType("application/problem+json");
        api().post("/api/v1/accounts/bad%20id/connector/disconnect").then().statusCode(400);
        stripe.verify(0, postRequestedFor(urlPathEqualTo("/oauth/deauthorize")));
    }

    @Test
    void disconnectSucceedsWhenStripeSaysTheAccountIsNotConnectedAnyMore() {
        Flows.connect(stripe, "d-2");
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(fixture("deauthorize-not-connected.json"))));
        api().delete("/api/v1/accounts/d-2/connector").then().statusCode(200).body("stripeNotified", is(true));
        api().get("/api/v1/accounts/d-2/connector").then().statusCode(404);
    }

    @Test
    void disconnectRemovesNothingWhenStripeFailsUnlessForced() {
        Flows.connect(stripe, "d-3");
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(fixture("api-error-500.json"))));
        api().delete("/api/v1/accounts/d-3/connector").then()
                .statusCode(502).contentType("application/problem+json").body("detail", containsString("force=true"));
        api().get("/api/v1/accounts/d-3/connector").then().statusCode(200).body("status", is("connected"));

        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        api().delete("/api/v1/accounts/d-3/connector").then().statusCode(502);
        api().get("/api/v1/accounts/d-3/connector").then().statusCode(200);

        api().queryParam("force", "true").delete("/api/v1/accounts/d-3/connector").then()
                .statusCode(200)
                .body("removed", is(true))
                .body("stripeNotified", is(false))
                .body("detail", containsString("Stripe was not told"));
        api().get("/api/v1/accounts/d-3/connector").then().statusCode(404);
    }

    @Test
    void disconnectOfAPendingInstallationNeedsNoStripeCall() {
        Api.json("{}").put("/api/v1/accounts/d-4/connector").then().statusCode(201);
        api().delete("/api/v1/accounts/d-4/connector").then().statusCode(200).body("stripeNotified", is(false));
        stripe.verify(0, postRequestedFor(urlPathEqualTo("/oauth/deauthorize")));
        api().delete("/api/v1/accounts/d-4/connector").then().statusCode(404).contentType("application/problem+json");
    }

    // ---- credentials ----

    @Test
    void credentialsGoOnlyToReadersAndEveryReadIsRecorded() {
        Flows.connect(stripe, "c-1");
        api().get("/api/v1/accounts/c-1/connector/credentials").then()
                .statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("needs the role 'credentials-reader'"))
                .body(org.hamcrest.Matchers.not(containsString(ACCESS_TOKEN)));
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/c-1/connector/credentials").then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("stripeUserId", is(STRIPE_USER_ID))
                .body("livemode", is(false))
                .body("scope", is("read_write"))
                .body("publishableKey", is("pk_test_PublishableKeyOfConnected789"))
                .body("accessToken", is(ACCESS_TOKEN));
        assertThat(Api.queryString("select api_key_name from credential_read where account_id = 'c-1'")).isEqualTo("reader");
        assertThat(Api.queryString("select count(*) from credential_read")).isEqualTo("1");
        assertThat(Api.dumpTable("credential_read")).doesNotContain(ACCESS_TOKEN);
    }

    @Test
    void credentialsOfAnInstallationThatIsNotConnectedAre409() {
        Api.json("{}").put("/api/v1/accounts/c-2/connector").then().statusCode(201);
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/c-2/connector/credentials").then()
                .statusCode(409).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/nobody/connector/credentials").then()
                .statusCode(404);
        assertThat(Api.queryString("select count(*) from credential_read")).isEqualTo("0");
    }

    @Test
    void noOtherAnswerCarriesATokenOrTheSecretKey() {
        Flows.connect(stripe, "c-3");
        accountAnswers(200, "account.json");
        for (String body : List.of(
                api().get("/api/v1/accounts/c-3/connector").asString(),
                api().get("/api/v1/accounts").asString(),
                api().post("/api/v1/accounts/c-3/connector/verify").asString(),
                api().get("/api/v1/connector").asString())) {
            assertThat(body).doesNotContain(ACCESS_TOKEN).doesNotContain(REFRESH_TOKEN).doesNotContain(SECRET);
        }
    }
}
