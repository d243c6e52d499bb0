package dev.stripeconnector.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static dev.stripeconnector.support.StripeStubs.tokenRequests;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Concurrently;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Concurrent requests that touch the same connection or setup: no 500, and a consistent result. */
@QuarkusTest
class RacesTest {

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from webhook_event");
        stripe.resetAll();
        Flows.consoleSetup();
    }

    static void accountAnswers(WireMockServer stripe, int status, String fixture, int delayMillis) {
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", matching(".+"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody(fixture(fixture)).withFixedDelay(delayMillis)));
    }

    @Test
    void tenConcurrentVerifiesAllAnswerAndAgree() throws Exception {
        Flows.connect(stripe, "race-verify");
        accountAnswers(stripe, 200, "account.json", 50);
        List<Response> answers = Concurrently.run(10, i -> api().post("/api/v1/accounts/race-verify/connector/verify"));
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.asString()).isEqualTo(200));
        assertThat(answers).allSatisfy(r -> assertThat(r.jsonPath().getString("status")).isEqualTo("connected"));
        stripe.verify(10, getRequestedFor(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", matching(".+")));

        accountAnswers(stripe, 403, "account-revoked.json", 50);
        List<Response> revoked = Concurrently.run(10, i -> api().post("/api/v1/accounts/race-verify/connector/verify"));
        assertThat(revoked).allSatisfy(r -> assertThat(r.statusCode()).as(r.asString()).isEqualTo(200));
        api().get("/api/v1/accounts/race-verify/connector").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("revoked"));
    }

    @Test
    void refreshesWaitingOnASlowStripeAllGetTheTokensOfTheOneRequest() throws Exception {
        Flows.connect(stripe, "race-refresh");
        StripeStubs.tokenAnswersAfter(stripe, 1200, "token-refreshed.json");
        List<Response> answers = Concurrently.run(12, i -> api().post("/api/v1/accounts/race-refresh/connector/refresh"));
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.asString()).isEqualTo(200));
        assertThat(answers.stream().map(r -> r.jsonPath().getString("connection.tokensRefreshedAt")).distinct()).hasSize(1);
        stripe.verify(1, tokenRequests());
        assertThat(Api.queryString("select refresh_lease_owner from account_connector where account_id = 'race-refresh'")).isNull();
    }

    @Test
    void aDisconnectDuringARefreshRemovesTheInstallationForGood() throws Exception {
        Flows.connect(stripe, "race-disconnect");
        StripeStubs.tokenAnswersAfter(stripe, 800, "token-refreshed.json");
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("deauthorize-success.json")).withFixedDelay(200)));
        List<Response> answers = Concurrently.run(2, i -> i == 0
                ? api().post("/api/v1/accounts/race-disconnect/connector/refresh")
                : sleepThen(300, () -> api().delete("/api/v1/accounts/race-disconnect/connector")));
        assertThat(answers.get(1).statusCode()).as(answers.get(1).asString()).isEqualTo(200);
        assertThat(answers.get(0).statusCode()).as(answers.get(0).asString()).isIn(200, 404);
        assertThat(Api.queryString("select count(*) from account_connector where account_id = 'race-disconnect'")).isEqualTo("0");
    }

    @Test
    void aDeauthorizationCreatedBeforeAReauthorizationLeavesTheNewConnectionAlone() throws Exception {
        Flows.connect(stripe, "race-webhook");
        long before = Instant.now().getEpochSecond() - 5;
        // The person disconnected (the event is created), then connected again before the event arrived.
        Thread.sleep(1100);
        Flows.reconnect(stripe, "race-webhook");
        String late = Webhooks.deauthorized("evt_1LateEvent01", Flows.STRIPE_USER_ID, Flows.CLIENT_ID)
                .replaceAll("\"created\": \\d+", "\"created\": " + before);
        Webhooks.signed(late).post("/webhooks/stripe").then().statusCode(200).body("result", org.hamcrest.Matchers.equalTo("ignored"));
        api().get("/api/v1/accounts/race-webhook/connector").then().body("status", org.hamcrest.Matchers.equalTo("connected"));
        assertThat(Api.queryString("select access_token from account_connector where account_id = 'race-webhook'")).startsWith("v1:");

        // A deauthorization after the connection does revoke it.
        Webhooks.signed(Webhooks.deauthorized("evt_1FreshEvent01", Flows.STRIPE_USER_ID, Flows.CLIENT_ID)).post("/webhooks/stripe")
                .then().statusCode(200).body("result", org.hamcrest.Matchers.equalTo("handled"));
        api().get("/api/v1/accounts/race-webhook/connector").then().body("status", org.hamcrest.Matchers.equalTo("revoked"));
    }

    @Test
    void aDeauthorizationRacingAReauthorizationEndsConsistent() throws Exception {
        Flows.connect(stripe, "race-both");
        String state = StripeStubs.param(json("{}").post("/api/v1/accounts/race-both/connector/authorize").then()
                .statusCode(200).extract().path("authorizeUrl"), "state");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        String event = Webhooks.deauthorized("evt_1RacingEvent01", Flows.STRIPE_USER_ID, Flows.CLIENT_ID);
        List<Response> answers = Concurrently.run(2, i -> i == 0
                ? Webhooks.signed(event).post("/webhooks/stripe")
                : given().redirects().follow(false).queryParam("code", "ac_Racing1").queryParam("state", state).get("/connector/callback"));
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.asString()).isEqualTo(200));
        String status = Api.queryString("select status from account_connector where account_id = 'race-both'");
        String token = Api.queryString("select access_token from account_connector where account_id = 'race-both'");
        // Either the reconnection came last (connected, with tokens) or the deauthorization did (revoked, tokens wiped).
        if ("CONNECTED".equals(status)) {
            assertThat(token).startsWith("v1:");
        } else {
            assertThat(status).isEqualTo("REVOKED");
            assertThat(token).isNull();
        }
    }

    @Test
    void clearingTheConsoleKeyWhileAccountsInstallEndsConsistent() throws Exception {
        Flows.connect(stripe, "race-console-connected");
        List<Response> answers = Concurrently.run(11, i -> {
            if (i == 0) {
                Map<String, Object> clear = new HashMap<>();
                clear.put("clientSecret", null);
                return json(clear).put("/api/v1/connector");
            }
            return json(Map.of("name", "Shop " + i)).put("/api/v1/accounts/race-console-" + i + "/connector");
        });
        // The console cannot be cleared under a connected installation; the installs all succeed.
        assertThat(answers.get(0).statusCode()).as(answers.get(0).asString()).isEqualTo(409);
        assertThat(answers.get(0).jsonPath().getString("detail")).contains("1 connected installation");
        assertThat(answers.subList(1, 11)).allSatisfy(r -> assertThat(r.statusCode()).as(r.asString()).isEqualTo(201));

        // With nothing connected any more, clearing races the installs: each install either saw the key or was refused.
        api().delete("/api/v1/accounts/race-console-connected/connector?force=true").then().statusCode(200);
        List<Response> second = Concurrently.run(11, i -> {
            if (i == 0) {
                Map<String, Object> clear = new HashMap<>();
                clear.put("clientSecret", null);
                return json(clear).put("/api/v1/connector");
            }
            return json(Map.of("name", "Shop " + i)).put("/api/v1/accounts/race-later-" + i + "/connector");
        });
        assertThat(second.get(0).statusCode()).isEqualTo(200);
        assertThat(second.subList(1, 11)).allSatisfy(r -> assertThat(r.statusCode()).as(r.asString()).isIn(201, 422));
        long created = second.subList(1, 11).stream().filter(r -> r.statusCode() == 201).count();
        assertThat(Api.queryString("select count(*) from account_connector where account_id like 'race-later-%'"))
                .isEqualTo(Long.toString(created));
    }

    static Response sleepThen(long millis, java.util.function.Supplier<Response> call) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return call.get();
    }
}
