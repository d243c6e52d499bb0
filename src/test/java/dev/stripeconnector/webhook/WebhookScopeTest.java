package dev.stripeconnector.webhook;

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
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One Stripe account connected to two platforms (the console's and an account's own): a
 * deauthorization changes only the connection of the deauthorized application, and only through
 * the endpoint of that platform.
 */
@QuarkusTest
class WebhookScopeTest {

    static final String OWN_CLIENT_ID = "ca_OwnPlatform1";
    static final String OWN_KEY = "sk_test_OwnPlatformKey1111";
    static final String OWN_WEBHOOK_SECRET = "whsec_OwnPlatformSecret0001";

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from webhook_event");
        Api.update("delete from platform_webhook");
        stripe.resetAll();
        Flows.consoleSetup();
        Flows.connect(stripe, "console-shop");
        StripeStubs.keyBelongsTo(stripe, OWN_KEY, "acct_1OwnPlatform0001");
        json(Map.of("clientId", OWN_CLIENT_ID, "clientSecret", OWN_KEY, "webhookSecret", OWN_WEBHOOK_SECRET))
                .put("/api/v1/accounts/own-shop/connector").then().statusCode(201);
        Flows.reconnect(stripe, "own-shop");
    }

    static RequestSpecification signedWith(String secret, String body) {
        long t = Instant.now().getEpochSecond();
        return given().contentType("application/json").header("Stripe-Signature", "t=" + t + ",v1=" + Webhooks.sign(secret, t, body)).body(body);
    }

    static String status(String accountId) {
        return Api.queryString("select status from account_connector where account_id = ?", accountId);
    }

    @Test
    void theViewReadInOneStatementEqualsTheViewBuiltFromTheEntities() {
        // PUT answers the view of the entities it changed, read inside its transaction after a flush;
        // GET reads it in one autocommit statement (both through Installations). With its own platform,
        // key, webhook secret and connection, and with the console's values, an installation shows the
        // same either way.
        for (var change : List.of(Map.of("accountId", "own-shop", "clientId", OWN_CLIENT_ID), Map.of("accountId", "console-shop", "name", "Console shop"))) {
            String path = "/api/v1/accounts/" + change.get("accountId") + "/connector";
            Map<String, Object> body = new java.util.HashMap<>(change);
            body.remove("accountId");
            Map<String, Object> written = json(body).put(path).then().statusCode(200).extract().jsonPath().getMap("");
            Map<String, Object> read = api().get(path).then().statusCode(200).extract().jsonPath().getMap("");
            assertThat(read).as(path).containsKeys("connection", "clientSecret").isEqualTo(written);
        }
    }

    @Test
    void theInstallationShowsItsOwnEndpointAndWhetherItsSecretIsSet() {
        api().get("/api/v1/accounts/own-shop/connector").then().statusCode(200)
                .body("ownPlatform.webhookEndpoint", equalTo("https://" + TestKeys.SERVICE_DOMAIN + "/webhooks/stripe/" + OWN_CLIENT_ID))
                .body("ownPlatform.webhookSecretSet", equalTo(true));
        assertThat(Api.queryString("select signing_secret from platform_webhook")).startsWith("v1:").doesNotContain("OwnPlatformSecret");
        api().get("/api/v1/accounts/console-shop/connector").then().body("ownPlatform", org.hamcrest.Matchers.nullValue());
        json(Map.of("webhookSecret", "whsec_NotForTheConsole01")).put("/api/v1/accounts/console-shop/connector").then().statusCode(400)
                .body("errors[0].field", equalTo("webhookSecret"));
    }

    @Test
    void theConsolesEndpointRevokesOnlyConnectionsOfTheDeauthorizedConsolePlatform() {
        // The console's endpoint cannot speak for the account's own platform.
        Webhooks.signed(Webhooks.deauthorized("evt_1NotOurs", Flows.STRIPE_USER_ID, OWN_CLIENT_ID)).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("ignored"));
        // Another application entirely.
        Webhooks.signed(Webhooks.deauthorized("evt_1Elsewhere", Flows.STRIPE_USER_ID, "ca_SomebodyElse9")).post("/webhooks/stripe")
                .then().statusCode(200).body("result", equalTo("ignored"));
        assertThat(status("console-shop")).isEqualTo("CONNECTED");
        assertThat(status("own-shop")).isEqualTo("CONNECTED");

        Webhooks.signed(Webhooks.deauthorized("evt_1ConsoleGone", Flows.STRIPE_USER_ID, Flows.CLIENT_ID)).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("handled"));
        assertThat(status("console-shop")).isEqualTo("REVOKED");
        assertThat(status("own-shop")).as("the same Stripe account stays connected to its own platform").isEqualTo("CONNECTED");
        assertThat(Api.queryString("select access_token from account_connector where account_id = 'own-shop'")).startsWith("v1:");
    }

    @Test
    void aPlatformsOwnEndpointTakesOnlyItsOwnSignatureAndItsOwnApplication() {
        String own = Webhooks.deauthorized("evt_1OwnGone", Flows.STRIPE_USER_ID, OWN_CLIENT_ID);
        // Signed with the console's secret: refused.
        Webhooks.signed(own).post("/webhooks/stripe/" + OWN_CLIENT_ID).then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-signature"));
        // Signed right, but about the console's application: nothing changes.
        signedWith(OWN_WEBHOOK_SECRET, Webhooks.deauthorized("evt_1Cross", Flows.STRIPE_USER_ID, Flows.CLIENT_ID))
                .post("/webhooks/stripe/" + OWN_CLIENT_ID).then().statusCode(200).body("result", equalTo("ignored"));
        assertThat(status("console-shop")).isEqualTo("CONNECTED");

        signedWith(OWN_WEBHOOK_SECRET, own).post("/webhooks/stripe/" + OWN_CLIENT_ID).then().statusCode(200)
                .body("result", equalTo("handled"));
        assertThat(status("own-shop")).isEqualTo("REVOKED");
        assertThat(status("console-shop")).isEqualTo("CONNECTED");
    }

    @Test
    void aRolledSecretKeepsThePreviousOneValidAndAnUnknownPlatformVerifiesNothing() {
        json(Map.of("webhookSecret", "whsec_OwnPlatformSecret0002")).put("/api/v1/accounts/own-shop/connector").then().statusCode(200);
        signedWith(OWN_WEBHOOK_SECRET, Webhooks.deauthorized("evt_1Previous", "acct_1Nobody", OWN_CLIENT_ID))
                .post("/webhooks/stripe/" + OWN_CLIENT_ID).then().statusCode(200);
        signedWith("whsec_OwnPlatformSecret0002", Webhooks.deauthorized("evt_1Current", "acct_1Nobody", OWN_CLIENT_ID))
                .post("/webhooks/stripe/" + OWN_CLIENT_ID).then().statusCode(200);
        signedWith(OWN_WEBHOOK_SECRET, Webhooks.deauthorized("evt_1Unknown", "acct_1Nobody", "ca_NoSuchPlatform1"))
                .post("/webhooks/stripe/ca_NoSuchPlatform1").then().statusCode(400).contentType("application/problem+json")
                .body("type", containsString("invalid-signature"));
        given().contentType("application/json").body("{}").post("/webhooks/stripe/not-a-client-id").then().statusCode(400)
                .contentType("application/problem+json");
    }

    /**
     * Whether a client ID has an endpoint here (with or without its signing secret) is nobody's
     * business but the partner's: the signature is checked first, and every request that does not
     * carry a valid one gets the same answer, to the byte, whatever the client ID.
     */
    @Test
    void unknownAndKnownClientIdsGetTheSameAnswerToARequestThatIsNotSignedRight() {
        StripeStubs.keyBelongsTo(stripe, "sk_test_NoSecretPlatformKey3333", "acct_1NoSecretPlatform03");
        json(Map.of("clientId", "ca_NoSecretPlatform3", "clientSecret", "sk_test_NoSecretPlatformKey3333"))
                .put("/api/v1/accounts/no-secret-shop/connector").then().statusCode(201).body("ownPlatform.webhookSecretSet", equalTo(false));
        List<String> platforms = List.of(OWN_CLIENT_ID, "ca_NoSecretPlatform3", "ca_NoSuchPlatform1");
        long t = Instant.now().getEpochSecond();
        for (String platform : platforms) {
            String event = Webhooks.deauthorized("evt_1Probe", Flows.STRIPE_USER_ID, platform);
            Map<String, String> signatures = new java.util.LinkedHashMap<>();
            signatures.put("none", null);
            signatures.put("malformed", "garbage");
            signatures.put("all zeros", "t=" + t + ",v1=" + "0".repeat(64));
            signatures.put("a made-up secret", "t=" + t + ",v1=" + Webhooks.sign("whsec_MadeUpByAProber000", t, event));
            signatures.forEach((kind, signature) -> {
                List<String> answers = new java.util.ArrayList<>();
                for (String probed : platforms) {
                    RequestSpecification request = given().contentType("application/json").body(event);
                    if (signature != null) {
                        request.header("Stripe-Signature", signature);
                    }
                    var response = request.post("/webhooks/stripe/" + probed);
                    answers.add(response.statusCode() + " " + response.contentType() + " " + response.asString());
                }
                assertThat(answers).as("signature %s, event naming %s", kind, platform).hasSize(3)
                        .allSatisfy(answer -> assertThat(answer).startsWith("400 application/problem+json").contains("invalid-signature"))
                        .containsOnly(answers.get(0));
            });
        }
        assertThat(Api.queryString("select count(*) from webhook_event")).isEqualTo("0");
        assertThat(status("own-shop")).isEqualTo("CONNECTED");
    }

    @Test
    void signedEventsWithValuesOutOfRangeAreRefusedAndNothingIsStored() {
        for (String event : new String[] {
                Webhooks.deauthorized().replace("evt_1DeauthorizedEvent01", "evt_" + "x".repeat(300)),
                Webhooks.deauthorized().replace("acct_1ConnectedAcct0001", "acct_" + "1".repeat(300)),
                Webhooks.deauthorized().replace("acct_1ConnectedAcct0001", "acct_1\\u0000"),
                Webhooks.deauthorized().replace("\"type\": \"account.application.deauthorized\"", "\"type\": \"" + "t".repeat(200) + "\""),
                Webhooks.deauthorized().replaceAll("\"created\": \\d+", "\"created\": 99999999999999999")}) {
            Webhooks.signed(event).post("/webhooks/stripe").then().statusCode(400).contentType("application/problem+json");
        }
        assertThat(Api.queryString("select count(*) from webhook_event")).isEqualTo("0");
        assertThat(status("console-shop")).isEqualTo("CONNECTED");
    }
}
