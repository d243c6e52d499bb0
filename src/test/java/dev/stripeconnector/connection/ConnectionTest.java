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
