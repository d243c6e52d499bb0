package dev.stripeconnector.webhook;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.PartnerDomains;
import dev.stripeconnector.support.TestPartners;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
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

    /** Partners created here leave with their data: the other tests know partner default only. */
    @AfterEach
    void onlyPartnerDefault() {
        Api.deletePartnersButDefault();
    }

    static RequestSpecification signedWith(String secret, String body) {
        long t = Instant.now().getEpochSecond();
        return given().contentType("application/json").header("Stripe-Signature", "t=" + t + ",v1=" + Webhooks.sign(secret, t, body)).body(body);
    }

    static String status(String accountId) {
        return status("default", accountId);
    }

    static String status(String partner, String accountId) {
        return Api.queryString("select status from account_connector where partner_id = ? and account_id = ?", partner, accountId);
    }

    static final String ALPHA = "stripe.alpha.example";
    static final String BETA = "stripe.beta.example";
    static final String ALPHA_SECRET = "whsec_AlphaConsoleSecret0001";
    static final String BETA_SECRET = "whsec_BetaConsoleSecret00001";

    /** Sets {@code partner}'s console endpoint secret as its console setup stores it (the previous one kept valid for a day). */
    static void consoleWebhookSecret(String partner, String secret) {
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> ConnectorSettings.of(new PartnerId(partner))
                .rollWebhookSecret(Secret.of(secret), now.plus(Duration.ofHours(24)), now));
    }

    /** Moves the end of {@code partner}'s previous console endpoint secret to a second ago, as if its validity had passed. */
    static void previousConsoleSecretExpired(String partner) {
        assertThat(Api.update("update connector_settings set previous_webhook_secret_expires_at = now() - interval '1 second'"
                + " where partner_id = ? and previous_webhook_signing_secret is not null", partner)).isEqualTo(1);
    }

    static void refused(RequestSpecification delivery, String path) {
        delivery.post(path).then().statusCode(400).contentType("application/problem+json").body("type", containsString("invalid-signature"));
    }

    /**
     * Partners alpha and beta on their own domains, each with partner default's console platform, its
     * installations (the same account ids, the same Stripe account connected through the same client
     * IDs) and a console endpoint secret of its own; alpha also has the own platform's endpoint secret.
     */
    static void twoPartnersConnectedToTheSameStripeAccount() {
        Api.deletePartnersButDefault();
        TestPartners.create("alpha", ALPHA);
        TestPartners.create("beta", BETA);
        for (String partner : List.of("alpha", "beta")) {
            PartnerDomains.copyConsoleSetup(partner);
            PartnerDomains.copyInstallation(partner, "console-shop");
            PartnerDomains.copyInstallation(partner, "own-shop");
        }
        consoleWebhookSecret("alpha", ALPHA_SECRET);
        consoleWebhookSecret("beta", BETA_SECRET);
        Api.update("""
                insert into platform_webhook (partner_id, client_id, signing_secret, previous_signing_secret, updated_at)
                select 'alpha', client_id, signing_secret, previous_signing_secret, updated_at from platform_webhook where partner_id = 'default'""");
    }

    static String revokedEvents(String partner, String accountId) {
        return Api.queryString("""
                select count(*) from connector_event e join account_connector a on a.id = e.installation_id
                 where a.partner_id = ? and a.account_id = ? and e.type = 'installation.revoked'""", partner, accountId);
    }

    @Test
    void eachPartnersDomainIsItsEndpointAndEachPartnerHandlesItsOwnCopyOfAnEvent() {
        twoPartnersConnectedToTheSameStripeAccount();
        String event = Webhooks.deauthorized("evt_1SharedAccount", Flows.STRIPE_USER_ID, Flows.CLIENT_ID);

        // On alpha's domain, beta's secret and partner default's are not alpha's: refused, nothing changed.
        signedWith(BETA_SECRET, event).header("Host", ALPHA).post("/webhooks/stripe").then().statusCode(400)
                .contentType("application/problem+json").body("type", containsString("invalid-signature"));
        Webhooks.signed(event).header("Host", ALPHA).post("/webhooks/stripe").then().statusCode(400)
                .body("type", containsString("invalid-signature"));
        assertThat(Api.queryString("select count(*) from webhook_event")).isEqualTo("0");

        // Alpha's copy on alpha's domain: alpha's connection only, with its event; a redelivery there is a duplicate.
        signedWith(ALPHA_SECRET, event).header("Host", ALPHA).post("/webhooks/stripe").then().statusCode(200)
                .body("result", equalTo("handled"));
        signedWith(ALPHA_SECRET, event).header("Host", ALPHA).post("/webhooks/stripe").then().statusCode(200)
                .body("result", equalTo("duplicate"));
        assertThat(status("alpha", "console-shop")).isEqualTo("REVOKED");
        assertThat(status("alpha", "own-shop")).as("the own platform's connection is not the console's").isEqualTo("CONNECTED");
        assertThat(status("beta", "console-shop")).isEqualTo("CONNECTED");
        assertThat(status("default", "console-shop")).isEqualTo("CONNECTED");
        assertThat(revokedEvents("alpha", "console-shop")).isEqualTo("1");
        assertThat(revokedEvents("beta", "console-shop")).isEqualTo("0");
        assertThat(revokedEvents("default", "console-shop")).isEqualTo("0");

        // Beta's copy on beta's domain, and partner default's on the service's own domain: each handled, not a duplicate.
        signedWith(BETA_SECRET, event).header("Host", BETA).post("/webhooks/stripe").then().statusCode(200)
                .body("result", equalTo("handled"));
        assertThat(status("beta", "console-shop")).isEqualTo("REVOKED");
        assertThat(status("default", "console-shop")).isEqualTo("CONNECTED");
        Webhooks.signed(event).post("/webhooks/stripe").then().statusCode(200).body("result", equalTo("handled"));
        assertThat(status("default", "console-shop")).isEqualTo("REVOKED");
        assertThat(Api.queryString("select string_agg(partner_id || '/' || platform, ',' order by partner_id) from webhook_event"
                + " where event_id = 'evt_1SharedAccount'")).isEqualTo("alpha/,beta/,default/");

        // An account's own platform: beta has no endpoint for that client ID, so the same answer as an unknown one.
        String own = Webhooks.deauthorized("evt_1OwnShared", Flows.STRIPE_USER_ID, OWN_CLIENT_ID);
        String onBeta = signedWith(OWN_WEBHOOK_SECRET, own).header("Host", BETA).post("/webhooks/stripe/" + OWN_CLIENT_ID).then()
                .statusCode(400).extract().asString();
        String unknown = signedWith(OWN_WEBHOOK_SECRET, own).header("Host", BETA).post("/webhooks/stripe/ca_NoSuchPlatform1").then()
                .statusCode(400).extract().asString();
        assertThat(onBeta).contains("invalid-signature").isEqualTo(unknown);
        signedWith(OWN_WEBHOOK_SECRET, own).header("Host", ALPHA).post("/webhooks/stripe/" + OWN_CLIENT_ID).then().statusCode(200)
                .body("result", equalTo("handled"));
        assertThat(status("alpha", "own-shop")).isEqualTo("REVOKED");
        assertThat(status("beta", "own-shop")).isEqualTo("CONNECTED");
        assertThat(status("default", "own-shop")).isEqualTo("CONNECTED");
        assertThat(Api.queryString("select platform from webhook_event where event_id = 'evt_1OwnShared'")).isEqualTo(OWN_CLIENT_ID);
    }

    @Test
    void aPartnersConsoleEndpointSecretIsStoredEncryptedAndARolledOneKeepsThePreviousValid() {
        twoPartnersConnectedToTheSameStripeAccount();
        assertThat(Api.queryString("select webhook_signing_secret from connector_settings where partner_id = 'alpha'"))
                .startsWith("v1:").doesNotContain("AlphaConsoleSecret");
        // Rolled through alpha's API: the old secret stays valid for CONNECTOR_STRIPE_WEBHOOK_PREVIOUS_SECRET_VALIDITY (24 hours).
        String alphaKey = TestPartners.issueKey("alpha", "alpha-api", "api");
        TestPartners.withKey(alphaKey).contentType("application/json")
                .body(Map.of("webhookSecret", "whsec_AlphaConsoleSecret0002")).put("/api/v1/connector").then().statusCode(200);
        assertThat(Api.queryString("select previous_webhook_secret_expires_at between now() + interval '23 hours' and now() + interval '25 hours'"
                + " from connector_settings where partner_id = 'alpha'")).isEqualTo("t");
        signedWith(ALPHA_SECRET, Webhooks.deauthorized("evt_1Previous", "acct_1Nobody", Flows.CLIENT_ID)).header("Host", ALPHA)
                .post("/webhooks/stripe").then().statusCode(200);
        signedWith("whsec_AlphaConsoleSecret0002", Webhooks.deauthorized("evt_1Current", "acct_1Nobody", Flows.CLIENT_ID))
                .header("Host", ALPHA).post("/webhooks/stripe").then().statusCode(200);
        // Once its time is over, the old secret is a wrong one (a forged deauthorization changes nothing); the current one still verifies.
        previousConsoleSecretExpired("alpha");
        refused(signedWith(ALPHA_SECRET, Webhooks.deauthorized("evt_1Expired", Flows.STRIPE_USER_ID, Flows.CLIENT_ID)).header("Host", ALPHA),
                "/webhooks/stripe");
        assertThat(status("alpha", "console-shop")).isEqualTo("CONNECTED");
        signedWith("whsec_AlphaConsoleSecret0002", Webhooks.deauthorized("evt_1StillCurrent", "acct_1Nobody", Flows.CLIENT_ID))
                .header("Host", ALPHA).post("/webhooks/stripe").then().statusCode(200);
        // "Expire the old one now" with the next roll: the replaced secret is not kept at all.
        TestPartners.withKey(alphaKey).contentType("application/json")
                .body(Map.of("webhookSecret", "whsec_AlphaConsoleSecret0003", "expirePreviousWebhookSecret", true))
                .put("/api/v1/connector").then().statusCode(200);
        assertThat(Api.queryString("select count(*) from connector_settings where partner_id = 'alpha'"
                + " and previous_webhook_signing_secret is null and previous_webhook_secret_expires_at is null")).isEqualTo("1");
        refused(signedWith("whsec_AlphaConsoleSecret0002", Webhooks.deauthorized("evt_1JustRolled", "acct_1Nobody", Flows.CLIENT_ID))
                .header("Host", ALPHA), "/webhooks/stripe");
        signedWith(ALPHA_SECRET, Webhooks.deauthorized("evt_1TooOld", "acct_1Nobody", Flows.CLIENT_ID)).header("Host", ALPHA)
                .post("/webhooks/stripe").then().statusCode(400).body("type", containsString("invalid-signature"));
        signedWith("whsec_AlphaConsoleSecret0003", Webhooks.deauthorized("evt_1Newest", "acct_1Nobody", Flows.CLIENT_ID))
                .header("Host", ALPHA).post("/webhooks/stripe").then().statusCode(200);
        // Beta rolled too: alpha ending its old secret (alone, without a new one) leaves beta's overlap as it was.
        consoleWebhookSecret("beta", "whsec_BetaConsoleSecret00002");
        consoleWebhookSecret("alpha", "whsec_AlphaConsoleSecret0004");
        TestPartners.withKey(alphaKey).contentType("application/json")
                .body(Map.of("expirePreviousWebhookSecret", true)).put("/api/v1/connector").then().statusCode(200);
        refused(signedWith("whsec_AlphaConsoleSecret0003", Webhooks.deauthorized("evt_1EndedNow", "acct_1Nobody", Flows.CLIENT_ID))
                .header("Host", ALPHA), "/webhooks/stripe");
        signedWith(BETA_SECRET, Webhooks.deauthorized("evt_1BetaPrevious", "acct_1Nobody", Flows.CLIENT_ID)).header("Host", BETA)
                .post("/webhooks/stripe").then().statusCode(200);
        json(Map.of("expirePreviousWebhookSecret", true)).put("/api/v1/connector").then().statusCode(400)
                .body("errors[0].field", equalTo("expirePreviousWebhookSecret"));
        // Without a secret, the partner's endpoint verifies nothing.
        QuarkusTransaction.requiringNew().run(() -> ConnectorSettings.of(new PartnerId("beta")).rollWebhookSecret(null, Instant.now(), Instant.now()));
        signedWith(BETA_SECRET, Webhooks.deauthorized("evt_1NoSecret", "acct_1Nobody", Flows.CLIENT_ID)).header("Host", BETA)
                .post("/webhooks/stripe").then().statusCode(503).body("type", containsString("webhooks-not-configured"));

        // Through the API: a webhookSecret must be one, and partner default's is its configuration's, not stored.
        json(Map.of("webhookSecret", "not-a-secret")).put("/api/v1/connector").then().statusCode(400)
                .body("errors[0].field", equalTo("webhookSecret"));
        json(Map.of("webhookSecret", "whsec_DefaultWouldBeIgnored1")).put("/api/v1/connector").then().statusCode(400)
                .body("errors[0].field", equalTo("webhookSecret")).body("errors[0].message", containsString("CONNECTOR_STRIPE_WEBHOOK_SECRETS"));
        assertThat(Api.queryString("select webhook_signing_secret from connector_settings where partner_id = 'default'")).isNull();
        api().get("/api/v1/connector").then().statusCode(200).body("webhookSecretSet", equalTo(true))
                .body("webhookEndpoint", equalTo("https://" + TestKeys.SERVICE_DOMAIN + "/webhooks/stripe"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("webhookSecret")));
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
    void aRolledSecretKeepsThePreviousOneValidForItsTimeOnlyAndAnUnknownPlatformVerifiesNothing() {
        String endpoint = "/webhooks/stripe/" + OWN_CLIENT_ID;
        json(Map.of("webhookSecret", "whsec_OwnPlatformSecret0002")).put("/api/v1/accounts/own-shop/connector").then().statusCode(200);
        signedWith(OWN_WEBHOOK_SECRET, Webhooks.deauthorized("evt_1Previous", "acct_1Nobody", OWN_CLIENT_ID)).post(endpoint).then().statusCode(200);
        signedWith("whsec_OwnPlatformSecret0002", Webhooks.deauthorized("evt_1Current", "acct_1Nobody", OWN_CLIENT_ID))
                .post(endpoint).then().statusCode(200);
        // Its time over, the old secret forges nothing: the own platform's connection stays.
        assertThat(Api.update("update platform_webhook set previous_secret_expires_at = now() - interval '1 second'"
                + " where client_id = ? and previous_signing_secret is not null", OWN_CLIENT_ID)).isEqualTo(1);
        refused(signedWith(OWN_WEBHOOK_SECRET, Webhooks.deauthorized("evt_1OwnExpired", Flows.STRIPE_USER_ID, OWN_CLIENT_ID)), endpoint);
        assertThat(status("own-shop")).isEqualTo("CONNECTED");
        signedWith("whsec_OwnPlatformSecret0002", Webhooks.deauthorized("evt_1StillCurrent", "acct_1Nobody", OWN_CLIENT_ID))
                .post(endpoint).then().statusCode(200);
        // Rolled again, then "expire the old one now" on its own: the replaced secret stops at once, the current one works.
        json(Map.of("webhookSecret", "whsec_OwnPlatformSecret0003")).put("/api/v1/accounts/own-shop/connector").then().statusCode(200);
        signedWith("whsec_OwnPlatformSecret0002", Webhooks.deauthorized("evt_1InOverlap", "acct_1Nobody", OWN_CLIENT_ID))
                .post(endpoint).then().statusCode(200);
        json(Map.of("expirePreviousWebhookSecret", true)).put("/api/v1/accounts/own-shop/connector").then().statusCode(200)
                .body("ownPlatform.webhookSecretSet", equalTo(true));
        assertThat(Api.queryString("select count(*) from platform_webhook where previous_signing_secret is null"
                + " and previous_secret_expires_at is null")).isEqualTo("1");
        refused(signedWith("whsec_OwnPlatformSecret0002", Webhooks.deauthorized("evt_1OwnEnded", "acct_1Nobody", OWN_CLIENT_ID)), endpoint);
        signedWith("whsec_OwnPlatformSecret0003", Webhooks.deauthorized("evt_1OwnNewest", "acct_1Nobody", OWN_CLIENT_ID))
                .post(endpoint).then().statusCode(200);
        json(Map.of("expirePreviousWebhookSecret", true)).put("/api/v1/accounts/console-shop/connector").then().statusCode(400)
                .body("errors[0].field", equalTo("expirePreviousWebhookSecret"));
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
