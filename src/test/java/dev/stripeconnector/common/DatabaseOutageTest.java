package dev.stripeconnector.common;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static dev.stripeconnector.support.StripeStubs.tokenRequests;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away and comes back (the embedded PostgreSQL is stopped and started on the same
 * port and data): callers get 503 with Retry-After and a "try again" page, readiness goes DOWN, the
 * service recovers without a restart, and nothing is lost, not even tokens Stripe granted mid-outage.
 */
@QuarkusTest
class DatabaseOutageTest {

    @InjectWireMock
    WireMockServer stripe;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        stripe.resetAll();
        Flows.consoleSetup();
    }

    @AfterEach
    void databaseIsBack() {
        PostgresResource.startServer();
        awaitRecovery();
    }

    static String authorize(String accountId) {
        json(Map.of("name", "Outage shop")).put("/api/v1/accounts/" + accountId + "/connector").then().statusCode(201);
        String authorizeUrl = json("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then()
                .statusCode(200).extract().path("authorizeUrl");
        return StripeStubs.param(authorizeUrl, "state");
    }

    @Test
    void whileTheDatabaseIsDownCallersAreToldToRetryAndTheServiceRecoversWithoutARestart() {
        Flows.connect(stripe, "outage-1");
        String state = authorize("outage-2");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        // A key issued to a partner is checked in the database at every request: its check cannot answer 401 either.
        String issued = given().header("Authorization", "Bearer " + TestKeys.OPERATOR_KEY).contentType("application/json")
                .body(Map.of("name", "outage-key")).post("/api/v1/partners/default/api-keys").then().statusCode(201).extract().path("key");

        PostgresResource.stopServer();
        for (Response response : new Response[] {
                given().header("Authorization", "Bearer " + issued).get("/api/v1/connector"),
                api().get("/api/v1/accounts/outage-1/connector"),
                api().get("/api/v1/accounts"),
                json(Map.of("name", "x")).put("/api/v1/accounts/outage-9/connector"),
                api().post("/api/v1/accounts/outage-1/connector/refresh"),
                given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/outage-1/connector/credentials"),
                api().get("/api/v1/accounts/outage-1/stripe/v1/customers"),
                Webhooks.signed(Webhooks.deauthorized()).post("/webhooks/stripe")}) {
            response.then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("type", containsString("service-unavailable"))
                    .body("detail", containsString("database"));
        }
        given().get(ready).then().statusCode(503).body("status", equalTo("DOWN"));
        // The browser: nothing was sent to Stripe, and the same link works once the service is back.
        given().redirects().follow(false).queryParam("code", "ac_DuringOutage1").queryParam("state", state).get("/connector/callback")
                .then().statusCode(503).contentType(containsString("text/html")).body(containsString("reload this page"));
        stripe.verify(0, tokenRequests());

        PostgresResource.startServer();
        awaitRecovery();
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        api().get("/api/v1/accounts/outage-1/connector").then().statusCode(200).body("status", equalTo("connected"));
        given().redirects().follow(false).queryParam("code", "ac_DuringOutage1").queryParam("state", state).get("/connector/callback")
                .then().statusCode(200).body(containsString("connected"));
        api().get("/api/v1/accounts/outage-2/connector").then().statusCode(200).body("status", equalTo("connected"));
        stripe.verify(1, tokenRequests());
    }

    @Test
    void tokensStripeGrantsWhileTheDatabaseBlinksAreStillStored() throws Exception {
        String state = authorize("outage-3");
        // Stripe takes a moment to answer; the database goes away meanwhile and comes back.
        StripeStubs.tokenAnswersAfter(stripe, 1500, "token-success.json");
        CompletableFuture<Response> callback = CompletableFuture.supplyAsync(() -> given().redirects().follow(false)
                .queryParam("code", "ac_Blink1").queryParam("state", state).get("/connector/callback"));
        Instant deadline = Instant.now().plusSeconds(10);
        while (stripe.findAll(tokenRequests()).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(stripe.findAll(tokenRequests())).as("the code exchange reached Stripe").hasSize(1);
        PostgresResource.stopServer();
        assertThat(callback).as("the exchange is still in flight when the database goes away").isNotDone();
        Thread.sleep(3000);
        PostgresResource.startServer();

        Response page = callback.get(60, TimeUnit.SECONDS);
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        assertThat(page.asString()).contains("Your Stripe account is connected");
        awaitRecovery();
        api().get("/api/v1/accounts/outage-3/connector").then().statusCode(200)
                .body("status", equalTo("connected")).body("connection.stripeUserId", equalTo(Flows.STRIPE_USER_ID));
        assertThat(Api.queryString("select access_token from account_connector where account_id = 'outage-3'")).startsWith("v1:");
        stripe.verify(1, tokenRequests());
    }

    /** The service answers again within seconds of the database coming back. */
    static void awaitRecovery() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (api().get("/api/v1/connector").statusCode() == 200) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("The service did not recover within 30 s of the database coming back");
    }
}
