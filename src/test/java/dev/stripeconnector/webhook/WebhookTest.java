package dev.stripeconnector.webhook;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import static dev.stripeconnector.support.Webhooks.sign;
import static dev.stripeconnector.support.Webhooks.signed;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebhookTest {

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from webhook_event");
        stripe.resetAll();
        Flows.consoleSetup();
    }

    @Test
    void deauthorizationRevokesTheInstallationAndWipesItsTokens() {
        Flows.connect(stripe, "w-1");
        signed(Webhooks.deauthorized()).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("handled"));
        api().get("/api/v1/accounts/w-1/connector").then()
                .body("status", equalTo("revoked"))
                .body("lastError.code", equalTo("deauthorized"));
        assertThat(Api.queryString("select access_token from account_connector where account_id = 'w-1'")).isNull();
        assertThat(Api.queryString("select refresh_token from account_connector where account_id = 'w-1'")).isNull();
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/w-1/connector/credentials")
                .then().statusCode(409);
    }

    @Test
    void theSameEventDeliveredTwiceIsHandledOnce() {
        Flows.connect(stripe, "w-2");
        String event = Webhooks.deauthorized();
        signed(event).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
        // Reconnected meanwhile: a redelivery of the old event must not revoke the new connection.
        Api.update("update account_connector set status = 'CONNECTED' where account_id = 'w-2'");
        signed(event).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("duplicate"));
        api().get("/api/v1/accounts/w-2/connector").then().body("status", equalTo("connected"));
        assertThat(Api.queryString("select count(*) from webhook_event")).isEqualTo("1");
    }

    @Test
    void aSecretStillActiveDuringRotationIsAccepted() {
        Flows.connect(stripe, "w-3");
        String body = Webhooks.deauthorized();
        long t = Instant.now().getEpochSecond();
        given().contentType("application/json")
                .header("Stripe-Signature", "t=" + t + ",v1=" + "0".repeat(64) + ",v1=" + sign(TestKeys.OLD_WEBHOOK_SECRET, t, body))
                .body(body).post("/webhooks/stripe").then().statusCode(200);
        api().get("/api/v1/accounts/w-3/connector").then().body("status", equalTo("revoked"));
    }

    @Test
    void unknownEventTypesAreAcknowledgedAndIgnored() {
        Flows.connect(stripe, "w-4");
        signed(fixture("event-customer-created.json")).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("ignored"));
        api().get("/api/v1/accounts/w-4/connector").then().body("status", equalTo("connected"));
    }

    @Test
    void missingMalformedWrongOrStaleSignaturesAre400AndChangeNothing() {
        Flows.connect(stripe, "w-5");
        String body = Webhooks.deauthorized();
        long now = Instant.now().getEpochSecond();
        given().contentType("application/json").body(body).post("/webhooks/stripe").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("missing"));
        for (String header : new String[] {
                "garbage",
                "t=abc,v1=" + sign(TestKeys.WEBHOOK_SECRET, now, body),
                "t=" + now,
                "t=" + now + ",v1=zz",
                "t=" + now + ",v1=" + sign("whsec_SomeoneElsesSecret000", now, body),
                "t=" + now + ",v0=" + sign(TestKeys.WEBHOOK_SECRET, now, body),
                "t=" + (now - 301) + ",v1=" + sign(TestKeys.WEBHOOK_SECRET, now - 301, body),
                "t=" + (now + 3600) + ",v1=" + sign(TestKeys.WEBHOOK_SECRET, now + 3600, body)}) {
            given().contentType("application/json").header("Stripe-Signature", header).body(body).post("/webhooks/stripe").then()
                    .statusCode(400).contentType("application/problem+json");
        }
        // A valid signature over a different body: the raw body is what is verified.
        given().contentType("application/json")
                .header("Stripe-Signature", "t=" + now + ",v1=" + sign(TestKeys.WEBHOOK_SECRET, now, body))
                .body(body.replace("acct_1ConnectedAcct0001", "acct_1ConnectedAcct0001 ")).post("/webhooks/stripe").then()
                .statusCode(400);
        api().get("/api/v1/accounts/w-5/connector").then().body("status", equalTo("connected"));
        assertThat(Api.queryString("select count(*) from webhook_event")).isEqualTo("0");
    }

    @Test
    void aSignedBodyThatIsNotAnEventIs400() {
        signed("{\"hello\":1}").post("/webhooks/stripe").then().statusCode(400).contentType("application/problem+json");
        signed("not json").post("/webhooks/stripe").then().statusCode(400);
    }

    @Test
    void anEventForAnUnknownAccountIsAcknowledged() {
        signed(Webhooks.deauthorized().replace("acct_1ConnectedAcct0001", "acct_1SomebodyElse")).post("/webhooks/stripe")
                .then().statusCode(200);
    }
}
