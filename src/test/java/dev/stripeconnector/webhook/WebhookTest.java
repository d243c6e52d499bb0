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
    void anyEventOfAConnectedAccountIsKeptForItsInstallationAndChangesNoConnection() {
        Flows.connect(stripe, "w-4");
        signed(fixture("event-customer-created.json")).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("handled"));
        api().get("/api/v1/accounts/w-4/connector").then().body("status", equalTo("connected"));
        assertThat(Api.queryString("select stripe_event_type from connector_event where account_id = 'w-4' and type = 'stripe.event'"))
                .isEqualTo("customer.created");
        // The platform's own event (no account): acknowledged, nothing kept.
        signed(fixture("event-customer-created.json").replace("\"account\": \"acct_1ConnectedAcct0001\",", "")
                .replace("evt_1CustomerCreated01", "evt_1PlatformsOwn01")).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("ignored"));
        assertThat(Api.queryString("select count(*) from webhook_event where event_id = 'evt_1PlatformsOwn01'")).isEqualTo("0");
    }

    /**
     * Stripe's events can be tens of KiB (an invoice with its lines, a checkout session with its items): one of
     * over 200 KiB is received whole and forwarded unchanged; the webhook routes' limit is 1 MiB, above it a 413.
     */
    @Test
    void aLargeRealEventIsReceivedWholeAndOneOverTheWebhookLimitIs413() {
        Flows.connect(stripe, "w-6");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            lines.append(i == 0 ? "" : ",\n").append("""
                        {"id": "il_1Line%04d", "object": "line_item", "amount": 1250, "currency": "eur",
                         "description": "1 \\u00d7 Roasted coffee, 250 g (batch %04d)", "metadata": {"sku": "COF-%04d", "lot": "L-2026-%04d"},
                         "period": {"end": 1764331200, "start": 1761739200}, "price": {"id": "price_1Coffee", "unit_amount": 1250,
                         "recurring": null, "tax_behavior": "inclusive"}, "quantity": 1, "tax_amounts": [{"amount": 200, "inclusive": true,
                         "tax_rate": "txr_1DeVat19"}]}""".formatted(i, i, i, i));
        }
        String invoice = ("""
                {
                  "id": "evt_1LargeInvoicePaid",
                  "object": "event",
                  "account": "acct_1ConnectedAcct0001",
                  "api_version": "2024-06-20",
                  "created": %d,
                  "data": {
                    "object": {"id": "in_1Large", "object": "invoice", "amount_paid": 750000, "currency": "eur",
                      "lines": {"object": "list", "has_more": false, "total_count": 600, "data": [
                %s]}}
                  },
                  "livemode": false,
                  "pending_webhooks": 1,
                  "type": "invoice.paid"
                }""").formatted(Instant.now().getEpochSecond(), lines);
        assertThat(invoice.length()).isBetween(200 * 1024, 1024 * 1024);
        signed(invoice).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
        assertThat(Api.queryString("select payload from connector_event where account_id = 'w-6' and type = 'stripe.event'"))
                .contains("\"stripeEventId\":\"evt_1LargeInvoicePaid\"", "\"id\": \"il_1Line0599\"", "1 \\u00d7 Roasted coffee");

        String tooLarge = invoice.replace("evt_1LargeInvoicePaid", "evt_1TooLargeInvoice").replace("\"total_count\": 600",
                "\"padding\": \"" + "x".repeat(1024 * 1024) + "\", \"total_count\": 600");
        signed(tooLarge).post("/webhooks/stripe").then().statusCode(413).contentType("application/problem+json");
        assertThat(Api.queryString("select count(*) from webhook_event where event_id = 'evt_1TooLargeInvoice'")).isEqualTo("0");
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
        // Signed, but not UTF-8 (Stripe sends UTF-8): refused like any malformed event, not a 500.
        byte[] utf16 = Webhooks.event("event-charge-succeeded.json", "evt_3Utf16Body01", "acct_1ConnectedAcct0001")
                .getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
        long t = Instant.now().getEpochSecond();
        given().contentType("application/json").header("Stripe-Signature", "t=" + t + ",v1=" + Webhooks.sign(TestKeys.WEBHOOK_SECRET, t, utf16))
                .body(utf16).post("/webhooks/stripe").then().statusCode(400).contentType("application/problem+json");
        assertThat(Api.queryString("select count(*) from webhook_event where event_id = 'evt_3Utf16Body01'")).isEqualTo("0");
    }

    @Test
    void anEventForAnUnknownAccountIsAcknowledged() {
        signed(Webhooks.deauthorized().replace("acct_1ConnectedAcct0001", "acct_1SomebodyElse")).post("/webhooks/stripe")
                .then().statusCode(200);
    }
}
